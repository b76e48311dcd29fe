import XCTest
import PaduCore

final class ExactDecimalTests: XCTestCase {
    private func d(_ s: String, file: StaticString = #filePath, line: UInt = #line) -> ExactDecimal {
        guard let v = ExactDecimal(s) else {
            XCTFail("not canonical: \(s)", file: file, line: line)
            return .zero
        }
        return v
    }

    func testCanonicalTextRoundTrips() {
        for (text, units, scale) in [("1500000.00", Int64(150_000_000), 2), ("0", 0, 0), ("-12.5", -125, 1), ("0.05", 5, 2),
                                     ("-0.000001", -1, 6), ("9223372036854775807", Int64.max, 0),
                                     ("-9223372036854775808", Int64.min, 0), ("-9223372036854.775808", Int64.min, 6),
                                     ("007", 7, 0), ("1.000000", 1_000_000, 6)] {
            let v = ExactDecimal(text)
            XCTAssertEqual(v?.units, units, text)
            XCTAssertEqual(v?.scale, scale, text)
        }
        for (text, description) in [("1500000.00", "1500000.00"), ("-12.5", "-12.5"), ("0.05", "0.05"), ("-0.05", "-0.05"),
                                    ("-9223372036854775808", "-9223372036854775808"), ("007", "7"), ("0.000001", "0.000001")] {
            XCTAssertEqual(ExactDecimal(text)?.description, description, text)
        }
        XCTAssertEqual(ExactDecimal(units: -5, scale: 3)?.description, "-0.005")
        XCTAssertEqual(ExactDecimal(units: 150_000_000, scale: 2)?.description, "1500000.00")
        XCTAssertEqual(ExactDecimal(42).description, "42")
    }

    func testNonCanonicalTextIsRefused() {
        for bad in ["", "-", ".5", "5.", "1,5", "1.500.000", "+1", " 1", "1 ", "1e5", "1.1234567", "Rp 1", "--1",
                    "9223372036854775808", "-9223372036854775809", "0x10", "١٢"] {
            XCTAssertNil(ExactDecimal(bad), bad)
        }
        XCTAssertNil(ExactDecimal(units: 1, scale: 7))
        XCTAssertNil(ExactDecimal(units: 1, scale: -1))
    }

    func testEqualityIsNumericAndHashingAgrees() {
        XCTAssertEqual(d("1.5"), d("1.50"))
        XCTAssertEqual(d("1500000"), d("1500000.000000"))
        XCTAssertEqual(d("0"), d("-0.00"))
        XCTAssertNotEqual(d("1.5"), d("1.05"))
        XCTAssertEqual(Set([d("1.5"), d("1.50"), d("1.500"), d("2")]).count, 2)
        XCTAssertEqual(d("1.50").normalized.description, "1.5")
        XCTAssertEqual(d("200.00").normalized.description, "200")
        XCTAssertEqual(d("-0.10").normalized.description, "-0.1")
    }

    func testOrderingAlignsScalesAndNeverOverflows() {
        let ordered = ["-9223372036854775808", "-1500000", "-1.5", "-0.000001", "0", "0.000001", "0.5", "1.49", "1.5",
                       "1500000.00", "9223372036854775807"].map { d($0) }
        for i in ordered.indices {
            for j in ordered.indices {
                XCTAssertEqual(ordered[i] < ordered[j], i < j, "\(ordered[i]) < \(ordered[j])")
            }
        }
        // Aligning 9223372036854775807 to scale 6 overflows; comparison stays exact.
        XCTAssertTrue(d("9223372036854.775807") < d("9223372036854775807"))
        XCTAssertTrue(d("-9223372036854775807") < d("-9223372036854.775807"))
        XCTAssertTrue(d("1.000001") > d("1"))
        XCTAssertEqual([d("3"), d("-1.5"), d("2.25")].sorted().map(\.description), ["-1.5", "2.25", "3"])
    }

    func testArithmeticAlignsScales() {
        let table: [(String, String, String, String)] = [
            // a, b, a + b, a - b
            ("1500000.00", "250000", "1750000.00", "1250000.00"),
            ("0.1", "0.2", "0.3", "-0.1"),
            ("1.5", "0.25", "1.75", "1.25"),
            ("-1.5", "1.5", "0.0", "-3.0"),
            ("0.000001", "999999.999999", "1000000.000000", "-999999.999998"),
        ]
        for (a, b, sum, difference) in table {
            XCTAssertEqual(d(a).adding(d(b))?.description, sum, "\(a) + \(b)")
            XCTAssertEqual(d(a).subtracting(d(b))?.description, difference, "\(a) - \(b)")
        }
        XCTAssertEqual(ExactDecimal.sum([d("1.500"), d("2"), d("0.25")])?.description, "3.750")
        XCTAssertEqual(ExactDecimal.sum([ExactDecimal]())?.description, "0")
        XCTAssertEqual(d("-2.5").negated()?.description, "2.5")
    }

    func testOverflowGivesNil() {
        let max = d("9223372036854775807"), min = d("-9223372036854775808")
        XCTAssertNil(max.adding(d("1")))
        XCTAssertNil(min.subtracting(d("1")))
        XCTAssertNil(min.negated())
        XCTAssertNil(max.adding(d("0.1")), "aligning to scale 1 overflows")
        XCTAssertEqual(max.subtracting(d("1"))?.description, "9223372036854775806")
        XCTAssertNil(ExactDecimal.sum([max, d("1"), d("-5")]), "an intermediate overflow is reported, not hidden")
        XCTAssertNil(d("92233720368547758.07").rescaled(to: 3))
    }

    func testRescalingNeverLosesDigits() {
        XCTAssertEqual(d("1.5").rescaled(to: 2)?.description, "1.50")
        XCTAssertEqual(d("1.50").rescaled(to: 1)?.description, "1.5")
        XCTAssertEqual(d("2.00").rescaled(to: 0)?.description, "2")
        XCTAssertNil(d("1.55").rescaled(to: 1), "would round")
        XCTAssertNil(d("1").rescaled(to: 7))
    }

    func testLosslessStringConvertible() {
        func roundTrip<T: LosslessStringConvertible & Equatable>(_ v: T) -> T? { T(v.description) }
        for s in ["1500000.00", "-0.000001", "0", "42"] {
            let v = d(s)
            XCTAssertEqual(roundTrip(v), v, s)
            XCTAssertEqual(roundTrip(v)?.scale, v.scale, s)
        }
    }
}

import XCTest
import PaduCore
import PaduFormats

final class IndonesianNumbersTests: XCTestCase {
    private func amount(_ text: String, _ style: NumberStyle = .auto) -> String? {
        switch IndonesianNumbers.parseAmount(text, style: style) {
        case .success(let v): return v.description
        case .failure: return nil
        }
    }

    private func problem(_ text: String, _ style: NumberStyle = .auto) -> NumberProblem? {
        if case .failure(let p) = IndonesianNumbers.parseAmount(text, style: style) { return p }
        return nil
    }

    func testAmountsAsOfficesWriteThem() {
        // text, expected canonical value (scale as written)
        let table: [(String, String)] = [
            ("Rp 1.500.000", "1500000"),
            ("Rp. 1.500.000,00", "1500000.00"),
            ("RP. 1.500.000,00", "1500000.00"),
            ("rp1.500.000", "1500000"),
            ("Rp1.500.000", "1500000"),
            ("IDR 1,500,000", "1500000"),
            ("IDR1,500,000.00", "1500000.00"),
            ("1.500.000,-", "1500000"),
            ("Rp 1.500.000,-", "1500000"),
            ("Rp. 1.500.000,--", "1500000"),
            ("1.500.000.-", "1500000"),
            ("1.500.000,00", "1500000.00"),
            ("1500000", "1500000"),
            ("1500000,50", "1500000.50"),
            ("1500000.50", "1500000.50"),
            ("1,500,000.00", "1500000.00"),
            ("1.500", "1500"),
            ("1,500", "1500"),
            ("1,5", "1.5"),
            ("0,5", "0.5"),
            ("0.5", "0.5"),
            ("12.345.678,9", "12345678.9"),
            ("(1.500.000)", "-1500000"),
            ("(Rp 1.500.000)", "-1500000"),
            ("Rp (1.500.000)", "-1500000"),
            ("-1.500.000", "-1500000"),
            ("−1.500.000", "-1500000"),
            ("- 1.500.000", "-1500000"),
            ("-Rp 1.500.000", "-1500000"),
            ("Rp -1.500.000", "-1500000"),
            ("+1.500.000", "1500000"),
            ("  1.500.000  ", "1500000"),
            ("\u{00A0}Rp\u{00A0}1.500.000\u{00A0}", "1500000"),
            ("1.500.000 Rp", "1500000"),
            ("1.500.000 IDR", "1500000"),
            ("\t250.000\n", "250000"),
            ("0", "0"),
            ("Rp 0", "0"),
            ("0,000001", "0.000001"),
            ("1.500.000,0000000", "1500000.000000"),
            ("9.223.372.036.854.775.807", "9223372036854775807"),
        ]
        for (text, expected) in table {
            XCTAssertEqual(amount(text), expected, text)
        }
    }

    func testExplicitStyles() {
        let table: [(String, NumberStyle, String?)] = [
            ("1.500", .indonesian, "1500"),
            ("1.500", .us, "1.500"),
            ("1,500", .indonesian, "1.500"),
            ("1,500", .us, "1500"),
            ("1.5", .us, "1.5"),
            ("1.5", .indonesian, nil),
            ("1,5", .us, nil),
            ("1,5", .indonesian, "1.5"),
            ("1.500.000,00", .indonesian, "1500000.00"),
            ("1.500.000,00", .us, nil),
            ("1,500,000.00", .us, "1500000.00"),
            ("1,500,000.00", .indonesian, nil),
            ("1500000.50", .indonesian, nil),
            ("1500000.50", .us, "1500000.50"),
            ("1500000", .indonesian, "1500000"),
            ("1500000", .us, "1500000"),
            ("IDR 1,500,000", .us, "1500000"),
            ("Rp 1.500.000,-", .indonesian, "1500000"),
            ("(2.500)", .indonesian, "-2500"),
            ("(2.500)", .us, "-2.500"),
        ]
        for (text, style, expected) in table {
            XCTAssertEqual(amount(text, style), expected, "\(text) as \(style)")
        }
    }

    func testOnePointFiveIsAmbiguousWithoutAColumnStyle() {
        for text in ["1.5", "12.50", "1.5000", "Rp 1.5", "999.99"] {
            XCTAssertEqual(problem(text)?.kind, .ambiguous, text)
        }
        let message = problem("1.5")!.message
        XCTAssertTrue(message.hasPrefix("'1.5' is ambiguous"), message)
        XCTAssertTrue(message.contains("1.500") && message.contains("1,5"), message)
    }

    func testMalformedAmountsNameWhatWasExpected() {
        let table: [(String, NumberStyle, NumberProblem.Kind, String)] = [
            ("1.500.00", .auto, .malformedGrouping,
             "'1.500.00' is not an amount: digit groups after '.' must have 3 digits (Indonesian: 1.500.000,00)"),
            ("1.500.00", .indonesian, .malformedGrouping,
             "'1.500.00' is not an amount: digit groups after '.' must have 3 digits (Indonesian: 1.500.000,00)"),
            ("1,500,00", .auto, .malformedGrouping,
             "'1,500,00' is not an amount: digit groups after ',' must have 3 digits (US: 1,500,000.00)"),
            ("1.5", .indonesian, .malformedGrouping,
             "'1.5' is not an amount: digit groups after '.' must have 3 digits (Indonesian: 1.500.000,00)"),
            ("1500.000", .indonesian, .malformedGrouping,
             "'1500.000' is not an amount: at most 3 digits may stand before the first '.' (Indonesian: 1.500.000,00)"),
            ("0.500.000", .indonesian, .malformedGrouping,
             "'0.500.000' is not an amount: a grouped number cannot start with 0 (Indonesian: 1.500.000,00)"),
            ("1..500", .auto, .malformedGrouping,
             "'1..500' is not an amount: two '.' in a row or a '.' at an end (Indonesian: 1.500.000,00)"),
            ("1,500,000", .indonesian, .malformedGrouping,
             "'1,500,000' is not an amount: ',' is the decimal separator here and appears 2 times (Indonesian: 1.500.000,00)"),
            ("1.500,00.00", .auto, .malformedGrouping,
             "'1.500,00.00' is not an amount: '.' is the decimal separator here and appears 2 times (US: 1,500,000.00)"),
            ("1,500.000,5", .indonesian, .malformedGrouping,
             "'1,500.000,5' is not an amount: ',' is the decimal separator here and appears 2 times (Indonesian: 1.500.000,00)"),
            ("1,500.000,5", .us, .malformedGrouping,
             "'1,500.000,5' is not an amount: a ',' follows the decimal '.' (US: 1,500,000.00)"),
            ("1.500,", .indonesian, .malformedGrouping,
             "'1.500,' is not an amount: nothing follows the decimal ',' (Indonesian: 1.500.000,00)"),
            ("1.500,00,-", .indonesian, .malformedGrouping,
             "'1.500,00,-' is not an amount: it has decimals and a ',-' no-cents mark (Indonesian: 1.500.000,00)"),
            ("satu juta", .auto, .notANumber,
             "'satu juta' is not an amount: it contains letters; expected digits like 1.500.000 or 1.500.000,00"),
            ("1.500.000 rupiah", .auto, .notANumber,
             "'1.500.000 rupiah' is not an amount: it contains a space inside the number; expected digits like 1.500.000 or 1.500.000,00"),
            ("Rp 1.500.000 ✓", .auto, .notANumber,
             "'Rp 1.500.000 ✓' is not an amount: it contains a space inside the number; expected digits like 1.500.000 or 1.500.000,00"),
            ("1 500 000", .auto, .notANumber,
             "'1 500 000' is not an amount: it contains a space inside the number; expected digits like 1.500.000 or 1.500.000,00"),
            ("1.500.000/bln", .auto, .notANumber,
             "'1.500.000/bln' is not an amount: it contains '/'; expected digits like 1.500.000 or 1.500.000,00"),
            (",5", .auto, .notANumber, "'',5' is not an amount"),
            ("-(1.500)", .auto, .notANumber,
             "'-(1.500)' is not an amount: it has both parentheses and a minus sign; write (1.500.000) or -1.500.000"),
            ("Rp", .auto, .notANumber, "'Rp' is not an amount: no digits (expected e.g. Rp 1.500.000)"),
            ("", .auto, .empty, "the amount is empty"),
            ("  \u{00A0} ", .auto, .empty, "the amount is empty"),
            ("-", .auto, .placeholder, "'-' is a dash, not an amount (no value was written)"),
            ("Rp -", .auto, .placeholder, "'Rp -' is a dash, not an amount (no value was written)"),
            ("Rp. --", .auto, .placeholder, "'Rp. --' is a dash, not an amount (no value was written)"),
            ("1,1234567", .auto, .tooManyDecimalPlaces,
             "'1,1234567' has 7 digits after the decimal ','; at most 6 are kept exactly"),
            ("9.223.372.036.854.775.808", .auto, .outOfRange, "'9.223.372.036.854.775.808' is too large for an exact amount"),
        ]
        for (text, style, kind, message) in table {
            guard let p = problem(text, style) else {
                XCTFail("\(text) parsed as \(amount(text, style) ?? "?")")
                continue
            }
            XCTAssertEqual(p.kind, kind, text)
            if message == "'',5' is not an amount" {
                XCTAssertTrue(p.message.hasPrefix("',5' is not an amount: it starts with ','"), p.message)
            } else {
                XCTAssertEqual(p.message, message, text)
            }
            XCTAssertEqual(p.description, p.message)
        }
    }

    func testNumericCellsFromXLSX() {
        let table: [(String, String?)] = [
            ("1500000", "1500000"),
            ("1500000.5", "1500000.5"),
            ("1500000.50", "1500000.5"),
            ("1.5E+6", "1500000"),
            ("1.5e6", "1500000"),
            ("3.57808E+15", "3578080000000000"),
            ("-12.25", "-12.25"),
            ("2.5E-3", "0.0025"),
            ("1E-6", "0.000001"),
            ("0", "0"),
            ("-0", "0"),
            ("0.000", "0"),
            ("00012", "12"),
            ("1E0", "1"),
            ("123456789012345678", "123456789012345678"),
            (" 42 ", "42"),
            // Not representable exactly (or not numbers):
            ("0.30000000000000004", nil),
            ("1E-7", nil),
            ("1E+19", nil),
            ("1E+400", nil),
            ("1.500.000", nil),
            ("1,5", nil),
            ("Rp 1", nil),
            ("1E", nil),
            ("E5", nil),
            (".", nil),
            ("", nil),
        ]
        for (text, expected) in table {
            let got: String?
            switch IndonesianNumbers.parseNumericCell(text) {
            case .success(let v): got = v.description
            case .failure: got = nil
            }
            XCTAssertEqual(got, expected, text)
        }
        if case .failure(let p) = IndonesianNumbers.parseNumericCell("0.30000000000000004") {
            XCTAssertEqual(p.kind, .tooManyDecimalPlaces)
            XCTAssertTrue(p.message.contains("17 digits after the decimal point"), p.message)
        } else {
            XCTFail()
        }
        if case .failure(let p) = IndonesianNumbers.parseNumericCell("1.500.000") {
            XCTAssertEqual(p.message, "'1.500.000' is not a numeric cell value: expected digits with an optional '.' and exponent (1500000, 1500000.5, 1.5E+6)")
        } else {
            XCTFail()
        }
    }

    func testEvidenceOfOneValue() {
        let table: [(String, NumberStyleDetector.Evidence)] = [
            ("1.500.000", .indonesian(strong: true)),
            ("1.500,00", .indonesian(strong: true)),
            ("1,5", .indonesian(strong: true)),
            ("1500000,50", .indonesian(strong: true)),
            ("Rp 1.500.000,-", .indonesian(strong: true)),
            ("1500000,-", .indonesian(strong: true)),
            ("1,500,000", .us(strong: true)),
            ("1,500,000.50", .us(strong: true)),
            ("1500000.50", .us(strong: true)),
            ("1.500", .indonesian(strong: false)),
            ("1,500", .us(strong: false)),
            ("1.5", .us(strong: false)),
            ("1500000", .none),
            ("Rp 250000", .none),
            ("-", .none),
            ("", .none),
            ("kosong", .none),
            ("1.500.00", .none),
        ]
        for (text, evidence) in table {
            XCTAssertEqual(NumberStyleDetector.evidence(in: text), evidence, text)
        }
    }

    func testColumnDetection() {
        // column values, decided style, conflicting
        let table: [([String], NumberStyle, Bool)] = [
            (["1.500.000", "250.000", "1.500"], .indonesian, false),
            (["1,500,000.50", "250,000", "1,500"], .us, false),
            (["1.500,00", "2.000,00"], .indonesian, false),
            (["1,5", "2", "3,25"], .indonesian, false),
            (["1,500", "2,750", ""], .us, false),
            (["1.500", "2.750"], .indonesian, false),
            (["1.5", "2.75", "10.25"], .us, false),
            (["1.500", "1.5"], .indonesian, false),
            (["1500000", "250000"], .indonesian, false),
            ([], .indonesian, false),
            (["-", "tidak ada", ""], .indonesian, false),
            (["1.500.000", "2.500.000", "1,500,000.00"], .indonesian, true),
            (["1,500,000", "2,500,000", "1.500.000"], .us, true),
            (["1.500.000", "1.5"], .indonesian, false),
        ]
        for (values, style, conflicting) in table {
            var detector = NumberStyleDetector()
            for v in values { detector.observe(v) }
            XCTAssertEqual(detector.style, style, "\(values)")
            XCTAssertEqual(detector.isConflicting, conflicting, "\(values)")
            XCTAssertEqual(detector.observed, values.count)
        }
    }

    func testDetectedStyleParsesTheColumn() {
        var detector = NumberStyleDetector()
        let column = ["1.500", "Rp 2.500.000", "750", "1.5"]
        column.forEach { detector.observe($0) }
        XCTAssertEqual(detector.style, .indonesian)
        XCTAssertEqual(try detector.parse("1.500").get().description, "1500")
        XCTAssertThrowsError(try detector.parse("1.5").get())

        var us = NumberStyleDetector()
        ["1,500", "2,500,000.00", "1.5"].forEach { us.observe($0) }
        XCTAssertEqual(us.style, .us)
        XCTAssertEqual(try us.parse("1.5").get().description, "1.5")
        XCTAssertEqual(try us.parse("1,500").get().description, "1500")
    }

    func testSummaryExplainsTheDecision() {
        var detector = NumberStyleDetector()
        ["1.500.000", "2.000.000", "1,500,000.00", "1.500"].forEach { detector.observe($0) }
        XCTAssertEqual(detector.summary,
                       "number style Indonesian (1.500.000,00); Indonesian: 2 unambiguous like '1.500.000', 1 ambiguous like '1.500'; "
                       + "US: 1 unambiguous like '1,500,000.00'; the column mixes both styles")
        var empty = NumberStyleDetector()
        empty.observe("250000")
        XCTAssertEqual(empty.summary, "number style Indonesian (1.500.000,00) by default (no evidence); Indonesian: no values; US: no values")
        var weak = NumberStyleDetector()
        weak.observe("1,500")
        XCTAssertTrue(weak.summary.hasPrefix("number style US (1,500,000.00) from ambiguous values only"), weak.summary)
    }
}

import PaduReference
import XCTest

/// Kecamatan codes of older lists, for NIK/KK prefixes issued before a region split.
final class HistoricalKecamatanCodesTests: XCTestCase {
    func testCurrentHistoricalAndUnknownCodes() throws {
        let codes: any KecamatanCodeDirectory = try Reference.history()
        XCTAssertEqual(codes.status(ofKecamatan: "18.02.01"), .current(name: "Kalirejo"))
        // Merauke moved to Papua Selatan (93.01) in 2022; 91.01.01 was last listed in 2022.
        XCTAssertEqual(codes.status(ofKecamatan: "91.01.01"), .historical(name: "Merauke", lastListed: 2022))
        XCTAssertEqual(codes.status(ofKecamatan: "99.99.99"), .unknown)
        XCTAssertEqual(codes.status(ofKecamatan: "18.02"), .unknown, "not a kecamatan code")
        XCTAssertEqual(codes.status(ofKecamatan: "garbage"), .unknown)
        XCTAssertEqual(codes.status(ofKecamatan: "180201"), .current(name: "Kalirejo"), "undotted is accepted too")
        XCTAssertTrue(try HistoricalKecamatanCodes.bundled() === Reference.history(), "cached")
    }

    func testEveryCurrentKecamatanIsCurrent() throws {
        let codes = try Reference.history()
        let catalog = try Reference.catalog()
        var missing: [String] = []
        for entry in catalog.entries where entry.level == .kecamatan {
            guard case .current = codes.status(ofKecamatan: entry.code) else { missing.append(entry.description); continue }
        }
        XCTAssertEqual(missing, [])
    }

    func testParse() throws {
        let codes = try HistoricalKecamatanCodes.parse(tsv: "kode\tnama\tseen_in\n18.02.01\tKalirejo\t2016,2025\n18.02.99\tOld\t2016, 2018\n")
        XCTAssertEqual(codes.status(ofKecamatan: "18.02.99"), .historical(name: "Old", lastListed: 2018))
        XCTAssertThrowsError(try HistoricalKecamatanCodes.parse(tsv: "kode\tnama\tseen_in\n18.02.01\tKalirejo\t\n", source: "h.tsv")) { error in
            XCTAssertTrue("\(error)".contains("h.tsv, line 2"), "\(error)")
        }
    }
}

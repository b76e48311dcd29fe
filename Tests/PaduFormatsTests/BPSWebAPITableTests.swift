import Foundation
import XCTest
import PaduFormats

final class BPSWebAPITableTests: XCTestCase {
    var fixture: String {
        Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.path + "/bps/webapi-p0-lampung.json"
    }

    func testKeysAreRebuiltFromTheMetadata() throws {
        let table = try BPSWebAPITable(path: fixture)
        XCTAssertEqual(table.entriesRead, 8)
        XCTAssertEqual(table.observations.count, 7)
        let lampungTengah2023 = try XCTUnwrap(table.observations.first { $0.regionCode == "1805" && $0.period == "2023" })
        XCTAssertEqual(lampungTengah2023.value, "10.84")
        XCTAssertEqual(lampungTengah2023.regionLabel, "Lampung Tengah")
        XCTAssertEqual(lampungTengah2023.variableCode, "621")
        XCTAssertEqual(lampungTengah2023.unit, "Persen")
        XCTAssertNil(lampungTengah2023.breakdown, "'Tidak ada' is no breakdown")
        XCTAssertEqual(lampungTengah2023.key, "180562101230")
        // BPS codes stay BPS codes: 1802 is Tanggamus here, not Lampung Tengah.
        XCTAssertEqual(table.observations.first { $0.regionCode == "1802" }?.regionLabel, "Tanggamus")
        XCTAssertEqual(table.unmatched.map(\.key), ["190062101230"])
        XCTAssertTrue(table.unmatched[0].reason.contains("matches no combination"))
    }

    func testSubPeriodsAndBreakdownsJoinTheLabels() throws {
        let json = """
            {"status":"OK","data-availability":"available",
             "var":[{"val":7,"label":"Garis Kemiskinan","unit":"Rupiah/Kapita/Bulan"}],
             "turvar":[{"val":1,"label":"Perkotaan"},{"val":2,"label":"Perdesaan"}],
             "vervar":[{"val":18,"label":"Lampung"}],
             "tahun":[{"val":124,"label":"2024"}],
             "turtahun":[{"val":1,"label":"Maret"},{"val":2,"label":"September"}],
             "datacontent":{"18711241":601234,"18721242":567890.5}}
            """
        let table = try BPSWebAPITable(data: Data(json.utf8), path: "gk.json")
        XCTAssertEqual(table.observations.map(\.period), ["2024 Maret", "2024 September"])
        XCTAssertEqual(table.observations.map(\.breakdown), ["Perkotaan", "Perdesaan"])
        XCTAssertEqual(table.observations.map(\.value), ["601234", "567890.5"])
    }

    func testEnvelopeAndAmbiguityErrors() {
        func error(_ json: String) -> String {
            do { _ = try BPSWebAPITable(data: Data(json.utf8), path: "t.json"); return "" } catch { return "\(error)" }
        }
        XCTAssertTrue(error(#"{"status":"OK","data-availability":"list-not-available"}"#).contains("data-availability"))
        XCTAssertTrue(error(#"{"status":"Error","message":"Invalid key"}"#).contains("Invalid key"))
        XCTAssertTrue(error("[1,2]").contains("expected a JSON object"))
        XCTAssertTrue(error("not json").contains("not valid JSON"))
        XCTAssertTrue(error(#"{"status":"OK","var":[],"vervar":[],"tahun":[]}"#).contains("datacontent"))
        let colliding = """
            {"status":"OK","var":[{"val":23,"label":"a"},{"val":3,"label":"b"}],
             "vervar":[{"val":11,"label":"x"},{"val":112,"label":"y"}],"tahun":[{"val":1,"label":"2001"}],
             "datacontent":{}}
            """
        XCTAssertTrue(error(colliding).contains("same datacontent key"), error(colliding))
    }
}

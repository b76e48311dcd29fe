import Foundation
import XCTest
import PaduFormats

final class SDMXDataReaderTests: XCTestCase {
    func fixture(_ name: String) -> String {
        Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.path + "/sdmx/" + name
    }

    func readAll(_ path: String) throws -> (SDMXDataReader, [SDMXObservation]) {
        let reader = try SDMXDataReader(path: path)
        var all: [SDMXObservation] = []
        while let o = try reader.next() { all.append(o) }
        return (reader, all)
    }

    func testGenericDataSeriesAttributesAndDataSets() throws {
        let (reader, obs) = try readAll(fixture("generic-p0-lampung.xml"))
        XCTAssertEqual(reader.flavor, .genericData)
        XCTAssertEqual(obs.count, 5)
        XCTAssertEqual(obs[1].fields, ["FREQ": "A", "REF_AREA": "1805", "INDICATOR": "P0", "UNIT_MEASURE": "PC",
                                       "TIME_PERIOD": "2023", "OBS_STATUS": "P", "SOURCE_NOTE": "Susenas Maret (synthetic sample values)"])
        XCTAssertEqual(obs[1].value, "10.84")
        XCTAssertEqual(obs[1].dataSet, 1)
        XCTAssertEqual(obs[2].value, nil, "NaN is a missing value")
        XCTAssertEqual(obs[2].fields["OBS_STATUS"], "M")
        XCTAssertEqual(obs[4].fields["INDICATOR"], "GK")
        XCTAssertEqual(obs[4].dataSet, 2)
        XCTAssertNil(obs[4].fields["SOURCE_NOTE"], "data-set attributes do not leak into the next data set")
        XCTAssertEqual(obs[0].line, 30, "the line of the Obs element")
    }

    func testStructureSpecificDataGivesTheSameObservations() throws {
        let (_, generic) = try readAll(fixture("generic-p0-lampung.xml"))
        let (reader, specific) = try readAll(fixture("structure-specific-p0-lampung.xml"))
        XCTAssertEqual(reader.flavor, .structureSpecificData)
        XCTAssertEqual(specific.count, 4)
        for (a, b) in zip(generic.prefix(4), specific) {
            var fields = a.fields
            fields["SOURCE_NOTE"] = nil
            XCTAssertEqual(fields, b.fields)
            XCTAssertEqual(a.value, b.value)
        }
    }

    func testFlatObservationsWithAllDimensions() throws {
        let (_, obs) = try readAll(fixture("flat-all-dimensions.xml"))
        XCTAssertEqual(obs.map(\.fields), [["REF_AREA": "1805", "INDICATOR": "P1", "TIME_PERIOD": "2023"]])
        XCTAssertEqual(obs.first?.value, "1.72")
    }

    func testOtherDocumentsAndHostileXMLAreRefused() throws {
        let dir = FileManager.default.temporaryDirectory.path + "/padu-sdmx-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        func message(_ text: String) -> String {
            let path = dir + "/t.xml"
            try? text.write(toFile: path, atomically: true, encoding: .utf8)
            do { _ = try readAll(path); return "" } catch { return "\(error)" }
        }
        XCTAssertTrue(message("<CompactData/>").contains("expected an SDMX-ML 2.1"))
        let secret = dir + "/secret.txt"
        try "TOP-SECRET-CONTENT".write(toFile: secret, atomically: true, encoding: .utf8)
        let xxe = """
            <?xml version="1.0"?>
            <!DOCTYPE m [<!ENTITY x SYSTEM "file://\(secret)">]>
            <message:GenericData xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message">&x;</message:GenericData>
            """
        let refused = message(xxe)
        XCTAssertFalse(refused.isEmpty)
        XCTAssertFalse(refused.contains("TOP-SECRET"))
        let deep = "<message:GenericData xmlns:message=\"http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message\">"
            + String(repeating: "<a>", count: 10_000) + String(repeating: "</a>", count: 10_000) + "</message:GenericData>"
        XCTAssertFalse(message(deep).isEmpty)
    }
}

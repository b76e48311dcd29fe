import Foundation
import PaduCore
import PaduWarehouse
import XCTest

final class BPSTableTests: XCTestCase {
    var folder: TemporaryFolder!
    var warehouse: Warehouse!

    override func setUpWithError() throws {
        folder = try TemporaryFolder()
        warehouse = try Warehouse(path: folder.path("warehouse.sqlite"))
    }

    override func tearDown() { folder.remove() }

    let spec = PipelineSpec(name: "bps-p0", source: StageSpec(plugin: "bps-table"),
                            sink: StageSpec(plugin: "warehouse", options: ["dataset": .string("indicators")]))

    func testWebAPITableLoadsIndicatorsWithLineage() throws {
        let result = try runPipeline(spec, inputs: [Fixtures.formats("bps/webapi-p0-lampung.json")], into: warehouse)
        assertBalanced(result)
        XCTAssertEqual(result.status, .succeeded)
        XCTAssertEqual(result.counts, RowCounts(read: 8, loaded: 7, quarantined: 1))
        XCTAssertEqual(try warehouse.rows("""
            SELECT value, unit, region_label, source_key FROM indicator
            WHERE region_code_bps = '1805' AND period = '2023' AND variable_code = '621'
            """), [[.text("10.84"), .text("Persen"), .text("Lampung Tengah"), .text("180562101230")]])
        XCTAssertEqual(try warehouse.rows("SELECT reason_code, column_name FROM quarantine"),
                       [[.text("unknown-key"), .text("190062101230")]])
        XCTAssertEqual(try warehouse.count("SELECT count(*) FROM indicator WHERE input_id = (SELECT id FROM inputs WHERE status = 'loaded')"), 7)
    }

    func testACorrectedTableReplacesTheEarlierOne() throws {
        let path = folder.path("p0.json")
        try FileManager.default.copyItem(atPath: Fixtures.formats("bps/webapi-p0-lampung.json"), toPath: path)
        _ = try runPipeline(spec, inputs: [path], into: warehouse)
        var text = try String(contentsOfFile: path, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"180562101230\": 10.84", with: "\"180562101230\": 10.80")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let again = try runPipeline(spec, inputs: [path], into: warehouse)
        XCTAssertEqual(again.inputs.first?.replaced.count, 1)
        XCTAssertEqual(try warehouse.rows("SELECT value FROM indicator WHERE region_code_bps = '1805' AND period = '2023'"), [[.text("10.80")]])
        XCTAssertEqual(try warehouse.count("SELECT count(*) FROM indicator"), 7)
    }

    func testAnEnvelopeWithoutDataFailsThatInputClearly() throws {
        let path = folder.path("empty.json")
        try #"{"status":"OK","data-availability":"list-not-available"}"#.write(toFile: path, atomically: true, encoding: .utf8)
        let result = try runPipeline(spec, inputs: [path], into: warehouse)
        XCTAssertEqual(result.status, .failed)
        XCTAssertTrue(result.inputs[0].message.contains("data-availability"), result.inputs[0].message)
    }

    func testSDMXBothFlavoursLoadTheSameIndicators() throws {
        let generic = try runPipeline(spec, inputs: [Fixtures.formats("sdmx/generic-p0-lampung.xml")], into: warehouse)
        assertBalanced(generic)
        XCTAssertEqual(generic.counts, RowCounts(read: 5, loaded: 4, skipped: 1))
        XCTAssertEqual(try warehouse.rows("SELECT reason_code, row_number FROM quarantine"), [[.text("no-value"), .int(51)]])
        XCTAssertEqual(try warehouse.rows("""
            SELECT variable_code, unit, region_code_bps, period, value, breakdown FROM indicator ORDER BY id
            """).first, [.text("P0"), .text("PC"), .text("1805"), .text("2022"), .text("11.27"), .null])

        let other = try Warehouse(path: folder.path("other.sqlite"))
        let specific = try runPipeline(spec, inputs: [Fixtures.formats("sdmx/structure-specific-p0-lampung.xml")], into: other)
        XCTAssertEqual(specific.counts, RowCounts(read: 4, loaded: 3, skipped: 1))
        let query = "SELECT variable_code, unit, region_code_bps, period, value FROM indicator WHERE variable_code = 'P0' ORDER BY region_code_bps, period"
        XCTAssertEqual(try other.rows(query), try warehouse.rows(query))
    }

    func testRemainingDimensionsBecomeTheBreakdown() throws {
        let path = folder.path("sex.xml")
        try """
            <message:StructureSpecificData xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message">
              <message:DataSet>
                <Series FREQ="A" REF_AREA="1805" INDICATOR="P0" SEX="F"><Obs TIME_PERIOD="2023" OBS_VALUE="11.02"/></Series>
                <Series FREQ="A" REF_AREA="1805" INDICATOR="P0" SEX="M"><Obs TIME_PERIOD="2023" OBS_VALUE="10.66"/></Series>
              </message:DataSet>
            </message:StructureSpecificData>
            """.write(toFile: path, atomically: true, encoding: .utf8)
        let result = try runPipeline(spec, inputs: [path], into: warehouse)
        XCTAssertEqual(result.counts.loaded, 2)
        XCTAssertEqual(try warehouse.rows("SELECT breakdown, value FROM indicator ORDER BY breakdown"),
                       [[.text("SEX=F"), .text("11.02")], [.text("SEX=M"), .text("10.66")]])
    }

    func testStaticHTMLTableLoadsWithTheDashSkipped() throws {
        let result = try runPipeline(spec, inputs: [Fixtures.formats("bps/static-p0-kabupaten-2021-2023.html")], into: warehouse)
        assertBalanced(result)
        XCTAssertEqual(result.status, .succeeded, result.inputs.first?.message ?? "")
        XCTAssertEqual(result.counts, RowCounts(read: 18, loaded: 17, skipped: 1))
        XCTAssertEqual(try warehouse.rows("""
            SELECT value, unit, source_row, source_key FROM indicator WHERE region_label = 'Lampung Tengah' AND period = '2023'
            """), [[.text("10.84"), .text("Persen"), .int(8), .text("R8C4")]])
        XCTAssertEqual(try warehouse.rows("SELECT reason_code, row_number, column_name FROM quarantine"),
                       [[.text("no-value"), .int(9), .text("Persentase Penduduk Miskin (Persen) | 2022")]])
    }
}

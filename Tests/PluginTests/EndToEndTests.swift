import Foundation
import PaduCore
import PaduPlugins
import PaduWarehouse
import XCTest

/// The two registry pipelines of Lampung Tengah, one after the other, into one warehouse.
final class EndToEndTests: XCTestCase {
    private var folder: TemporaryFolder!
    private var warehouse: Warehouse!

    override func setUpWithError() throws {
        folder = try TemporaryFolder()
        warehouse = try Warehouse(path: folder.path("padu.sqlite"))
    }

    override func tearDownWithError() throws {
        warehouse = nil
        folder?.remove()
    }

    private let p3ke = registryPipeline(name: "p3ke-lampung-tengah", registry: "P3KE",
                                        transforms: [requireFields(["nik", "nama", "no_kk"])],
                                        expectations: [ExpectationSpec(kind: "maxQuarantineRate", value: .double(0.10))])
    private let dtks = registryPipeline(name: "dtks-lampung-tengah", registry: "DTKS",
                                        sourceOptions: ["delimiter": .string("|")],
                                        transforms: [requireFields(["nik", "nama"])])

    /// NIKs in both the P3KE and the DTKS fixture.
    private let overlap = ["1802011204800001", "1802014506850001", "1802012208720003", "1802014101900004"]

    func testP3KEThenDTKSConsolidateOverlappingPeople() throws {
        let p = try runPipeline(p3ke, inputs: [Fixtures.path("p3ke-kalirejo-2025.csv")], into: warehouse)
        XCTAssertEqual(p.status, .succeeded, p.message ?? "")
        assertBalanced(p)
        XCTAssertEqual(p.counts, RowCounts(read: 9, loaded: 8, quarantined: 0, skipped: 1))
        let d = try runPipeline(dtks, inputs: [Fixtures.path("dtks-kalirejo-2025.txt")], into: warehouse)
        XCTAssertEqual(d.status, .succeeded, d.message ?? "")
        assertBalanced(d)
        XCTAssertEqual(d.counts, RowCounts(read: 6, loaded: 6, quarantined: 0, skipped: 0))
        XCTAssertEqual(d.inputs[0].replaced, [], "another pipeline's input is not replaced")
        let p3keInput = try XCTUnwrap(p.inputs.first?.inputID)
        let dtksInput = try XCTUnwrap(d.inputs.first?.inputID)

        // One person row per NIK: 8 from P3KE, 2 more from DTKS.
        XCTAssertEqual(try warehouse.count("SELECT count(*) FROM person"), 10)
        XCTAssertEqual(try warehouse.count("SELECT count(DISTINCT nik) FROM person"), 10)
        // People both registries list are contributed by both inputs.
        for nik in overlap {
            XCTAssertEqual(try warehouse.rows("SELECT input_id FROM contribution WHERE table_name = 'person' AND row_key = ? ORDER BY input_id",
                                              [.text(nik)]),
                           [[.int(p3keInput)], [.int(dtksInput)]], nik)
        }
        XCTAssertEqual(try warehouse.rows("""
            SELECT count(*) FROM (SELECT row_key FROM contribution WHERE table_name = 'person' GROUP BY row_key HAVING count(*) = 2)
            """), [[.int(4)]])
        XCTAssertEqual(try warehouse.count("SELECT count(*) FROM contribution WHERE table_name = 'person'"), 14)

        // One registry_status row per (registry input, NIK).
        XCTAssertEqual(try warehouse.count("SELECT count(*) FROM registry_status"), 14)
        XCTAssertEqual(try warehouse.count("SELECT count(*) FROM (SELECT input_id, nik FROM registry_status GROUP BY input_id, nik HAVING count(*) > 1)"), 0)
        XCTAssertEqual(try warehouse.rows("SELECT registry, input_id, count(*) FROM registry_status GROUP BY registry, input_id ORDER BY registry"),
                       [[.text("DTKS"), .int(dtksInput), .int(6)], [.text("P3KE"), .int(p3keInput), .int(8)]])
        XCTAssertEqual(try warehouse.rows("""
            SELECT registry, registry_id, desil, pkh FROM registry_status WHERE nik = '1802012208720003' ORDER BY registry
            """), [
            [.text("DTKS"), .text("180201000012350"), .null, .int(0)],
            [.text("P3KE"), .text("P3KE1802010000002"), .int(2), .int(0)],
        ])

        // The later registry refreshes the person; what it lacks (the region code, the relationship) is kept.
        XCTAssertEqual(try warehouse.rows("""
            SELECT name, sex, birth_date, relationship, region_code, input_id, source_row FROM person WHERE nik = '1802011204800001'
            """), [[.text("SUPARMAN"), .text("L"), .text("1980-04-12"), .text("KEPALA KELUARGA"), .text("18.02.01.2001"),
                    .int(dtksInput), .int(2)]])
        // A person only DTKS lists.
        XCTAssertEqual(try warehouse.rows("SELECT name, sex, birth_date, no_kk, region_code, input_id FROM person WHERE nik = '1802016112880005'"),
                       [[.text("RATNA SARI"), .text("P"), .text("1988-12-21"), .text("1802010807140005"), .null, .int(dtksInput)]])

        // Households: three from P3KE, one more from DTKS; heads from P3KE's relationship column.
        XCTAssertEqual(try warehouse.count("SELECT count(*) FROM household"), 4)
        XCTAssertEqual(try warehouse.rows("SELECT head_nik, desa FROM household WHERE no_kk = '1802012003100001'"),
                       [[.text("1802011204800001"), .text("SRI WAY LANGSEP")]])
        // Regions from P3KE's KODE_DESA: the chain for three desa.
        XCTAssertEqual(try warehouse.rows("SELECT code FROM region ORDER BY code"),
                       ["18", "18.02", "18.02.01", "18.02.01.2001", "18.02.01.2003", "18.02.01.2006"].map { [.text($0)] })

        // Every value traces back to a loaded input and its run.
        XCTAssertEqual(try warehouse.count("""
            SELECT count(*) FROM person p JOIN inputs i ON i.id = p.input_id AND i.run_id = p.run_id WHERE i.status = 'loaded'
            """), 10)
        XCTAssertEqual(try warehouse.rows("SELECT pipeline, status, rows_read, rows_loaded, rows_skipped FROM runs ORDER BY id"), [
            [.text("p3ke-lampung-tengah"), .text("succeeded"), .int(9), .int(8), .int(1)],
            [.text("dtks-lampung-tengah"), .text("succeeded"), .int(6), .int(6), .int(0)],
        ])
        XCTAssertEqual(try warehouse.rows("SELECT input_id, stage, disposition, row_number, reason_code FROM quarantine"),
                       [[.int(p3keInput), .text("social-registry"), .text("skipped"), .int(8), .text("blank-row")]])
    }

    func testReloadingTheP3KEFileLeavesTheDTKSContributionAlone() throws {
        _ = try runPipeline(p3ke, inputs: [Fixtures.path("p3ke-kalirejo-2025.csv")], into: warehouse)
        let d = try runPipeline(dtks, inputs: [Fixtures.path("dtks-kalirejo-2025.txt")], into: warehouse)
        let again = try runPipeline(p3ke, inputs: [Fixtures.path("p3ke-kalirejo-2025.csv")], into: warehouse, force: true)
        XCTAssertEqual(again.inputs.map(\.status), [.loaded])
        XCTAssertEqual(again.inputs[0].replaced.count, 1)
        XCTAssertEqual(try warehouse.count("SELECT count(*) FROM person"), 10)
        XCTAssertEqual(try warehouse.count("SELECT count(*) FROM registry_status"), 14)
        XCTAssertEqual(try warehouse.count("SELECT count(*) FROM registry_status WHERE input_id = ?", [.int(d.inputs[0].inputID!)]), 6)
        XCTAssertEqual(try warehouse.count("SELECT count(*) FROM contribution WHERE table_name = 'person'"), 14)
    }

    func testPipelineSpecVersionSkipsOnlyTheSameVersion() throws {
        let path = Fixtures.path("p3ke-kalirejo-2025.csv")
        _ = try runPipeline(p3ke, inputs: [path], into: warehouse)
        XCTAssertEqual(try runPipeline(p3ke, inputs: [path], into: warehouse).inputs.map(\.status), [.skipped])
        // Changing what the pipeline does (another transform option) is a new version: the file is read again.
        var changed = p3ke
        changed.transforms = [requireFields(["nik", "nama"])]
        XCTAssertNotEqual(changed.versionHash, p3ke.versionHash)
        let result = try runPipeline(changed, inputs: [path], into: warehouse)
        XCTAssertEqual(result.inputs.map(\.status), [.loaded])
        XCTAssertEqual(result.inputs[0].replaced.count, 1)
        XCTAssertEqual(try warehouse.count("SELECT count(*) FROM person"), 8)
    }
}

import Foundation
import PaduCore
import PaduPlugins
import PaduWarehouse
import WarehouseSinkPlugin
import XCTest

/// The `warehouse` sink, through full `PipelineRunner` runs into a warehouse in a temporary folder.
final class WarehouseSinkTests: XCTestCase {
    private var folder: TemporaryFolder!
    private var warehouse: Warehouse!

    override func setUpWithError() throws {
        folder = try TemporaryFolder()
        warehouse = try Warehouse(path: folder.path("warehouse.sqlite"))
    }

    override func tearDownWithError() throws {
        warehouse = nil
        folder?.remove()
    }

    private var p3ke: PipelineSpec { registryPipeline(name: "p3ke-lampung-tengah", registry: "P3KE") }

    func testRowsTheWarehouseCannotTakeAreQuarantinedWithAReason() throws {
        let path = Fixtures.path("p3ke-sink-checks.csv")
        let result = try runPipeline(p3ke, inputs: [path], into: warehouse)
        XCTAssertEqual(result.status, .succeeded, result.message ?? "")
        assertBalanced(result)
        XCTAssertEqual(result.counts, RowCounts(read: 8, loaded: 2, quarantined: 6, skipped: 0))
        XCTAssertEqual(result.inputs.map(\.status), [.loaded])

        // The counts match the tables.
        XCTAssertEqual(try warehouse.count("SELECT count(*) FROM person"), result.counts.loaded)
        XCTAssertEqual(try warehouse.count("SELECT count(*) FROM registry_status"), result.counts.loaded)
        XCTAssertEqual(try warehouse.count("SELECT count(*) FROM quarantine WHERE disposition = 'quarantined'"), result.counts.quarantined)
        XCTAssertEqual(try warehouse.count("SELECT count(*) FROM quarantine"), result.counts.quarantined + result.counts.skipped)
        XCTAssertEqual(try warehouse.rows("SELECT rows_read, rows_loaded, rows_quarantined, rows_skipped, status FROM inputs"),
                       [[.int(8), .int(2), .int(6), .int(0), .text("loaded")]])
        XCTAssertEqual(try warehouse.rows("SELECT status, rows_read, rows_loaded, rows_quarantined, rows_skipped FROM runs"),
                       [[.text("succeeded"), .int(8), .int(2), .int(6), .int(0)]])

        XCTAssertEqual(try warehouse.rows("SELECT source_row, nik FROM person ORDER BY source_row"),
                       [[.int(2), .text("1802011204800001")], [.int(6), .text("1802015311750002")]])
        let inputID = try XCTUnwrap(result.inputs.first?.inputID)
        let starts = try Fixtures.lineStarts("p3ke-sink-checks.csv")
        let quarantine = try warehouse.rows("""
            SELECT row_number, stage, disposition, column_name, reason_code, byte_offset, input_id, run_id
            FROM quarantine ORDER BY row_number
            """)
        let expected: [(line: Int, column: String, code: String)] = [
            (3, "nik", "bad-nik"), (4, "no_kk", "bad-kk"), (5, "desil", "bad-desil"),
            (7, "kode_desa", "bad-region-code"), (8, "nik", "duplicate-nik"), (9, "nik", "bad-nik"),
        ]
        var expectedRows: [[SQLValue]] = []
        for e in expected {
            let row: [SQLValue] = [.int(Int64(e.line)), .text("warehouse"), .text("quarantined"), .text(e.column), .text(e.code),
                                   .int(starts[e.line - 1]), .int(inputID), .int(result.runID)]
            expectedRows.append(row)
        }
        XCTAssertEqual(quarantine, expectedRows)

        // Reasons a steward can act on, without whole NIKs.
        let reasons = try warehouse.rows("SELECT row_number, reason FROM quarantine ORDER BY row_number")
            .reduce(into: [Int64: String]()) { map, row in
                if case .int(let n) = row[0], case .text(let s) = row[1] { map[n] = s }
            }
        XCTAssertTrue(reasons[3]?.contains("15 digits; a NIK or No. KK has 16") ?? false, reasons[3] ?? "")
        XCTAssertTrue(reasons[4]?.contains("No. KK") ?? false, reasons[4] ?? "")
        XCTAssertTrue(reasons[5]?.contains("desil 11 is out of range") ?? false, reasons[5] ?? "")
        XCTAssertTrue(reasons[7]?.contains("kode_desa '18020120'") ?? false, reasons[7] ?? "")
        XCTAssertTrue(reasons[7]?.contains("18.02.01.2001") ?? false, reasons[7] ?? "")
        XCTAssertTrue(reasons[8]?.contains("first at row 2") ?? false, reasons[8] ?? "")
        XCTAssertTrue(reasons[8]?.contains("1802********0001") ?? false, reasons[8] ?? "")
        for (row, reason) in reasons {
            XCTAssertNil(reason.range(of: "[0-9]{15,}", options: .regularExpression), "row \(row): a whole NIK in '\(reason)'")
        }

        // Raw values: a JSON object of the row's fields as text.
        let raw = try warehouse.rows("SELECT row_number, raw_values FROM quarantine ORDER BY row_number")
        var objects: [Int64: [String: String]] = [:]
        for row in raw {
            guard case .int(let n) = row[0], case .text(let json) = row[1] else { return XCTFail("\(row)") }
            objects[n] = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: String]
        }
        XCTAssertEqual(objects[3]?["nik"], "180201450685001")
        XCTAssertEqual(objects[3]?["nama"], "SITI AMINAH")
        XCTAssertEqual(objects[4]?["no_kk"], "180201200310001")
        XCTAssertEqual(objects[5]?["desil"], "11")
        XCTAssertEqual(objects[7]?["kode_desa"], "18020120")
        XCTAssertEqual(objects[9]?["nik"], "1.80201E+15")
        XCTAssertEqual(objects[3]?["registry"], "P3KE")
    }

    func testSmallBatchesGiveTheSameResult() throws {
        // The duplicate of line 2 arrives in a later batch; the count rule holds per batch.
        let spec = registryPipeline(name: "p3ke-lampung-tengah", registry: "P3KE", sourceOptions: ["batchSize": .int(2)])
        let result = try runPipeline(spec, inputs: [Fixtures.path("p3ke-sink-checks.csv")], into: warehouse)
        assertBalanced(result)
        XCTAssertEqual(result.counts, RowCounts(read: 8, loaded: 2, quarantined: 6, skipped: 0))
        XCTAssertEqual(try warehouse.rows("SELECT reason_code FROM quarantine WHERE row_number = 8"), [[.text("duplicate-nik")]])
    }

    /// Regression: kode_kecamatan and kode_desa that contradict each other in one row are accepted: the
    /// explicit kecamatan code wins for the kecamatan level while the desa keeps its own prefix,
    /// so region gets a desa whose parent_code names no region row, and the person is placed in
    /// a kecamatan that does not contain their desa. Expected: `bad-region-code` naming the
    /// mismatch. (WarehouseSink.swift, `regionCodes`.)
    func testContradictoryRegionCodesInOneRowAreQuarantined() throws {
        let path = folder.path("p3ke-codes.csv")
        try """
            KODE_PROVINSI;KODE_KABUPATEN;KODE_KECAMATAN;KODE_DESA;NO_KK;NIK;NAMA
            18;1802;180201;1802122012;1802121309174595;1802122801680001;BUDI SANTOSO

            """.write(toFile: path, atomically: true, encoding: .utf8)
        let result = try runPipeline(p3ke, inputs: [path], into: warehouse)
        assertBalanced(result)
        let regions = try warehouse.rows("SELECT code, parent_code FROM region ORDER BY code")
        XCTAssertEqual(try warehouse.count("""
            SELECT count(*) FROM region r WHERE r.parent_code IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM region p WHERE p.code = r.parent_code)
            """), 0, "a region row whose parent is missing: \(regions)")
        XCTAssertEqual(try warehouse.rows("SELECT reason_code, column_name FROM quarantine"), [[.text("bad-region-code"), .text("kode_desa")]])
    }

    func testLoadedRowsFeedPersonHouseholdStatusAndRegion() throws {
        let result = try runPipeline(p3ke, inputs: [Fixtures.path("p3ke-sink-checks.csv")], into: warehouse)
        let inputID = try XCTUnwrap(result.inputs.first?.inputID)
        XCTAssertEqual(try warehouse.rows("SELECT nik, no_kk, name, sex, birth_date, relationship, region_code FROM person WHERE source_row = 2"),
                       [[.text("1802011204800001"), .text("1802012003100001"), .text("SUPARMAN"), .text("L"), .text("1980-04-12"),
                         .text("KEPALA KELUARGA"), .text("18.02.01.2001")]])
        XCTAssertEqual(try warehouse.rows("SELECT registry, registry_id, nik, desil, pkh, input_id, run_id, source_row FROM registry_status ORDER BY source_row"), [
            [.text("P3KE"), .text("P3KE1802010000001"), .text("1802011204800001"), .int(1), .int(1), .int(inputID), .int(result.runID), .int(2)],
            [.text("P3KE"), .text("P3KE1802010000002"), .text("1802015311750002"), .int(2), .int(0), .int(inputID), .int(result.runID), .int(6)],
        ])
        XCTAssertEqual(try warehouse.rows("SELECT no_kk, head_nik, head_name, desa, region_code FROM household ORDER BY no_kk"), [
            [.text("1802011506090003"), .null, .null, .text("SRI BASUKI"), .text("18.02.01.2006")],
            [.text("1802012003100001"), .text("1802011204800001"), .text("SUPARMAN"), .text("SRI WAY LANGSEP"), .text("18.02.01.2001")],
        ])
        XCTAssertEqual(try warehouse.rows("SELECT code, level, parent_code FROM region ORDER BY code"), [
            [.text("18"), .text("provinsi"), .null],
            [.text("18.02"), .text("kabupaten"), .text("18")],
            [.text("18.02.01"), .text("kecamatan"), .text("18.02")],
            [.text("18.02.01.2001"), .text("desa"), .text("18.02.01")],
            [.text("18.02.01.2006"), .text("desa"), .text("18.02.01")],
        ])
        XCTAssertEqual(try warehouse.rows("SELECT name FROM region WHERE code = '18.02.01.2006'"), [[.text("SRI BASUKI")]])
    }

    func testSameContentIsSkippedUnlessForced() throws {
        let path = Fixtures.path("p3ke-kalirejo-2025.csv")
        let first = try runPipeline(p3ke, inputs: [path], into: warehouse)
        XCTAssertEqual(first.inputs.map(\.status), [.loaded])
        let second = try runPipeline(p3ke, inputs: [path], into: warehouse)
        XCTAssertEqual(second.status, .succeeded)
        XCTAssertEqual(second.inputs.map(\.status), [.skipped])
        XCTAssertEqual(second.counts, RowCounts())
        XCTAssertTrue(second.inputs[0].message.contains("--force"), second.inputs[0].message)
        let forced = try runPipeline(p3ke, inputs: [path], into: warehouse, force: true)
        XCTAssertEqual(forced.inputs.map(\.status), [.loaded])
        XCTAssertEqual(forced.inputs[0].replaced, [first.inputs[0].inputID!])
        XCTAssertEqual(try warehouse.count("SELECT count(*) FROM person"), 8)
        XCTAssertEqual(try warehouse.count("SELECT count(*) FROM registry_status"), 8)
        XCTAssertEqual(try warehouse.rows("SELECT status FROM inputs ORDER BY id"),
                       [[.text("replaced")], [.text("skipped")], [.text("loaded")]])
    }

    func testCorrectedFileReplacesTheEarlierVersion() throws {
        let path = folder.path("p3ke-kalirejo.csv")
        let original = try String(contentsOfFile: Fixtures.path("p3ke-kalirejo-2025.csv"), encoding: .utf8)
        try original.write(toFile: path, atomically: true, encoding: .utf8)
        let first = try runPipeline(p3ke, inputs: [path], into: warehouse)
        XCTAssertEqual(first.counts.loaded, 8)
        // The corrected export drops Maryati's family (the last two lines).
        let lines = original.components(separatedBy: "\r\n")
        let corrected = lines.filter { !$0.contains("1802010302110004") }.joined(separator: "\r\n")
        try corrected.write(toFile: path, atomically: true, encoding: .utf8)
        let second = try runPipeline(p3ke, inputs: [path], into: warehouse)
        XCTAssertEqual(second.inputs.map(\.status), [.loaded])
        XCTAssertEqual(second.inputs[0].replaced, [first.inputs[0].inputID!])
        XCTAssertEqual(try warehouse.count("SELECT count(*) FROM person"), 6)
        XCTAssertEqual(try warehouse.count("SELECT count(*) FROM person WHERE no_kk = '1802010302110004'"), 0)
        XCTAssertEqual(try warehouse.count("SELECT count(*) FROM household WHERE no_kk = '1802010302110004'"), 0)
        XCTAssertEqual(try warehouse.count("SELECT count(*) FROM region WHERE code = '18.02.01.2003'"), 0)
        XCTAssertEqual(try warehouse.count("SELECT count(*) FROM person WHERE input_id <> ?", [.int(second.inputs[0].inputID!)]), 0)
        XCTAssertEqual(try warehouse.count("SELECT count(*) FROM quarantine WHERE input_id = ?", [.int(first.inputs[0].inputID!)]), 1,
                       "the replaced input's quarantine stays as history")
    }

    func testInputFailingAnExpectationLeavesNothing() throws {
        let spec = registryPipeline(name: "p3ke-lampung-tengah", registry: "P3KE",
                                    expectations: [ExpectationSpec(kind: "minRowsLoaded", value: .int(100))])
        let result = try runPipeline(spec, inputs: [Fixtures.path("p3ke-kalirejo-2025.csv")], into: warehouse)
        XCTAssertEqual(result.status, .failed)
        XCTAssertEqual(result.inputs.map(\.status), [.failed])
        XCTAssertTrue(result.inputs[0].message.contains("8 rows loaded, at least 100 expected"), result.inputs[0].message)
        XCTAssertEqual(result.counts, RowCounts(), "nothing of a failed input counts")
        for table in ["person", "household", "registry_status", "region", "contribution", "quarantine"] {
            XCTAssertEqual(try warehouse.count("SELECT count(*) FROM \(table)"), 0, table)
        }
        XCTAssertEqual(try warehouse.rows("SELECT status, rows_read FROM inputs"), [[.text("failed"), .int(9)]])
        XCTAssertEqual(try warehouse.rows("SELECT status FROM runs"), [[.text("failed")]])
    }

    func testInputWithoutNIKColumnFailsAloneAndTheRunIsPartial() throws {
        let result = try runPipeline(p3ke, inputs: [Fixtures.path("no-nik-column.csv"), Fixtures.path("p3ke-kalirejo-2025.csv")], into: warehouse)
        XCTAssertEqual(result.status, .partial)
        XCTAssertEqual(result.inputs.map(\.status), [.failed, .loaded])
        XCTAssertTrue(result.inputs[0].message.contains("columns: [\"nik\""), result.inputs[0].message)
        XCTAssertEqual(result.counts, RowCounts(read: 9, loaded: 8, quarantined: 0, skipped: 1))
        XCTAssertEqual(try warehouse.rows("SELECT path, status FROM inputs ORDER BY id"), [
            [.text(Fixtures.path("no-nik-column.csv")), .text("failed")],
            [.text(Fixtures.path("p3ke-kalirejo-2025.csv")), .text("loaded")],
        ])
        XCTAssertEqual(try warehouse.rows("SELECT status, message FROM runs"), [[.text("partial"), .text("1 of 2 inputs failed")]])
    }

    func testMissingInputFileIsRecordedAsFailed() throws {
        let missing = folder.path("nope.csv")
        let result = try runPipeline(p3ke, inputs: [missing], into: warehouse)
        XCTAssertEqual(result.status, .failed)
        XCTAssertEqual(result.inputs.map(\.status), [.failed])
        XCTAssertEqual(try warehouse.rows("SELECT path, status FROM inputs"), [[.text(missing), .text("failed")]])
    }

    func testSinkNeedsTheWarehouseAsStore() throws {
        guard case .sink(let sink) = try WarehouseSink.descriptor.make(PluginOptions(["dataset": .string("registry")])) else {
            return XCTFail("warehouse did not make a sink")
        }
        let file = try InputFile.inspect(path: Fixtures.path("p3ke-kalirejo-2025.csv"))
        let input = InputRef(id: 1, sha256: file.sha256, path: file.path)
        XCTAssertThrowsError(try sink.beginInput(input, file: file, context: stageContext(store: FakeStore()))) { error in
            XCTAssertTrue("\(error)".contains("needs the SQLite warehouse"), "\(error)")
        }
    }

    func testSinkRefusesRowsWithoutANIKField() throws {
        guard case .sink(let sink) = try WarehouseSink.descriptor.make(PluginOptions(["dataset": .string("registry")])) else {
            return XCTFail("warehouse did not make a sink")
        }
        let runID = try warehouse.beginRun(RunStart(pipeline: "x", pipelineVersion: "v", pipelineFile: nil, trigger: "manual",
                                                    stageChain: [], specJSON: "{}"))
        let file = InputFile(path: "/x.csv", size: 1, sha256: "s", modifiedAt: 0)
        let input = try warehouse.beginInput(runID: runID, pipeline: "x", pipelineVersion: "v", plugin: "test", file: file)
        let context = StageContext(pipeline: "x", runID: runID, baseDirectory: "/", logger: .silent, store: warehouse)
        try sink.beginInput(input, file: file, context: context)
        var batch = Batch(schema: Schema([Field("nama", .string)]), input: input)
        batch.append([.string("SUPARMAN")], origin: RowOrigin(row: 2))
        var rejections = Rejections()
        XCTAssertThrowsError(try sink.write(batch, rejections: &rejections, context: context)) { error in
            XCTAssertTrue("\(error)".contains("no 'nik' field"), "\(error)")
        }
        try warehouse.abandonInput(input, runID: runID, counts: RowCounts(), message: "test")
    }

    func testOptionProblems() {
        let d = WarehouseSink.descriptor
        XCTAssertEqual(d.kind, .sink)
        XCTAssertEqual(d.problems(with: ["dataset": .string("registry")]), [])
        XCTAssertTrue(d.problems(with: [:]).joined().contains("needs option 'dataset'"))
        XCTAssertTrue(d.problems(with: ["dataset": .string("payments")]).joined().contains("\"payments\" is not one of"))
    }

    func testUnknownPluginFailsTheRunBeforeReading() throws {
        var spec = p3ke
        spec.transforms = [StageSpec(plugin: "validate-nikk")]
        let result = try runPipeline(spec, inputs: [Fixtures.path("p3ke-kalirejo-2025.csv")], into: warehouse)
        XCTAssertEqual(result.status, .failed)
        XCTAssertTrue(result.message?.contains("no transform plugin named 'validate-nikk'") ?? false, result.message ?? "")
        XCTAssertEqual(try warehouse.count("SELECT count(*) FROM inputs"), 0)
        XCTAssertEqual(try warehouse.rows("SELECT status FROM runs"), [[.text("failed")]])
    }

    func testBuiltinRegistryListsEveryPluginByKind() {
        let registry = BuiltinPlugins.registry
        XCTAssertEqual(registry.names(of: .source), ["baznas-export", "bps-table", "csr-spreadsheet", "region-crosswalk", "social-registry"])
        XCTAssertEqual(registry.names(of: .transform), ["map-program", "match-identity", "normalize-name", "require-fields",
                                                        "resolve-region", "validate-kk", "validate-nik"])
        XCTAssertEqual(registry.names(of: .sink), ["warehouse"])
    }
}

import Foundation
import PaduCore
import XCTest
import PaduWarehouse

#if canImport(Glibc)
import Glibc
#endif

/// The warehouse file, its migrations, and its `IngestStore` semantics, driven directly through
/// the protocol and `RegistryWriter` (no plugins).
final class WarehouseTests: XCTestCase {
    private var directory: URL!
    private var path: String { directory.appendingPathComponent("warehouse.sqlite").path }

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("padu-warehouse-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        if let directory { try? FileManager.default.removeItem(at: directory) }
    }

    // MARK: - Helpers

    private func int(_ w: Warehouse, _ sql: String, _ values: [SQLValue] = []) throws -> Int64? {
        if case .int(let n)? = try w.database.scalar(sql, values) { return n }
        return nil
    }

    private func text(_ w: Warehouse, _ sql: String, _ values: [SQLValue] = []) throws -> String? {
        if case .text(let s)? = try w.database.scalar(sql, values) { return s }
        return nil
    }

    private func rows(_ w: Warehouse, _ sql: String, _ values: [SQLValue] = []) throws -> [[SQLValue]] {
        var out: [[SQLValue]] = []
        try w.database.query(sql, values) { row in out.append((0..<row.count).map { row[$0] }) }
        return out
    }

    private func beginRun(_ w: Warehouse, pipeline: String = "p3ke-lampung-tengah", version: String = "v1") throws -> Int64 {
        try w.beginRun(RunStart(pipeline: pipeline, pipelineVersion: version, pipelineFile: "/etc/padu/pipelines/\(pipeline).swift",
                                trigger: "manual", stageChain: ["social-registry@1.0", "warehouse@1.0"], specJSON: "{}"))
    }

    private func file(_ path: String = "/srv/padu/inbox/p3ke-kalirejo.csv", sha: String) -> InputFile {
        InputFile(path: path, size: 1234, sha256: sha, modifiedAt: 1_750_000_000)
    }

    private func person(_ nik: String, kk: String? = "1802012003100001", name: String, sex: String = "L",
                        registry: String = "P3KE", relationship: String? = nil) -> RegistryRecord {
        var r = RegistryRecord(registry: registry, nik: nik)
        r.noKK = kk
        r.name = name
        r.sex = sex
        r.relationship = relationship
        return r
    }

    /// Loads `records` as one input (rows numbered from 2, as under a header) and commits it.
    @discardableResult
    private func load(_ w: Warehouse, runID: Int64, pipeline: String = "p3ke-lampung-tengah", version: String = "v1",
                      file: InputFile, records: [RegistryRecord]) throws -> (input: InputRef, replaced: [Int64]) {
        let input = try w.beginInput(runID: runID, pipeline: pipeline, pipelineVersion: version, plugin: "social-registry", file: file)
        let writer = RegistryWriter(warehouse: w, runID: runID)
        for (i, r) in records.enumerated() {
            XCTAssertEqual(try writer.write(r, input: input, row: i + 2, sheet: nil), .loaded)
        }
        try writer.finish()
        let replaced = try w.commitInput(input, pipeline: pipeline, counts: RowCounts(read: records.count, loaded: records.count))
        return (input, replaced)
    }

    private let suparman = "1802011204800001"
    private let siti = "1802014506850001"
    private let rudi = "1802010109120002"
    private let ratna = "1802016112880005"

    // MARK: - File and migrations

    func testNewWarehouseIsAtTheLatestSchemaVersion() throws {
        let w = try Warehouse(path: path)
        XCTAssertEqual(try w.schemaVersion(), WarehouseSchema.latestVersion)
        XCTAssertEqual(try int(w, "SELECT max(version) FROM schema_migrations"), Int64(WarehouseSchema.latestVersion))
        XCTAssertEqual(try int(w, "SELECT count(*) FROM schema_migrations"), Int64(WarehouseSchema.migrations.count))
        XCTAssertEqual(try rows(w, "SELECT version, name FROM schema_migrations ORDER BY version"),
                       WarehouseSchema.migrations.map { [.int(Int64($0.version)), .text($0.name)] })
        for table in ["runs", "inputs", "quarantine", "region", "household", "person", "registry_status", "contribution"] {
            XCTAssertEqual(try int(w, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?", [.text(table)]), 1, table)
        }
    }

    /// The benchmark's PADU_ROW_LINEAGE=off: same consolidated rows, no contribution links or row
    /// history, and the history context is back for the next normal load.
    func testRowLineageOffWritesTheRowsWithoutLineageRecords() throws {
        setenv("PADU_ROW_LINEAGE", "off", 1)
        let off = try Warehouse(path: path)
        unsetenv("PADU_ROW_LINEAGE")
        XCTAssertFalse(off.recordsRowLineage)
        try load(off, runID: try beginRun(off), file: file(sha: "a1"),
                 records: [person(suparman, name: "SUPARMAN"), person(siti, name: "SITI", sex: "P")])
        try load(off, runID: try beginRun(off), file: file("/srv/padu/inbox/other.csv", sha: "a2"),
                 records: [person(suparman, name: "SUPARMAN BIN AHMAD")])
        XCTAssertEqual(try int(off, "SELECT count(*) FROM person"), 2)
        XCTAssertEqual(try int(off, "SELECT count(*) FROM registry_status"), 3)
        XCTAssertEqual(try int(off, "SELECT count(*) FROM contribution"), 0)
        XCTAssertEqual(try int(off, "SELECT count(*) FROM row_history"), 0)
        XCTAssertEqual(try int(off, "SELECT count(*) FROM lineage_context WHERE id = 1 AND action = 'none'"), 1)

        let on = try Warehouse(path: path)
        XCTAssertTrue(on.recordsRowLineage)
        try load(on, runID: try beginRun(on), file: file("/srv/padu/inbox/third.csv", sha: "a3"), records: [person(siti, name: "SITI AMINAH", sex: "P")])
        XCTAssertEqual(try int(on, "SELECT count(*) FROM row_history WHERE table_name = 'person'"), 1)
        XCTAssertEqual(try int(on, "SELECT count(*) FROM contribution WHERE table_name = 'person'"), 1)
    }

    func testReopeningAppliesNoMigration() throws {
        var before: [[SQLValue]] = []
        do {
            let w = try Warehouse(path: path)
            _ = try beginRun(w)
            before = try rows(w, "SELECT version, name, applied_at FROM schema_migrations ORDER BY version")
        }
        let again = try Warehouse(path: path)
        XCTAssertEqual(try rows(again, "SELECT version, name, applied_at FROM schema_migrations ORDER BY version"), before)
        XCTAssertEqual(try again.schemaVersion(), WarehouseSchema.latestVersion)
        XCTAssertEqual(try int(again, "SELECT count(*) FROM runs"), 1, "reopening keeps the data")
    }

    func testSchemaNewerThanThisBuildIsRefused() throws {
        do {
            let w = try Warehouse(path: path)
            try w.database.run("INSERT INTO schema_migrations(version, name) VALUES (?, 'from the future')",
                               [.int(Int64(WarehouseSchema.latestVersion + 1))])
        }
        XCTAssertThrowsError(try Warehouse(path: path)) { error in
            guard let e = error as? SchemaTooNewError else { return XCTFail("\(error)") }
            XCTAssertEqual(e.found, WarehouseSchema.latestVersion + 1)
            XCTAssertEqual(e.known, WarehouseSchema.latestVersion)
            XCTAssertTrue(e.description.contains("upgrade padu"), e.description)
        }
    }

    func testJournalModeIsWALAndForeignKeysAreOn() throws {
        let w = try Warehouse(path: path)
        XCTAssertEqual(try text(w, "PRAGMA journal_mode"), "wal")
        XCTAssertEqual(try int(w, "PRAGMA foreign_keys"), 1)
        // WAL is a property of the file: a plain connection sees it too.
        let plain = try SQLiteDatabase(path: path)
        XCTAssertEqual(try plain.scalar("PRAGMA journal_mode"), .text("wal"))
        // Foreign keys are enforced on the warehouse connection.
        XCTAssertThrowsError(try w.database.run("""
            INSERT INTO inputs(run_id, pipeline, pipeline_version, plugin, path, status) VALUES (999, 'p', 'v', 'x', '/f', 'loaded')
            """)) { error in
            XCTAssertEqual((error as? SQLiteError)?.code, 787)  // SQLITE_CONSTRAINT_FOREIGNKEY
        }
    }

    private func mode(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    func testFilesAreOwnerOnlyEvenWithUmask022() throws {
        let old = umask(0o022)
        defer { umask(old) }
        let w = try Warehouse(path: path)
        XCTAssertEqual(try mode(path), 0o600, "warehouse file")
        // A write goes to the -wal file, which must not be readable by others either.
        let runID = try beginRun(w)
        try load(w, runID: runID, file: file(sha: "a1"), records: [person(suparman, name: "SUPARMAN")])
        XCTAssertTrue(FileManager.default.fileExists(atPath: path + "-wal"))
        XCTAssertEqual(try mode(path + "-wal"), 0o600, "-wal file")
        if FileManager.default.fileExists(atPath: path + "-shm") {
            XCTAssertEqual(try mode(path + "-shm"), 0o600, "-shm file")
        }
        var st = stat()
        XCTAssertEqual(stat(path, &st), 0)
        XCTAssertEqual(Int(st.st_mode) & 0o777, 0o600)
        XCTAssertEqual(st.st_uid, getuid())
    }

    // MARK: - Runs

    func testBeginAndFinishRunRecordTheRun() throws {
        let w = try Warehouse(path: path)
        let runID = try beginRun(w)
        XCTAssertEqual(try rows(w, "SELECT pipeline, pipeline_version, trigger, stage_chain, padu_version, pid, status, finished_at FROM runs WHERE id = ?",
                                [.int(runID)]),
                       [[.text("p3ke-lampung-tengah"), .text("v1"), .text("manual"), .text("[\"social-registry@1.0\",\"warehouse@1.0\"]"),
                         .text(Padu.version), .int(Int64(getpid())), .text("running"), .null]])
        try w.finishRun(runID, status: .partial, counts: RowCounts(read: 10, loaded: 7, quarantined: 2, skipped: 1),
                        message: "1 of 2 inputs failed: NIK 1802014506850001 unreadable")
        let row = try rows(w, "SELECT status, rows_read, rows_loaded, rows_quarantined, rows_skipped, message, finished_at IS NOT NULL FROM runs WHERE id = ?",
                           [.int(runID)])
        XCTAssertEqual(row, [[.text("partial"), .int(10), .int(7), .int(2), .int(1),
                              .text("1 of 2 inputs failed: NIK 1802********0001 unreadable"), .int(1)]])
    }

    func testRecordInputStoresAFinishedInputThatWasNotRead() throws {
        let w = try Warehouse(path: path)
        let runID = try beginRun(w)
        try w.recordInput(runID: runID, pipeline: "p3ke-lampung-tengah", pipelineVersion: "v1", plugin: "social-registry",
                          path: "/srv/padu/inbox/p3ke.csv", file: file(sha: "abc"), status: .skipped, message: "already loaded")
        try w.recordInput(runID: runID, pipeline: "p3ke-lampung-tengah", pipelineVersion: "v1", plugin: "social-registry",
                          path: "/srv/padu/inbox/missing.csv", file: nil, status: .failed, message: "cannot read")
        XCTAssertEqual(try rows(w, "SELECT path, sha256, size_bytes, status, message, finished_at IS NOT NULL FROM inputs ORDER BY id"), [
            [.text("/srv/padu/inbox/p3ke.csv"), .text("abc"), .int(1234), .text("skipped"), .text("already loaded"), .int(1)],
            [.text("/srv/padu/inbox/missing.csv"), .null, .null, .text("failed"), .text("cannot read"), .int(1)],
        ])
    }

    // MARK: - One transaction per input

    func testCommittedInputLoadsRowsWithLineage() throws {
        let w = try Warehouse(path: path)
        let runID = try beginRun(w)
        var head = person(suparman, name: "SUPARMAN", relationship: "KEPALA KELUARGA")
        head.birthDate = CivilDate(year: 1980, month: 4, day: 12)
        head.desil = 1
        head.pkh = true
        head.bpnt = false
        head.registryID = "P3KE1802010000001"
        head.desa = "SRI WAY LANGSEP"
        head.regionCodes = [.provinsi: "18", .kabupaten: "18.02", .kecamatan: "18.02.01", .desa: "18.02.01.2001"]
        var wife = person(siti, name: "SITI AMINAH", sex: "P", relationship: "ISTRI")
        wife.regionCodes = head.regionCodes
        let input = try w.beginInput(runID: runID, pipeline: "p3ke-lampung-tengah", pipelineVersion: "v1",
                                     plugin: "social-registry", file: file(sha: "s1"))
        XCTAssertTrue(w.database.isInTransaction, "beginInput opens the input's transaction")
        XCTAssertEqual(input.sha256, "s1")
        XCTAssertEqual(input.path, "/srv/padu/inbox/p3ke-kalirejo.csv")
        let writer = RegistryWriter(warehouse: w, runID: runID)
        XCTAssertEqual(try writer.write(head, input: input, row: 2, sheet: nil), .loaded)
        XCTAssertEqual(try writer.write(wife, input: input, row: 3, sheet: nil), .loaded)
        XCTAssertEqual(try text(w, "SELECT status FROM inputs WHERE id = ?", [.int(input.id)]), "loading")
        try writer.finish()
        let replaced = try w.commitInput(input, pipeline: "p3ke-lampung-tengah", counts: RowCounts(read: 3, loaded: 2, skipped: 1))
        XCTAssertEqual(replaced, [])
        XCTAssertFalse(w.database.isInTransaction)

        XCTAssertEqual(try rows(w, "SELECT status, rows_read, rows_loaded, rows_quarantined, rows_skipped, sha256, size_bytes, finished_at IS NOT NULL FROM inputs WHERE id = ?",
                                [.int(input.id)]),
                       [[.text("loaded"), .int(3), .int(2), .int(0), .int(1), .text("s1"), .int(1234), .int(1)]])
        XCTAssertEqual(try rows(w, "SELECT nik, no_kk, name, sex, birth_date, relationship, region_code, input_id, run_id, source_row, source_sheet FROM person ORDER BY source_row"), [
            [.text(suparman), .text("1802012003100001"), .text("SUPARMAN"), .text("L"), .text("1980-04-12"), .text("KEPALA KELUARGA"),
             .text("18.02.01.2001"), .int(input.id), .int(runID), .int(2), .null],
            [.text(siti), .text("1802012003100001"), .text("SITI AMINAH"), .text("P"), .null, .text("ISTRI"),
             .text("18.02.01.2001"), .int(input.id), .int(runID), .int(3), .null],
        ])
        XCTAssertEqual(try rows(w, "SELECT no_kk, head_nik, head_name, region_code, desa, input_id, run_id, source_row FROM household"), [
            [.text("1802012003100001"), .text(suparman), .text("SUPARMAN"), .text("18.02.01.2001"), .text("SRI WAY LANGSEP"),
             .int(input.id), .int(runID), .int(3)],
        ], "every member refreshes the household; the head's row names the head")
        XCTAssertEqual(try rows(w, "SELECT registry, registry_id, nik, desil, pkh, bpnt, pbi_jkn, input_id, run_id, source_row FROM registry_status ORDER BY source_row"), [
            [.text("P3KE"), .text("P3KE1802010000001"), .text(suparman), .int(1), .int(1), .int(0), .null, .int(input.id), .int(runID), .int(2)],
            [.text("P3KE"), .null, .text(siti), .null, .null, .null, .null, .int(input.id), .int(runID), .int(3)],
        ])
        XCTAssertEqual(try int(w, "SELECT count(*) FROM region WHERE input_id = ? AND run_id = ? AND source_row = 2",
                               [.int(input.id), .int(runID)]), 4)
        XCTAssertEqual(try rows(w, "SELECT table_name, count(*) FROM contribution WHERE input_id = ? GROUP BY table_name ORDER BY table_name",
                                [.int(input.id)]),
                       [[.text("household"), .int(1)], [.text("person"), .int(2)], [.text("region"), .int(4)]])
    }

    func testAbandonedInputLeavesNothingButAFailedInputRow() throws {
        let w = try Warehouse(path: path)
        let runID = try beginRun(w)
        let input = try w.beginInput(runID: runID, pipeline: "p3ke-lampung-tengah", pipelineVersion: "v1",
                                     plugin: "social-registry", file: file(sha: "s1"))
        let writer = RegistryWriter(warehouse: w, runID: runID)
        var r = person(suparman, name: "SUPARMAN")
        r.regionCodes = [.provinsi: "18"]
        XCTAssertEqual(try writer.write(r, input: input, row: 2, sheet: nil), .loaded)
        XCTAssertEqual(try writer.write(person(siti, name: "SITI AMINAH", sex: "P"), input: input, row: 3, sheet: nil), .loaded)
        let locator = Locator(input: input, sheet: nil, row: 4, byteOffset: 300, column: "TANGGAL_LAHIR")
        try w.storeRejections([Rejection(.quarantined, locator: locator, reason: RejectReason(code: "bad-date", message: "not a date"),
                                         values: [("NIK", rudi)], stage: "social-registry")],
                              input: input, runID: runID)
        XCTAssertEqual(try int(w, "SELECT count(*) FROM quarantine"), 1, "visible inside the transaction")

        try w.abandonInput(input, runID: runID, counts: RowCounts(read: 3, loaded: 2, quarantined: 1),
                           message: "expectation failed: NIK \(siti) made the input fail")
        XCTAssertFalse(w.database.isInTransaction)
        for table in ["person", "household", "registry_status", "region", "contribution", "quarantine"] {
            XCTAssertEqual(try int(w, "SELECT count(*) FROM \(table)"), 0, table)
        }
        let failed = try rows(w, "SELECT run_id, pipeline, pipeline_version, plugin, path, sha256, status, rows_read, message, finished_at IS NOT NULL FROM inputs")
        XCTAssertEqual(failed, [[.int(runID), .text("p3ke-lampung-tengah"), .text("v1"), .text("social-registry"),
                                 .text("/srv/padu/inbox/p3ke-kalirejo.csv"), .text("s1"), .text("failed"), .int(3),
                                 .text("expectation failed: NIK 1802********0001 made the input fail"), .int(1)]])
        // A failed input is no earlier load.
        XCTAssertNil(try w.previousLoad(pipeline: "p3ke-lampung-tengah", sha256: "s1", pipelineVersion: "v1"))
        // The warehouse can take the next input.
        let runID2 = try beginRun(w)
        try load(w, runID: runID2, file: file(sha: "s1"), records: [person(suparman, name: "SUPARMAN")])
        XCTAssertEqual(try int(w, "SELECT count(*) FROM person"), 1)
    }

    /// Regression: `commitInput` rolls the transaction back when it fails (disk full, a busy or
    /// I/O error at COMMIT...), and the runner then calls `abandonInput`, which reads the
    /// input's pipeline, version and plugin from the `inputs` row that the rollback removed: the
    /// failed row is recorded with empty pipeline, version and plugin, so the pipeline's history
    /// never shows the failure. (Warehouse.swift, abandonInput.)
    func testInputWhoseCommitFailedIsRecordedWithItsPipeline() throws {
        let w = try Warehouse(path: path)
        let runID = try beginRun(w)
        // Simulate a failure inside commitInput.
        try w.database.execute("""
            CREATE TEMP TRIGGER fail_commit BEFORE UPDATE OF status ON inputs WHEN NEW.status = 'loaded'
            BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END
            """)
        let input = try w.beginInput(runID: runID, pipeline: "p3ke-lampung-tengah", pipelineVersion: "v1",
                                     plugin: "social-registry", file: file(sha: "s1"))
        let writer = RegistryWriter(warehouse: w, runID: runID)
        _ = try writer.write(person(suparman, name: "SUPARMAN"), input: input, row: 2, sheet: nil)
        try writer.finish()
        XCTAssertThrowsError(try w.commitInput(input, pipeline: "p3ke-lampung-tengah", counts: RowCounts(read: 1, loaded: 1)))
        // What PipelineRunner.ingest does next.
        try w.abandonInput(input, runID: runID, counts: RowCounts(read: 1, loaded: 1), message: "database or disk is full")
        XCTAssertEqual(try int(w, "SELECT count(*) FROM person"), 0)
        XCTAssertEqual(try rows(w, "SELECT pipeline, pipeline_version, plugin, status FROM inputs"),
                       [[.text("p3ke-lampung-tengah"), .text("v1"), .text("social-registry"), .text("failed")]])
    }

    /// Regression: `abandonInput` selects the input's size and modification time but does not
    /// write them into the failed row, so a failed input cannot be matched to the file's
    /// version that failed. (Warehouse.swift, abandonInput.)
    func testFailedInputRowKeepsSizeAndModificationTime() throws {
        let w = try Warehouse(path: path)
        let runID = try beginRun(w)
        let input = try w.beginInput(runID: runID, pipeline: "p3ke-lampung-tengah", pipelineVersion: "v1",
                                     plugin: "social-registry", file: file(sha: "s1"))
        try w.abandonInput(input, runID: runID, counts: RowCounts(), message: "broken")
        XCTAssertEqual(try rows(w, "SELECT size_bytes, modified_at IS NOT NULL FROM inputs"), [[.int(1234), .int(1)]])
    }

    func testFailedInputDoesNotReplaceTheLoadedVersion() throws {
        let w = try Warehouse(path: path)
        let a = try load(w, runID: try beginRun(w), file: file(sha: "s1"), records: [person(suparman, name: "SUPARMAN")])
        let runID = try beginRun(w)
        let b = try w.beginInput(runID: runID, pipeline: "p3ke-lampung-tengah", pipelineVersion: "v1", plugin: "social-registry", file: file(sha: "s2"))
        try w.abandonInput(b, runID: runID, counts: RowCounts(), message: "broken")
        XCTAssertEqual(try text(w, "SELECT status FROM inputs WHERE id = ?", [.int(a.input.id)]), "loaded")
        XCTAssertEqual(try int(w, "SELECT count(*) FROM person"), 1)
    }

    func testCommitWithoutOpenTransactionThrows() throws {
        let w = try Warehouse(path: path)
        let input = InputRef(id: 77, sha256: "s", path: "/f.csv")
        XCTAssertThrowsError(try w.commitInput(input, pipeline: "p", counts: RowCounts())) { error in
            XCTAssertEqual((error as? SQLiteError)?.code, 21)  // SQLITE_MISUSE
        }
    }

    func testStoredRejectionsKeepLocatorReasonAndRawValues() throws {
        let w = try Warehouse(path: path)
        let runID = try beginRun(w)
        let input = try w.beginInput(runID: runID, pipeline: "p3ke-lampung-tengah", pipelineVersion: "v1",
                                     plugin: "social-registry", file: file(sha: "s1"))
        let rejections = [
            Rejection(.quarantined, locator: Locator(input: input, sheet: nil, row: 4, byteOffset: 321, column: "TANGGAL_LAHIR"),
                      reason: RejectReason(code: "bad-date", message: "TANGGAL_LAHIR '31/02/2012' is not a date"),
                      values: [("NIK", rudi), ("NAMA", "RUDI \"HARTONO\"\tJR"), ("ALAMAT", "DUSUN III\nDEKAT MASJID")], stage: "social-registry"),
            Rejection(.skipped, locator: Locator(input: input, sheet: "Sheet1", row: 8), reason: RejectReason(code: "blank-row", message: "line 8 is blank"),
                      values: [], stage: "social-registry"),
        ]
        try w.storeRejections(rejections, input: input, runID: runID)
        _ = try w.commitInput(input, pipeline: "p3ke-lampung-tengah", counts: RowCounts(read: 2, quarantined: 1, skipped: 1))
        let stored = try rows(w, """
            SELECT run_id, input_id, stage, disposition, sheet, row_number, byte_offset, column_name, reason_code, reason, raw_values
            FROM quarantine ORDER BY id
            """)
        XCTAssertEqual(stored.count, 2)
        XCTAssertEqual(Array(stored[0].prefix(10)), [.int(runID), .int(input.id), .text("social-registry"), .text("quarantined"), .null,
                                                     .int(4), .int(321), .text("TANGGAL_LAHIR"), .text("bad-date"),
                                                     .text("TANGGAL_LAHIR '31/02/2012' is not a date")])
        guard case .text(let json) = stored[0][10] else { return XCTFail("raw_values is not text") }
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: String]
        XCTAssertEqual(object, ["NIK": rudi, "NAMA": "RUDI \"HARTONO\"\tJR", "ALAMAT": "DUSUN III\nDEKAT MASJID"])
        XCTAssertTrue(json.hasPrefix("{\"NIK\""), "raw values keep the file's column order: \(json)")
        XCTAssertEqual(Array(stored[1].prefix(10)), [.int(runID), .int(input.id), .text("social-registry"), .text("skipped"), .text("Sheet1"),
                                                     .int(8), .null, .null, .text("blank-row"), .text("line 8 is blank")])
        XCTAssertEqual(stored[1][10], .text("{}"))
    }

    // MARK: - Replacement

    func testNewVersionOfTheSameFileReplacesTheOldOnesContribution() throws {
        let w = try Warehouse(path: path)
        var onlyInA = person(rudi, kk: "1802010302110004", name: "RUDI HARTONO")
        onlyInA.regionCodes = [.provinsi: "18", .kabupaten: "18.02", .kecamatan: "18.02.01", .desa: "18.02.01.2003"]
        var kept = person(suparman, name: "SUPARMAN", relationship: "KEPALA KELUARGA")
        kept.regionCodes = [.provinsi: "18", .kabupaten: "18.02", .kecamatan: "18.02.01", .desa: "18.02.01.2001"]
        let a = try load(w, runID: try beginRun(w), file: file(sha: "s1"),
                         records: [kept, person(siti, name: "SITI AMINAH", sex: "P"), onlyInA])
        XCTAssertEqual(try int(w, "SELECT count(*) FROM person"), 3)

        let runB = try beginRun(w)
        let b = try load(w, runID: runB, file: file(sha: "s2"), records: [kept, person(siti, name: "SITI AMINAH", sex: "P")])
        XCTAssertEqual(b.replaced, [a.input.id])

        XCTAssertEqual(try rows(w, "SELECT status, replaced_by FROM inputs WHERE id = ?", [.int(a.input.id)]),
                       [[.text("replaced"), .int(b.input.id)]])
        XCTAssertEqual(try text(w, "SELECT status FROM inputs WHERE id = ?", [.int(b.input.id)]), "loaded")
        XCTAssertEqual(try rows(w, "SELECT nik, input_id, run_id FROM person ORDER BY nik"),
                       [[.text(suparman), .int(b.input.id), .int(runB)], [.text(siti), .int(b.input.id), .int(runB)]])
        XCTAssertEqual(try int(w, "SELECT count(*) FROM registry_status WHERE input_id = ?", [.int(a.input.id)]), 0)
        XCTAssertEqual(try int(w, "SELECT count(*) FROM registry_status WHERE input_id = ?", [.int(b.input.id)]), 2)
        XCTAssertEqual(try int(w, "SELECT count(*) FROM contribution WHERE input_id = ?", [.int(a.input.id)]), 0)
        XCTAssertEqual(try rows(w, "SELECT no_kk FROM household"), [[.text("1802012003100001")]], "the household only A had is gone")
        XCTAssertEqual(try rows(w, "SELECT code FROM region ORDER BY code"),
                       [[.text("18")], [.text("18.02")], [.text("18.02.01")], [.text("18.02.01.2001")]],
                       "the desa only A had is gone, the shared levels stay")
        XCTAssertNil(try w.previousLoad(pipeline: "p3ke-lampung-tengah", sha256: "s1", pipelineVersion: "v1"),
                     "a replaced input is no longer a previous load")
    }

    func testSameContentAtAnotherPathReplacesTheEarlierLoad() throws {
        let w = try Warehouse(path: path)
        let a = try load(w, runID: try beginRun(w), file: file("/srv/padu/inbox/p3ke.csv", sha: "s1"), records: [person(suparman, name: "SUPARMAN")])
        let b = try load(w, runID: try beginRun(w), file: file("/srv/padu/archive/p3ke-copy.csv", sha: "s1"), records: [person(suparman, name: "SUPARMAN")])
        XCTAssertEqual(b.replaced, [a.input.id])
        XCTAssertEqual(try int(w, "SELECT count(*) FROM person"), 1)
    }

    func testAnotherFileOfTheSamePipelineIsNotReplaced() throws {
        let w = try Warehouse(path: path)
        let a = try load(w, runID: try beginRun(w), file: file("/srv/padu/inbox/p3ke-kalirejo.csv", sha: "s1"),
                         records: [person(suparman, name: "SUPARMAN")])
        let b = try load(w, runID: try beginRun(w), file: file("/srv/padu/inbox/p3ke-wayakrui.csv", sha: "s2"),
                         records: [person(ratna, kk: "1802010807140005", name: "RATNA SARI", sex: "P")])
        XCTAssertEqual(b.replaced, [])
        XCTAssertEqual(try text(w, "SELECT status FROM inputs WHERE id = ?", [.int(a.input.id)]), "loaded")
        XCTAssertEqual(try int(w, "SELECT count(*) FROM person"), 2)
    }

    func testPersonAnotherPipelineAlsoContributedSurvivesReplacement() throws {
        let w = try Warehouse(path: path)
        let a = try load(w, runID: try beginRun(w), file: file(sha: "s1"),
                         records: [person(suparman, name: "SUPARMAN"), person(siti, name: "SITI AMINAH", sex: "P")])
        let dtksRun = try beginRun(w, pipeline: "dtks-lampung-tengah")
        let c = try load(w, runID: dtksRun, pipeline: "dtks-lampung-tengah",
                         file: file("/srv/padu/inbox/dtks-kalirejo.txt", sha: "d1"),
                         records: [person(siti, name: "SITI AMINAH", sex: "P", registry: "DTKS")])
        XCTAssertEqual(c.replaced, [], "another pipeline's input is never replaced")
        // The corrected P3KE file no longer lists Siti.
        let b = try load(w, runID: try beginRun(w), file: file(sha: "s2"), records: [person(suparman, name: "SUPARMAN")])
        XCTAssertEqual(b.replaced, [a.input.id])

        XCTAssertEqual(try rows(w, "SELECT nik FROM person ORDER BY nik"), [[.text(suparman)], [.text(siti)]])
        XCTAssertEqual(try rows(w, "SELECT registry, input_id FROM registry_status WHERE nik = ?", [.text(siti)]),
                       [[.text("DTKS"), .int(c.input.id)]])
        XCTAssertEqual(try rows(w, "SELECT input_id FROM contribution WHERE table_name = 'person' AND row_key = ?", [.text(siti)]),
                       [[.int(c.input.id)]])
        XCTAssertEqual(try text(w, "SELECT status FROM inputs WHERE id = ?", [.int(c.input.id)]), "loaded")
    }

    /// Regression: when a replaced input was the last writer of a row that survives because another
    /// input still contributes to it, the row keeps pointing at the replaced input (input_id,
    /// run_id, source_row) and keeps that input's values. `Warehouse.removeContribution` only
    /// deletes rows nobody else contributes to; it does not rebuild survivors from the inputs
    /// still loaded. Lineage then names a file whose contribution no longer exists.
    func testSurvivingPersonIsRebuiltFromTheInputsStillLoaded() throws {
        let w = try Warehouse(path: path)
        let dtksRun = try beginRun(w, pipeline: "dtks-lampung-tengah")
        let c = try load(w, runID: dtksRun, pipeline: "dtks-lampung-tengah", file: file("/srv/padu/inbox/dtks.txt", sha: "d1"),
                         records: [person(ratna, kk: "1802010807140005", name: "RATNA SARI", sex: "P", registry: "DTKS")])
        // The P3KE file, loaded after, lists her with a typo; it becomes the person row's last writer.
        let a = try load(w, runID: try beginRun(w), file: file(sha: "s1"),
                         records: [person(suparman, name: "SUPARMAN"),
                                   person(ratna, kk: "1802010807140005", name: "RATNA SARY", sex: "P")])
        XCTAssertEqual(try int(w, "SELECT input_id FROM person WHERE nik = ?", [.text(ratna)]), a.input.id)
        // The corrected P3KE file drops her.
        let b = try load(w, runID: try beginRun(w), file: file(sha: "s2"), records: [person(suparman, name: "SUPARMAN")])
        XCTAssertEqual(b.replaced, [a.input.id])

        // She stays (DTKS lists her) ...
        XCTAssertEqual(try int(w, "SELECT count(*) FROM person WHERE nik = ?", [.text(ratna)]), 1)
        // ... but her row must be traceable to an input that still contributes it, with that input's values.
        let lineage = try rows(w, "SELECT p.input_id, p.run_id, p.name, i.status FROM person p JOIN inputs i ON i.id = p.input_id WHERE p.nik = ?",
                               [.text(ratna)])
        XCTAssertEqual(lineage, [[.int(c.input.id), .int(dtksRun), .text("RATNA SARI"), .text("loaded")]],
                       "person row still attributed to the replaced input \(a.input.id)")
        // The same holds for the household row both inputs wrote.
        XCTAssertEqual(try rows(w, "SELECT i.status FROM household h JOIN inputs i ON i.id = h.input_id WHERE h.no_kk = '1802010807140005'"),
                       [[.text("loaded")]], "household row still attributed to the replaced input")
    }

    /// Regression: a corrected version of a file that no longer gives a value (here
    /// the birth place) leaves the old version's value in the person row, because the writer
    /// merges with `coalesce(excluded.x, x)` and replacement does not rebuild the row.
    func testValueOnlyTheReplacedVersionGaveIsGone() throws {
        let w = try Warehouse(path: path)
        var old = person(suparman, name: "SUPARMAN")
        old.birthPlace = "JAKARTA"  // wrong in the first version
        try load(w, runID: try beginRun(w), file: file(sha: "s1"), records: [old])
        try load(w, runID: try beginRun(w), file: file(sha: "s2"), records: [person(suparman, name: "SUPARMAN")])
        XCTAssertEqual(try w.database.scalar("SELECT birth_place FROM person WHERE nik = ?", [.text(suparman)]), .null,
                       "the replaced version's birth place is still in the warehouse")
    }

    // MARK: - Earlier loads, duplicates, regions

    func testPreviousLoadMatchesPipelineContentAndVersion() throws {
        let w = try Warehouse(path: path)
        let runID = try beginRun(w)
        let a = try load(w, runID: runID, file: file(sha: "s1"), records: [person(suparman, name: "SUPARMAN")])
        let found = try XCTUnwrap(try w.previousLoad(pipeline: "p3ke-lampung-tengah", sha256: "s1", pipelineVersion: "v1"))
        XCTAssertEqual(found.inputID, a.input.id)
        XCTAssertEqual(found.runID, runID)
        XCTAssertEqual(found.path, "/srv/padu/inbox/p3ke-kalirejo.csv")
        XCTAssertNil(try w.previousLoad(pipeline: "p3ke-lampung-tengah", sha256: "s1", pipelineVersion: "v2"), "another pipeline version")
        XCTAssertNil(try w.previousLoad(pipeline: "dtks-lampung-tengah", sha256: "s1", pipelineVersion: "v1"), "another pipeline")
        XCTAssertNil(try w.previousLoad(pipeline: "p3ke-lampung-tengah", sha256: "s2", pipelineVersion: "v1"), "other content")
    }

    func testDuplicateNIKInOneInputNamesTheFirstRow() throws {
        let w = try Warehouse(path: path)
        let runID = try beginRun(w)
        let input = try w.beginInput(runID: runID, pipeline: "p3ke-lampung-tengah", pipelineVersion: "v1",
                                     plugin: "social-registry", file: file(sha: "s1"))
        let writer = RegistryWriter(warehouse: w, runID: runID)
        XCTAssertEqual(try writer.write(person(suparman, name: "SUPARMAN"), input: input, row: 2, sheet: nil), .loaded)
        XCTAssertEqual(try writer.write(person(siti, name: "SITI AMINAH", sex: "P"), input: input, row: 3, sheet: nil), .loaded)
        XCTAssertEqual(try writer.write(person(suparman, name: "SUPARMAN BIN AHMAD"), input: input, row: 9, sheet: nil),
                       .duplicateNIK(firstRow: 2))
        XCTAssertEqual(try writer.write(person(siti, name: "SITI"), input: input, row: 11, sheet: nil), .duplicateNIK(firstRow: 3))
        try writer.finish()
        _ = try w.commitInput(input, pipeline: "p3ke-lampung-tengah", counts: RowCounts(read: 4, loaded: 2, quarantined: 2))
        XCTAssertEqual(try rows(w, "SELECT nik, name, source_row FROM person ORDER BY source_row"),
                       [[.text(suparman), .text("SUPARMAN"), .int(2)], [.text(siti), .text("SITI AMINAH"), .int(3)]],
                       "the first row wins; the duplicate changes nothing")
        XCTAssertEqual(try int(w, "SELECT count(*) FROM registry_status"), 2)
        // The same NIK in another input is not a duplicate.
        let runID2 = try beginRun(w, pipeline: "dtks-lampung-tengah")
        let other = try w.beginInput(runID: runID2, pipeline: "dtks-lampung-tengah", pipelineVersion: "v1",
                                     plugin: "social-registry", file: file("/srv/padu/inbox/dtks.txt", sha: "d1"))
        let otherWriter = RegistryWriter(warehouse: w, runID: runID2)
        XCTAssertEqual(try otherWriter.write(person(suparman, name: "SUPARMAN", registry: "DTKS"), input: other, row: 5, sheet: nil), .loaded)
        try otherWriter.finish()
        _ = try w.commitInput(other, pipeline: "dtks-lampung-tengah", counts: RowCounts(read: 1, loaded: 1))
    }

    func testRegionCodesProduceTheParentChain() throws {
        let w = try Warehouse(path: path)
        let runID = try beginRun(w)
        var r = person(siti, name: "SITI AMINAH", sex: "P")
        r.provinsi = "LAMPUNG"
        r.kabupaten = "LAMPUNG TENGAH"
        r.kecamatan = "KALIREJO"
        r.desa = "SRI WAY LANGSEP"
        r.regionCodes = [.desa: "18.02.01.2001", .kecamatan: "18.02.01", .kabupaten: "18.02", .provinsi: "18"]
        var neighbour = person(rudi, kk: "1802010302110004", name: "RUDI HARTONO")
        neighbour.desa = "WAYAKRUI"
        neighbour.regionCodes = [.desa: "18.02.01.2002", .kecamatan: "18.02.01", .kabupaten: "18.02", .provinsi: "18"]
        let a = try load(w, runID: runID, file: file(sha: "s1"), records: [r, neighbour])
        XCTAssertEqual(try rows(w, "SELECT code, level, name, parent_code, input_id, source_row FROM region ORDER BY code"), [
            [.text("18"), .text("provinsi"), .text("LAMPUNG"), .null, .int(a.input.id), .int(2)],
            [.text("18.02"), .text("kabupaten"), .text("LAMPUNG TENGAH"), .text("18"), .int(a.input.id), .int(2)],
            [.text("18.02.01"), .text("kecamatan"), .text("KALIREJO"), .text("18.02"), .int(a.input.id), .int(2)],
            [.text("18.02.01.2001"), .text("desa"), .text("SRI WAY LANGSEP"), .text("18.02.01"), .int(a.input.id), .int(2)],
            [.text("18.02.01.2002"), .text("desa"), .text("WAYAKRUI"), .text("18.02.01"), .int(a.input.id), .int(3)],
        ])
        XCTAssertEqual(try int(w, "SELECT count(*) FROM region r WHERE parent_code IS NOT NULL AND NOT EXISTS (SELECT 1 FROM region p WHERE p.code = r.parent_code)"), 0)
        XCTAssertEqual(try rows(w, "SELECT nik, region_code FROM person ORDER BY nik"),
                       [[.text(rudi), .text("18.02.01.2002")], [.text(siti), .text("18.02.01.2001")]],
                       "a person's region is the most detailed level known")
    }
}

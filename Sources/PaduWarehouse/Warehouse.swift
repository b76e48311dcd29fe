import Foundation
import PaduCore

/// The embedded SQLite warehouse: consolidated tables, runs, inputs and quarantine, in one
/// file created owner-only. Writes are one transaction per input.
public final class Warehouse {
    public let database: SQLiteDatabase
    public var path: String { database.path }
    /// Whether loads record row lineage beyond each row's own input, run and source row: contribution
    /// links, corrections, the cells fields came from and row history. Always on, except when the
    /// environment says `PADU_ROW_LINEAGE=off` — for the benchmark, to measure what lineage costs. A
    /// warehouse loaded that way cannot trace, retract or replace those inputs correctly.
    public let recordsRowLineage: Bool

    /// What `beginInput` recorded, kept for `abandonInput`: the rollback removes the row.
    private struct OpenInput {
        let pipeline: String
        let pipelineVersion: String
        let plugin: String
        let file: InputFile
    }
    private var openInputs: [Int64: OpenInput] = [:]

    /// Opens (creating and migrating when needed) the warehouse at `path`.
    public init(path: String, busyTimeoutMilliseconds: Int = 10_000) throws {
        database = try SQLiteDatabase(path: path)
        recordsRowLineage = ProcessInfo.processInfo.environment["PADU_ROW_LINEAGE"] != "off"
        try database.execute("""
            PRAGMA journal_mode=WAL;
            PRAGMA synchronous=NORMAL;
            PRAGMA foreign_keys=ON;
            PRAGMA busy_timeout=\(busyTimeoutMilliseconds);
            PRAGMA cache_size=-16384;
            PRAGMA temp_store=FILE;
            """)
        try database.migrate(WarehouseSchema.migrations)
    }

    /// The schema version in the file.
    public func schemaVersion() throws -> Int {
        if case .int(let n)? = try database.scalar("SELECT max(version) FROM schema_migrations") { return Int(n) }
        return 0
    }

    /// Marks runs left `running` by a process of this host that no longer exists (killed, or
    /// the machine restarted) as `interrupted`. Their open input was rolled back by SQLite.
    @discardableResult
    public func markInterruptedRuns() throws -> [Int64] {
        let host = ProcessInfo.processInfo.hostName
        var stale: [Int64] = []
        try database.query("SELECT id, pid FROM runs WHERE status = 'running' AND host = ?", [.text(host)]) { row in
            if let id = row.int(0), let pid = row.int(1), pid != Int64(getpid()), kill(pid_t(pid), 0) != 0, errno == ESRCH {
                stale.append(id)
            }
        }
        for id in stale {
            try database.run("""
                UPDATE runs SET status = 'interrupted', finished_at = strftime('%Y-%m-%dT%H:%M:%fZ','now'),
                                message = 'the process running it stopped before it finished; its unfinished input left nothing behind'
                WHERE id = ?
                """, [.int(id)])
        }
        return stale
    }

    /// Deletes what input `inputID` contributed: its registry rows, its contribution links, and
    /// consolidated rows no other input contributes to; the rows that remain are rebuilt from
    /// the inputs still loaded, values and lineage alike.
    func removeContribution(of inputID: Int64) throws {
        let id = SQLValue.int(inputID)
        try database.execute("""
            CREATE TEMP TABLE IF NOT EXISTS affected (table_name TEXT, row_key TEXT, PRIMARY KEY (table_name, row_key)) WITHOUT ROWID;
            DELETE FROM temp.affected;
            """)
        try database.run("INSERT INTO temp.affected SELECT table_name, row_key FROM contribution WHERE input_id = ?", [id])
        try database.run("DELETE FROM registry_status WHERE input_id = ?", [id])
        try database.run("DELETE FROM indicator WHERE input_id = ?", [id])
        try database.run("DELETE FROM assistance WHERE input_id = ?", [id])
        try database.run("DELETE FROM region_crosswalk WHERE input_id = ?", [id])
        try database.run("DELETE FROM contribution WHERE input_id = ?", [id])
        for (table, key) in [("person", "nik"), ("household", "no_kk"), ("region", "code")] {
            try database.run("""
                DELETE FROM \(table) WHERE \(key) IN (SELECT row_key FROM temp.affected WHERE table_name = '\(table)')
                  AND NOT EXISTS (SELECT 1 FROM contribution c WHERE c.table_name = '\(table)' AND c.row_key = \(table).\(key))
                """)
        }
        try RegistryTables.rebuild(database)
        try database.execute("DELETE FROM temp.affected")
    }
}

extension Warehouse: IngestStore {
    public func beginRun(_ run: RunStart) throws -> Int64 {
        let chain = "[" + run.stageChain.map { "\"\($0)\"" }.joined(separator: ",") + "]"
        try database.run("""
            INSERT INTO runs(pipeline, pipeline_version, pipeline_file, trigger, stage_chain, spec_json, padu_version, host, pid, status,
                             lineage_run_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'running', ?)
            """, [.text(run.pipeline), .text(run.pipelineVersion), SQLValue(run.pipelineFile), .text(run.trigger),
                  .text(chain), .text(run.specJSON), .text(Padu.version), .text(ProcessInfo.processInfo.hostName),
                  .int(Int64(getpid())), SQLValue(run.lineageRunID)])
        return database.lastInsertRowID
    }

    public func previousLoad(pipeline: String, sha256: String, pipelineVersion: String) throws -> PreviousLoad? {
        var found: PreviousLoad?
        try database.query("""
            SELECT id, run_id, path FROM inputs
            WHERE pipeline = ? AND sha256 = ? AND pipeline_version = ? AND status = 'loaded'
            ORDER BY id DESC LIMIT 1
            """, [.text(pipeline), .text(sha256), .text(pipelineVersion)]) { row in
            found = PreviousLoad(inputID: row.int(0)!, runID: row.int(1)!, path: row.text(2) ?? "")
        }
        return found
    }

    public func recordInput(runID: Int64, pipeline: String, pipelineVersion: String, plugin: String,
                            path: String, file: InputFile?, status: InputStatus, message: String) throws {
        try insertInput(runID: runID, pipeline: pipeline, pipelineVersion: pipelineVersion, plugin: plugin,
                        path: path, file: file, status: status, message: message, finished: true)
    }

    private func insertInput(runID: Int64, pipeline: String, pipelineVersion: String, plugin: String, path: String,
                             file: InputFile?, status: InputStatus, message: String?, finished: Bool,
                             counts: RowCounts = RowCounts()) throws {
        try database.run("""
            INSERT INTO inputs(run_id, pipeline, pipeline_version, plugin, path, sha256, size_bytes, modified_at, status,
                               rows_read, rows_loaded, rows_quarantined, rows_skipped, message, finished_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CASE WHEN ? THEN strftime('%Y-%m-%dT%H:%M:%fZ','now') END)
            """, [.int(runID), .text(pipeline), .text(pipelineVersion), .text(plugin), .text(path),
                  SQLValue(file?.sha256), SQLValue(file?.size), SQLValue(file.map { Warehouse.iso($0.modifiedAt) }),
                  .text(status.rawValue), .int(Int64(counts.read)), .int(Int64(counts.loaded)),
                  .int(Int64(counts.quarantined)), .int(Int64(counts.skipped)), SQLValue(message), .int(finished ? 1 : 0)])
    }

    public func beginInput(runID: Int64, pipeline: String, pipelineVersion: String, plugin: String, file: InputFile) throws -> InputRef {
        try database.execute("BEGIN IMMEDIATE")
        do {
            try insertInput(runID: runID, pipeline: pipeline, pipelineVersion: pipelineVersion, plugin: plugin,
                            path: file.identity, file: file, status: .loading, message: nil, finished: false)
            let id = database.lastInsertRowID
            if recordsRowLineage {
                try database.run("UPDATE lineage_context SET input_id = ?, run_id = ?, action = 'load' WHERE id = 1", [.int(id), .int(runID)])
            } else {
                // Without the context row the history triggers insert nothing; commitInput puts it back.
                try database.run("DELETE FROM lineage_context")
            }
            openInputs[id] = OpenInput(pipeline: pipeline, pipelineVersion: pipelineVersion, plugin: plugin, file: file)
            return InputRef(id: id, sha256: file.sha256, path: file.identity)
        } catch {
            try? database.execute("ROLLBACK")
            throw error
        }
    }

    public func storeRejections(_ rejections: [Rejection], input: InputRef, runID: Int64) throws {
        let sql = """
            INSERT INTO quarantine(run_id, input_id, stage, disposition, sheet, row_number, byte_offset, column_name,
                                   reason_code, reason, raw_values)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """
        for r in rejections {
            try database.run(sql, [.int(runID), .int(input.id), .text(r.stage), .text(r.disposition.rawValue),
                                   SQLValue(r.locator.sheet), .int(Int64(r.locator.row)), SQLValue(r.locator.byteOffset),
                                   SQLValue(r.locator.column), .text(r.reason.code), .text(r.reason.message),
                                   .text(TextUtilities.jsonObject(r.values))])
        }
    }

    public func storeCorrections(_ corrections: [Correction], input: InputRef, runID: Int64) throws {
        guard recordsRowLineage else { return }
        let sql = """
            INSERT INTO correction(input_id, run_id, source_row, source_sheet, field, raw_value, new_value, rule, detail)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """
        for c in corrections {
            try database.run(sql, [.int(input.id), .int(runID), .int(Int64(c.locator.row)), SQLValue(c.locator.sheet), .text(c.field),
                                   SQLValue(c.rawValue), SQLValue(c.newValue), .text(c.rule), SQLValue(c.detail)])
        }
    }

    public func storeExpectationResults(_ results: [ExpectationResult], inputID: Int64, runID: Int64) throws {
        for r in results {
            try database.run("""
                INSERT INTO expectation_result(run_id, input_id, name, severity, passed, observed, expected, field)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, [.int(runID), .int(inputID), .text(r.name), .text(r.severity == "warn" ? "warn" : "error"), .int(r.passed ? 1 : 0),
                      .text(PersonalData.maskNIKs(in: r.observed)), .text(r.expected), SQLValue(r.field)])
        }
    }

    public func storeStageTimings(_ timings: [StageTiming], inputID: Int64, runID: Int64) throws {
        for t in timings {
            try database.run("""
                INSERT OR REPLACE INTO stage_timing(run_id, input_id, position, stage, seconds, rows_in, rows_out)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, [.int(runID), .int(inputID), .int(Int64(t.position)), .text(t.stage), .double(t.seconds),
                      .int(Int64(t.rowsIn)), .int(Int64(t.rowsOut))])
        }
    }

    public func previousRowCount(pipeline: String) throws -> Int? {
        if case .int(let n)? = try database.scalar("""
            SELECT rows_read FROM inputs WHERE pipeline = ? AND status IN ('loaded','replaced') ORDER BY id DESC LIMIT 1
            """, [.text(pipeline)]) { return Int(n) }
        return nil
    }

    public func storeColumns(_ columns: [InputColumn], input: InputRef) throws {
        guard recordsRowLineage else { return }
        for c in columns {
            try database.run("INSERT OR REPLACE INTO input_column(input_id, sheet, field, header, column_index) VALUES (?, ?, ?, ?, ?)",
                             [.int(input.id), .text(c.sheet ?? ""), .text(c.field), .text(c.header), .int(Int64(c.index))])
        }
    }

    public func commitInput(_ input: InputRef, pipeline: String, counts: RowCounts) throws -> [Int64] {
        guard database.isInTransaction else {
            throw SQLiteError(code: 21, message: "no open transaction for input \(input.id)", sql: nil)
        }
        do {
            // Earlier loads of the same file (same path, or same content) by this pipeline.
            var replaced: [Int64] = []
            try database.query("""
                SELECT id FROM inputs
                WHERE pipeline = ? AND status = 'loaded' AND id <> ? AND (path = ? OR sha256 = ?)
                """, [.text(pipeline), .int(input.id), .text(input.path), .text(input.sha256)]) { row in
                replaced.append(row.int(0)!)
            }
            // Corrections of rows a later stage kept out describe nothing in the warehouse.
            try database.run("""
                DELETE FROM correction WHERE input_id = ? AND EXISTS (
                    SELECT 1 FROM quarantine q WHERE q.input_id = correction.input_id AND q.row_number = correction.source_row
                      AND q.sheet IS correction.source_sheet)
                """, [.int(input.id)])
            for old in replaced {
                try removeContribution(of: old)
                try database.run("UPDATE inputs SET status = 'replaced', replaced_by = ? WHERE id = ?", [.int(input.id), .int(old)])
            }
            try database.run("""
                UPDATE inputs SET status = 'loaded', rows_read = ?, rows_loaded = ?, rows_quarantined = ?, rows_skipped = ?,
                                  finished_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')
                WHERE id = ?
                """, [.int(Int64(counts.read)), .int(Int64(counts.loaded)), .int(Int64(counts.quarantined)),
                      .int(Int64(counts.skipped)), .int(input.id)])
            if !recordsRowLineage {
                try database.run("INSERT OR REPLACE INTO lineage_context(id, action) VALUES (1, 'none')")
            }
            try database.execute("COMMIT")
            openInputs[input.id] = nil
            return replaced
        } catch {
            try? database.execute("ROLLBACK")
            throw error
        }
    }

    @discardableResult
    public func abandonInput(_ input: InputRef, runID: Int64, counts: RowCounts, message: String) throws -> Int64 {
        if database.isInTransaction { try database.execute("ROLLBACK") }
        let open = openInputs.removeValue(forKey: input.id)
        try insertInput(runID: runID, pipeline: open?.pipeline ?? "", pipelineVersion: open?.pipelineVersion ?? "",
                        plugin: open?.plugin ?? "", path: input.path, file: open?.file, status: .failed,
                        message: PersonalData.maskNIKs(in: message), finished: true, counts: RowCounts(read: counts.read))
        return database.lastInsertRowID
    }

    public func finishRun(_ runID: Int64, status: RunStatus, counts: RowCounts, message: String?) throws {
        try database.run("""
            UPDATE runs SET status = ?, rows_read = ?, rows_loaded = ?, rows_quarantined = ?, rows_skipped = ?, message = ?,
                            finished_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')
            WHERE id = ?
            """, [.text(status.rawValue), .int(Int64(counts.read)), .int(Int64(counts.loaded)), .int(Int64(counts.quarantined)),
                  .int(Int64(counts.skipped)), SQLValue(message.map(PersonalData.maskNIKs(in:))), .int(runID)])
    }

    static func iso(_ seconds: Double) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: Date(timeIntervalSince1970: seconds))
    }
}

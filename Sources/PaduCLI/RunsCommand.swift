import PaduCore
import PaduReports
import PaduWarehouse

/// `padu runs [--pipeline P] [--failed] [--limit N]` and `padu runs show RUN`: run history from
/// the warehouse, daemon or not.
enum RunsCommand {
    static let command = CLI.Command(
        name: "runs",
        summary: "recent runs, or one run's inputs and rejection reasons (works whether the daemon runs or not)",
        usage: "padu runs [--pipeline P] [--failed] [--limit N] [--json] | padu runs show RUN [--json]",
        flags: [
            FlagSpec("--pipeline", value: true, "only this pipeline"),
            FlagSpec("--failed", "only runs that failed, partly failed or were interrupted"),
            FlagSpec("--limit", value: true, "how many (default 20)"),
            FlagSpec("--json", "JSON for tools"),
        ],
        details: "Reads the warehouse directly. Exit status: 0; 2 wrong usage; 4 no such run or no warehouse.",
        run: run
    )

    static func run(_ args: ParsedArguments, _ env: Environment) throws -> ExitCode {
        guard let warehouse = try ReportCommand.openWarehouse(env) else { return .notFound }
        let db = warehouse.database
        var tables: [ReportTable] = []
        if args.positionals.first == "show" {
            guard args.positionals.count == 2, let id = Int64(args.positionals[1]) else { throw UsageError(message: "show needs a run number") }
            var run = ReportTable(name: "run", title: "Run \(id)", columns: [ReportColumn("item", "Item"), ReportColumn("value", "Value")])
            try db.query("""
                SELECT pipeline, status, trigger, started_at, finished_at, rows_read, rows_loaded, rows_quarantined, rows_skipped, message,
                       pipeline_version, pipeline_file, stage_chain, host, pid FROM runs WHERE id = ?
                """, [.int(id)]) { r in
                let names = ["pipeline", "status", "trigger", "started_at", "finished_at", "rows_read", "rows_loaded", "rows_quarantined",
                             "rows_skipped", "message", "pipeline_version", "pipeline_file", "stage_chain", "host", "pid"]
                run.rows = names.enumerated().compactMap { i, n in r.text(i).map { [.text(n), .text($0)] } }
            }
            guard !run.rows.isEmpty else {
                env.console.err("padu runs: no run \(id)")
                return .notFound
            }
            var inputs = ReportTable(name: "inputs", title: "Inputs",
                columns: [ReportColumn("input_id", "Input", .integer), ReportColumn("status", "Status"), ReportColumn("path", "File"),
                          ReportColumn("read", "Read", .integer), ReportColumn("loaded", "Loaded", .integer),
                          ReportColumn("quarantined", "Quarantined", .integer), ReportColumn("skipped", "Skipped", .integer), ReportColumn("message", "Message")])
            try db.query("""
                SELECT id, status, path, rows_read, rows_loaded, rows_quarantined, rows_skipped, message FROM inputs WHERE run_id = ? ORDER BY id
                """, [.int(id)]) { r in
                inputs.rows.append([.integer(r.int(0) ?? 0), .text(r.text(1) ?? ""), .text(r.text(2) ?? ""), .integer(r.int(3) ?? 0),
                                    .integer(r.int(4) ?? 0), .integer(r.int(5) ?? 0), .integer(r.int(6) ?? 0), .text(r.text(7) ?? "")])
            }
            var reasons = ReportTable(name: "reasons", title: "Top reasons rows were kept out, with an example",
                columns: [ReportColumn("stage", "Stage"), ReportColumn("reason_code", "Reason"), ReportColumn("rows", "Rows", .integer),
                          ReportColumn("example", "Example")])
            try db.query("""
                SELECT stage, reason_code, count(*), min(row_number),
                       (SELECT q2.reason FROM quarantine q2 WHERE q2.run_id = q.run_id AND q2.reason_code = q.reason_code ORDER BY q2.id LIMIT 1)
                FROM quarantine q WHERE run_id = ? GROUP BY stage, reason_code ORDER BY 3 DESC LIMIT 10
                """, [.int(id)]) { r in
                reasons.rows.append([.text(r.text(0) ?? ""), .text(r.text(1) ?? ""), .integer(r.int(2) ?? 0),
                                     .text("row \(r.int(3) ?? 0): " + (r.text(4) ?? ""))])
            }
            var stages = ReportTable(name: "stages", title: "Time per stage (all inputs)",
                columns: [ReportColumn("stage", "Stage"), ReportColumn("seconds", "Seconds"), ReportColumn("share", "Share"),
                          ReportColumn("rows_in", "Rows in", .integer), ReportColumn("rows_out", "Rows out", .integer),
                          ReportColumn("rows_per_second", "Rows/s", .integer)])
            var stageRows: [(String, Double, Int64, Int64)] = []
            try db.query("""
                SELECT stage, sum(seconds), sum(rows_in), sum(rows_out) FROM stage_timing WHERE run_id = ?
                GROUP BY position, stage ORDER BY position
                """, [.int(id)]) { r in
                stageRows.append((r.text(0) ?? "", r.double(1) ?? 0, r.int(2) ?? 0, r.int(3) ?? 0))
            }
            let totalSeconds = stageRows.reduce(0) { $0 + $1.1 }
            for (stage, seconds, rowsIn, rowsOut) in stageRows {
                let share = totalSeconds > 0 ? String(format: "%.0f%%", seconds / totalSeconds * 100) : "-"
                let rate = seconds > 0 ? Int64(Double(rowsIn) / seconds) : 0
                stages.rows.append([.text(stage), .text(String(format: "%.3f", seconds)), .text(share), .integer(rowsIn), .integer(rowsOut),
                                    .integer(rate)])
            }
            tables = [run, inputs, stages, reasons]
        } else {
            guard args.positionals.isEmpty else { throw UsageError(message: "unknown argument '\(args.positionals[0])'; use `padu runs show RUN`") }
            var limit = 20
            if let text = args.value("--limit") {
                guard let n = Int(text), n > 0 else { throw UsageError(message: "--limit must be a positive number, got '\(text)'") }
                limit = n
            }
            var sql = "SELECT id, pipeline, status, trigger, started_at, finished_at, rows_read, rows_loaded, rows_quarantined, message FROM runs WHERE 1 = 1"
            var values: [SQLValue] = []
            if let p = args.value("--pipeline") { sql += " AND pipeline = ?"; values.append(.text(p)) }
            if args.has("--failed") { sql += " AND status IN ('failed','partial','interrupted')" }
            sql += " ORDER BY id DESC LIMIT \(limit)"
            var t = ReportTable(name: "runs", title: "Runs, newest first",
                columns: [ReportColumn("id", "Run", .integer), ReportColumn("pipeline", "Pipeline"), ReportColumn("status", "Status"),
                          ReportColumn("trigger", "Trigger"), ReportColumn("started_at", "Started (UTC)"), ReportColumn("read", "Read", .integer),
                          ReportColumn("loaded", "Loaded", .integer), ReportColumn("quarantined", "Quarantined", .integer), ReportColumn("message", "Message")])
            try db.query(sql, values) { r in
                t.rows.append([.integer(r.int(0) ?? 0), .text(r.text(1) ?? ""), .text(r.text(2) ?? ""), .text(r.text(3) ?? ""),
                               .text(r.text(4) ?? ""), .integer(r.int(6) ?? 0), .integer(r.int(7) ?? 0), .integer(r.int(8) ?? 0), .text(r.text(9) ?? "")])
            }
            tables = [t]
        }
        let text = args.has("--json") ? ReportRenderer.json(tables) : ReportRenderer.table(tables)
        env.console.out(text.hasSuffix("\n") ? String(text.dropLast()) : text)
        return .success
    }
}

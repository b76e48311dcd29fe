import PaduCore
import PaduReports
import PaduWarehouse

/// `padu matches list|confirm|reject|scan`: the steward's review of possible identity matches.
enum MatchesCommand {
    static let command = CLI.Command(
        name: "matches",
        summary: "review possible identity matches of aid records without a valid NIK: list, confirm, reject, scan",
        usage: "padu matches list [--status possible|confirmed|rejected|all] [--format ...] | padu matches confirm|reject ID [--by NAME] [--note TEXT] | padu matches scan",
        flags: ReportCommand.outputFlags + [
            FlagSpec("--status", value: true, "list: possible (default), confirmed, rejected or all"),
            FlagSpec("--by", value: true, "confirm/reject: who decides (default $USER)"),
            FlagSpec("--note", value: true, "confirm/reject: why"),
        ],
        details: """
            match-identity proposes persons for aid records that name no valid NIK (same normalised name and
            birth date and desa, or fewer of them, scored 60–100). Nothing is merged automatically: only a
            confirmed match makes the record count as that person's aid in reports. A record has at most one
            confirmed match; a decision is kept when the same record is loaded again.
            scan proposes matches for records loaded before the registry that names their recipients.
            Exit status: 0 done; 2 wrong options; 4 no such match or no warehouse.
            """,
        run: run
    )

    static func run(_ args: ParsedArguments, _ env: Environment) throws -> ExitCode {
        guard let action = args.positionals.first else { throw UsageError(message: "list, confirm, reject or scan?") }
        guard let warehouse = try ReportCommand.openWarehouse(env) else { return .notFound }
        switch action {
        case "list":
            guard args.positionals.count == 1 else { throw UsageError(message: "list takes no argument") }
            let format = try ReportCommand.outputFormat(args)
            let statusText = args.value("--status") ?? "possible"
            guard ["possible", "confirmed", "rejected", "all"].contains(statusText) else {
                throw UsageError(message: "--status must be possible, confirmed, rejected or all, got '\(statusText)'")
            }
            let matches = try warehouse.identityMatches(status: statusText == "all" ? nil : statusText)
            let names = try inputNames(warehouse)
            var table = ReportTable(name: "matches", title: "Identity matches (\(statusText))",
                columns: [ReportColumn("id", "Match", .integer), ReportColumn("status", "Status"), ReportColumn("score", "Score", .integer),
                          ReportColumn("basis", "Basis"), ReportColumn("record", "Record"), ReportColumn("candidate_nik", "Candidate NIK"),
                          ReportColumn("candidate_name", "Candidate name"), ReportColumn("source", "Source"),
                          ReportColumn("decided_by", "Decided by"), ReportColumn("note", "Note")])
            for m in matches {
                let record = try recordSummary(warehouse, key: m.subjectKey)
                let candidate = try warehouse.database.scalar("SELECT name FROM person WHERE nik = ?", [.text(m.candidateNIK)])
                var candidateName: String?
                if case .text(let n)? = candidate { candidateName = n }
                let source = [names[m.inputID] ?? "input \(m.inputID)", m.sourceSheet, String(m.sourceRow)].compactMap { $0 }.joined(separator: ":")
                table.rows.append([.integer(m.id), .text(m.status), .integer(Int64(m.score)), .text(m.basis), .text(record),
                                   .text(m.candidateNIK), candidateName.map { .text($0) } ?? .null, .text(source),
                                   m.decidedBy.map { .text($0) } ?? .null, m.note.map { .text($0) } ?? .null])
            }
            if statusText == "possible" && !matches.isEmpty {
                table.notes = ["Confirm with `padu matches confirm ID`, reject with `padu matches reject ID` (add --note to say why)."]
            }
            return try ReportCommand.emit([table], format: format, args: args, env: env)
        case "confirm", "reject":
            guard args.positionals.count == 2, let id = Int64(args.positionals[1]) else {
                throw UsageError(message: "\(action) needs one match id (see `padu matches list`)")
            }
            let steward = args.value("--by") ?? env.environment["USER"] ?? "unknown"
            do {
                try warehouse.decideIdentityMatch(id: id, confirm: action == "confirm", by: steward, note: args.value("--note"))
            } catch let error as IdentityMatchError {
                env.console.err("padu matches: \(error.description)")
                return .notFound
            }
            env.console.out("match \(id) \(action == "confirm" ? "confirmed" : "rejected") by \(steward)")
            return .success
        case "scan":
            let added = try warehouse.scanIdentityMatches()
            env.console.out("\(added) new possible match\(added == 1 ? "" : "es"); see `padu matches list`")
            return .success
        default:
            throw UsageError(message: "unknown action '\(action)'; use list, confirm, reject or scan")
        }
    }

    static func inputNames(_ warehouse: Warehouse) throws -> [Int64: String] {
        var names: [Int64: String] = [:]
        try warehouse.database.query("SELECT id, path FROM inputs") { r in
            if let id = r.int(0), let p = r.text(1) { names[id] = p.split(separator: "/").last.map(String.init) ?? p }
        }
        return names
    }

    /// `name · provider · program · date · desa` of the record a match is about.
    static func recordSummary(_ warehouse: Warehouse, key: String) throws -> String {
        var text = ""
        try warehouse.database.query("""
            SELECT name, provider, coalesce(program, aid_kind), date, coalesce(desa, region_code) FROM assistance WHERE match_key = ? ORDER BY id LIMIT 1
            """, [.text(key)]) { r in
            text = (0..<5).compactMap { r.text($0) }.joined(separator: " · ")
        }
        return text
    }
}

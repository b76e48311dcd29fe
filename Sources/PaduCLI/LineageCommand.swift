import Foundation
import PaduCore
import PaduDaemon
import PaduOpenLineage
import PaduReference
import PaduRemote
import PaduReports
import PaduWarehouse

/// `padu lineage trace|history|input|graph`: where a value came from, and what a file changed.
enum LineageCommand {
    static let command = CLI.Command(
        name: "lineage",
        summary: "where a warehouse value came from and what a file contributed: trace, history, input, graph",
        usage: "padu lineage trace TABLE:ID | trace --nik NIK | history TABLE:ID | input FILE|SHA256 | columns TABLE [--pipeline P] | graph [--pipeline P] [--format dot|mermaid|svg] | ship",
        flags: [
            FlagSpec("--nik", value: true, "trace: the person with this NIK (same as person:NIK)"),
            FlagSpec("--json", "JSON for tools instead of text"),
            FlagSpec("--pipeline", value: true, "graph: only this pipeline"),
            FlagSpec("--format", value: true, "graph: dot (default), mermaid, or svg (through Graphviz's dot command)"),
            FlagSpec("--out", value: true, "write to this file instead of standard output"),
        ],
        details: """
            trace TABLE:ID   the row's values; the file (path, SHA-256), sheet and row, run, pipeline file and
                             version and stage chain that wrote it; the values transforms changed (raw and new,
                             rule and version); for person, household and region every contributing input; for
                             person and household the registry and aid records naming it. Tables: person:NIK,
                             household:NO_KK, region:CODE, registry_status:ID, assistance:ID, indicator:ID,
                             region_crosswalk:ID.
            history TABLE:ID the earlier versions of a person or household row, with what replaced each and when.
            input FILE|SHA256
                             what a file contributed in each run: rows per table now, corrections, rows kept out
                             by reason, retractions. A FILE is found by its path and by its content.
            columns TABLE    column lineage: for each warehouse column, the stages back to the file column and what
                             each did (direct, parsed, normalised, derived, constant), per pipeline loading TABLE.
            graph            files → pipelines → warehouse tables → reports, of what is loaded now.
            ship             send the OpenLineage events waiting in <home>/openlineage/outbox.jsonl to the collector
                             named by $PADU_OPENLINEAGE_URL (bearer token $PADU_OPENLINEAGE_TOKEN); every run also
                             tries this when the variable is set.
            Output holds personal data (NIK, names); NIKs are shown in full, as in the warehouse.
            Exit status: 0; 2 wrong usage; 4 no such row or input, or no warehouse.
            """,
        run: run
    )

    static func run(_ args: ParsedArguments, _ env: Environment) throws -> ExitCode {
        guard let action = args.positionals.first else { throw UsageError(message: "trace, history, input, graph or ship?") }
        if action == "ship" { return try ship(env) }
        guard let warehouse = try ReportCommand.openWarehouse(env) else { return .notFound }
        // Lineage answers need no region names: the region list is not loaded (a trace stays fast).
        let reports = Reports(warehouse: warehouse, catalog: nil)
        do {
            switch action {
            case "trace", "history":
                let ref: RowReference
                if let nik = args.value("--nik") {
                    guard args.positionals.count == 1 else { throw UsageError(message: "give TABLE:ID or --nik, not both") }
                    ref = RowReference(table: "person", key: nik)
                } else {
                    guard args.positionals.count == 2 else { throw UsageError(message: "\(action) needs one TABLE:ID, e.g. person:1802xxxxxxxx0001 or assistance:42") }
                    ref = try RowReference(args.positionals[1])
                }
                let tables = action == "trace" ? try reports.trace(ref) : [try reports.history(ref)]
                return try emit(tables, args: args, env: env)
            case "input":
                guard args.positionals.count == 2 else { throw UsageError(message: "input needs a file path or a SHA-256") }
                let (path, sha) = identify(args.positionals[1])
                return try emit(try reports.inputContribution(path: path, sha256: sha), args: args, env: env)
            case "columns":
                guard args.positionals.count == 2 else { throw UsageError(message: "columns needs a table, e.g. person or assistance") }
                return try emit([try reports.columnLineage(table: args.positionals[1], registry: env.registry, pipeline: args.value("--pipeline"))],
                                args: args, env: env)
            case "graph":
                let graph = try reports.lineageGraph(pipeline: args.value("--pipeline"))
                let format = args.value("--format") ?? "dot"
                let text: String
                switch format {
                case "dot": text = graph.dot
                case "mermaid": text = graph.mermaid
                case "svg":
                    guard let svg = try Graphviz.svg(from: graph.dot) else {
                        env.console.err("padu lineage graph: --format svg needs Graphviz's `dot` command, which is not installed "
                            + "(Debian: apt-get install graphviz); --format dot or mermaid work without it")
                        return .failure
                    }
                    text = svg
                default: throw UsageError(message: "--format must be dot, mermaid or svg, got '\(format)'")
                }
                if let out = args.value("--out") {
                    try OwnerOnlyFile.write(text, to: out)
                    env.console.err("wrote \(out) (\(graph.nodes.count) nodes, \(graph.edges.count) edges)")
                } else {
                    env.console.out(text.hasSuffix("\n") ? String(text.dropLast()) : text)
                }
                return .success
            default:
                throw UsageError(message: "unknown action '\(action)'; use trace, history, input, columns, graph or ship")
            }
        } catch let error as ReportError {
            env.console.err("padu lineage: \(error.description)")
            return error.isNotFound ? .notFound : .usage
        }
    }

    /// Sends the outbox's pending events to the configured collector.
    static func ship(_ env: Environment) throws -> ExitCode {
        let settings = OpenLineageSettings.from(environment: env.environment, home: env.home)
        let outbox = OpenLineageOutbox(home: env.home)
        let pending = try outbox.pending().count
        guard let url = settings.collectorURL else {
            env.console.err("padu lineage ship: no collector configured; set PADU_OPENLINEAGE_URL (e.g. http://marquez:5000/api/v1/lineage). "
                + "\(pending) event\(pending == 1 ? "" : "s") wait in \(outbox.folder)/outbox.jsonl")
            return .usage
        }
        let result = try outbox.ship(to: url, token: settings.token)
        env.console.out("\(result.delivered) of \(pending) event\(pending == 1 ? "" : "s") delivered")
        if let failure = result.failure {
            env.console.err("padu lineage ship: \(Redaction.redactText(failure.description, secrets: [settings.token].compactMap { $0 })); "
                + "the rest stay in the outbox")
            return .failure
        }
        return .success
    }

    static func emit(_ tables: [ReportTable], args: ParsedArguments, env: Environment) throws -> ExitCode {
        let text = args.has("--json") ? ReportRenderer.json(tables) : ReportRenderer.table(tables)
        if let out = args.value("--out") {
            try OwnerOnlyFile.write(text, to: out)
        } else {
            env.console.out(text.hasSuffix("\n") ? String(text.dropLast()) : text)
        }
        return .success
    }

    /// A SHA-256 as given, or a file's recorded path (absolute, symbolic links resolved) and,
    /// when the file is there, its content's SHA-256.
    static func identify(_ text: String) -> (path: String?, sha256: String?) {
        let lower = text.lowercased()
        if lower.count == 64, lower.allSatisfy({ $0.isHexDigit }) { return (nil, lower) }
        let absolute = text.hasPrefix("/") ? text : FileManager.default.currentDirectoryPath + "/" + text
        let resolved = URL(fileURLWithPath: absolute).resolvingSymlinksInPath().standardizedFileURL.path
        let sha = try? SHA256.hash(fileAt: resolved).hex
        return (resolved, sha)
    }
}

/// `padu retract FILE|SHA256`: removes exactly what a file contributed.
enum RetractCommand {
    static let command = CLI.Command(
        name: "retract",
        summary: "remove exactly what a file contributed to the warehouse, in one transaction, recorded as a lineage event",
        usage: "padu retract FILE|SHA256 [--by NAME] [--note TEXT]",
        flags: [
            FlagSpec("--by", value: true, "who retracts (default $USER)"),
            FlagSpec("--note", value: true, "why"),
        ],
        details: """
            Every loaded input with that path or content loses its registry, aid, indicator and crosswalk rows and
            its contribution links; persons, households and regions no other input contributes to are deleted,
            those that other inputs share are rebuilt from them (their earlier values go to the row history).
            The inputs get status `retracted` and a lineage event records who, when and why. Loading the file
            again later (padu run --force) brings it back. Exit status: 0; 4 no loaded input is that file.
            """,
        run: run
    )

    static func run(_ args: ParsedArguments, _ env: Environment) throws -> ExitCode {
        guard args.positionals.count == 1 else { throw UsageError(message: "which file (path or SHA-256)?") }
        guard let warehouse = try ReportCommand.openWarehouse(env) else { return .notFound }
        let (path, sha) = LineageCommand.identify(args.positionals[0])
        do {
            let result = try warehouse.retract(path: path, sha256: sha, actor: args.value("--by") ?? env.environment["USER"] ?? "unknown",
                                               reason: args.value("--note"))
            env.console.out("retracted input\(result.inputIDs.count == 1 ? "" : "s") \(result.inputIDs.map(String.init).joined(separator: ", ")): removed "
                + result.removed.filter { $0.rows > 0 }.map { "\($0.rows) \($0.table)" }.joined(separator: ", "))
            return .success
        } catch let error as RetractionError {
            env.console.err("padu retract: \(error.description)")
            return .notFound
        }
    }
}

/// Graphviz's `dot`, when installed.
enum Graphviz {
    /// SVG of a DOT graph, or nil when `dot` is not on PATH.
    static func svg(from dot: String) throws -> String? {
        let candidates = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map { "\($0)/dot" }
        guard let exe = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: exe)
        process.arguments = ["-Tsvg"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        input.fileHandleForWriting.write(Data(dot.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw UsageError(message: "Graphviz dot failed (status \(process.terminationStatus))") }
        return String(decoding: data, as: UTF8.self)
    }
}

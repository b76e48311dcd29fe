import Foundation
import PaduCore
import PaduDaemon
import PaduWarehouse

/// `padu run PIPELINE [--input FILE...] [--force]` / `padu run --all`.
enum RunCommand {
    static let command = CLI.Command(
        name: "run",
        summary: "run a pipeline once in the foreground and print what it loaded",
        usage: "padu run PIPELINE [--input FILE]... [--force] | padu run --all",
        flags: [
            FlagSpec("--input", value: true, repeats: true, "a file to read (repeatable); default: the source's path option, or the files waiting in a file-arrival folder"),
            FlagSpec("--force", "load inputs even if the same content was loaded by the same pipeline version"),
            FlagSpec("--all", "run every pipeline once, upstream pipelines before those that run after them"),
            FlagSpec("--pipelines", value: true, "folder of pipeline files (default $PADU_PIPELINES or pipelines/)"),
            FlagSpec("--no-progress", "no progress bar or progress lines"),
        ],
        details: """
            Each input is loaded in one transaction: it is in the warehouse completely or not at all.
            An input already loaded (same SHA-256, same pipeline version) is skipped unless --force;
            a changed file at the same path replaces what its previous version contributed.
            Exit status: 0 all inputs loaded or skipped; 3 some inputs failed; 1 a run failed, the
            warehouse stayed busy, or (with --all, when everything else succeeded) a pipeline file
            has errors; 4 no such pipeline or pipelines folder.
            """,
        run: run
    )

    static func run(_ args: ParsedArguments, _ env: Environment) throws -> ExitCode {
        let all = args.has("--all")
        guard all != !args.positionals.isEmpty else {
            throw UsageError(message: all ? "give either --all or a pipeline name, not both" : "which pipeline? (or --all)")
        }
        guard args.positionals.count <= 1 else { throw UsageError(message: "one pipeline at a time (or --all)") }
        if all && !args.all("--input").isEmpty { throw UsageError(message: "--input goes with one pipeline, not --all") }

        let folder = args.value("--pipelines") ?? env.environment["PADU_PIPELINES"] ?? "pipelines"
        let catalog = try PipelineCatalog.load(paths: [folder], loader: try env.manifestLoader(), registry: env.registry)
        for d in catalog.diagnostics { env.console.err(d.description) }

        let selected: [PipelineSpec]
        if all {
            selected = RunService.dependencyOrder(catalog.pipelines)
            if selected.isEmpty {
                env.console.err("padu run: no valid pipeline in \(folder)")
                return .notFound
            }
        } else {
            let name = args.positionals[0]
            guard let spec = catalog.pipeline(named: name) else {
                let broken = catalog.diagnostics.isEmpty ? "" : " (some pipeline files have errors, see above)"
                env.console.err("padu run: no pipeline named '\(name)' in \(folder)\(broken); known: "
                    + catalog.pipelines.map(\.name).joined(separator: ", "))
                return .notFound
            }
            selected = [spec]
        }

        try env.prepareHome()
        let warehouse = try Warehouse(path: env.warehousePath)
        let service = RunService(warehouse: warehouse, registry: env.registry, logger: env.logger,
                                 resolver: RemoteInputResolver(cacheDirectory: env.home + "/cache/remote", environment: env.environment),
                                 openLineage: OpenLineageSettings.from(environment: env.environment, home: env.home))
        for id in try service.markInterruptedRuns() {
            env.logger.warning("run \(id) was interrupted (its process is gone); nothing of its unfinished input was kept", ["run": String(id)])
        }
        // Failed runs are reported to the webhooks at once, with short timeouts (no daemon queue here).
        let notifier = WebhookNotifier(settings: .from(environment: env.environment), logger: env.logger, backoff: 0.5, timeoutSeconds: 3)
        var worst = ExitCode.success
        var statuses: [String: RunStatus] = [:]
        var heldBack: Set<String> = []
        for spec in selected {
            if all, spec.schedule.kind == "after", let upstream = spec.schedule.pipeline {
                if heldBack.contains(upstream) {
                    env.console.out("\(spec.name) · not run: it runs after \(upstream), which was not run either")
                    heldBack.insert(spec.name)
                    continue
                }
                if let status = statuses[upstream], status != .succeeded {
                    env.console.out("\(spec.name) · not run: it runs after \(upstream), whose run did not succeed (\(status.rawValue))")
                    heldBack.insert(spec.name)
                    continue
                }
            }
            let display = args.has("--no-progress") ? nil : ProgressDisplay(console: env.console, environment: env.environment)
            var progress: (@Sendable (RunProgress) -> Void)?
            if let display { progress = { display.update($0) } }
            let result = try service.run(spec, inputs: args.all("--input"), force: args.has("--force"), progress: progress)
            display?.finish()
            statuses[spec.name] = result.status
            printSummary(result, warehouse: warehouse, console: env.console)
            if let notification = RunNotification.forRun(result) { notifier.send(notification, pipeline: spec) }
            let code: ExitCode = switch result.status {
            case .succeeded: .success
            case .partial: .partial
            default: .failure
            }
            if code == .failure || (code == .partial && worst == .success) { worst = code }
        }
        if all { env.console.out("warehouse: \(env.warehousePath)") }
        // With --all, a pipeline file that failed to load is a pipeline that did not run.
        return all && catalog.hasErrors && worst == .success ? .failure : worst
    }

    static func printSummary(_ r: RunResult, warehouse: Warehouse, console: any Console) {
        console.out("run \(r.runID) · \(r.pipeline) · \(r.status.rawValue) in \(String(format: "%.2f", r.seconds)) s")
        for input in r.inputs {
            let c = input.counts
            var line = "  \(input.status.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)) \(input.path)"
            if input.status == .loaded {
                line += "\n           read \(c.read) · loaded \(c.loaded) · quarantined \(c.quarantined) · skipped \(c.skipped)"
                if !input.replaced.isEmpty {
                    line += "\n           replaced what input\(input.replaced.count == 1 ? "" : "s") \(input.replaced.map(String.init).joined(separator: ", ")) had loaded"
                }
            } else if !input.message.isEmpty {
                line += "\n           \(input.message)"
            }
            console.out(line)
            if let id = input.inputID, input.status == .loaded, c.quarantined + c.skipped > 0 {
                for reason in (try? topReasons(warehouse, inputID: id)) ?? [] { console.out("           \(reason)") }
            }
        }
        if let m = r.message { console.out("  \(m)") }
        console.out("  total: read \(r.counts.read) · loaded \(r.counts.loaded) · quarantined \(r.counts.quarantined) · skipped \(r.counts.skipped)")
    }

    /// The most frequent rejection reasons of an input, with an example row.
    static func topReasons(_ warehouse: Warehouse, inputID: Int64, limit: Int = 8) throws -> [String] {
        var lines: [String] = []
        try warehouse.database.query("""
            SELECT q.disposition, q.reason_code, count(*), e.row_number, e.sheet, e.column_name, e.reason
            FROM quarantine q
            JOIN quarantine e ON e.id = (SELECT min(id) FROM quarantine x
                                         WHERE x.input_id = q.input_id AND x.reason_code = q.reason_code AND x.disposition = q.disposition)
            WHERE q.input_id = ? GROUP BY q.disposition, q.reason_code ORDER BY count(*) DESC LIMIT ?
            """, [.int(inputID), .int(Int64(limit))]) { row in
            var place = (row.text(4).map { "sheet '\($0)' " } ?? "") + "row \(row.int(3) ?? 0)"
            if let cell = row.text(5) { place += ", \(cell)" }
            lines.append("\(row.text(0) ?? "") \(row.int(2) ?? 0)× \(row.text(1) ?? "") (e.g. \(place): \(row.text(6) ?? ""))")
        }
        return lines
    }
}

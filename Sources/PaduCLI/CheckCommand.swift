import Foundation
import PaduCore
import PaduDaemon
import PaduRemote

/// `padu check [PATH...]`: compile and check pipeline files; list their pipelines.
enum CheckCommand {
    static let command = CLI.Command(
        name: "check",
        summary: "compile and check pipeline files; list their pipelines, schedules and stages",
        usage: "padu check [PATH...] [--quiet]",
        flags: [FlagSpec("--quiet", "print only problems")],
        details: """
            PATH is a pipeline file or a folder of them (default: pipelines/ or $PADU_PIPELINES).
            Problems are printed as FILE:LINE:COLUMN: error: MESSAGE. A broken file does not stop
            the others from being checked. Exit status 0 when every file is good, 1 when any has an
            error, 4 when a PATH does not exist, 70 when the compiler or PipelineDescription is missing.
            """,
        run: run
    )

    static func run(_ args: ParsedArguments, _ env: Environment) throws -> ExitCode {
        let paths = args.positionals.isEmpty ? [env.environment["PADU_PIPELINES"] ?? "pipelines"] : args.positionals
        let loader = try env.manifestLoader()
        let started = Date()
        let catalog = try PipelineCatalog.load(paths: paths, loader: loader, registry: env.registry)
        let seconds = Date().timeIntervalSince(started)
        let quiet = args.has("--quiet")
        let console = env.console

        for file in catalog.files {
            let specs = catalog.pipelines.filter { $0.file == file.file }
            if !quiet {
                let how = file.fromCache ? "cached" : (file.diagnostics.isEmpty ? "compiled" : "failed")
                console.out("\(file.file)  (\(how), \(String(format: "%.2f", file.seconds)) s)")
                for p in specs { console.out(describe(p)) }
            }
        }
        for d in catalog.diagnostics { console.err(d.description) }
        let errorFiles = Set(catalog.diagnostics.filter { $0.severity == .error }.map(\.file)).count
        let errors = catalog.diagnostics.filter { $0.severity == .error }.count
        let summary = "\(catalog.pipelines.count) pipeline\(catalog.pipelines.count == 1 ? "" : "s") OK in \(catalog.files.count) file\(catalog.files.count == 1 ? "" : "s")"
            + (errors > 0 ? "; \(errors) error\(errors == 1 ? "" : "s") in \(errorFiles) file\(errorFiles == 1 ? "" : "s")" : "")
            + String(format: " (%.2f s)", seconds)
        if !quiet || errors > 0 { (errors > 0 ? console.err : console.out)(summary) }
        return catalog.hasErrors ? .failure : .success
    }

    static func describe(_ p: PipelineSpec) -> String {
        var lines = ["  \(p.name)"]
        if let d = p.description { lines.append("    \(d)") }
        var schedule = "    schedule   \(p.schedule.summary)"
        if p.schedule.kind == "cron", let e = p.schedule.expression, let cron = try? CronExpression(e),
           let zone = CronExpression.timeZone(named: p.schedule.timeZone ?? ""), let next = cron.next(after: Date(), in: zone) {
            let f = DateFormatter()
            f.timeZone = zone
            f.dateFormat = "yyyy-MM-dd HH:mm"
            schedule += " (next \(f.string(from: next)) \(indonesianZoneName(zone)))"
        }
        lines.append(schedule)
        if let o = p.owner { lines.append("    owner      \(o)") }
        lines.append("    source     \(stage(p.source))")
        for t in p.transforms { lines.append("    transform  \(stage(t))") }
        lines.append("    sink       \(stage(p.sink))")
        var options: [String] = []
        if p.retries > 0 { options.append("retries \(p.retries)") }
        if let t = p.timeoutSeconds { options.append("timeout \(t) s") }
        for e in p.expectations { options.append("\(e.kind) \(e.value)") }
        if !options.isEmpty { lines.append("    options    " + options.joined(separator: ", ")) }
        if let url = p.notifyURL { lines.append("    notify     webhook \(Redaction.redactURL(url))") }
        return lines.joined(separator: "\n")
    }

    /// WIB, WITA or WIT for Indonesia's zones; otherwise the zone's identifier.
    static func indonesianZoneName(_ zone: TimeZone) -> String {
        switch zone.secondsFromGMT() {
        case 7 * 3600 where zone.identifier.hasPrefix("Asia/"): return "WIB"
        case 8 * 3600 where ["Asia/Makassar", "Asia/Ujung_Pandang"].contains(zone.identifier): return "WITA"
        case 9 * 3600 where zone.identifier == "Asia/Jayapura": return "WIT"
        default: return zone.identifier
        }
    }

    static func stage(_ s: StageSpec) -> String {
        guard !s.options.isEmpty else { return s.plugin }
        return s.plugin + " (" + s.options.keys.sorted().map { "\($0): \(s.options[$0]!)" }.joined(separator: ", ") + ")"
    }
}

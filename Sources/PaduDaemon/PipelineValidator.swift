import Foundation
import PaduCore

/// Semantic checks on the pipelines of all files together: names, plugins and their
/// options, schedules, `after` references and cycles. Every problem carries the file:line
/// where the offending value was written.
public struct PipelineValidator: Sendable {
    public let registry: PluginRegistry

    public init(registry: PluginRegistry) {
        self.registry = registry
    }

    /// Pipelines that passed, and diagnostics for those that did not.
    public func validate(_ pipelines: [PipelineSpec]) -> (valid: [PipelineSpec], diagnostics: [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        var firstByName: [String: PipelineSpec] = [:]
        var candidates: [PipelineSpec] = []
        for p in pipelines {
            let file = p.file ?? "<pipeline>"
            if let first = firstByName[p.name] {
                diagnostics.append(Diagnostic(file: file, at: p.location,
                    "pipeline name '\(p.name)' is already used at \(first.file ?? ""):\(first.location?.line ?? 0); names must be unique"))
                diagnostics += check(p)
                continue
            }
            firstByName[p.name] = p
            let problems = check(p)
            if problems.isEmpty { candidates.append(p) } else { diagnostics += problems }
        }
        // `after` must name a pipeline that exists, and the graph must have no cycle.
        let known = Set(firstByName.keys)
        var valid: [PipelineSpec] = []
        for p in candidates {
            if p.schedule.kind == "after", let upstream = p.schedule.pipeline, !known.contains(upstream) {
                let near = TextUtilities.closest(to: upstream, among: Array(known))
                diagnostics.append(Diagnostic(file: p.file ?? "", at: p.schedule.location ?? p.location,
                    "after(\"\(upstream)\") names no pipeline" + (near.map { "; did you mean '\($0)'?" } ?? "")
                        + " (a pipeline in a file that failed to load does not exist either)"))
            } else {
                valid.append(p)
            }
        }
        let cyclic = Self.cycles(valid)
        for p in valid where cyclic[p.name] != nil {
            diagnostics.append(Diagnostic(file: p.file ?? "", at: p.schedule.location ?? p.location,
                "dependency cycle: \(cyclic[p.name]!.joined(separator: " → ")); a pipeline cannot run after itself"))
        }
        return (valid.filter { cyclic[$0.name] == nil }, diagnostics)
    }

    private func check(_ p: PipelineSpec) -> [Diagnostic] {
        let file = p.file ?? "<pipeline>"
        var out: [Diagnostic] = []
        if p.name.range(of: "^[a-z0-9][a-z0-9-]{0,62}$", options: .regularExpression) == nil {
            out.append(Diagnostic(file: file, at: p.location,
                "pipeline name '\(p.name)' is not valid; use lower-case letters, digits and '-' (at most 63), e.g. 'p3ke-lampung-tengah'"))
        }
        out += checkStage(p.source, .source, file: file)
        for t in p.transforms { out += checkStage(t, .transform, file: file) }
        out += checkFields(p, file: file)
        out += checkStage(p.sink, .sink, file: file)
        out += checkSchedule(p.schedule, file: file, fallback: p.location)
        if p.retries < 0 || p.retries > 100 {
            out.append(Diagnostic(file: file, at: p.location, "retries must be between 0 and 100, got \(p.retries)"))
        }
        if let t = p.timeoutSeconds, t <= 0 {
            out.append(Diagnostic(file: file, at: p.location, "timeout must be positive, got \(t) s"))
        }
        if let url = p.notifyURL, !WebhookSettings.isWebhookURL(url) {
            out.append(Diagnostic(file: file, at: p.location, "notify: .webhook needs an http:// or https:// URL"))
        }
        for e in p.expectations {
            switch (e.kind, e.value) {
            case ("minRowsLoaded", .int(let n)) where n >= 0: break
            case ("maxQuarantineRate", .double(let d)) where (0...1).contains(d): break
            case ("maxQuarantineRate", .int(let n)) where (0...1).contains(n): break
            case ("validNIKShare", .map), ("nonEmpty", .map), ("noNegativeAmounts", .map), ("rowCountWithin", .map): break
            default:
                out.append(Diagnostic(file: file, at: p.location, "expectation \(e.kind)(\(e.value)) is not valid: "
                    + "minRowsLoaded takes a count ≥ 0, maxQuarantineRate a fraction from 0 to 1"))
            }
        }
        return out
    }

    private func checkStage(_ s: StageSpec, _ kind: PluginKind, file: String) -> [Diagnostic] {
        guard let plugin = registry.plugin(named: s.plugin) else {
            let names = registry.names(of: kind)
            let near = TextUtilities.closest(to: s.plugin, among: names)
            return [Diagnostic(file: file, at: s.location, "unknown \(kind) plugin '\(s.plugin)'"
                + (near.map { "; did you mean '\($0)'?" } ?? ".") + " Registered \(kind)s: \(names.joined(separator: ", "))")]
        }
        guard plugin.kind == kind else {
            return [Diagnostic(file: file, at: s.location, "'\(s.plugin)' is a \(plugin.kind) plugin, used here as a \(kind)")]
        }
        return plugin.problems(with: s.options).map { Diagnostic(file: file, at: s.location, $0) }
    }

    /// Fields a stage reads that the source's rows do not have (when the source declares them).
    private func checkFields(_ p: PipelineSpec, file: String) -> [Diagnostic] {
        guard let schema = registry.plugin(named: p.source.plugin)?.outputSchema else { return [] }
        var out: [Diagnostic] = []
        for stage in p.transforms + [p.sink] {
            guard let plugin = registry.plugin(named: stage.plugin), plugin.problems(with: stage.options).isEmpty else { continue }
            for field in plugin.fieldsRead(PluginOptions(stage.options)) where schema.index(of: field) == nil {
                let near = TextUtilities.closest(to: field, among: schema.names)
                out.append(Diagnostic(file: file, at: stage.location,
                    "'\(stage.plugin)' reads field '\(field)', which rows from '\(p.source.plugin)' do not have"
                        + (near.map { "; did you mean '\($0)'?" } ?? "; they have: \(schema.names.joined(separator: ", "))")))
            }
        }
        return out
    }

    private func checkSchedule(_ s: ScheduleSpec, file: String, fallback: SpecLocation?) -> [Diagnostic] {
        let at = s.location ?? fallback
        switch s.kind {
        case "manual": return []
        case "cron":
            var out: [Diagnostic] = []
            do { _ = try CronExpression(s.expression ?? "") } catch {
                out.append(Diagnostic(file: file, at: at, "invalid cron expression \"\(s.expression ?? "")\": \(error.message)"))
            }
            if CronExpression.timeZone(named: s.timeZone ?? "") == nil {
                out.append(Diagnostic(file: file, at: at, "unknown time zone '\(s.timeZone ?? "")'; use an IANA name such as Asia/Jakarta, or WIB, WITA, WIT"))
            }
            return out
        case "every":
            guard let seconds = s.seconds, seconds >= 1 else {
                return [Diagnostic(file: file, at: at, "every(...) needs a positive interval")]
            }
            if let jitter = s.jitterSeconds, jitter < 0 || jitter >= seconds {
                return [Diagnostic(file: file, at: at, "jitter must be at least 0 and shorter than the interval (\(seconds) s)")]
            }
            return []
        case "fileArrival":
            if (s.folder ?? "").isEmpty { return [Diagnostic(file: file, at: at, "fileArrival(in:) needs a folder")] }
            if (s.pattern ?? "").isEmpty { return [Diagnostic(file: file, at: at, "fileArrival(matching:) needs a pattern such as \"*.csv\"")] }
            return []
        case "after":
            return (s.pipeline ?? "").isEmpty ? [Diagnostic(file: file, at: at, "after(...) needs a pipeline name")] : []
        default:
            return [Diagnostic(file: file, at: at, "unknown schedule kind '\(s.kind)'")]
        }
    }

    /// For each pipeline on a cycle of `after` edges, the cycle as names.
    static func cycles(_ pipelines: [PipelineSpec]) -> [String: [String]] {
        var upstream: [String: String] = [:]
        for p in pipelines where p.schedule.kind == "after" { upstream[p.name] = p.schedule.pipeline }
        var result: [String: [String]] = [:]
        for start in upstream.keys {
            var path = [start]
            var current = start
            while let next = upstream[current] {
                if next == start {
                    result[start] = path + [start]
                    break
                }
                if path.contains(next) { break }
                path.append(next)
                current = next
            }
        }
        return result
    }
}

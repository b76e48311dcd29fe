import Dispatch
import Foundation

/// Options of one run.
public struct RunOptions: Sendable {
    /// Files to read; empty = the source's own inputs (its `path` option).
    public var inputs: [String]
    /// Load inputs even when the same content was loaded by the same pipeline version.
    public var force: Bool
    /// What started the run (`manual`, `cron`, `file-arrival`, ...), recorded with it.
    public var trigger: String
    /// When set, the run stops (rolling back its current input) once this time has passed.
    public var deadline: Date?
    /// Fetches remote inputs (URLs); without one, every input is a local path.
    public var resolver: (any InputResolver)?
    /// The run's OpenLineage run id, recorded with the run (so an interrupted run can be reported).
    public var lineageRunID: String?
    /// When cancelled (a daemon shutting down), the run stops after the current batch: the input
    /// being read is rolled back and the run is recorded as interrupted.
    public var cancellation: RunCancellation?
    /// Called after each batch with how far the current input is (for progress displays).
    public var progress: (@Sendable (RunProgress) -> Void)?

    public init(inputs: [String] = [], force: Bool = false, trigger: String = "manual", deadline: Date? = nil,
                resolver: (any InputResolver)? = nil, lineageRunID: String? = nil) {
        self.lineageRunID = lineageRunID
        self.inputs = inputs
        self.force = force
        self.trigger = trigger
        self.deadline = deadline
        self.resolver = resolver
    }

    /// `path` as recorded: URLs as written, local paths absolute and normalised.
    func normalise(_ path: String) -> String {
        resolver?.handles(path) == true ? path : InputFile.absolutePath(path)
    }
}

/// What became of one input.
public struct InputResult: Sendable {
    public let path: String
    public let status: InputStatus
    public let counts: RowCounts
    /// Why it failed or was skipped; empty when it loaded.
    public let message: String
    /// Inputs whose contribution this one replaced.
    public let replaced: [Int64]
    public let inputID: Int64?
    /// The data-quality expectations checked on the input.
    public var expectations: [ExpectationResult] = []

    public init(path: String, status: InputStatus, counts: RowCounts, message: String, replaced: [Int64], inputID: Int64?,
                expectations: [ExpectationResult] = []) {
        self.path = path
        self.status = status
        self.counts = counts
        self.message = message
        self.replaced = replaced
        self.inputID = inputID
        self.expectations = expectations
    }
}

/// How far a run is in its current input.
public struct RunProgress: Sendable {
    public let pipeline: String
    public let input: String
    /// Rows read from this input so far.
    public let rows: Int
    public let bytesRead: Int64
    /// The input's size (its local copy), 0 when unknown.
    public let bytesTotal: Int64
    /// Seconds since the input was opened.
    public let seconds: Double
}

/// A flag a daemon raises to stop its runs between batches.
public final class RunCancellation: @unchecked Sendable {
    private let lock = NSLock()
    private var cancelled = false
    public init() {}
    public func cancel() { lock.lock(); cancelled = true; lock.unlock() }
    public var isCancelled: Bool { lock.lock(); defer { lock.unlock() }; return cancelled }
}

/// The outcome of a run.
public struct RunResult: Sendable {
    public let runID: Int64
    public let pipeline: String
    public let status: RunStatus
    public let counts: RowCounts
    public let inputs: [InputResult]
    public let message: String?
    public let seconds: Double
}

/// A failure of the engine's own rules (not of the data).
public enum RunError: Error, Sendable, CustomStringConvertible {
    case unknownPlugin(String, PluginKind)
    case wrongKind(String, expected: PluginKind)
    case invalidOptions(String, [String])
    case rowsUnaccounted(stage: String, received: Int, returned: Int, rejected: Int)
    case expectationFailed(String)
    case timedOut(seconds: Int?)
    case stopped
    case unreadableInput(path: String, reason: String)

    public var description: String {
        switch self {
        case .unknownPlugin(let name, let kind): return "no \(kind) plugin named '\(name)' is registered (see `padu plugins`)"
        case .wrongKind(let name, let kind): return "plugin '\(name)' is not a \(kind) plugin"
        case .invalidOptions(let name, let problems): return "plugin '\(name)': " + problems.joined(separator: "; ")
        case .rowsUnaccounted(let stage, let received, let returned, let rejected):
            return "stage '\(stage)' received \(received) rows but returned \(returned) and rejected \(rejected): "
                + "\(received - returned - rejected) rows unaccounted for; the input was rolled back (this is a bug in the plugin)"
        case .expectationFailed(let message): return "expectation failed: \(message); the input was rolled back"
        case .timedOut(let seconds): return "the run exceeded its timeout" + (seconds.map { " of \($0) s" } ?? "") + "; the current input was rolled back"
        case .stopped: return "stopped because Padu is shutting down; the current input was rolled back and will be read again"
        case .unreadableInput(let path, let reason): return "cannot read \(path): \(reason)"
        }
    }
}

/// Streams each input of a pipeline through its stages into the store, one transaction per
/// input, with bounded memory (one batch at a time), and checks that every row is accounted for.
public final class PipelineRunner {
    public let spec: PipelineSpec
    private let registry: PluginRegistry
    private let store: any IngestStore
    private let logger: Logger

    public init(spec: PipelineSpec, registry: PluginRegistry, store: any IngestStore, logger: Logger = .silent) {
        self.spec = spec
        self.registry = registry
        self.store = store
        self.logger = logger.with(["pipeline": spec.name])
    }

    private struct Stages {
        var source: (name: String, stage: any SourceStage)
        var transforms: [(name: String, stage: any TransformStage)]
        var sink: (name: String, stage: any SinkStage)
        var chain: [String]
    }

    private func makeStages() throws -> Stages {
        func descriptor(_ s: StageSpec, _ kind: PluginKind) throws -> PluginDescriptor {
            guard let d = registry.plugin(named: s.plugin) else { throw RunError.unknownPlugin(s.plugin, kind) }
            guard d.kind == kind else { throw RunError.wrongKind(s.plugin, expected: kind) }
            let problems = d.problems(with: s.options)
            guard problems.isEmpty else { throw RunError.invalidOptions(s.plugin, problems) }
            return d
        }
        let sd = try descriptor(spec.source, .source)
        guard case .source(let source) = try sd.make(PluginOptions(spec.source.options)) else { throw RunError.wrongKind(sd.name, expected: .source) }
        var transforms: [(String, any TransformStage)] = []
        var chain = ["\(sd.name)@\(sd.version)"]
        for t in spec.transforms {
            let td = try descriptor(t, .transform)
            guard case .transform(let stage) = try td.make(PluginOptions(t.options)) else { throw RunError.wrongKind(td.name, expected: .transform) }
            transforms.append(("\(td.name)@\(td.version)", stage))
            chain.append("\(td.name)@\(td.version)")
        }
        let kd = try descriptor(spec.sink, .sink)
        guard case .sink(let sink) = try kd.make(PluginOptions(spec.sink.options)) else { throw RunError.wrongKind(kd.name, expected: .sink) }
        chain.append("\(kd.name)@\(kd.version)")
        return Stages(source: (sd.name, source), transforms: transforms, sink: (kd.name, sink), chain: chain)
    }

    /// Runs the pipeline once. Data problems never throw: they fail the input they concern
    /// and are reported in the result. Only a store failure (the warehouse itself) throws.
    public func run(_ options: RunOptions = RunOptions()) throws -> RunResult {
        let started = Date()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let specJSON = String(decoding: (try? encoder.encode(spec)) ?? Data(), as: UTF8.self)
        let version = spec.versionHash

        let stages: Stages
        do {
            stages = try makeStages()
        } catch {
            let runID = try store.beginRun(RunStart(pipeline: spec.name, pipelineVersion: version, pipelineFile: spec.file,
                                                    trigger: options.trigger, stageChain: [], specJSON: specJSON,
                                                    lineageRunID: options.lineageRunID))
            let message = "\(error)"
            try store.finishRun(runID, status: .failed, counts: RowCounts(), message: message)
            logger.error("run could not start: \(message)", ["run": String(runID)])
            return RunResult(runID: runID, pipeline: spec.name, status: .failed, counts: RowCounts(), inputs: [],
                             message: message, seconds: Date().timeIntervalSince(started))
        }

        let runID = try store.beginRun(RunStart(pipeline: spec.name, pipelineVersion: version, pipelineFile: spec.file,
                                                trigger: options.trigger, stageChain: stages.chain, specJSON: specJSON,
                                                lineageRunID: options.lineageRunID))
        let log = logger.with(["run": String(runID)])
        let context = StageContext(pipeline: spec.name, runID: runID, baseDirectory: spec.baseDirectory, logger: log, store: store)
        log.info("run started", ["trigger": options.trigger, "stages": stages.chain.joined(separator: ",")])

        var paths = options.inputs.map(options.normalise)
        var runMessage: String?
        if paths.isEmpty {
            do {
                paths = try stages.source.stage.defaultInputs(context: context).map(options.normalise)
                if paths.isEmpty { runMessage = "no input found: nothing matched the source's path option or is waiting in the inbox" }
            } catch {
                runMessage = "\(error)"
                try store.finishRun(runID, status: .failed, counts: RowCounts(), message: runMessage)
                log.error("run failed: \(error)")
                return RunResult(runID: runID, pipeline: spec.name, status: .failed, counts: RowCounts(), inputs: [],
                                 message: runMessage, seconds: Date().timeIntervalSince(started))
            }
        }

        var results: [InputResult] = []
        var total = RowCounts()
        var timedOut = false
        for path in paths {
            if timedOut {
                let message = options.cancellation?.isCancelled == true
                    ? "not read: Padu was shutting down before reaching this input"
                    : "not read: the run exceeded its timeout before reaching this input"
                try store.recordInput(runID: runID, pipeline: spec.name, pipelineVersion: version, plugin: stages.source.name,
                                      path: path, file: nil, status: .failed, message: message)
                results.append(InputResult(path: path, status: .failed, counts: RowCounts(), message: message, replaced: [], inputID: nil))
                continue
            }
            let result = try ingest(path: path, stages: stages, version: version, options: options, context: context, timedOut: &timedOut)
            results.append(result)
            total = total + result.counts
        }

        let failed = results.filter { $0.status == .failed }.count
        var status: RunStatus = failed == 0 ? .succeeded : (failed == results.count ? .failed : .partial)
        if failed > 0 { runMessage = "\(failed) of \(results.count) inputs failed" }
        if timedOut { runMessage = "\(RunError.timedOut(seconds: spec.timeoutSeconds))" }
        if timedOut, options.cancellation?.isCancelled == true {
            status = .interrupted
            runMessage = "\(RunError.stopped)"
        }
        try store.finishRun(runID, status: status, counts: total, message: runMessage)
        log.info("run finished", ["status": status.rawValue, "read": String(total.read), "loaded": String(total.loaded),
                                  "quarantined": String(total.quarantined), "skipped": String(total.skipped)])
        return RunResult(runID: runID, pipeline: spec.name, status: status, counts: total, inputs: results,
                         message: runMessage, seconds: Date().timeIntervalSince(started))
    }

    /// One input, one transaction.
    private func ingest(path: String, stages: Stages, version: String, options: RunOptions, context: StageContext,
                        timedOut: inout Bool) throws -> InputResult {
        let log = context.logger.with(["input": path])
        let file: InputFile
        do {
            if let resolver = options.resolver, resolver.handles(path) {
                file = try InputFile.inspect(path: resolver.localFile(for: path), origin: path)
            } else {
                file = try InputFile.inspect(path: path)
            }
        } catch {
            try store.recordInput(runID: context.runID, pipeline: spec.name, pipelineVersion: version, plugin: stages.source.name,
                                  path: path, file: nil, status: .failed, message: "\(error)")
            log.error("input failed: \(error)")
            return InputResult(path: path, status: .failed, counts: RowCounts(), message: "\(error)", replaced: [], inputID: nil)
        }

        if !options.force, let previous = try store.previousLoad(pipeline: spec.name, sha256: file.sha256, pipelineVersion: version) {
            let message = "already loaded by run \(previous.runID) (input \(previous.inputID), same content and pipeline version); use --force to load it again"
            try store.recordInput(runID: context.runID, pipeline: spec.name, pipelineVersion: version, plugin: stages.source.name,
                                  path: path, file: file, status: .skipped, message: message)
            log.info("input skipped: \(message)")
            return InputResult(path: path, status: .skipped, counts: RowCounts(), message: message, replaced: [], inputID: nil)
        }

        let input = try store.beginInput(runID: context.runID, pipeline: spec.name, pipelineVersion: version,
                                         plugin: stages.source.name, file: file)
        var counts = RowCounts()
        var tally = ReasonTally()
        var stats = QualityStats()
        var results: [ExpectationResult] = []
        var timings = stages.chain.enumerated().map { StageTiming(position: $0.offset, stage: $0.element) }
        expectationFailure = nil
        do {
            try stream(input: input, file: file, stages: stages, options: options, context: context, counts: &counts, tally: &tally,
                       stats: &stats, timings: &timings)
            guard counts.isBalanced else {
                throw RunError.rowsUnaccounted(stage: "run", received: counts.read,
                                               returned: counts.loaded, rejected: counts.quarantined + counts.skipped)
            }
            results = try checkExpectations(counts, tally: tally, stats: stats, previousRows: try store.previousRowCount(pipeline: spec.name))
            for r in results where !r.passed {
                log.warning("expectation not met (warn): \(r.message)", ["expectation": r.name])
            }
            let replaced = try store.commitInput(input, pipeline: spec.name, counts: counts)
            try store.storeExpectationResults(results, inputID: input.id, runID: context.runID)
            try store.storeStageTimings(timings, inputID: input.id, runID: context.runID)
            log.info("input loaded", ["read": String(counts.read), "loaded": String(counts.loaded),
                                      "quarantined": String(counts.quarantined), "skipped": String(counts.skipped),
                                      "sha256": String(file.sha256.prefix(12))])
            return InputResult(path: path, status: .loaded, counts: counts, message: "", replaced: replaced, inputID: input.id,
                               expectations: results)
        } catch {
            if case RunError.timedOut = error { timedOut = true }
            if case RunError.stopped = error { timedOut = true }
            // A remote input is named as written, not by its cached copy.
            let message = file.origin == nil ? "\(error)" : "\(error)".replacingOccurrences(of: file.path, with: file.identity)
            let failedID = try store.abandonInput(input, runID: context.runID, counts: counts, message: message)
            if case RunError.expectationFailed = error { results = expectationFailure ?? results }
            try store.storeExpectationResults(results, inputID: failedID, runID: context.runID)
            try store.storeStageTimings(timings, inputID: failedID, runID: context.runID)
            log.error("input failed, nothing of it was loaded: \(message)")
            // Nothing of a failed input is in the warehouse, so it adds nothing to the run's counts.
            return InputResult(path: path, status: .failed, counts: RowCounts(), message: message, replaced: [], inputID: failedID,
                               expectations: results)
        }
    }

    private func stream(input: InputRef, file: InputFile, stages: Stages, options: RunOptions,
                        context: StageContext, counts: inout RowCounts, tally: inout ReasonTally, stats: inout QualityStats,
                        timings: inout [StageTiming]) throws {
        let watched = watchedFields
        let sinkPosition = timings.count - 1
        var clock = StageClock()
        let reader = try stages.source.stage.open(input, file: file, context: context)
        defer { reader.close() }
        let opened = Date()
        timings[0].seconds += clock.lap()
        try stages.sink.stage.beginInput(input, file: file, context: context)
        timings[sinkPosition].seconds += clock.lap()
        while true {
            if let deadline = options.deadline, Date() > deadline { throw RunError.timedOut(seconds: spec.timeoutSeconds) }
            if options.cancellation?.isCancelled == true { throw RunError.stopped }
            var rejections = Rejections()
            let next = try reader.next(rejections: &rejections)
            timings[0].seconds += clock.lap()
            timings[0].rowsIn += (next?.count ?? 0) + rejections.count
            timings[0].rowsOut += next?.count ?? 0
            let columns = reader.takeColumns()
            if !columns.isEmpty { try store.storeColumns(columns, input: input) }
            counts.read += (next?.count ?? 0) + rejections.count
            try record(&rejections, stage: stages.source.name, input: input, context: context, counts: &counts, tally: &tally)
            guard var batch = next else { break }

            for (index, (name, transform)) in stages.transforms.enumerated() where !batch.isEmpty {
                var rejected = Rejections()
                _ = clock.lap()
                let out = try transform.process(batch, rejections: &rejected, context: context)
                timings[index + 1].seconds += clock.lap()
                timings[index + 1].rowsIn += batch.count
                timings[index + 1].rowsOut += out.count
                guard out.count + rejected.count == batch.count else {
                    throw RunError.rowsUnaccounted(stage: String(name.prefix { $0 != "@" }), received: batch.count, returned: out.count, rejected: rejected.count)
                }
                try record(&rejected, stage: String(name.prefix { $0 != "@" }), input: input, context: context, counts: &counts, tally: &tally)
                if !rejected.corrections.isEmpty {
                    let stamped = rejected.corrections.map { c -> Correction in var c = c; c.rule = name; return c }
                    try store.storeCorrections(stamped, input: input, runID: context.runID)
                }
                batch = out
            }
            guard !batch.isEmpty else { continue }
            if watched.any {
                stats.observe(batch, nonEmptyFields: watched.nonEmpty, amountFields: watched.amounts, watchNIK: watched.nik)
            }
            var rejected = Rejections()
            _ = clock.lap()
            let loaded = try stages.sink.stage.write(batch, rejections: &rejected, context: context)
            timings[sinkPosition].seconds += clock.lap()
            timings[sinkPosition].rowsIn += batch.count
            timings[sinkPosition].rowsOut += loaded
            guard loaded + rejected.count == batch.count else {
                throw RunError.rowsUnaccounted(stage: stages.sink.name, received: batch.count, returned: loaded, rejected: rejected.count)
            }
            try record(&rejected, stage: stages.sink.name, input: input, context: context, counts: &counts, tally: &tally)
            counts.loaded += loaded
            options.progress?(RunProgress(pipeline: spec.name, input: input.path, rows: counts.read, bytesRead: reader.bytesRead,
                                          bytesTotal: file.size, seconds: Date().timeIntervalSince(opened)))
        }
        _ = clock.lap()
        try stages.sink.stage.finishInput(input, context: context)
        timings[sinkPosition].seconds += clock.lap()
    }

    private func record(_ rejections: inout Rejections, stage: String, input: InputRef, context: StageContext,
                        counts: inout RowCounts, tally: inout ReasonTally) throws {
        guard !rejections.isEmpty else { return }
        counts.quarantined += rejections.quarantinedCount
        counts.skipped += rejections.skippedCount
        for r in rejections.items where r.disposition == .quarantined { tally.add(r) }
        let stamped = rejections.items.map { r -> Rejection in var r = r; r.stage = stage; return r }
        try store.storeRejections(stamped, input: input, runID: context.runID)
    }

    /// Set when an error-level expectation failed, with every result, for the failed input's record.
    private var expectationFailure: [ExpectationResult]?

    /// What the data-quality expectations need counted at the sink.
    private var watchedFields: (nik: Bool, nonEmpty: [String], amounts: [String], any: Bool) {
        var nik = false, nonEmpty: [String] = [], amounts: [String] = []
        for e in spec.expectations {
            let field = e.value.mapValue?["field"].flatMap { if case .string(let s) = $0 { return s } else { return nil } }
            switch e.kind {
            case "validNIKShare": nik = true
            case "nonEmpty": if let field { nonEmpty.append(field) }
            case "noNegativeAmounts": amounts.append(field ?? "nilai")
            default: break
            }
        }
        return (nik, nonEmpty, amounts, nik || !nonEmpty.isEmpty || !amounts.isEmpty)
    }

    /// Checks every expectation of the pipeline on an input; throws for the first error-level one
    /// not met (the input is rolled back), returns all results otherwise.
    private func checkExpectations(_ counts: RowCounts, tally: ReasonTally, stats: QualityStats, previousRows: Int?) throws -> [ExpectationResult] {
        var results: [ExpectationResult] = []
        var firstError: String?
        func percent(_ x: Double) -> String { String(format: "%.1f%%", x * 100) }
        for e in spec.expectations {
            let options = e.value.mapValue ?? [:]
            func number(_ key: String) -> Double? {
                switch options[key] { case .double(let d)?: return d; case .int(let n)?: return Double(n); default: return nil }
            }
            let severity: String = { if case .string(let s)? = options["severity"] { return s } else { return "error" } }()
            let field: String? = { if case .string(let s)? = options["field"] { return s } else { return nil } }()
            let result: ExpectationResult
            switch e.kind {
            case "minRowsLoaded":
                guard case .int(let n) = e.value else { continue }
                result = ExpectationResult(name: e.kind, severity: "error", passed: counts.loaded >= n,
                                           observed: "\(counts.loaded) rows loaded", expected: "at least \(n) expected")
            case "maxQuarantineRate":
                let limit: Double
                switch e.value { case .double(let d): limit = d; case .int(let n): limit = Double(n); default: continue }
                let rate = counts.read == 0 ? 0 : Double(counts.quarantined) / Double(counts.read)
                result = ExpectationResult(name: e.kind, severity: "error", passed: rate <= limit,
                                           observed: "\(percent(rate)) of rows quarantined (\(counts.quarantined) of \(counts.read))",
                                           expected: "at most \(percent(limit)) allowed",
                                           field: nil)
            case "validNIKShare":
                let atLeast = number("atLeast") ?? 0.98
                let share = counts.read == 0 ? 1 : Double(stats.validNIK) / Double(counts.read)
                result = ExpectationResult(name: e.kind, severity: severity, passed: share >= atLeast,
                                           observed: "\(percent(share)) of rows have a valid NIK (\(stats.validNIK) of \(counts.read))",
                                           expected: "at least \(percent(atLeast)) expected", field: "nik")
            case "nonEmpty":
                guard let field else { continue }
                let atLeast = number("atLeast") ?? 1
                let base = counts.read - counts.skipped
                let filled = stats.nonEmpty[field] ?? 0
                let share = base == 0 ? 1 : Double(filled) / Double(base)
                result = ExpectationResult(name: e.kind, severity: severity, passed: share >= atLeast,
                                           observed: "\(field) is filled in \(percent(share)) of rows (\(filled) of \(base))",
                                           expected: "at least \(percent(atLeast)) expected", field: field)
            case "noNegativeAmounts":
                let f = field ?? "nilai"
                let negative = stats.negative[f] ?? 0
                result = ExpectationResult(name: e.kind, severity: severity, passed: negative == 0,
                                           observed: "\(negative) negative amount\(negative == 1 ? "" : "s") in \(f)", expected: "none expected", field: f)
            case "rowCountWithin":
                let within = number("percent") ?? 30
                guard let previous = previousRows, previous > 0 else {
                    result = ExpectationResult(name: e.kind, severity: severity, passed: true,
                                               observed: "\(counts.read) rows read; no earlier loaded input to compare with",
                                               expected: "within ±\(Int(within))% of the last loaded input")
                    break
                }
                let change = Double(counts.read - previous) / Double(previous)
                result = ExpectationResult(name: e.kind, severity: severity, passed: abs(change) <= within / 100,
                                           observed: "\(counts.read) rows read, \(change >= 0 ? "+" : "")\(percent(change)) against the last loaded input (\(previous))",
                                           expected: "within ±\(Int(within))% expected")
            default:
                continue
            }
            results.append(result)
            if !result.passed && result.severity == "error" && firstError == nil {
                firstError = e.kind == "maxQuarantineRate" ? result.message + "; most frequent reasons: " + tally.summary : result.message
            }
        }
        if let firstError {
            expectationFailure = results
            throw RunError.expectationFailed(firstError)
        }
        return results
    }
}

extension InputFile {
    /// `path` made absolute against the working folder, without `.`/`..` components: the same
    /// file is always recorded under the same path.
    public static func absolutePath(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        return (absolute as NSString).standardizingPath
    }

    /// Stats and hashes a file (streaming).
    public static func inspect(path: String, origin: String? = nil) throws -> InputFile {
        var st = stat()
        guard stat(path, &st) == 0 else {
            throw RunError.unreadableInput(path: path, reason: String(cString: strerror(errno)))
        }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw RunError.unreadableInput(path: path, reason: "not a regular file") }
        let digest: SHA256Digest
        do { digest = try SHA256.hash(fileAt: path) } catch { throw RunError.unreadableInput(path: path, reason: "\(error)") }
        return InputFile(path: path, size: Int64(st.st_size), sha256: digest.hex,
                         modifiedAt: Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) / 1e9, origin: origin)
    }
}

/// Counts quarantine reasons of one input with one example each: when the input is rolled
/// back its quarantine rows go too, and this is what tells the steward why.
struct ReasonTally {
    private var counts: [String: Int] = [:]
    private var examples: [String: String] = [:]

    mutating func add(_ r: Rejection) {
        counts[r.reason.code, default: 0] += 1
        if examples[r.reason.code] == nil { examples[r.reason.code] = "row \(r.locator.row): \(r.reason.message)" }
    }

    /// `bad-nik 120 (e.g. row 19: ...), bad-date 3 (e.g. ...)`, the three most frequent.
    var summary: String {
        counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(3)
            .map { "\($0.key) \($0.value)× (e.g. \(examples[$0.key]!))" }.joined(separator: "; ")
    }
}

/// Monotonic lap timer for per-stage timings.
struct StageClock {
    private var last = DispatchTime.now().uptimeNanoseconds

    /// Seconds since the previous lap (or since the clock was made).
    mutating func lap() -> Double {
        let now = DispatchTime.now().uptimeNanoseconds
        defer { last = now }
        return Double(now &- last) / 1e9
    }
}

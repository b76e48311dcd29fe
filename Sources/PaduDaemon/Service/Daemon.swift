#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import PaduCore
import PaduFormats
import PaduOpenLineage
import PaduRemote
import PaduWarehouse

/// How a daemon runs.
public struct DaemonOptions: Sendable {
    public var home: String
    /// The pipeline files' folder.
    public var pipelines: String
    /// Runs at once (SQLite commits one input at a time; the others wait for the write lock).
    public var maxConcurrent = 2
    /// How often the loop looks at the clock, inboxes and pipeline files, at most.
    public var tick: TimeInterval = 1
    /// How long an inbox file must keep its size and time before it is read.
    public var fileSettle: TimeInterval = 5
    /// How long a graceful stop waits for running runs before stopping them between batches.
    public var stopDeadline: TimeInterval = 30
    /// The first retry's delay; each further one doubles it (up to an hour), with jitter.
    public var retryBase: TimeInterval = 30
    public var environment: [String: String]

    public init(home: String, pipelines: String, environment: [String: String]) {
        self.home = home
        self.pipelines = pipelines
        self.environment = environment
    }
}

/// The long-running scheduler: loads the pipeline files, fires cron and interval schedules,
/// takes complete files from inboxes, runs `after` chains, retries failed runs with backoff,
/// and answers the control socket; one process per home folder.
public final class Daemon: @unchecked Sendable {
    let options: DaemonOptions
    let loader: ManifestLoader
    let registry: PluginRegistry
    let logger: Logger
    let clock: any DaemonClock

    private let mutex = NSLock()
    private let wake = DispatchSemaphore(value: 0)
    private var catalog: [String: PipelineSpec] = [:]
    private var problems: [String] = []
    private var planners: [String: FirePlanner] = [:]
    private var trackers: [String: FileArrivalTracker] = [:]
    private var queue = RunQueue()
    private var running: [String: (trigger: RunTrigger, cancellation: RunCancellation, started: Date)] = [:]
    private var finished: [(trigger: RunTrigger, result: RunResult?, error: String?)] = []
    private var attempts: [String: Int] = [:]
    private var paused: Set<String> = []
    private var lastRuns: [String: String] = [:]
    private var reloadRequested = false
    private var stopRequested: Date?
    private var signalCount = 0
    private var pipelineFilesStamp = ""
    private var lastFileScan = Date.distantPast
    private var startedAt = Date()
    private var state: DaemonState!
    /// The main loop's own connection (status answers, bookkeeping); each run opens its own.
    private var warehouse: Warehouse!
    private var warehousePath: String { options.home + "/warehouse.sqlite" }
    /// Failed runs reported to webhooks, in the background.
    private var notifier: WebhookNotifier!
    private var lastMetricsWrite = Date.distantPast
    private var metricsProblem: String?
    /// How often the metrics file is rewritten when no run finishes.
    static let metricsInterval: TimeInterval = 15

    public init(options: DaemonOptions, loader: ManifestLoader, registry: PluginRegistry, logger: Logger, clock: any DaemonClock = SystemClock()) {
        self.options = options
        self.loader = loader
        self.registry = registry
        self.logger = logger
        self.clock = clock
    }

    /// Runs until stopped (SIGTERM, SIGINT, `padu stop`); returns the exit status.
    public func run() throws -> Int32 {
        let lock = try DaemonLock(home: options.home)
        _ = lock
        state = try DaemonState(home: options.home)
        startedAt = clock.now
        notifier = WebhookNotifier(settings: .from(environment: options.environment), logger: logger)
        let notifier = SystemdNotifier(environment: options.environment)

        // Runs a crash interrupted: marked, reported (OpenLineage ABORT), retried by their schedule.
        warehouse = try Warehouse(path: warehousePath)
        let service = RunService(warehouse: warehouse, registry: registry, logger: logger,
                                 openLineage: OpenLineageSettings.from(environment: options.environment, home: options.home))
        for id in try service.markInterruptedRuns() {
            logger.warning("run was interrupted (its process is gone); nothing of its unfinished input was kept", ["run": String(id)])
        }
        if try state.forgetUnfinishedFiles() > 0 {
            logger.warning("inbox files an interrupted daemon had taken will be read again")
        }
        try state.database.query("SELECT pipeline FROM schedule_state WHERE paused = 1") { r in
            if let p = r.text(0) { self.paused.insert(p) }
        }
        reload()
        // Retries that were waiting when the daemon stopped.
        try state.database.query("SELECT pipeline, attempt, next_at, inputs FROM retry") { r in
            guard let p = r.text(0), let next = r.double(2) else { return }
            self.attempts[p] = Int(r.int(1) ?? 1)
            let inputs = (r.text(3) ?? "").split(separator: "\n").map(String.init)
            _ = self.queue.enqueue(RunTrigger(pipeline: p, reason: .retry, inputs: inputs, notBefore: Date(timeIntervalSince1970: next)))
        }

        let server = ControlServer(socketPath: options.home + "/control.sock", onEvent: { [logger] e in logger.warning("\(e.description)") }) {
            [weak self] request, _ in
            self?.handle(request) ?? .failure("the daemon is stopping")
        }
        try server.start()
        let signals = installSignals()
        logger.info("daemon started", ["pid": String(getpid()), "home": options.home, "pipelines": String(catalog.count)])
        state.event("start", "pid \(getpid()), \(catalog.count) pipelines")
        notifier.notify("READY=1\nSTATUS=\(catalog.count) pipelines\nMAINPID=\(getpid())")
        var lastWatchdog = Date()

        while true {
            let exit = tick()
            if let interval = notifier.watchdogInterval, Date().timeIntervalSince(lastWatchdog) >= interval {
                notifier.notify("WATCHDOG=1")
                lastWatchdog = Date()
            }
            if exit { break }
            _ = wake.wait(timeout: .now() + options.tick)
        }
        notifier.notify("STOPPING=1")
        _ = server.stop(deadline: 5)
        writeMetrics(daemon: nil)
        if !self.notifier.waitUntilIdle(timeout: 10) {
            logger.warning("stopping with notifications still unsent")
        }
        for s in signals { s.cancel() }
        state.event("stop", "pid \(getpid())")
        logger.info("daemon stopped")
        return 0
    }

    // MARK: - The loop

    /// One pass; returns true when the daemon may exit.
    private func tick() -> Bool {
        mutex.lock()
        defer { mutex.unlock() }
        let now = clock.now
        let collected = collectFinished(now: now)
        defer {
            if collected || now.timeIntervalSince(lastMetricsWrite) >= Self.metricsInterval || now < lastMetricsWrite {
                lastMetricsWrite = now
                writeMetrics(daemon: snapshot())
            }
        }
        if let since = stopRequested {
            if running.isEmpty { return true }
            if now.timeIntervalSince(since) > options.stopDeadline {
                for r in running.values where !r.cancellation.isCancelled {
                    logger.warning("stop deadline passed: stopping the run after its current batch", ["pipeline": r.trigger.pipeline])
                    r.cancellation.cancel()
                }
            }
            return false
        }
        if reloadRequested || pipelineFilesChanged() {
            reloadRequested = false
            reload()
        }
        fireSchedules(now: now)
        if now.timeIntervalSince(lastFileScan) >= 1 {
            lastFileScan = now
            scanInboxes(now: now)
        }
        for trigger in queue.dequeueReady(now: now, running: Set(running.keys), limit: options.maxConcurrent) {
            start(trigger)
        }
        return false
    }

    private func fireSchedules(now: Date) {
        for (name, planner) in planners where planner.isTimed && !paused.contains(name) {
            guard let spec = catalog[name] else { continue }
            let saved = (try? state.schedule(name)) ?? DaemonState.Schedule(lastFire: nil, nextFire: nil, fires: 0, paused: false)
            let catchUp = CatchUp(rawValue: spec.schedule.catchUp ?? "once") ?? .once
            let plan = planner.plan(lastFire: saved.lastFire, daemonStart: startedAt, now: now, catchUp: catchUp)
            if let due = plan.due {
                let reason: RunTrigger.Reason = spec.schedule.kind == "cron" ? .cron : .interval
                _ = queue.enqueue(RunTrigger(pipeline: name, reason: reason, notBefore: due))
                logger.info("schedule fired", ["pipeline": name, "at": Self.iso(due), "late": plan.late ? "yes" : "no"])
            }
            if let last = plan.lastFire {
                try? state.recordFire(name, at: last, next: plan.next)
            } else if saved.nextFire != plan.next {
                try? state.setNextFire(name, plan.next)
            }
        }
    }

    /// Files in file-arrival inboxes whose size and time have settled become runs.
    private func scanInboxes(now: Date) {
        for (name, spec) in catalog where spec.schedule.kind == "fileArrival" && !paused.contains(name) {
            guard let folder = spec.schedule.folder else { continue }
            let inbox = folder.hasPrefix("/") ? folder : spec.baseDirectory + "/" + folder
            var listing: [String: FileObservation] = [:]
            for path in FileGlob.expand(inbox + "/" + (spec.schedule.pattern ?? "*"), relativeTo: spec.baseDirectory) {
                guard let a = try? FileManager.default.attributesOfItem(atPath: path), (a[.type] as? FileAttributeType) == .typeRegular,
                      let size = (a[.size] as? NSNumber)?.int64Value, let mtime = a[.modificationDate] as? Date else { continue }
                listing[path] = FileObservation(size: size, mtime: mtime)
            }
            var tracker = trackers[name] ?? FileArrivalTracker(settle: options.fileSettle)
            let ready = tracker.observe(listing, at: now)
            trackers[name] = tracker
            for path in ready {
                guard let o = listing[path], (try? state.fileSeen(name, path: path, size: o.size, mtime: o.mtime)) != true else { continue }
                try? state.recordFile(name, path: path, size: o.size, mtime: o.mtime, status: "queued")
                _ = queue.enqueue(RunTrigger(pipeline: name, reason: .file, inputs: [path], notBefore: now))
                logger.info("file arrived", ["pipeline": name, "file": path])
            }
        }
    }

    private func start(_ trigger: RunTrigger) {
        guard let spec = catalog[trigger.pipeline] else { return }
        let cancellation = RunCancellation()
        running[trigger.pipeline] = (trigger, cancellation, clock.now)
        let settings = OpenLineageSettings.from(environment: options.environment, home: options.home)
        let home = options.home, environment = options.environment, path = warehousePath, registry = self.registry, logger = self.logger
        let nominal = trigger.reason == .cron || trigger.reason == .interval ? trigger.notBefore : nil
        let thread = Thread { [weak self] in
            var result: RunResult?
            var failure: String?
            do {
                // Writers take turns on SQLite's write lock: wait for the other run's input, however long.
                let warehouse = try Warehouse(path: path, busyTimeoutMilliseconds: 6 * 3_600_000)
                let service = RunService(warehouse: warehouse, registry: registry, logger: logger,
                                         resolver: RemoteInputResolver(cacheDirectory: home + "/cache/remote", environment: environment),
                                         openLineage: settings)
                result = try service.run(spec, inputs: trigger.inputs, trigger: trigger.reason.rawValue, cancellation: cancellation,
                                         nominalStart: nominal)
            } catch {
                failure = "\(error)"
            }
            self?.finish(trigger, result: result, error: failure)
        }
        thread.name = "padu-run-\(trigger.pipeline)"
        thread.start()
        logger.info("run queued → started", ["pipeline": trigger.pipeline, "trigger": trigger.reason.rawValue])
    }

    private func finish(_ trigger: RunTrigger, result: RunResult?, error: String?) {
        mutex.lock()
        finished.append((trigger, result, error))
        mutex.unlock()
        wake.signal()
    }

    /// Bookkeeping after runs: `after` chains, retries, inbox files moved to processed/ or failed/,
    /// notifications of failed runs; returns whether a run had finished.
    private func collectFinished(now: Date) -> Bool {
        let done = finished
        finished = []
        for (trigger, result, error) in done {
            running[trigger.pipeline] = nil
            if let result {
                if let n = RunNotification.forRun(result, at: now) { notifier.enqueue(n, pipeline: catalog[trigger.pipeline]) }
            } else {
                notifier.enqueue(.forError(pipeline: trigger.pipeline, message: error ?? "the run failed", at: now), pipeline: catalog[trigger.pipeline])
            }
            let status = result?.status ?? .failed
            lastRuns[trigger.pipeline] = "run \(result.map { String($0.runID) } ?? "-") \(status.rawValue) at \(Self.iso(now))"
            if let error { logger.error("run could not be recorded: \(error)", ["pipeline": trigger.pipeline]) }
            if trigger.reason == .file { archive(trigger, result: result) }
            switch status {
            case .succeeded, .partial:
                attempts[trigger.pipeline] = nil
                _ = try? state.database.run("DELETE FROM retry WHERE pipeline = ?", [.text(trigger.pipeline)])
                for (name, spec) in catalog where spec.schedule.kind == "after" && spec.schedule.pipeline == trigger.pipeline && !paused.contains(name) {
                    _ = queue.enqueue(RunTrigger(pipeline: name, reason: .after, notBefore: now))
                }
            case .failed:
                guard let spec = catalog[trigger.pipeline] else { continue }
                let attempt = (attempts[trigger.pipeline] ?? 0) + 1
                let policy = RunRetryPolicy(pipeline: spec, base: options.retryBase)
                if policy.shouldRetry(afterAttempt: attempt) && stopRequested == nil {
                    attempts[trigger.pipeline] = attempt
                    let delay = policy.delay(afterAttempt: attempt, pipeline: trigger.pipeline)
                    let at = now.addingTimeInterval(delay)
                    _ = queue.enqueue(RunTrigger(pipeline: trigger.pipeline, reason: .retry, inputs: trigger.inputs, notBefore: at))
                    _ = try? state.database.run("""
                        INSERT OR REPLACE INTO retry(pipeline, attempt, next_at, inputs, reason) VALUES (?, ?, ?, ?, ?)
                        """, [.text(trigger.pipeline), .int(Int64(attempt)), .double(at.timeIntervalSince1970),
                              .text(trigger.inputs.joined(separator: "\n")), SQLValue(result?.message)])
                    logger.warning("run failed; retrying", ["pipeline": trigger.pipeline, "attempt": String(attempt + 1),
                                                             "in_seconds": String(Int(delay))])
                } else {
                    attempts[trigger.pipeline] = nil
                    _ = try? state.database.run("DELETE FROM retry WHERE pipeline = ?", [.text(trigger.pipeline)])
                }
            case .interrupted, .running:
                break
            }
        }
        return !done.isEmpty
    }

    // MARK: - Metrics

    /// The daemon's gauges: queued runs, running runs, inbox files waiting per file-arrival pipeline.
    private func snapshot() -> MetricsSnapshot {
        MetricsSnapshot(queueDepth: queue.pending.count, running: running.count, inputsWaiting: inputsWaiting())
    }

    /// Per file-arrival pipeline: inbox files still settling, plus those settled and queued.
    private func inputsWaiting() -> [String: Int] {
        var waiting: [String: Int] = [:]
        for (name, spec) in catalog where spec.schedule.kind == "fileArrival" {
            let queued = queue.pending.filter { $0.pipeline == name }.reduce(0) { $0 + $1.inputs.count }
            // A file just moved to processed/ stays in the tracker until the next scan: not counted.
            let settling = (trackers[name]?.settling ?? []).filter { FileManager.default.fileExists(atPath: $0) }.count
            waiting[name] = settling + queued
        }
        return waiting
    }

    /// Rewrites `<home>/metrics/padu.prom`; a failure is logged once until it changes.
    private func writeMetrics(daemon: MetricsSnapshot?) {
        do {
            let text = try MetricsExporter.text(warehouse: warehouse, daemon: daemon)
            try MetricsFile.write(text, to: MetricsFile.path(home: options.home))
            metricsProblem = nil
        } catch {
            let message = "\(error)"
            if message != metricsProblem { logger.warning("could not write the metrics file: \(message)") }
            metricsProblem = message
        }
    }

    /// Moves an inbox file after its run: `processed/` when it loaded or was already loaded,
    /// `failed/` when it failed; a run stopped by a shutdown leaves it to be read again.
    private func archive(_ trigger: RunTrigger, result: RunResult?) {
        guard let spec = catalog[trigger.pipeline] else { return }
        for path in trigger.inputs {
            let input = result?.inputs.first { $0.path == path || $0.path == InputFile.absolutePath(path) }
            if result?.status == .interrupted || input == nil && result == nil { continue }
            let ok = input.map { $0.status == .loaded || $0.status == .skipped } ?? false
            let folder = (path as NSString).deletingLastPathComponent
            let target = FileArrivalTracker.archivePath(for: path, outcome: ok ? .processed : .failed, runID: result.map { String($0.runID) } ?? "0",
                                                        existing: Set((try? FileManager.default.contentsOfDirectory(atPath: folder + "/" + (ok ? "processed" : "failed"))) ?? []))
            let destination = folder + "/" + target
            do {
                try FileManager.default.createDirectory(atPath: (destination as NSString).deletingLastPathComponent, withIntermediateDirectories: true,
                                                        attributes: [.posixPermissions: 0o700])
                if let a = try? FileManager.default.attributesOfItem(atPath: path), let size = (a[.size] as? NSNumber)?.int64Value,
                   let mtime = a[.modificationDate] as? Date {
                    try? state.recordFile(spec.name, path: path, size: size, mtime: mtime, status: ok ? "processed" : "failed",
                                          runID: result?.runID, movedTo: destination)
                }
                try FileManager.default.moveItem(atPath: path, toPath: destination)
                trackers[spec.name]?.release(path)
            } catch {
                logger.error("could not move the inbox file: \(error)", ["pipeline": spec.name, "file": path])
            }
        }
    }

    // MARK: - Pipelines

    /// Re-reads the pipeline files; a pipeline whose file is broken keeps its last good version.
    private func reload() {
        pipelineFilesStamp = stamp()
        do {
            let loaded = try PipelineCatalog.load(paths: [options.pipelines], loader: loader, registry: registry)
            var next: [String: PipelineSpec] = [:]
            for p in loaded.pipelines { next[p.name] = p }
            let brokenFiles = Set(loaded.diagnostics.filter { $0.severity == .error }.map(\.file))
            for (name, old) in catalog where next[name] == nil {
                if let file = old.file, brokenFiles.contains(file) || brokenFiles.contains(InputFile.absolutePath(file)) {
                    next[name] = old
                    logger.warning("pipeline file has errors: keeping the last good version", ["pipeline": name, "file": file])
                }
            }
            problems = loaded.diagnostics.map(\.description)
            for d in loaded.diagnostics { logger.error("\(d.description)") }
            catalog = next
            planners = [:]
            for (name, spec) in catalog {
                do { planners[name] = try FirePlanner(pipeline: name, schedule: spec.schedule) }
                catch { problems.append(error.description); logger.error("\(error.description)") }
            }
            logger.info("pipelines loaded", ["pipelines": String(catalog.count), "problems": String(problems.count)])
        } catch {
            problems = ["\(error)"]
            logger.error("pipelines could not be loaded; keeping the previous ones: \(error)")
        }
    }

    /// Names, sizes and times of the pipeline files: a change means a reload.
    private func stamp() -> String {
        let files = FileGlob.expand(options.pipelines + "/*.swift", relativeTo: FileManager.default.currentDirectoryPath)
        return files.sorted().map { f in
            let a = try? FileManager.default.attributesOfItem(atPath: f)
            return "\(f):\((a?[.size] as? NSNumber)?.intValue ?? -1):\((a?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)"
        }.joined(separator: "|")
    }

    private func pipelineFilesChanged() -> Bool { stamp() != pipelineFilesStamp }

    // MARK: - Control

    private func handle(_ request: ControlRequest) -> ControlResponse {
        mutex.lock()
        defer { mutex.unlock(); wake.signal() }
        let pipeline = request.arguments["pipeline"]
        func known(_ name: String?) -> String? {
            guard let name else { return "which pipeline?" }
            return catalog[name] == nil ? "no pipeline named '\(name)'; known: \(catalog.keys.sorted().joined(separator: ", "))" : nil
        }
        switch request.command {
        case "status":
            return .success(status())
        case "trigger":
            if let problem = known(pipeline) { return .failure(problem) }
            let inputs = request.inputs ?? []
            switch queue.enqueue(RunTrigger(pipeline: pipeline!, reason: .manual, inputs: inputs, notBefore: clock.now)) {
            case .queued: return .success(.string("queued a run of \(pipeline!)" + (running[pipeline!] != nil ? " (after the one running)" : "")))
            default: return .success(.string("a run of \(pipeline!) is already queued; added to it"))
            }
        case "pause", "resume":
            if let problem = known(pipeline) { return .failure(problem) }
            let pause = request.command == "pause"
            if pause { paused.insert(pipeline!) } else { paused.remove(pipeline!) }
            try? state.setPaused(pipeline!, pause, by: request.arguments["by"] ?? "unknown")
            state.event(request.command, "\(pipeline!) by \(request.arguments["by"] ?? "unknown")")
            return .success(.string("\(pipeline!) \(pause ? "paused" : "resumed")"))
        case "reload":
            reloadRequested = true
            return .success(.string("reloading the pipeline files"))
        case "stop":
            if stopRequested == nil { stopRequested = clock.now }
            return .success(.string("stopping: no new runs; \(running.count) running run\(running.count == 1 ? "" : "s") will finish"))
        default:
            return .failure("unknown command '\(request.command)'")
        }
    }

    private func status() -> ControlValue {
        var pipelines: [ControlValue] = []
        let waiting = inputsWaiting()
        for name in catalog.keys.sorted() {
            let spec = catalog[name]!
            var p: [String: ControlValue] = ["name": .string(name), "schedule": .string(spec.schedule.summary),
                                             "paused": .bool(paused.contains(name)), "running": .bool(running[name] != nil)]
            if let next = (try? state.schedule(name))?.nextFire { p["next_fire"] = .string(Self.iso(next)) }
            if let last = lastRuns[name] ?? lastRun(name) { p["last_run"] = .string(last) }
            if let n = waiting[name] { p["inputs_waiting"] = .int(n) }
            pipelines.append(.object(p))
        }
        return .object([
            "daemon": .object(["pid": .int(Int(getpid())), "started_at": .string(Self.iso(startedAt)), "running": .int(running.count),
                               "queued": .int(queue.pending.count), "limit": .int(options.maxConcurrent), "home": .string(options.home),
                               "stopping": .bool(stopRequested != nil)]),
            "pipelines": .array(pipelines),
            "problems": .array(problems.map { .string($0) }),
        ])
    }

    /// The pipeline's latest run in the warehouse (also from before this daemon started).
    private func lastRun(_ pipeline: String) -> String? {
        var text: String?
        try? warehouse.database.query("SELECT id, status, coalesce(finished_at, started_at) FROM runs WHERE pipeline = ? ORDER BY id DESC LIMIT 1",
                                      [.text(pipeline)]) { r in
            text = "run \(r.int(0) ?? 0) \(r.text(1) ?? "") at \(r.text(2) ?? "")"
        }
        return text
    }

    // MARK: - Signals

    private func installSignals() -> [DispatchSourceSignal] {
        var sources: [DispatchSourceSignal] = []
        for sig in [SIGTERM, SIGINT, SIGHUP] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { [weak self] in self?.received(sig) }
            source.resume()
            sources.append(source)
        }
        return sources
    }

    private func received(_ sig: Int32) {
        mutex.lock()
        if sig == SIGHUP {
            reloadRequested = true
            logger.output.reopen()
            logger.info("SIGHUP: reloading the pipeline files")
        } else {
            signalCount += 1
            if signalCount > 1 {
                // A second signal: stop at once. SQLite rolls back the open input; nothing half-loaded stays.
                logger.warning("second stop signal: exiting now; the input being read is rolled back")
                Glibc.exit(130)
            }
            stopRequested = clock.now
            logger.info("stop signal: no new runs; waiting for the running ones", ["running": String(running.count),
                                                                                   "deadline_seconds": String(Int(options.stopDeadline))])
        }
        mutex.unlock()
        wake.signal()
    }

    static func iso(_ d: Date) -> String {
        let f = ISO8601DateFormatter()
        return f.string(from: d)
    }
}

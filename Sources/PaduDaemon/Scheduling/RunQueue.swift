import Foundation

/// A request to run a pipeline.
public struct RunTrigger: Sendable, Hashable {
    /// Why the run was requested.
    public enum Reason: String, Sendable, Hashable, Codable {
        case cron, interval, file, after, manual, retry

        /// Time- or event-based reasons whose duplicates are redundant: one queued run covers them.
        public var coalesces: Bool {
            switch self {
            case .cron, .interval, .after: true
            case .file, .manual, .retry: false
            }
        }
    }

    /// The pipeline to run.
    public var pipeline: String
    /// Why.
    public var reason: Reason
    /// Input files for the run (file triggers, retries of them, manual runs naming files).
    public var inputs: [String]
    /// The run must not start before this instant (used for retry backoff).
    public var notBefore: Date

    /// Creates a trigger.
    public init(pipeline: String, reason: Reason, inputs: [String] = [], notBefore: Date) {
        self.pipeline = pipeline
        self.reason = reason
        self.inputs = inputs
        self.notBefore = notBefore
    }
}

/// The pending runs of the daemon. Pure value type; the caller owns the clock and the workers.
///
/// - Time-based triggers (`cron`, `interval`, `after`) of a pipeline that already has a queued
///   time-based trigger are coalesced into it: a backlog of fires becomes one run.
/// - File triggers are never dropped: a file trigger for a pipeline that already has a queued file
///   trigger is merged into it (one run, several inputs, each input once, arrival order kept).
/// - Manual and retry triggers are always queued separately.
/// - `dequeueReady` is FIFO among ready triggers, skips triggers whose `notBefore` is in the
///   future, never starts a pipeline that is running (or two of one pipeline at once), and never
///   exceeds the global concurrency limit.
public struct RunQueue: Sendable {
    /// What `enqueue` did with a trigger.
    public enum EnqueueResult: Sendable, Hashable {
        /// Added at the back of the queue.
        case queued
        /// Dropped: an equivalent time-based trigger is already queued.
        case coalesced
        /// Its inputs were added to an already queued file trigger of the same pipeline.
        case merged
    }

    /// Pending triggers in FIFO order.
    public private(set) var pending: [RunTrigger] = []

    /// Creates an empty queue.
    public init() {}

    /// Whether nothing is pending.
    public var isEmpty: Bool { pending.isEmpty }

    /// Adds a trigger, coalescing or merging it as described on the type.
    @discardableResult
    public mutating func enqueue(_ trigger: RunTrigger) -> EnqueueResult {
        if trigger.reason.coalesces,
           pending.contains(where: { $0.pipeline == trigger.pipeline && $0.reason.coalesces }) {
            return .coalesced
        }
        if trigger.reason == .file,
           let index = pending.firstIndex(where: { $0.pipeline == trigger.pipeline && $0.reason == .file }) {
            var merged = pending[index]
            for input in trigger.inputs where !merged.inputs.contains(input) {
                merged.inputs.append(input)
            }
            merged.notBefore = max(merged.notBefore, trigger.notBefore)
            pending[index] = merged
            return .merged
        }
        pending.append(trigger)
        return .queued
    }

    /// Removes and returns the triggers to start now, in FIFO order: at most `limit` runs in
    /// total counting `running`, none for a pipeline in `running`, at most one per pipeline,
    /// none whose `notBefore` is after `now`.
    public mutating func dequeueReady(now: Date, running: Set<String>, limit: Int) -> [RunTrigger] {
        var capacity = limit - running.count
        guard capacity > 0 else { return [] }
        var busy = running
        var started: [RunTrigger] = []
        var remaining: [RunTrigger] = []
        remaining.reserveCapacity(pending.count)
        for trigger in pending {
            if capacity > 0, trigger.notBefore <= now, !busy.contains(trigger.pipeline) {
                started.append(trigger)
                busy.insert(trigger.pipeline)
                capacity -= 1
            } else {
                remaining.append(trigger)
            }
        }
        pending = remaining
        return started
    }

    /// The earliest `notBefore` still pending after `now`, to know when to wake up; nil if none.
    public func nextNotBefore(after now: Date) -> Date? {
        pending.lazy.map(\.notBefore).filter { $0 > now }.min()
    }

    /// Removes every pending trigger of `pipeline` (e.g. the pipeline was removed); returns them.
    @discardableResult
    public mutating func removeAll(pipeline: String) -> [RunTrigger] {
        let removed = pending.filter { $0.pipeline == pipeline }
        pending.removeAll { $0.pipeline == pipeline }
        return removed
    }
}

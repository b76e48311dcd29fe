import Foundation

/// What only the running daemon knows, for the metrics: its queue, its runs in progress and
/// the inbox files waiting. `nil` where it is used means the daemon is not running.
public struct MetricsSnapshot: Sendable, Hashable {
    /// Runs queued, not yet started.
    public var queueDepth: Int
    /// Runs in progress.
    public var running: Int
    /// Per file-arrival pipeline: inbox files settling or settled, not yet read.
    public var inputsWaiting: [String: Int]

    public init(queueDepth: Int = 0, running: Int = 0, inputsWaiting: [String: Int] = [:]) {
        self.queueDepth = queueDepth
        self.running = running
        self.inputsWaiting = inputsWaiting
    }

    /// The snapshot in a `status` answer of the control socket (`padu metrics` asks the daemon).
    public init?(status: ControlValue) {
        guard let daemon = status["daemon"], let queued = daemon["queued"]?.intValue, let running = daemon["running"]?.intValue else {
            return nil
        }
        var waiting: [String: Int] = [:]
        for p in status["pipelines"]?.arrayValue ?? [] {
            if let name = p["name"]?.stringValue, let n = p["inputs_waiting"]?.intValue { waiting[name] = n }
        }
        self.init(queueDepth: queued, running: running, inputsWaiting: waiting)
    }
}

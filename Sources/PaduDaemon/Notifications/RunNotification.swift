import Foundation
import PaduCore

/// The JSON a webhook receives when a run fails, partly fails or an expectation fails:
/// `{"event":"run_failed","pipeline":…,"run":…,"status":…,"message":…,"inputs":[{path,status,message}],"time":…,"host":…}`.
/// Messages and paths have their NIKs masked.
public struct RunNotification: Sendable, Codable, Hashable {
    /// One input of the run.
    public struct Input: Sendable, Codable, Hashable {
        public var path: String
        public var status: String
        public var message: String
    }

    public var event: String
    public var pipeline: String
    /// The run's id in the warehouse; nil when the run could not even be recorded.
    public var run: Int64?
    public var status: String
    public var message: String
    public var inputs: [Input]
    /// ISO 8601, UTC.
    public var time: String
    public var host: String

    /// The notification for `result`, or nil when the run needs none (it succeeded and no
    /// expectation failed; or it was interrupted by a shutdown).
    public static func forRun(_ result: RunResult, at time: Date = Date()) -> RunNotification? {
        let expectationFailed = ([result.message ?? ""] + result.inputs.map(\.message)).contains { $0.contains("expectation failed") }
        guard result.status == .failed || result.status == .partial || expectationFailed else { return nil }
        let failedInputs = result.inputs.filter { $0.status == .failed }
        let message = result.message ?? failedInputs.first.map { "\($0.path): \($0.message)" } ?? "run \(result.status.rawValue)"
        return RunNotification(
            event: "run_failed", pipeline: result.pipeline, run: result.runID, status: result.status.rawValue,
            message: PersonalData.maskNIKs(in: message),
            inputs: result.inputs.map {
                Input(path: PersonalData.maskNIKs(in: $0.path), status: $0.status.rawValue, message: PersonalData.maskNIKs(in: $0.message))
            },
            time: iso(time), host: ProcessInfo.processInfo.hostName)
    }

    /// The notification for a run that failed before the warehouse could record it.
    public static func forError(pipeline: String, message: String, at time: Date = Date()) -> RunNotification {
        RunNotification(event: "run_failed", pipeline: pipeline, run: nil, status: RunStatus.failed.rawValue,
                        message: PersonalData.maskNIKs(in: message), inputs: [], time: iso(time), host: ProcessInfo.processInfo.hostName)
    }

    /// The JSON body (keys sorted, `run` null when unknown).
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self), let text = String(data: data, encoding: .utf8) else { return "{}" }
        return text
    }

    enum CodingKeys: String, CodingKey { case event, pipeline, run, status, message, inputs, time, host }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(event, forKey: .event)
        try c.encode(pipeline, forKey: .pipeline)
        try c.encode(run, forKey: .run)  // null when unknown, never missing
        try c.encode(status, forKey: .status)
        try c.encode(message, forKey: .message)
        try c.encode(inputs, forKey: .inputs)
        try c.encode(time, forKey: .time)
        try c.encode(host, forKey: .host)
    }

    static func iso(_ d: Date) -> String { ISO8601DateFormatter().string(from: d) }
}

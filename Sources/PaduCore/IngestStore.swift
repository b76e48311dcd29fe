/// How a run ended.
public enum RunStatus: String, Sendable, Codable {
    case running
    /// Every input loaded or skipped.
    case succeeded
    /// Some inputs loaded, some failed.
    case partial
    /// Nothing could be loaded (every input failed, or the run could not start).
    case failed
    /// The process stopped while the run was going (set at the next start).
    case interrupted
}

/// What became of one input in a run.
public enum InputStatus: String, Sendable, Codable {
    case loading, loaded, failed, skipped
    /// Superseded: a later version of the same file (or a forced reload) took its place.
    case replaced
}

/// The facts a store records when a run starts.
public struct RunStart: Sendable {
    public let pipeline: String
    public let pipelineVersion: String
    public let pipelineFile: String?
    public let trigger: String
    /// `plugin@version` for every stage, in order.
    public let stageChain: [String]
    public let specJSON: String
    /// The run's OpenLineage run id (a UUID), when events are emitted.
    public let lineageRunID: String?

    public init(pipeline: String, pipelineVersion: String, pipelineFile: String?, trigger: String, stageChain: [String], specJSON: String,
                lineageRunID: String? = nil) {
        self.lineageRunID = lineageRunID
        self.pipeline = pipeline
        self.pipelineVersion = pipelineVersion
        self.pipelineFile = pipelineFile
        self.trigger = trigger
        self.stageChain = stageChain
        self.specJSON = specJSON
    }
}

/// An earlier successful load of the same content by the same pipeline version.
public struct PreviousLoad: Sendable {
    public let inputID: Int64
    public let runID: Int64
    public let path: String

    public init(inputID: Int64, runID: Int64, path: String) {
        self.inputID = inputID
        self.runID = runID
        self.path = path
    }
}

/// Where runs, inputs and rejected rows are recorded, with one transaction per input.
/// The warehouse implements it; the runner knows nothing else about storage.
public protocol IngestStore: AnyObject {
    func beginRun(_ run: RunStart) throws -> Int64
    func previousLoad(pipeline: String, sha256: String, pipelineVersion: String) throws -> PreviousLoad?
    /// Records an input that was not read, and why (already loaded, unreadable...).
    func recordInput(runID: Int64, pipeline: String, pipelineVersion: String, plugin: String,
                     path: String, file: InputFile?, status: InputStatus, message: String) throws
    /// Opens the input's transaction and records the input; everything until
    /// `commitInput`/`abandonInput` belongs to it.
    func beginInput(runID: Int64, pipeline: String, pipelineVersion: String, plugin: String, file: InputFile) throws -> InputRef
    func storeRejections(_ rejections: [Rejection], input: InputRef, runID: Int64) throws
    /// Records values transforms changed, in the input's transaction.
    func storeCorrections(_ corrections: [Correction], input: InputRef, runID: Int64) throws
    /// Records which file column each field was read from, in the input's transaction.
    func storeColumns(_ columns: [InputColumn], input: InputRef) throws
    /// Records the data-quality expectations checked on an input (after its commit or rollback).
    func storeExpectationResults(_ results: [ExpectationResult], inputID: Int64, runID: Int64) throws
    /// Records how long each stage took on an input (after its commit or rollback).
    func storeStageTimings(_ timings: [StageTiming], inputID: Int64, runID: Int64) throws
    /// Rows read from the pipeline's last loaded input (for `rowCountWithin`), or nil.
    func previousRowCount(pipeline: String) throws -> Int?
    /// Replaces what earlier versions of this input contributed, records the counts, commits.
    /// Returns the ids of the inputs it replaced.
    func commitInput(_ input: InputRef, pipeline: String, counts: RowCounts) throws -> [Int64]
    /// Rolls the input's transaction back, then records the input as failed with `message`;
    /// returns the id of that record.
    @discardableResult
    func abandonInput(_ input: InputRef, runID: Int64, counts: RowCounts, message: String) throws -> Int64
    func finishRun(_ runID: Int64, status: RunStatus, counts: RowCounts, message: String?) throws
}

extension IngestStore {
    /// Stores that keep no lineage ignore corrections.
    public func storeCorrections(_ corrections: [Correction], input: InputRef, runID: Int64) throws {}
    public func storeColumns(_ columns: [InputColumn], input: InputRef) throws {}
    public func storeExpectationResults(_ results: [ExpectationResult], inputID: Int64, runID: Int64) throws {}
    public func previousRowCount(pipeline: String) throws -> Int? { nil }
    public func storeStageTimings(_ timings: [StageTiming], inputID: Int64, runID: Int64) throws {}
}

/// Time one stage spent on one input, and the rows it received and passed on.
public struct StageTiming: Sendable, Hashable {
    /// Position in the chain: 0 is the source, the sink is last.
    public var position: Int
    /// `plugin@version`.
    public var stage: String
    public var seconds: Double
    public var rowsIn: Int
    public var rowsOut: Int

    public init(position: Int, stage: String, seconds: Double = 0, rowsIn: Int = 0, rowsOut: Int = 0) {
        self.position = position
        self.stage = stage
        self.seconds = seconds
        self.rowsIn = rowsIn
        self.rowsOut = rowsOut
    }
}

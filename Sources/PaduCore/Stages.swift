/// A file a run reads.
public struct InputFile: Sendable, Hashable {
    /// The local file to read (for a remote input, its downloaded copy).
    public let path: String
    public let size: Int64
    public let sha256: String
    /// Modification time, seconds since 1970.
    public let modifiedAt: Double
    /// Where a remote input came from, as written in the pipeline (secrets not expanded).
    public var origin: String?

    public init(path: String, size: Int64, sha256: String, modifiedAt: Double, origin: String? = nil) {
        self.path = path
        self.size = size
        self.sha256 = sha256
        self.modifiedAt = modifiedAt
        self.origin = origin
    }

    /// What the warehouse records as the input's path: the origin of a remote input, else the path.
    public var identity: String { origin ?? path }
}

/// Turns an input named by a run into a local file: remote inputs (URLs) are downloaded.
public protocol InputResolver: Sendable {
    /// Whether `path` names something this resolver fetches (rather than a local file).
    func handles(_ path: String) -> Bool
    /// The local copy of `path`; throws with a message naming the (redacted) source.
    func localFile(for path: String) throws -> String
}

/// What every stage may know about the run it is part of.
public struct StageContext {
    public let pipeline: String
    public let runID: Int64
    /// The folder of the pipeline file; relative paths in options resolve against it.
    public let baseDirectory: String
    public let logger: Logger
    /// The store the run records into; a sink that writes to the same database (the
    /// warehouse sink) joins the input's transaction through it.
    public let store: any IngestStore

    public init(pipeline: String, runID: Int64, baseDirectory: String, logger: Logger, store: any IngestStore) {
        self.pipeline = pipeline
        self.runID = runID
        self.baseDirectory = baseDirectory
        self.logger = logger
        self.store = store
    }

    /// `path` made absolute against `baseDirectory`.
    public func resolve(_ path: String) -> String {
        path.hasPrefix("/") ? path : baseDirectory + "/" + path
    }
}

/// Reads a pipeline's inputs and turns each into batches.
public protocol SourceStage: AnyObject {
    /// The files to read when a run names none (for example from a `path` option).
    func defaultInputs(context: StageContext) throws -> [String]
    /// Opens one input. Errors that concern the whole input (unreadable, no header, a
    /// required column missing) are thrown here or from `next`, and fail only that input.
    func open(_ input: InputRef, file: InputFile, context: StageContext) throws -> any BatchReader
}

/// Which file column a source read a field from: with a row number, the cell of a value.
public struct InputColumn: Sendable, Hashable {
    /// The sheet (nil for text files).
    public let sheet: String?
    public let field: String
    /// The header as written in the file.
    public let header: String
    /// 0-based column index.
    public let index: Int

    public init(sheet: String?, field: String, header: String, index: Int) {
        self.sheet = sheet
        self.field = field
        self.header = header
        self.index = index
    }

    /// `A`, `B`, … `AA`: the spreadsheet letters of a 0-based column.
    public static func letters(_ index: Int) -> String {
        var n = index + 1
        var out = ""
        while n > 0 {
            let r = (n - 1) % 26
            out = String(UnicodeScalar(UInt8(65 + r))) + out
            n = (n - 1) / 26
        }
        return out
    }
}

/// Yields the batches of one input.
public protocol BatchReader: AnyObject {
    /// The next batch, or nil at the end. Records that cannot become rows (damaged, blank)
    /// are added to `rejections`; every record read is either in the batch or rejected.
    func next(rejections: inout Rejections) throws -> Batch?
    /// Bytes of the input consumed so far (progress).
    var bytesRead: Int64 { get }
    func close()
    /// The field ↔ file column mappings found since the last call (each header once), for lineage.
    func takeColumns() -> [InputColumn]
}

/// Changes, checks or enriches rows.
public protocol TransformStage: AnyObject {
    /// Returns `batch` without the rows it rejected (each one added to `rejections`), with
    /// any values it corrected.
    func process(_ batch: Batch, rejections: inout Rejections, context: StageContext) throws -> Batch
}

/// Writes rows. A sink's writes for one input are committed or rolled back together.
public protocol SinkStage: AnyObject {
    /// Called inside the input's transaction, before its first batch.
    func beginInput(_ input: InputRef, file: InputFile, context: StageContext) throws
    /// Writes a batch; rows it cannot load go to `rejections`. Returns the rows loaded.
    func write(_ batch: Batch, rejections: inout Rejections, context: StageContext) throws -> Int
    /// Called inside the transaction after the last batch.
    func finishInput(_ input: InputRef, context: StageContext) throws
}

extension SinkStage {
    public func beginInput(_ input: InputRef, file: InputFile, context: StageContext) throws {}
    public func finishInput(_ input: InputRef, context: StageContext) throws {}
}

extension BatchReader {
    public func close() {}
    public func takeColumns() -> [InputColumn] { [] }
}

import Foundation

/// A line and column in a pipeline file.
public struct SpecLocation: Sendable, Hashable, Codable {
    public var line: Int
    public var column: Int
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }
}

/// One stage as a pipeline file declared it: a plugin name and its options.
public struct StageSpec: Sendable, Hashable, Codable {
    public var plugin: String
    public var options: [String: OptionValue]
    public var location: SpecLocation?

    public init(plugin: String, options: [String: OptionValue] = [:], location: SpecLocation? = nil) {
        self.plugin = plugin
        self.options = options
        self.location = location
    }
}

/// When a pipeline runs, as declared.
public struct ScheduleSpec: Sendable, Hashable, Codable {
    public var kind: String
    public var expression: String?
    public var timeZone: String?
    public var seconds: Int?
    public var jitterSeconds: Int?
    public var folder: String?
    public var pattern: String?
    public var pipeline: String?
    /// After downtime, whether a missed timed fire runs once (`once`, the default) or not (`skip`).
    public var catchUp: String?
    public var location: SpecLocation?

    public init(kind: String) { self.kind = kind }

    /// How `padu check` shows it: `cron "0 2 * * *" Asia/Jakarta`, `every 6h`, ...
    public var summary: String {
        switch kind {
        case "cron": return "cron \"\(expression ?? "")\" \(timeZone ?? "")"
        case "every":
            let s = seconds ?? 0
            let text = s % 86_400 == 0 ? "\(s / 86_400)d" : s % 3600 == 0 ? "\(s / 3600)h" : s % 60 == 0 ? "\(s / 60)m" : "\(s)s"
            return "every \(text)" + ((jitterSeconds ?? 0) > 0 ? " (jitter \(jitterSeconds!)s)" : "")
        case "fileArrival": return "on file arrival in \(folder ?? "") matching \(pattern ?? "*")"
        case "after": return "after \(pipeline ?? "")"
        default: return kind
        }
    }
}

/// A check applied to every input before commit.
public struct ExpectationSpec: Sendable, Hashable, Codable {
    public var kind: String
    public var value: OptionValue
    public init(kind: String, value: OptionValue) {
        self.kind = kind
        self.value = value
    }
}

/// A pipeline as described by a pipeline file (the JSON the file writes, decoded).
public struct PipelineSpec: Sendable, Hashable, Codable {
    public var name: String
    public var description: String?
    public var owner: String?
    public var schedule: ScheduleSpec
    public var source: StageSpec
    public var transforms: [StageSpec]
    public var sink: StageSpec
    public var retries: Int
    public var timeoutSeconds: Int?
    public var expectations: [ExpectationSpec]
    /// The webhook a failed run is reported to (`notify: .webhook(...)`); nil: the global one.
    /// Optional in the JSON: descriptions without it keep format version 1.
    public var notifyURL: String?
    public var location: SpecLocation?

    /// The pipeline file it came from (set by the loader, not part of the JSON).
    public var file: String?

    enum CodingKeys: String, CodingKey {
        case name, description, owner, schedule, source, transforms, sink, retries, timeoutSeconds, expectations, notifyURL, location
    }

    public init(name: String, schedule: ScheduleSpec = ScheduleSpec(kind: "manual"), source: StageSpec,
                transforms: [StageSpec] = [], sink: StageSpec, retries: Int = 0, timeoutSeconds: Int? = nil,
                expectations: [ExpectationSpec] = [], notifyURL: String? = nil, file: String? = nil) {
        self.name = name
        self.schedule = schedule
        self.source = source
        self.transforms = transforms
        self.sink = sink
        self.retries = retries
        self.timeoutSeconds = timeoutSeconds
        self.expectations = expectations
        self.notifyURL = notifyURL
        self.file = file
    }

    /// All stages in order: source, transforms, sink.
    public var stages: [StageSpec] { [source] + transforms + [sink] }

    /// A hash of what the pipeline does to data: its stages, their options and its
    /// expectations. Not of its description, owner, schedule, retries, timeout or notification, nor of where
    /// it is written: inputs already loaded by the same version are skipped.
    public var versionHash: String {
        var copy = self
        copy.location = nil
        copy.file = nil
        copy.description = nil
        copy.owner = nil
        copy.schedule = ScheduleSpec(kind: "any")
        copy.retries = 0
        copy.timeoutSeconds = nil
        copy.notifyURL = nil
        copy.source.location = nil
        copy.sink.location = nil
        copy.transforms = copy.transforms.map { var t = $0; t.location = nil; return t }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(copy)) ?? Data()
        return SHA256.hash(data).hex
    }

    /// The folder relative paths in this pipeline's options resolve against.
    public var baseDirectory: String {
        guard let file else { return FileManager.default.currentDirectoryPath }
        let dir = (file as NSString).deletingLastPathComponent
        let absolute = dir.hasPrefix("/") ? dir : FileManager.default.currentDirectoryPath + (dir.isEmpty ? "" : "/" + dir)
        return (absolute as NSString).standardizingPath
    }
}

/// The JSON document a pipeline file writes.
public struct PipelineDescriptionDocument: Sendable, Codable {
    public var version: Int
    public var library: String
    public var pipelines: [PipelineSpec]

    public init(version: Int, library: String, pipelines: [PipelineSpec]) {
        self.version = version
        self.library = library
        self.pipelines = pipelines
    }
}

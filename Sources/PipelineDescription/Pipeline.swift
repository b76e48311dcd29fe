/// A pipeline: where data comes from, what is done to it, where it goes, and when.
///
/// A pipeline file declares one or more `Pipeline` values at top level:
///
/// ```swift
/// import PipelineDescription
///
/// let p3ke = Pipeline(
///     name: "p3ke-lampung-tengah",
///     owner: "Dinas Sosial Kabupaten Lampung Tengah",
///     schedule: .cron("0 2 * * *", timeZone: "Asia/Jakarta"),
///     source: .socialRegistry(.p3ke, path: "sample-data/p3ke-lampung-tengah.csv"),
///     transforms: [.requireFields(["nik", "nama"])],
///     sink: .warehouse(.registry)
/// )
/// ```
///
/// Descriptions are data: plugin names and options. Padu compiles the file, runs it, and
/// reads back the description; relative paths resolve against the pipeline file's folder.
public struct Pipeline: Sendable {
    public let name: String
    public let description: String?
    public let owner: String?
    public let schedule: Schedule
    public let source: Source
    public let transforms: [Transform]
    public let sink: Sink
    public let retries: Int
    public let timeout: Interval?
    public let expectations: [Expectation]
    /// Where the daemon and `padu run` report a failed run; nil uses `PADU_WEBHOOK_URL`.
    public let notify: Notify?
    let location: SourceLocation

    /// Declares a pipeline and registers it with the file's description.
    ///
    /// - Parameters:
    ///   - name: unique across all pipeline files; lower-case letters, digits and `-`.
    ///   - description: one line for `padu check` and reports.
    ///   - owner: the office or person responsible (shown to stewards).
    ///   - schedule: when it runs; `.manual` by default.
    ///   - source: the one stage that reads inputs.
    ///   - transforms: stages applied in order to every batch.
    ///   - sink: the one stage that writes.
    ///   - retries: how many times a failed run is retried by the daemon.
    ///   - timeout: a run taking longer is stopped and its current input rolled back.
    ///   - expectations: checked on every input before it is committed.
    ///   - notify: where a failed run is reported (`.webhook("https://...")`); it replaces the
    ///     global `PADU_WEBHOOK_URL` for this pipeline.
    public init(
        name: String,
        description: String? = nil,
        owner: String? = nil,
        schedule: Schedule = .manual,
        source: Source,
        transforms: [Transform] = [],
        sink: Sink,
        retries: Int = 0,
        timeout: Interval? = nil,
        expectations: [Expectation] = [],
        notify: Notify? = nil,
        file: StaticString = #filePath,
        line: UInt = #line,
        column: UInt = #column
    ) {
        self.name = name
        self.description = description
        self.owner = owner
        self.schedule = schedule
        self.source = source
        self.transforms = transforms
        self.sink = sink
        self.retries = retries
        self.timeout = timeout
        self.expectations = expectations
        self.notify = notify
        self.location = SourceLocation(line: line, column: column)
        DescriptionRegistry.shared.register(self)
    }
}

/// Where in the pipeline file a value was written (for error messages).
struct SourceLocation: Sendable, Codable, Hashable {
    var line: UInt
    var column: UInt
}

/// A span of time, for intervals, timeouts and jitter.
public struct Interval: Sendable, Hashable {
    public let seconds: Int
    public static func seconds(_ n: Int) -> Interval { Interval(seconds: n) }
    public static func minutes(_ n: Int) -> Interval { Interval(seconds: n * 60) }
    public static func hours(_ n: Int) -> Interval { Interval(seconds: n * 3600) }
    public static func days(_ n: Int) -> Interval { Interval(seconds: n * 86_400) }
}

/// A check on every input before it is committed; a failed expectation rolls the input back.
public struct Expectation: Sendable, Hashable {
    let kind: String
    let value: OptionValue
    /// At least `count` rows must be loaded from each input (catches an empty or wrong file).
    public static func minRowsLoaded(_ count: Int) -> Expectation { Expectation(kind: "minRowsLoaded", value: .int(count)) }
    /// At most this fraction (0...1) of the rows read may be quarantined.
    public static func maxQuarantineRate(_ fraction: Double) -> Expectation { Expectation(kind: "maxQuarantineRate", value: .double(fraction)) }

    /// At least this fraction of the rows read reach the warehouse with a valid NIK (validate-nik's
    /// `valid` or `noted`; 16 digits when the pipeline does not validate).
    public static func validNIKShare(atLeast fraction: Double, severity: Severity = .error) -> Expectation {
        Expectation(kind: "validNIKShare", value: .map(["atLeast": .double(fraction), "severity": .string(severity.rawValue)]))
    }

    /// `field` is filled in at least this fraction of the rows (blank rows aside).
    public static func nonEmpty(_ field: String, atLeast fraction: Double, severity: Severity = .error) -> Expectation {
        Expectation(kind: "nonEmpty", value: .map(["field": .string(field), "atLeast": .double(fraction), "severity": .string(severity.rawValue)]))
    }

    /// No negative amount in `field` (default `nilai`, the aid amount).
    public static func noNegativeAmounts(_ field: String = "nilai", severity: Severity = .error) -> Expectation {
        Expectation(kind: "noNegativeAmounts", value: .map(["field": .string(field), "severity": .string(severity.rawValue)]))
    }

    /// The rows read are within ±`percent`% of the pipeline's last loaded input.
    public static func rowCountWithin(percent: Int, severity: Severity = .warn) -> Expectation {
        Expectation(kind: "rowCountWithin", value: .map(["percent": .int(percent), "severity": .string(severity.rawValue)]))
    }

    /// What a failed expectation does.
    public enum Severity: String, Sendable, Hashable {
        /// Logged and reported; the input is loaded.
        case warn
        /// The input is rolled back and the run fails, naming the expectation.
        case error
    }
}

/// Where a pipeline's failed runs are reported.
public struct Notify: Sendable, Hashable {
    let url: String
    /// A JSON POST to `url` (http or https) when a run fails, partly fails or an expectation fails.
    public static func webhook(_ url: String) -> Notify { Notify(url: url) }
}

/// When a pipeline runs.
public struct Schedule: Sendable {
    let kind: String
    let fields: [String: OptionValue]
    let location: SourceLocation?

    /// Runs only when asked (`padu run`).
    public static var manual: Schedule { Schedule(kind: "manual", fields: [:], location: nil) }

    /// A five-field cron expression (`minute hour day-of-month month day-of-week`, or `@daily`...)
    /// in a time zone: an IANA name (`Asia/Jakarta`) or `WIB`, `WITA`, `WIT`.
    public static func cron(
        _ expression: String, timeZone: String = "Asia/Jakarta",
        file: StaticString = #filePath, line: UInt = #line, column: UInt = #column
    ) -> Schedule {
        Schedule(kind: "cron", fields: ["expression": .string(expression), "timeZone": .string(timeZone)],
                 location: SourceLocation(line: line, column: column))
    }

    /// Every `interval`, with up to `jitter` of random delay to spread load.
    public static func every(
        _ interval: Interval, jitter: Interval = .seconds(0),
        file: StaticString = #filePath, line: UInt = #line, column: UInt = #column
    ) -> Schedule {
        Schedule(kind: "every", fields: ["seconds": .int(interval.seconds), "jitterSeconds": .int(jitter.seconds)],
                 location: SourceLocation(line: line, column: column))
    }

    /// When a file matching `pattern` (a glob such as `*.csv`) arrives in `folder`.
    public static func fileArrival(
        in folder: String, matching pattern: String = "*",
        file: StaticString = #filePath, line: UInt = #line, column: UInt = #column
    ) -> Schedule {
        Schedule(kind: "fileArrival", fields: ["folder": .string(folder), "pattern": .string(pattern)],
                 location: SourceLocation(line: line, column: column))
    }

    /// After each successful run of another pipeline.
    public static func after(
        _ pipeline: String,
        file: StaticString = #filePath, line: UInt = #line, column: UInt = #column
    ) -> Schedule {
        Schedule(kind: "after", fields: ["pipeline": .string(pipeline)], location: SourceLocation(line: line, column: column))
    }
}

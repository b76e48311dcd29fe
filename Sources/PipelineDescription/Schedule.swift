/// What a daemon does with a timed fire it missed while it was down.
public enum CatchUp: String, Sendable {
    /// Run once for everything missed (never a burst).
    case once
    /// Skip what was missed; wait for the next fire.
    case skip
}

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
        _ expression: String, timeZone: String = "Asia/Jakarta", catchUp: CatchUp = .once,
        file: StaticString = #filePath, line: UInt = #line, column: UInt = #column
    ) -> Schedule {
        var fields: [String: OptionValue] = ["expression": .string(expression), "timeZone": .string(timeZone)]
        if catchUp != .once { fields["catchUp"] = .string(catchUp.rawValue) }
        return Schedule(kind: "cron", fields: fields, location: SourceLocation(line: line, column: column))
    }

    /// Every `interval`, with up to `jitter` of random delay to spread load.
    public static func every(
        _ interval: Interval, jitter: Interval = .seconds(0), catchUp: CatchUp = .once,
        file: StaticString = #filePath, line: UInt = #line, column: UInt = #column
    ) -> Schedule {
        var fields: [String: OptionValue] = ["seconds": .int(interval.seconds), "jitterSeconds": .int(jitter.seconds)]
        if catchUp != .once { fields["catchUp"] = .string(catchUp.rawValue) }
        return Schedule(kind: "every", fields: fields, location: SourceLocation(line: line, column: column))
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

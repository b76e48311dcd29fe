import Foundation

/// A parse error for a cron expression.
public struct CronError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The expression that was rejected (trimmed).
    public let expression: String
    /// What is wrong, e.g. `hour 24 is out of range 0–23`.
    public let message: String

    /// Creates an error for `expression` with the given explanation.
    public init(expression: String, message: String) {
        self.expression = expression
        self.message = message
    }

    public var description: String {
        "invalid cron expression \"\(expression)\": \(message)"
    }
}

/// A standard 5-field cron expression: `minute hour day-of-month month day-of-week`.
///
/// Supported syntax per field: `*`, numbers, lists (`1,15`), ranges (`1-5`),
/// steps (`*/15`, `10-40/10`, `5/10` meaning `5-max/10`), month names `JAN`–`DEC`
/// and day names `SUN`–`SAT` (case-insensitive, also in ranges such as `MON-FRI`).
/// Day-of-week accepts 0–7, where both 0 and 7 mean Sunday. The macros `@hourly`,
/// `@daily`, `@midnight`, `@weekly`, `@monthly`, `@yearly` and `@annually` are accepted.
///
/// Day matching follows Vixie cron: if either day field starts with `*`, a day must
/// match both fields; otherwise (both restricted) a day matches if either field matches.
/// As in Vixie cron, a stepped wildcard such as `*/2` counts as `*` for this rule.
///
/// Times are evaluated on the wall clock of a time zone. Around daylight-saving changes,
/// local times that do not exist are skipped and repeated local times fire only once
/// (at their first occurrence).
public struct CronExpression: Sendable, Hashable, CustomStringConvertible {
    /// The expression text as given (surrounding whitespace removed).
    public let source: String

    private let minutes: BitSet
    private let hours: BitSet
    private let daysOfMonth: BitSet
    private let months: BitSet
    /// Days of week, 0 = Sunday … 6 = Saturday (7 is folded into 0).
    private let daysOfWeek: BitSet
    private let dayOfMonthIsWildcard: Bool
    private let dayOfWeekIsWildcard: Bool

    /// Parses a cron expression, rejecting malformed fields and schedules that can never fire.
    public init(_ text: String) throws(CronError) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        func failure(_ message: String) -> CronError {
            CronError(expression: trimmed, message: message)
        }

        var parts = trimmed.split(whereSeparator: { $0.isWhitespace }).map(String.init)
        guard let first = parts.first else {
            throw failure("expression is empty; expected 5 fields (minute hour day-of-month month day-of-week)")
        }
        if first.hasPrefix("@") {
            guard let expansion = Self.macros[first.lowercased()] else {
                if first.lowercased() == "@reboot" {
                    throw failure("@reboot is not supported; only time-based schedules can be used")
                }
                throw failure("unknown macro \(first); expected one of @hourly, @daily, @midnight, @weekly, @monthly, @yearly, @annually")
            }
            guard parts.count == 1 else {
                throw failure("unexpected text after \(first); a macro must stand alone")
            }
            parts = expansion.split(separator: " ").map(String.init)
        }
        guard parts.count == 5 else {
            throw failure("expected 5 fields (minute hour day-of-month month day-of-week), found \(parts.count)")
        }

        do throws(FieldError) {
            let minute = try Self.parseField(parts[0], .minute)
            let hour = try Self.parseField(parts[1], .hour)
            let dayOfMonth = try Self.parseField(parts[2], .dayOfMonth)
            let month = try Self.parseField(parts[3], .month)
            let dayOfWeek = try Self.parseField(parts[4], .dayOfWeek)
            source = trimmed
            minutes = minute.set
            hours = hour.set
            daysOfMonth = dayOfMonth.set
            months = month.set
            daysOfWeek = dayOfWeek.set
            dayOfMonthIsWildcard = dayOfMonth.wildcard
            dayOfWeekIsWildcard = dayOfWeek.wildcard
        } catch {
            throw failure(error.message)
        }

        if let problem = impossibleDayProblem() {
            throw failure(problem)
        }
        // Safety net: the Gregorian calendar repeats every 400 years, so a schedule
        // that fires at all fires within one cycle of any starting point.
        let reference = CivilDate.days(year: 2000, month: 1, day: 1) * 1440
        if nextWallMinute(from: reference, lastDay: reference / 1440 + Self.searchHorizonDays) == nil {
            throw failure("the schedule never fires: no date matches both day-of-month and day-of-week in the selected months")
        }
    }

    /// The normalized expression (numeric fields, macros expanded), e.g. `0 9 * * 1-5`.
    public var description: String {
        [
            Self.render(minutes, .minute, wildcard: false),
            Self.render(hours, .hour, wildcard: false),
            Self.render(daysOfMonth, .dayOfMonth, wildcard: dayOfMonthIsWildcard),
            Self.render(months, .month, wildcard: false),
            Self.render(daysOfWeek, .dayOfWeek, wildcard: dayOfWeekIsWildcard),
        ].joined(separator: " ")
    }

    /// The first fire time strictly after `date`, evaluated on the wall clock of `timeZone`.
    ///
    /// Returns nil only if nothing fires within a full 400-year Gregorian cycle, which
    /// cannot happen for a successfully parsed expression and an ordinary date.
    public func next(after date: Date, in timeZone: TimeZone) -> Date? {
        let time = date.timeIntervalSince1970
        guard time.isFinite, abs(time) < 1e13 else { return nil }
        let second = Int(time.rounded(.down))
        let offset = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(second)))
        var wallMinute = Self.floorDiv(second + offset, 60)
        let lastDay = Self.floorDiv(wallMinute, 1440) + Self.searchHorizonDays

        while let candidate = nextWallMinute(from: wallMinute, lastDay: lastDay) {
            // Wall times map to instants monotonically (taking the first occurrence of
            // repeated times), so the first candidate whose instant is later wins.
            if let instant = Self.firstInstant(ofWallSecond: candidate * 60, in: timeZone),
               Double(instant) > time {
                return Date(timeIntervalSince1970: Double(instant))
            }
            wallMinute = candidate + 1
        }
        return nil
    }

    /// Whether the wall-clock minute containing `date` in `timeZone` matches the expression.
    ///
    /// Seconds are ignored. This checks the fields only; unlike `next(after:in:)` it does not
    /// de-duplicate the second occurrence of a repeated hour when clocks fall back.
    public func matches(_ date: Date, in timeZone: TimeZone) -> Bool {
        let time = date.timeIntervalSince1970
        guard time.isFinite, abs(time) < 1e13 else { return false }
        let second = Int(time.rounded(.down))
        let wallMinute = Self.floorDiv(second + timeZone.secondsFromGMT(for: date), 60)
        let day = Self.floorDiv(wallMinute, 1440)
        let minuteOfDay = wallMinute - day * 1440
        let (_, month, dayOfMonth) = CivilDate.civil(days: day)
        return minutes.contains(minuteOfDay % 60)
            && hours.contains(minuteOfDay / 60)
            && months.contains(month)
            && dayMatches(dayOfMonth, weekday: Self.weekday(ofDay: day))
    }

    /// Resolves a time zone name: an IANA identifier such as `Asia/Jakarta`, `UTC`, or one of
    /// the Indonesian abbreviations `WIB` (Asia/Jakarta, UTC+7), `WITA` (Asia/Makassar, UTC+8)
    /// and `WIT` (Asia/Jayapura, UTC+9). Abbreviations are case-insensitive.
    public static func timeZone(named name: String) -> TimeZone? {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        switch trimmed.uppercased() {
        case "WIB":
            return TimeZone(identifier: "Asia/Jakarta") ?? TimeZone(secondsFromGMT: 7 * 3600)
        case "WITA":
            return TimeZone(identifier: "Asia/Makassar") ?? TimeZone(secondsFromGMT: 8 * 3600)
        case "WIT":
            return TimeZone(identifier: "Asia/Jayapura") ?? TimeZone(secondsFromGMT: 9 * 3600)
        case "UTC":
            return TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0)
        case "":
            return nil
        default:
            return TimeZone(identifier: trimmed)
        }
    }

    // MARK: - Matching

    /// 400 Gregorian years, after which weekdays and leap years repeat exactly.
    private static let searchHorizonDays = 146_097

    private func dayMatches(_ dayOfMonth: Int, weekday: Int) -> Bool {
        let domMatch = daysOfMonth.contains(dayOfMonth)
        let dowMatch = daysOfWeek.contains(weekday)
        if dayOfMonthIsWildcard || dayOfWeekIsWildcard {
            return domMatch && dowMatch
        }
        return domMatch || dowMatch
    }

    /// The first matching wall-clock minute (minutes since 1970-01-01T00:00 local) at or
    /// after `start`, not later than day number `lastDay`.
    private func nextWallMinute(from start: Int, lastDay: Int) -> Int? {
        var day = Self.floorDiv(start, 1440)
        let minuteOfDay = start - day * 1440
        var hour = minuteOfDay / 60
        var minute = minuteOfDay % 60
        var (year, month, dayOfMonth) = CivilDate.civil(days: day)

        func advanceDay() {
            day += 1
            dayOfMonth += 1
            if dayOfMonth > Self.daysInMonth(year, month) {
                dayOfMonth = 1
                month += 1
                if month > 12 {
                    month = 1
                    year += 1
                }
            }
            hour = 0
            minute = 0
        }

        while day <= lastDay {
            if !months.contains(month) {
                if let nextMonth = months.next(atOrAfter: month + 1) {
                    month = nextMonth
                } else {
                    year += 1
                    month = months.next(atOrAfter: 1) ?? 1
                }
                dayOfMonth = 1
                day = CivilDate.days(year: year, month: month, day: 1)
                hour = 0
                minute = 0
                continue
            }
            if !dayMatches(dayOfMonth, weekday: Self.weekday(ofDay: day)) {
                advanceDay()
                continue
            }
            guard let matchedHour = hours.next(atOrAfter: hour) else {
                advanceDay()
                continue
            }
            if matchedHour != hour {
                hour = matchedHour
                minute = 0
            }
            guard let matchedMinute = minutes.next(atOrAfter: minute) else {
                hour += 1
                minute = 0
                continue
            }
            return day * 1440 + hour * 60 + matchedMinute
        }
        return nil
    }

    /// The earliest instant (seconds since 1970 UTC) whose wall-clock time in `timeZone`
    /// is `wallSecond`, or nil if that local time is skipped by a clock change.
    private static func firstInstant(ofWallSecond wallSecond: Int, in timeZone: TimeZone) -> Int? {
        func offset(at instant: Int) -> Int {
            timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(instant)))
        }
        // Offsets are within -12h…+14h, so probing one day either side yields the
        // offsets in force before and after any clock change near this wall time.
        let before = offset(at: wallSecond - 86_400)
        let after = offset(at: wallSecond + 86_400)
        var best: Int?
        func consider(_ candidateOffset: Int) {
            let instant = wallSecond - candidateOffset
            if offset(at: instant) == candidateOffset, instant < (best ?? Int.max) {
                best = instant
            }
        }
        consider(before)
        if after != before {
            consider(after)
        } else if best == nil {
            consider(offset(at: wallSecond - before))
        }
        return best
    }

    // MARK: - Impossible schedules

    private static let maximumDaysInMonth = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    private static let monthNames = [
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ]

    /// Describes why the day-of-month can never occur in the selected months, if so.
    private func impossibleDayProblem() -> String? {
        // With both day fields restricted a matching weekday always exists.
        guard dayOfMonthIsWildcard || dayOfWeekIsWildcard else { return nil }
        guard let smallestDay = daysOfMonth.next(atOrAfter: 1) else { return nil }
        let selectedMonths = months.values
        guard selectedMonths.allSatisfy({ smallestDay > Self.maximumDaysInMonth[$0 - 1] }) else { return nil }

        let days = daysOfMonth.values
        let dayText = days.count == 1 ? "day \(days[0])" : "days " + Self.naturalList(days.map(String.init), "and")
        let verb = days.count == 1 ? "occurs" : "occur"
        let monthText = Self.naturalList(selectedMonths.map { Self.monthNames[$0 - 1] }, "or")
        return "\(dayText) never \(verb) in \(monthText)"
    }

    private static func naturalList(_ items: [String], _ conjunction: String) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " \(conjunction) " + items[items.count - 1]
    }

    // MARK: - Parsing

    private static let macros: [String: String] = [
        "@yearly": "0 0 1 1 *",
        "@annually": "0 0 1 1 *",
        "@monthly": "0 0 1 * *",
        "@weekly": "0 0 * * 0",
        "@daily": "0 0 * * *",
        "@midnight": "0 0 * * *",
        "@hourly": "0 * * * *",
    ]

    private enum Field {
        case minute, hour, dayOfMonth, month, dayOfWeek

        var name: String {
            switch self {
            case .minute: "minute"
            case .hour: "hour"
            case .dayOfMonth: "day-of-month"
            case .month: "month"
            case .dayOfWeek: "day-of-week"
            }
        }

        /// Values accepted when written explicitly.
        var bounds: ClosedRange<Int> {
            switch self {
            case .minute: 0...59
            case .hour: 0...23
            case .dayOfMonth: 1...31
            case .month: 1...12
            case .dayOfWeek: 0...7
            }
        }

        /// Upper end used by `*` and `start/step`.
        var openMaximum: Int {
            self == .dayOfWeek ? 6 : bounds.upperBound
        }

        var names: [String: Int] {
            switch self {
            case .month:
                ["JAN": 1, "FEB": 2, "MAR": 3, "APR": 4, "MAY": 5, "JUN": 6,
                 "JUL": 7, "AUG": 8, "SEP": 9, "OCT": 10, "NOV": 11, "DEC": 12]
            case .dayOfWeek:
                ["SUN": 0, "MON": 1, "TUE": 2, "WED": 3, "THU": 4, "FRI": 5, "SAT": 6]
            default:
                [:]
            }
        }

        var rangeText: String { "\(bounds.lowerBound)–\(bounds.upperBound)" }
    }

    private struct FieldError: Error {
        let message: String
    }

    private static func parseField(_ text: String, _ field: Field) throws(FieldError) -> (set: BitSet, wildcard: Bool) {
        var set = BitSet()
        for element in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard !element.isEmpty else {
                throw FieldError(message: "empty element in \(field.name) list \"\(text)\"")
            }
            let pieces = element.split(separator: "/", omittingEmptySubsequences: false)
            guard pieces.count <= 2 else {
                throw FieldError(message: "\(field.name) element \"\(element)\" has more than one '/'")
            }

            var step = 1
            if pieces.count == 2 {
                let stepText = pieces[1]
                guard !stepText.isEmpty, stepText.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                    throw FieldError(message: "invalid step \"\(stepText)\" in \(field.name) element \"\(element)\"; expected a positive number")
                }
                guard let value = Int(stepText), value >= 1 else {
                    if stepText.allSatisfy({ $0 == "0" }) {
                        throw FieldError(message: "step 0 in \(field.name) element \"\(element)\" is invalid; a step must be at least 1")
                    }
                    throw FieldError(message: "step \(stepText) in \(field.name) element \"\(element)\" is too large")
                }
                step = value
            }

            let base = pieces[0]
            let low: Int
            let high: Int
            if base == "*" {
                low = field.bounds.lowerBound
                high = field.openMaximum
            } else if base.contains("-") {
                let ends = base.split(separator: "-", omittingEmptySubsequences: false)
                guard ends.count == 2, !ends[0].isEmpty, !ends[1].isEmpty else {
                    throw FieldError(message: "malformed \(field.name) range \"\(base)\"; expected start-end")
                }
                low = try value(ends[0], field)
                var end = try value(ends[1], field)
                // Allow ranges ending on Sunday by name, e.g. FRI-SUN.
                if field == .dayOfWeek, end == 0, low > 0, !ends[1].allSatisfy(\.isNumber) {
                    end = 7
                }
                high = end
                guard low <= high else {
                    throw FieldError(message: "\(field.name) range \(base) is reversed; the start must not be greater than the end")
                }
            } else if base.isEmpty {
                throw FieldError(message: "missing \(field.name) value before '/' in \"\(element)\"")
            } else {
                low = try value(base, field)
                high = pieces.count == 2 ? max(field.openMaximum, low) : low
            }

            for v in stride(from: low, through: high, by: step) {
                set.insert(field == .dayOfWeek && v == 7 ? 0 : v)
            }
        }
        return (set, text.hasPrefix("*"))
    }

    private static func value(_ token: Substring, _ field: Field) throws(FieldError) -> Int {
        if token.allSatisfy({ $0.isASCII && $0.isNumber }) {
            guard let number = Int(token), field.bounds.contains(number) else {
                throw FieldError(message: "\(field.name) \(token) is out of range \(field.rangeText)")
            }
            return number
        }
        let names = field.names
        if names.isEmpty {
            throw FieldError(message: "invalid \(field.name) value \"\(token)\"; expected a number in \(field.rangeText)")
        }
        guard let number = names[token.uppercased()] else {
            let expected = field == .month ? "JAN–DEC" : "SUN–SAT"
            throw FieldError(message: "unknown \(field.name) name \"\(token)\"; expected a number in \(field.rangeText) or a name \(expected)")
        }
        return number
    }

    // MARK: - Rendering

    private static func render(_ set: BitSet, _ field: Field, wildcard: Bool) -> String {
        let values = set.values
        let low = field.bounds.lowerBound
        let high = field.openMaximum
        let isFull = values.count == high - low + 1
        let wildcardMatters = field == .dayOfMonth || field == .dayOfWeek

        if wildcard && wildcardMatters {
            // Must keep a leading `*` so the day-matching rule is preserved.
            if isFull { return "*" }
            if values.count > 1, let step = uniformStep(values), values.last! + step > high { return "*/\(step)" }
            let rest = values.filter { $0 != low }
            return "*/\(high - low + 1)" + (rest.isEmpty ? "" : "," + renderList(rest))
        }
        if isFull {
            return wildcardMatters ? "\(low)-\(high)" : "*"
        }
        if let step = uniformStep(values), step > 1, values.count >= 3 {
            if !wildcardMatters, values[0] == low, values.last! + step > high {
                return "*/\(step)"
            }
            return "\(values[0])-\(values.last!)/\(step)"
        }
        return renderList(values)
    }

    /// The common difference of an arithmetic progression starting at `values[0]`, if any.
    private static func uniformStep(_ values: [Int]) -> Int? {
        guard values.count >= 2 else { return nil }
        let step = values[1] - values[0]
        for i in 1..<values.count where values[i] - values[i - 1] != step { return nil }
        return step
    }

    private static func renderList(_ values: [Int]) -> String {
        var parts: [String] = []
        var i = 0
        while i < values.count {
            var j = i
            while j + 1 < values.count, values[j + 1] == values[j] + 1 { j += 1 }
            if j - i >= 2 {
                parts.append("\(values[i])-\(values[j])")
            } else {
                parts.append(contentsOf: values[i...j].map(String.init))
            }
            i = j + 1
        }
        return parts.joined(separator: ",")
    }

    // MARK: - Calendar arithmetic (proleptic Gregorian)

    private static func floorDiv(_ a: Int, _ b: Int) -> Int {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    /// Day of week for a day number counted from 1970-01-01 (a Thursday); 0 = Sunday.
    private static func weekday(ofDay day: Int) -> Int {
        let r = (day + 4) % 7
        return r < 0 ? r + 7 : r
    }

    private static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    private static func daysInMonth(_ year: Int, _ month: Int) -> Int {
        month == 2 ? (isLeapYear(year) ? 29 : 28) : maximumDaysInMonth[month - 1]
    }
}

/// A set of small non-negative integers (0…63).
private struct BitSet: Hashable, Sendable {
    private var bits: UInt64 = 0

    mutating func insert(_ value: Int) {
        bits |= 1 << UInt64(value)
    }

    func contains(_ value: Int) -> Bool {
        value >= 0 && value < 64 && bits & (1 << UInt64(value)) != 0
    }

    /// The smallest member that is >= `value`.
    func next(atOrAfter value: Int) -> Int? {
        guard value < 64 else { return nil }
        let masked = value <= 0 ? bits : bits & (~0 << UInt64(value))
        return masked == 0 ? nil : masked.trailingZeroBitCount
    }

    var values: [Int] {
        (0..<64).filter { contains($0) }
    }
}

/// One cell's value as it travels through the stages.
///
/// Money is never floating point: amounts are `.decimal` (an exact integer of minor units
/// with a scale) or `.int`.
public enum Value: Sendable, Hashable {
    case null
    case string(String)
    case int(Int64)
    case double(Double)
    case bool(Bool)
    case date(CivilDate)
    /// An exact decimal: money (rupiah) and published statistics.
    case decimal(ExactDecimal)

    /// The value as text, the way it is stored and shown (`nil` for `.null`).
    public var text: String? {
        switch self {
        case .null: return nil
        case .string(let s): return s
        case .int(let n): return String(n)
        case .double(let d): return String(d)
        case .bool(let b): return b ? "true" : "false"
        case .date(let d): return d.iso
        case .decimal(let d): return d.description
        }
    }

    /// True for `.null` and for strings that are empty or only white space.
    public var isEmpty: Bool {
        switch self {
        case .null: return true
        case .string(let s): return s.allSatisfy(\.isWhitespace)
        default: return false
        }
    }
}

/// A calendar date without time or zone (birth dates, distribution dates).
public struct CivilDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Returns nil unless the date exists in the proleptic Gregorian calendar.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1,
              day <= CivilDate.daysIn(month: month, year: year) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// `yyyy-mm-dd`.
    public var iso: String {
        func pad(_ n: Int, _ width: Int) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    public var description: String { iso }

    public static func < (a: CivilDate, b: CivilDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

/// The declared type of a field.
public enum FieldType: String, Sendable, Codable, CaseIterable {
    case string, int, double, bool, date, decimal
}

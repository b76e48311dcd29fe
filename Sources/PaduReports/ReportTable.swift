import PaduCore

/// What a report column holds, which decides how each output format writes it.
public enum ReportColumnKind: Sendable {
    case text
    case integer
    /// Rupiah, exact, carried as sen (1/100 rupiah).
    case rupiah
    /// A share in percent, carried as a fraction (numerator, denominator).
    case percent
    case date
}

/// One column of a report: a stable machine name (CSV/JSON keys) and a title for people.
public struct ReportColumn: Sendable {
    public let name: String
    public let title: String
    public let kind: ReportColumnKind

    public init(_ name: String, _ title: String, _ kind: ReportColumnKind = .text) {
        self.name = name
        self.title = title
        self.kind = kind
    }
}

/// One cell of a report.
public enum ReportValue: Sendable, Equatable {
    case null
    case text(String)
    case integer(Int64)
    case sen(Int64)
    case fraction(Int64, Int64)
    case date(CivilDate)

    /// Plain text as CSV and comparisons use it: amounts `1500000.00`, shares `62.5`.
    public var plain: String {
        switch self {
        case .null: return ""
        case .text(let s): return s
        case .integer(let n): return String(n)
        case .sen(let s): return ExactDecimal(units: s, scale: 2)?.description ?? String(s)
        case .fraction(let n, let d): return d == 0 ? "" : ReportValue.percentText(n, d)
        case .date(let d): return d.iso
        }
    }

    /// `n/d` as a percentage with one decimal, rounded half up: `62.5`.
    static func percentText(_ n: Int64, _ d: Int64) -> String {
        let negative = (n < 0) != (d < 0) && n != 0
        let (a, b) = (abs(n), abs(d))
        let tenths = (a * 1000 + b / 2) / b
        return (negative ? "-" : "") + "\(tenths / 10).\(tenths % 10)"
    }

    init(_ s: String?) { self = s.map { .text($0) } ?? .null }
}

/// A report's result: what was asked, the columns, the rows, and notes on how to read it.
public struct ReportTable: Sendable {
    public let name: String
    public let title: String
    /// The filters and parameters the report ran with (`period=2025`, `region=18.02`).
    public var parameters: [(String, String)]
    public let columns: [ReportColumn]
    public var rows: [[ReportValue]]
    public var notes: [String]

    public init(name: String, title: String, parameters: [(String, String)] = [], columns: [ReportColumn],
                rows: [[ReportValue]] = [], notes: [String] = []) {
        self.name = name
        self.title = title
        self.parameters = parameters
        self.columns = columns
        self.rows = rows
        self.notes = notes
    }

    /// The value of column `name` in row `row`.
    public func value(_ name: String, row: Int) -> ReportValue {
        guard let c = columns.firstIndex(where: { $0.name == name }) else { return .null }
        return rows[row][c]
    }
}

/// A report that cannot run as asked (unknown region, bad period...).
public struct ReportError: Error, Sendable, CustomStringConvertible {
    public let description: String
    /// The thing asked about is not in the warehouse (as opposed to a malformed request).
    public let isNotFound: Bool
    public init(_ description: String, notFound: Bool = false) {
        self.description = description
        self.isNotFound = notFound
    }
}

import PaduCore
import PaduReference
import PaduWarehouse

/// The period a report covers: a year (`2025`) or a month (`2025-07`).
public struct ReportPeriod: Sendable, Equatable, CustomStringConvertible {
    /// `yyyy` or `yyyy-mm`: a prefix of the `yyyy-mm` periods aid rows carry.
    public let prefix: String

    /// Parses `2025` or `2025-07` (also `2025-7` and `07/2025`).
    public init(_ text: String) throws {
        let t = text.trimmingWhitespace()
        let digits = t.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "-" || $0 == "/" }).map(String.init)
        func number(_ s: String) -> Int? { s.allSatisfy { $0.isASCII && $0.isNumber } ? Int(s) : nil }
        func year(_ s: String) -> Int? { s.count == 4 ? number(s).flatMap { (1900...2100).contains($0) ? $0 : nil } : nil }
        func month(_ s: String) -> Int? { (1...2).contains(s.count) ? number(s).flatMap { (1...12).contains($0) ? $0 : nil } : nil }
        if digits.count == 1, let y = year(digits[0]) {
            prefix = String(y)
        } else if digits.count == 2, let y = year(digits[0]), let m = month(digits[1]) {
            prefix = String(y) + (m < 10 ? "-0\(m)" : "-\(m)")
        } else if digits.count == 2, let m = month(digits[0]), let y = year(digits[1]) {
            prefix = String(y) + (m < 10 ? "-0\(m)" : "-\(m)")
        } else {
            throw ReportError("period '\(text)' is not a year or a month; expected e.g. 2025 or 2025-07")
        }
    }

    public var isMonth: Bool { prefix.count == 7 }
    public var description: String { prefix }
}

/// A Kemendagri region a report is limited to: the region and everything inside it.
public struct ReportRegion: Sendable {
    public let entry: RegionEntry

    /// Reads a dotted or undotted Kemendagri code (`18.02`, `1802`) from the bundled list.
    public init(_ text: String, catalog: RegionCatalog) throws {
        guard let e = catalog.entry(code: text) else {
            throw ReportError("region '\(text)' is not a Kemendagri code of the \(catalog.listName) list; expected e.g. 18.02 (Lampung Tengah) or 18.02.01")
        }
        entry = e
    }

    /// An SQL condition on `column` (a dotted code) for this region: `(col = ? OR col LIKE ?)`.
    func condition(_ column: String) -> (sql: String, args: [SQLValue]) {
        ("(\(column) = ? OR \(column) LIKE ?)", [.text(entry.code), .text(entry.code + ".%")])
    }
}


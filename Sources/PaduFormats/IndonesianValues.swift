import PaduCore

/// Parsing of values the way Indonesian offices write them.
public enum IndonesianValues {
    /// Month names and abbreviations (Indonesian and English), upper case.
    static let months: [String: Int] = [
        "JANUARI": 1, "JAN": 1, "JANUARY": 1, "FEBRUARI": 2, "FEB": 2, "PEBRUARI": 2, "FEBRUARY": 2,
        "MARET": 3, "MAR": 3, "MARCH": 3, "APRIL": 4, "APR": 4, "MEI": 5, "MAY": 5, "JUNI": 6, "JUN": 6, "JUNE": 6,
        "JULI": 7, "JUL": 7, "JULY": 7, "AGUSTUS": 8, "AGU": 8, "AGT": 8, "AGS": 8, "AUG": 8, "AUGUST": 8,
        "SEPTEMBER": 9, "SEP": 9, "SEPT": 9, "OKTOBER": 10, "OKT": 10, "OCT": 10, "OCTOBER": 10,
        "NOVEMBER": 11, "NOV": 11, "NOPEMBER": 11, "DESEMBER": 12, "DES": 12, "DEC": 12, "DECEMBER": 12,
    ]

    /// A date written as `14/07/2025`, `14-07-2025`, `14.07.2025`, `14/07/2025 0:00:00`,
    /// `2025-07-14`, `2025-07-14T00:00:00` or `14 Juli 2025`. Day first, as in Indonesia.
    /// Two-digit years are refused (the century is unknowable).
    public static func parseDate(_ text: String) -> CivilDate? {
        var s = Substring(text.trimmingWhitespace())
        if s.isEmpty { return nil }
        // Drop a time part: "14/07/2025 0:00:00", "14 Juli 2025 00:00", "2025-07-14T00:00:00".
        if s.contains(":") {
            if let space = s.lastIndex(of: " "), s[s.index(after: space)...].contains(":") {
                s = s[..<space].drop(while: { $0 == " " })
                while s.last == " " { s = s.dropLast() }
            } else if s.count > 10, s[s.index(s.startIndex, offsetBy: 10)] == "T" {
                s = s.prefix(10)
            }
        }
        let parts = s.split(whereSeparator: { $0 == "/" || $0 == "-" || $0 == "." || $0 == " " })
        guard parts.count == 3 else { return nil }
        let a = String(parts[0]), b = String(parts[1]), c = String(parts[2])
        if a.count == 4, let y = Int(a), let m = Int(b), let d = Int(c) {
            return CivilDate(year: y, month: m, day: d)
        }
        guard c.count == 4, let y = Int(c), let d = Int(a), a.count <= 2 else { return nil }
        if let m = Int(b), b.count <= 2 { return CivilDate(year: y, month: m, day: d) }
        if let m = months[b.uppercased()] { return CivilDate(year: y, month: m, day: d) }
        return nil
    }

    /// `YA/TIDAK`, `Y/T`, `1/0`, `TRUE/FALSE`, `ADA/TIDAK ADA`; nil when the text is not a flag.
    public static func parseFlag(_ text: String) -> Bool? {
        switch text.trimmingWhitespace().uppercased() {
        case "YA", "Y", "1", "TRUE", "YES", "ADA", "V", "✓", "PENERIMA": return true
        case "TIDAK", "T", "0", "FALSE", "NO", "N", "TDK", "TIDAK ADA", "BUKAN", "BUKAN PENERIMA": return false
        default: return nil
        }
    }

    /// `L`/`P`, `LAKI-LAKI`/`PEREMPUAN`, `PRIA`/`WANITA`, `1`/`2` → `L` or `P`.
    public static func parseSex(_ text: String) -> String? {
        switch text.trimmingWhitespace().uppercased() {
        case "L", "LAKI-LAKI", "LAKI LAKI", "LAKILAKI", "LAKI", "PRIA", "1", "LK": return "L"
        case "P", "PEREMPUAN", "WANITA", "2", "PR": return "P"
        default: return nil
        }
    }
}

extension String {
    /// The string without leading and trailing white space (including non-breaking spaces).
    public func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        if first == scalars.startIndex && last == scalars.index(before: scalars.endIndex) { return self }
        return String(scalars[first...last])
    }
}

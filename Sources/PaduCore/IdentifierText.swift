/// What a cell holding a NIK or No. KK (16-digit identifiers) really contains.
public enum IdentifierReading: Sendable, Hashable {
    /// 16 digits written as text: the identifier as written (trimmed, without a leading `'`).
    case text(String)
    /// The identifier passed through a floating-point number and may have lost digits; the
    /// reason says how to get the original back. Never repaired.
    case damaged(reason: String)
    /// Not an identifier at all (empty, wrong length, letters, a placeholder).
    case notAnIdentifier(reason: String)
}

/// Reads 16-digit identifiers (NIK, No. KK) as they arrive from spreadsheets and exports.
///
/// Excel keeps numbers as floating point with 15 significant digits, so a NIK typed into a
/// number cell loses its 16th digit (it becomes 0) and may show as `3.57808E+15`. Such a
/// value must be flagged, never "repaired": the lost digit cannot be guessed. Reasons never
/// repeat the value itself (it is personal data); callers show a masked form if needed.
public enum IdentifierText {
    /// Classifies one cell.
    ///
    /// - `fromNumericCell`: the reader saw a numeric cell (XLSX `t` absent or `n`). Always
    ///   `.damaged`, whatever its digits, unless the cell is empty.
    /// - Text is trimmed (including NBSP) and one leading `'` (Excel's "store as text" mark)
    ///   is dropped. Then: E-notation (`3.57808E+15`) and a `.0` suffix
    ///   (`3578081234567890.0`) are `.damaged`; exactly 16 digits are `.text` unless they are a
    ///   placeholder (one digit repeated, e.g. `0000000000000000`, or `1234567890123456`);
    ///   15 or 17 digits ending in 0 are `.damaged` (a float conversion's trailing zero);
    ///   anything else is `.notAnIdentifier`.
    public static func classify(_ raw: String, fromNumericCell: Bool) -> IdentifierReading {
        var text = Substring(raw.trimmingWhitespace())
        if text.first == "'" { text = text.dropFirst() }
        if text.isEmpty { return .notAnIdentifier(reason: "the cell is empty") }
        if fromNumericCell {
            return .damaged(reason: "stored as a number in a numeric cell: Excel keeps 15 significant digits, so the 16th may be lost; "
                + "re-export the column formatted as Text (or with a leading ')")
        }
        let bytes = Array(text.utf8)
        let isDigit: (UInt8) -> Bool = { $0 >= 0x30 && $0 <= 0x39 }
        if isENotation(bytes) {
            return .damaged(reason: "written in E-notation (like 3.57808E+15): the number lost its last digits; "
                + "re-export the column formatted as Text")
        }
        if let dot = bytes.firstIndex(of: UInt8(ascii: ".")), dot > 0, bytes[..<dot].allSatisfy(isDigit),
           dot + 1 < bytes.count, bytes[(dot + 1)...].allSatisfy({ $0 == UInt8(ascii: "0") }) {
            return .damaged(reason: "ends in '.\(String(repeating: "0", count: bytes.count - dot - 1))': it passed through a number "
                + "and its last digit may be lost; re-export the column formatted as Text")
        }
        guard bytes.allSatisfy(isDigit) else {
            let what: String
            if bytes.contains(where: { $0 == 0x20 }) || text.unicodeScalars.contains(where: { $0.properties.isWhitespace }) {
                what = "contains spaces"
            } else if bytes.contains(where: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }) {
                what = "contains '.' or '-'"
            } else {
                what = "contains characters other than digits"
            }
            return .notAnIdentifier(reason: "\(what); a NIK or No. KK is 16 digits written without separators")
        }
        switch bytes.count {
        case 16:
            if bytes.allSatisfy({ $0 == bytes[0] }) || text == "1234567890123456" {
                return .notAnIdentifier(reason: "a placeholder (\(bytes[0] == UInt8(ascii: "0") ? "all zeros" : "a filler pattern")), not a person's number")
            }
            return .text(String(text))
        case 15 where bytes.last == UInt8(ascii: "0"), 17 where bytes.last == UInt8(ascii: "0"):
            return .damaged(reason: "\(bytes.count) digits ending in 0, the mark of a number converted through floating point; "
                + "a NIK or No. KK has 16 digits — re-export the column formatted as Text")
        default:
            return .notAnIdentifier(reason: "\(bytes.count) digit\(bytes.count == 1 ? "" : "s"); a NIK or No. KK has 16")
        }
    }

    /// `d[.ddd](E|e)[+|-]dd`.
    private static func isENotation(_ b: [UInt8]) -> Bool {
        guard let e = b.firstIndex(where: { $0 == UInt8(ascii: "E") || $0 == UInt8(ascii: "e") }), e > 0 else { return false }
        let mantissa = b[..<e]
        var exponent = b[(e + 1)...]
        if exponent.first == UInt8(ascii: "+") || exponent.first == UInt8(ascii: "-") { exponent = exponent.dropFirst() }
        let digit: (UInt8) -> Bool = { $0 >= 0x30 && $0 <= 0x39 }
        guard !exponent.isEmpty, exponent.allSatisfy(digit) else { return false }
        let points = mantissa.filter { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: ",") }.count
        return points <= 1 && mantissa.contains(where: digit)
            && mantissa.allSatisfy { digit($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: ",") }
    }
}

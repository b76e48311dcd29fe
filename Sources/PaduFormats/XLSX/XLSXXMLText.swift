/// Escapes text for the XML parts of a workbook being written.
enum XLSXXMLText {
    /// The longest text Excel keeps in a cell, in UTF-16 code units.
    static let maxCellTextLength = 32_767

    /// Appends `text` as UTF-8 XML, escaped for element content or, with `attribute`, for a
    /// double-quoted attribute value:
    /// - `&`, `<`, `>` (and `"` in attributes) become entities; carriage returns become `&#13;` (and
    ///   tabs and line feeds `&#9;`/`&#10;` in attributes) so that parsers keep them;
    /// - characters XML 1.0 forbids (controls other than tab, LF, CR; U+FFFE, U+FFFF) become U+FFFD;
    /// - with `ooxmlEscapes`, an `_` starting something that looks like OOXML's `_xHHHH_` escape is
    ///   written `_x005F_` so that Excel and readers show the text as it is.
    static func append(_ text: String, to out: inout [UInt8], attribute: Bool = false, ooxmlEscapes: Bool = false) {
        var text = text
        text.withUTF8 { bytes in
            let count = bytes.count
            var index = 0
            var runStart = 0
            func flushRun(_ end: Int) {
                if end > runStart { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<end])) }
            }
            while index < count {
                let byte = bytes[index]
                var replacement: [UInt8]? = nil
                var width = 1
                switch byte {
                case UInt8(ascii: "&"): replacement = amp
                case UInt8(ascii: "<"): replacement = lt
                case UInt8(ascii: ">"): replacement = gt
                case UInt8(ascii: "\"") where attribute: replacement = quot
                case 0x0D: replacement = cr
                case 0x09 where attribute: replacement = tab
                case 0x0A where attribute: replacement = lf
                case 0x09, 0x0A: break
                case 0x00..<0x20: replacement = replacementCharacter
                case UInt8(ascii: "_") where ooxmlEscapes:
                    if looksLikeOOXMLEscape(bytes, at: index) { replacement = escapedUnderscore }
                case 0xEF:
                    // U+FFFE and U+FFFF (EF BF BE, EF BF BF) are not XML characters.
                    if index + 2 < count, bytes[index + 1] == 0xBF, bytes[index + 2] >= 0xBE {
                        replacement = replacementCharacter
                        width = 3
                    }
                default: break
                }
                if let replacement {
                    flushRun(index)
                    out.append(contentsOf: replacement)
                    index += width
                    runStart = index
                } else {
                    index += 1
                }
            }
            flushRun(count)
        }
    }

    /// `text` cut to ``maxCellTextLength`` UTF-16 code units (never inside a character), and whether it was cut.
    static func fittingCell(_ text: String) -> (text: String, truncated: Bool) {
        // UTF-8 takes at least as many units as UTF-16, so short texts need no counting.
        guard text.utf8.count > maxCellTextLength, text.utf16.count > maxCellTextLength else { return (text, false) }
        var kept = String.UnicodeScalarView()
        var length = 0
        for scalar in text.unicodeScalars {
            length += UTF16.width(scalar)
            if length > maxCellTextLength { break }
            kept.append(scalar)
        }
        return (String(kept), true)
    }

    /// Whether `_xHHHH_` (four hexadecimal digits) starts at `index`.
    private static func looksLikeOOXMLEscape(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        guard index + 6 < bytes.count, bytes[index + 1] | 0x20 == UInt8(ascii: "x"), bytes[index + 6] == UInt8(ascii: "_") else {
            return false
        }
        for offset in 2...5 {
            let byte = bytes[index + offset]
            if !(0x30...0x39).contains(byte), !(0x61...0x66).contains(byte | 0x20) { return false }
        }
        return true
    }

    private static let amp = Array("&amp;".utf8)
    private static let lt = Array("&lt;".utf8)
    private static let gt = Array("&gt;".utf8)
    private static let quot = Array("&quot;".utf8)
    private static let cr = Array("&#13;".utf8)
    private static let tab = Array("&#9;".utf8)
    private static let lf = Array("&#10;".utf8)
    private static let replacementCharacter: [UInt8] = [0xEF, 0xBF, 0xBD]
    private static let escapedUnderscore = Array("_x005F_".utf8)
}

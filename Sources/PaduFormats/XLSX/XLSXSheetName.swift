/// Makes sheet names Excel accepts.
public enum XLSXSheetName {
    /// The longest sheet name Excel accepts, in UTF-16 code units.
    public static let maxLength = 31

    /// `name` made acceptable to Excel and different from every name in `taken` (compared without
    /// regard to letter case, as Excel does):
    /// - `[ ] : * ? / \` become `_`, control characters are dropped, leading and trailing `'` and
    ///   spaces are removed;
    /// - an empty result becomes `Sheet`; `History` (reserved by Excel) counts as taken;
    /// - the name is cut to 31 characters, and a taken name gets ` (2)`, ` (3)`, … (cutting the name
    ///   further to make room).
    public static func sanitized(_ name: String, taken: [String]) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in name.unicodeScalars {
            switch scalar {
            case "[", "]", ":", "*", "?", "/", "\\": scalars.append("_")
            case _ where scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value): continue
            case "\u{FFFE}", "\u{FFFF}": continue
            default: scalars.append(scalar)
            }
        }
        var base = String(scalars)
        while let first = base.first, first == "'" || first == " " { base.removeFirst() }
        while let last = base.last, last == "'" || last == " " { base.removeLast() }
        if base.isEmpty { base = "Sheet" }
        let takenKeys = Set(taken.map { $0.lowercased() } + ["history"])
        var candidate = cut(base, to: maxLength)
        var number = 2
        while takenKeys.contains(candidate.lowercased()) {
            let suffix = " (\(number))"
            candidate = cut(base, to: maxLength - suffix.utf16.count) + suffix
            number += 1
        }
        return candidate
    }

    /// `text` cut to at most `length` UTF-16 code units, never inside a character, without trailing spaces.
    private static func cut(_ text: String, to length: Int) -> String {
        var out = ""
        var used = 0
        for character in text {
            let width = character.utf16.count
            if used + width > length { break }
            out.append(character)
            used += width
        }
        while out.last == " " || out.last == "'" { out.removeLast() }
        return out
    }
}

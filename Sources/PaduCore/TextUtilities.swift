/// Small text helpers shared by messages and storage.
public enum TextUtilities {
    /// Levenshtein distance between two strings (by characters).
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var previous = Array(0...b.count)
        for (i, ca) in a.enumerated() {
            var current = [i + 1]
            for (j, cb) in b.enumerated() {
                current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (ca == cb ? 0 : 1)))
            }
            previous = current
        }
        return previous[b.count]
    }

    /// The candidate nearest to `name`, if it is close enough to be a typo of it.
    public static func closest(to name: String, among candidates: [String]) -> String? {
        guard let best = candidates.min(by: { editDistance(name, $0) < editDistance(name, $1) }),
              editDistance(name, best) <= max(2, name.count / 3) else { return nil }
        return best
    }

    /// `s` as a JSON string literal.
    public static func jsonQuoted(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where c.value < 0x20:
                let hex = String(c.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(c)
            }
        }
        return out + "\""
    }

    /// A JSON object of string values, in the given order.
    public static func jsonObject(_ pairs: [(String, String)]) -> String {
        "{" + pairs.map { jsonQuoted($0.0) + ":" + jsonQuoted($0.1) }.joined(separator: ",") + "}"
    }
}

extension String {
    /// The string without leading and trailing white space (including non-breaking spaces).
    public func trimmingWhitespace() -> String {
        // Fast path: printable ASCII at both ends means nothing to trim.
        if let first = utf8.first, let last = utf8.last, first > 0x20, first < 0x7F, last > 0x20, last < 0x7F { return self }
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        if first == scalars.startIndex && last == scalars.index(before: scalars.endIndex) { return self }
        return String(scalars[first...last])
    }
}

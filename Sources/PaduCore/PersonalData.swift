/// Personal-data rules (UU 27/2022): NIK and KK numbers never appear whole in logs or
/// messages. This is the one place that knows how to mask them.
public enum PersonalData {
    /// `1802011504850001` → `1802********0001`. Anything not 16 digits is returned as
    /// `****` with its length, so malformed identifiers do not leak either.
    public static func maskNIK(_ nik: String) -> String {
        let digits = Array(nik.utf8)
        if digits.count == 16, digits.allSatisfy({ $0 >= 48 && $0 <= 57 }) {
            return String(decoding: digits[0..<4], as: UTF8.self) + "********" + String(decoding: digits[12..<16], as: UTF8.self)
        }
        return nik.isEmpty ? "" : "****(\(nik.count) chars)"
    }

    /// Masks every run of 15 to 17 digits in `text` (a NIK or KK, also one Excel damaged,
    /// or with a digit too many) keeping the first four and last four digits.
    public static func maskNIKs(in text: String) -> String {
        var bytes = Array(text.utf8)
        var i = 0
        var changed = false
        while i < bytes.count {
            guard bytes[i] >= 48 && bytes[i] <= 57 else { i += 1; continue }
            var j = i
            while j < bytes.count, bytes[j] >= 48 && bytes[j] <= 57 { j += 1 }
            let length = j - i
            if (15...17).contains(length) {
                for k in (i + 4)..<(j - 4) { bytes[k] = UInt8(ascii: "*") }
                changed = true
            }
            i = j
        }
        return changed ? String(decoding: bytes, as: UTF8.self) : text
    }
}

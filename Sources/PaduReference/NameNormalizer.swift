import Foundation

/// Normalises Indonesian personal names the way the civil registry writes them, and makes a
/// key that matches old and new spellings.
///
/// The display form is NFC, upper case, with single spaces; apostrophes and backticks are
/// removed (`MA'RUF` → `MARUF`), dots, commas, hyphens and brackets become spaces, and
/// honorifics and academic titles are stripped: a leading run of `H.`, `HJ.`, `HAJI`,
/// `HAJJAH`, `DRS.`, `DRA.`, `DR.`, `IR.`, `PROF.`, `BPK`/`BAPAK`, `IBU`, `SDR`/`SDRI`, `NY.`,
/// `ALM.`/`ALMH.`/`ALMARHUM(AH)` (also glued, as in `DRS.H.AHMAD`), and a trailing run of
/// degrees (`S.PD.`, `S.E.`, `S.H.`, `S.KOM.`, `S.AG.`, `S.SOS.`, `S.T.`, `M.PD.`, `M.SI.`,
/// `M.M.`, `A.MD.`, ... with or without dots) and `ALM.`/`ALMH.`. A title is never stripped
/// when nothing else would remain (`HAJI` alone stays), and initials in the middle of a name
/// (`M.H. THAMRIN`) are kept.
///
/// The key is the display form with old spellings folded: `OE`→`U`, `DJ`→`J`, `TJ`→`C`,
/// `SJ`→`SY`, `CH`→`KH`, so `Moehammad Djoko` and `MUHAMMAD JOKO` get the same key.
public enum NameNormalizer {
    /// The display form and the matching key of `raw`; both empty when nothing is left.
    public static func normalize(_ raw: String) -> (display: String, key: String) {
        normalize(raw, asciiFastPath: true)
    }

    /// `asciiFastPath: false` forces the general Unicode path (tests compare the two).
    static func normalize(_ raw: String, asciiFastPath: Bool) -> (display: String, key: String) {
        let separatorsAsSpace: String
        if asciiFastPath, let ascii = asciiCleaned(raw) {
            separatorsAsSpace = ascii
        } else {
            var text = raw.precomposedStringWithCanonicalMapping.uppercased()
            text.unicodeScalars.removeAll { removed.contains($0) }
            separatorsAsSpace = String(String.UnicodeScalarView(text.unicodeScalars.map { separators.contains($0) ? " " : $0 }))
        }
        var tokens = separatorsAsSpace.split(whereSeparator: { $0.isWhitespace }).map(String.init)

        // Trailing degrees (also written "S. PD" as two tokens), keeping at least one token.
        trailing: while tokens.count > 1 {
            for k in stride(from: min(3, tokens.count - 1), through: 1, by: -1) {
                let tail = tokens[(tokens.count - k)...]
                if k > 1, !tail.dropLast().allSatisfy({ $0.hasSuffix(".") }) { continue }
                if suffixTitles.contains(tail.map(bare).joined()) {
                    tokens.removeLast(k)
                    continue trailing
                }
            }
            break
        }
        // Leading honorifics, keeping at least one token; glued ones (DRS.H.AHMAD) too.
        while let first = tokens.first {
            if tokens.count > 1, prefixTitles.contains(bare(first)) {
                tokens.removeFirst()
                continue
            }
            var parts = first.split(separator: ".", omittingEmptySubsequences: false)
            var stripped = false
            while parts.count > 1, prefixTitles.contains(String(parts[0])), parts.dropFirst().contains(where: { !$0.isEmpty }) {
                parts.removeFirst()
                stripped = true
            }
            if stripped { tokens[0] = parts.joined(separator: ".") }
            break
        }

        let display = tokens.joined(separator: " ")
            .split(whereSeparator: { $0 == "." || $0.isWhitespace })
            .joined(separator: " ")
        return (display, key(display, asciiFastPath: asciiFastPath))
    }

    /// The display form with old spellings folded (EYD before 1972 and Van Ophuijsen).
    static func key(_ display: String, asciiFastPath: Bool = true) -> String {
        if asciiFastPath, display.utf8.allSatisfy({ $0 < 0x80 }) {
            var bytes = Array(display.utf8)
            for (old, new) in asciiFolds { bytes = replacing(old, with: new, in: bytes) }
            return String(decoding: bytes, as: UTF8.self)
        }
        var key = display
        for (old, new) in spellingFolds { key = key.replacingOccurrences(of: old, with: new) }
        return key
    }

    /// Upper case, quotes removed and separators made spaces, byte by byte, when `raw` is ASCII
    /// (NFC changes nothing there); nil otherwise. The same result as the Unicode path, cheaper.
    static func asciiCleaned(_ raw: String) -> String? {
        var out: [UInt8] = []
        out.reserveCapacity(raw.utf8.count)
        for b in raw.utf8 {
            switch b {
            case 0x80...: return nil
            case UInt8(ascii: "a")...UInt8(ascii: "z"): out.append(b - 32)
            case UInt8(ascii: "'"), UInt8(ascii: "`"), UInt8(ascii: "\""): continue
            case UInt8(ascii: ","), UInt8(ascii: "-"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: ";"), UInt8(ascii: "/"):
                out.append(UInt8(ascii: " "))
            default: out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Left-to-right, non-overlapping replacement of `old` by `new` (as `replacingOccurrences` does).
    private static func replacing(_ old: [UInt8], with new: [UInt8], in bytes: [UInt8]) -> [UInt8] {
        guard bytes.count >= old.count else { return bytes }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            if i + old.count <= bytes.count, bytes[i..<(i + old.count)].elementsEqual(old) {
                out.append(contentsOf: new)
                i += old.count
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return out
    }

    private static let asciiFolds: [([UInt8], [UInt8])] = spellingFolds.map { (Array($0.0.utf8), Array($0.1.utf8)) }

    private static let spellingFolds: [(String, String)] = [("OE", "U"), ("TJ", "C"), ("DJ", "J"), ("SJ", "SY"), ("CH", "KH")]

    /// A token without its dots (`S.PD.` → `SPD`).
    private static func bare(_ token: String) -> String { token.contains(".") ? String(token.filter { $0 != "." }) : token }

    /// Removed outright: apostrophes, backticks and their look-alikes.
    private static let removed: Set<Unicode.Scalar> = ["'", "`", "\u{2018}", "\u{2019}", "\u{02BC}", "\u{00B4}", "\""]

    /// Turned into spaces (dots are kept until titles are found, then become spaces too).
    private static let separators: Set<Unicode.Scalar> = [",", "-", "\u{2010}", "\u{2013}", "(", ")", ";", "/"]

    /// Titles and honorifics stripped from the start of a name (without dots).
    static let prefixTitles: Set<String> = [
        "H", "HJ", "HAJI", "HAJJAH", "HAJAH", "DRS", "DRA", "DR", "IR", "PROF", "BPK", "BAPAK", "IBU",
        "SDR", "SDRI", "SDRA", "NY", "NYONYA", "ALM", "ALMH", "ALMARHUM", "ALMARHUMAH",
    ]

    /// Degrees and marks stripped from the end of a name (without dots).
    static let suffixTitles: Set<String> = [
        "SPD", "SPDI", "SE", "SH", "SHI", "SKOM", "SAG", "SSOS", "ST", "SIP", "SKM", "SKEP", "SSI", "SFARM",
        "MPD", "MSI", "MM", "MAG", "MKES", "MKOM", "MH", "MT", "AMD", "AMDKEP", "AMK", "AMAPD", "PHD",
        "ALM", "ALMH", "ALMARHUM", "ALMARHUMAH",
    ]
}

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
        var text = raw.precomposedStringWithCanonicalMapping.uppercased()
        text.unicodeScalars.removeAll { removed.contains($0) }
        let separatorsAsSpace = String(String.UnicodeScalarView(text.unicodeScalars.map { separators.contains($0) ? " " : $0 }))
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
        return (display, key(display))
    }

    /// The display form with old spellings folded (EYD before 1972 and Van Ophuijsen).
    static func key(_ display: String) -> String {
        var key = display
        for (old, new) in spellingFolds { key = key.replacingOccurrences(of: old, with: new) }
        return key
    }

    private static let spellingFolds: [(String, String)] = [("OE", "U"), ("TJ", "C"), ("DJ", "J"), ("SJ", "SY"), ("CH", "KH")]

    /// A token without its dots (`S.PD.` → `SPD`).
    private static func bare(_ token: String) -> String { token.replacingOccurrences(of: ".", with: "") }

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

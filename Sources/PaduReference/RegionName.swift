import Foundation

/// A region name reduced to what matters for comparison: lower case, no diacritics, no
/// spaces or punctuation, roman numerals as digits (`Sri Way Langsep`, `SRIWAYLANGSEP`
/// and `Sriwaylangsep` are all `sriwaylangsep`; `Lalai I/II` is `lalai1-2`).
struct RegionName: Hashable {
    /// The key of the name without its level prefix (`Kab. Bekasi` → `bekasi`).
    let key: String
    /// The key of the whole name, prefix included (`kabbekasi`); equal to `key` when there
    /// was no prefix.
    let fullKey: String
    /// What the prefix said about the kind of region (kota vs kabupaten, kelurahan vs desa).
    let kind: RegionKind?

    /// The name as written, reduced; nil when nothing comparable is left (empty, `-`).
    init?(_ text: String, level: AdministrativeLevel) {
        let tokens = RegionName.tokens(text)
        guard !tokens.isEmpty else { return nil }
        let (rest, kind) = RegionName.strippingPrefix(tokens, level: level)
        fullKey = RegionName.join(tokens[...])
        key = rest.isEmpty ? fullKey : RegionName.join(rest)
        self.kind = rest.isEmpty ? nil : kind
    }

    init(key: String, fullKey: String, kind: RegionKind?) {
        self.key = key
        self.fullKey = fullKey
        self.kind = kind
    }

    /// The key of a name from the list: kabupaten/kota lose their `Kabupaten`/`Kota` word.
    static func listKey(_ name: String, level: AdministrativeLevel) -> String {
        let tokens = RegionName.tokens(name)
        if level == .kabupaten {
            let (rest, _) = strippingPrefix(tokens, level: level)
            if !rest.isEmpty { return join(rest) }
        }
        return join(tokens[...])
    }

    // MARK: Tokens

    /// Lower-case ASCII words and numbers; apostrophes vanish (`Regapu’u` → `regapuu`), any
    /// other punctuation or space separates, letters lose their diacritics, roman numerals
    /// I–XXXIX become digits.
    static func tokens(_ text: String) -> [String] {
        var tokens: [String] = []
        var current: [UInt8] = []
        func flush() {
            guard !current.isEmpty else { return }
            let word = String(decoding: current, as: UTF8.self)
            tokens.append(romanValue(current).map(String.init) ?? word)
            current.removeAll(keepingCapacity: true)
        }
        for scalar in text.unicodeScalars {
            let v = scalar.value
            switch v {
            case 0x61...0x7A, 0x30...0x39: current.append(UInt8(v))
            case 0x41...0x5A: current.append(UInt8(v + 0x20))
            case 0x27, 0x60, 0xB4, 0x2018, 0x2019, 0x02BC: continue  // apostrophes
            case 0x80...:
                if scalar.properties.isAlphabetic {
                    let folded = String(scalar).folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil)
                    let ascii = folded.utf8.filter { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) }
                    if ascii.isEmpty { flush() } else { current.append(contentsOf: ascii) }
                } else if !scalar.properties.isWhitespace, scalar.properties.generalCategory == .nonspacingMark {
                    continue  // a combining accent
                } else {
                    flush()
                }
            default: flush()
            }
        }
        flush()
        return tokens
    }

    /// The words joined without spaces; two numbers in a row keep a `-` between them.
    static func join(_ tokens: ArraySlice<String>) -> String {
        var out = ""
        var previousEndsWithDigit = false
        for token in tokens {
            let startsWithDigit = token.utf8.first.map { (0x30...0x39).contains($0) } ?? false
            if previousEndsWithDigit && startsWithDigit { out += "-" }
            out += token
            previousEndsWithDigit = token.utf8.last.map { (0x30...0x39).contains($0) } ?? false
        }
        return out
    }

    /// The value of a word written only with i, v and x as a canonical roman numeral (1–39).
    static func romanValue(_ word: [UInt8]) -> Int? {
        guard !word.isEmpty, word.count <= 6,
              word.allSatisfy({ $0 == UInt8(ascii: "i") || $0 == UInt8(ascii: "v") || $0 == UInt8(ascii: "x") })
        else { return nil }
        func digit(_ c: UInt8) -> Int { c == UInt8(ascii: "i") ? 1 : c == UInt8(ascii: "v") ? 5 : 10 }
        var total = 0
        for (i, c) in word.enumerated() {
            let d = digit(c)
            if i + 1 < word.count, digit(word[i + 1]) > d { total -= d } else { total += d }
        }
        guard (1...39).contains(total), roman(total) == String(decoding: word, as: UTF8.self) else { return nil }
        return total
    }

    static func roman(_ n: Int) -> String {
        let tens = ["", "x", "xx", "xxx"][n / 10]
        let units = ["", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix"][n % 10]
        return tens + units
    }

    // MARK: Prefixes

    private static let provinsiWords: Set<String> = ["provinsi", "propinsi", "prov", "prop"]
    private static let kabupatenWords: Set<String> = ["kabupaten", "kab", "kabupatan"]
    private static let kotaWords: Set<String> = ["kota", "kotamadya", "kotamadia", "kodya", "kotapraja"]
    private static let administrasiWords: Set<String> = ["administrasi", "adm"]
    private static let kecamatanWords: Set<String> = ["kecamatan", "kec", "distrik", "kapanewon", "kemantren"]
    private static let desaWords: Set<String> = ["desa", "ds"]
    private static let kelurahanWords: Set<String> = ["kelurahan", "kel", "kalurahan"]

    /// `tokens` without the leading words that name the level (`Kab.`, `Kota Adm.`,
    /// `Kecamatan`, `Kel.`…), and what kind of region they announced.
    static func strippingPrefix(_ tokens: [String], level: AdministrativeLevel) -> (ArraySlice<String>, RegionKind?) {
        var rest = tokens[...]
        var kind: RegionKind?
        guard let first = rest.first else { return (rest, nil) }
        switch level {
        case .provinsi:
            if provinsiWords.contains(first) { rest = rest.dropFirst() }
        case .kabupaten:
            if kabupatenWords.contains(first) { kind = .kabupaten } else if kotaWords.contains(first) { kind = .kota }
            if kind != nil {
                rest = rest.dropFirst()
                if let next = rest.first, administrasiWords.contains(next) { rest = rest.dropFirst() }
            }
        case .kecamatan:
            if kecamatanWords.contains(first) { rest = rest.dropFirst() }
        case .desa:
            if desaWords.contains(first) { kind = .desa } else if kelurahanWords.contains(first) { kind = .kelurahan }
            if kind != nil { rest = rest.dropFirst() }
        }
        return (rest, kind)
    }

    // MARK: Old spelling

    /// `key` with the spellings that changed between the Van Ophuijsen/Soewandi spellings
    /// and EYD folded together: oe→u, dj→j, tj→c, ch→kh, sj→sy and j→y (so the old `dj`,
    /// the modern `j`, the old `j` and the modern `y` all compare equal). Only used after
    /// an exact comparison found nothing.
    static func folded(_ key: String) -> String {
        let b = Array(key.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(b.count)
        var i = 0
        func at(_ k: Int) -> UInt8 { k < b.count ? b[k] : 0 }
        while i < b.count {
            let c = b[i], n = at(i + 1)
            switch (c, n) {
            case (UInt8(ascii: "o"), UInt8(ascii: "e")): out.append(UInt8(ascii: "u")); i += 2
            case (UInt8(ascii: "d"), UInt8(ascii: "j")): out.append(UInt8(ascii: "y")); i += 2
            case (UInt8(ascii: "t"), UInt8(ascii: "j")): out.append(UInt8(ascii: "c")); i += 2
            case (UInt8(ascii: "c"), UInt8(ascii: "h")): out.append(contentsOf: [UInt8(ascii: "k"), UInt8(ascii: "h")]); i += 2
            case (UInt8(ascii: "j"), _): out.append(UInt8(ascii: "y")); i += 1
            default: out.append(c); i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Levenshtein distance, giving up (returning `limit + 1`) once it exceeds `limit`.
    static func distance(_ a: [UInt8], _ b: [UInt8], limit: Int) -> Int {
        if abs(a.count - b.count) > limit { return limit + 1 }
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            var rowMin = current[0]
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                rowMin = min(rowMin, current[j])
            }
            if rowMin > limit { return limit + 1 }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    /// The largest edit distance at which a name of `letters` letters may still be read as
    /// another: 0 below 6 letters, 1 from 6, 2 from 10.
    static func allowedDistance(letters: Int) -> Int { letters >= 10 ? 2 : letters >= 6 ? 1 : 0 }
}

/// What a name's prefix announced: `Kota X` vs `Kabupaten X`, `Kelurahan X` vs `Desa X`.
enum RegionKind: Hashable {
    case kabupaten, kota, desa, kelurahan

    func matches(_ entry: RegionEntry) -> Bool {
        switch self {
        case .kabupaten: return entry.isKabupaten
        case .kota: return entry.isKota
        case .kelurahan: return entry.isKelurahan
        case .desa: return entry.level == .desa && !entry.isKelurahan
        }
    }
}

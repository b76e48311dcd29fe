/// Turns the region names and codes of a row into a Kemendagri code, never guessing.
///
/// - Codes (any level, dotted or not) must exist in the list and agree with each other and
///   with the names given at the same levels.
/// - Names are compared ignoring case, spacing, punctuation, diacritics and level words
///   (`Kab.`, `Kota`, `Kec.`, `Kel.`…), with roman numerals read as digits; then with the old
///   spellings folded (oe/u, dj/j, tj/c, ch/kh, sj/sy, j/y); then at a small edit distance
///   (1 from 6 letters, 2 from 10), only when a single region is that close.
/// - A name is looked for inside what the row (or the pipeline's `within`) already fixes:
///   a kabupaten anywhere or in its provinsi, a kecamatan in a known kabupaten or provinsi,
///   a desa in its kecamatan or, without one, in the kabupaten or the `within` scope.
/// - BPS codes are not Kemendagri codes and are never mapped here.
///
/// Results are memoized per distinct query (rows repeat the same desa thousands of times).
/// An instance is not thread-safe: use one per stage.
public final class RegionResolver {
    public let catalog: RegionCatalog
    /// Old kecamatan codes, to explain a code that is no longer in the list (optional).
    public let history: (any KecamatanCodeDirectory)?
    /// How many distinct queries are remembered before the memo is cleared.
    public var memoLimit = 200_000

    private var memo: [RegionQuery: RegionResolution] = [:]
    /// Queries answered from the memo, and queries computed (for measurements).
    public private(set) var memoHits = 0
    public private(set) var computed = 0

    public init(catalog: RegionCatalog, history: (any KecamatanCodeDirectory)? = nil) {
        self.catalog = catalog
        self.history = history
    }

    /// The region of `query` (memoized).
    public func resolve(_ query: RegionQuery) -> RegionResolution {
        if let known = memo[query] {
            memoHits += 1
            return known
        }
        let result = compute(query)
        computed += 1
        if memo.count >= memoLimit { memo.removeAll(keepingCapacity: true) }
        memo[query] = result
        return result
    }

    /// The region of `query`, computed afresh.
    public func compute(_ query: RegionQuery) -> RegionResolution {
        var attempt = Attempt(resolver: self)
        do {
            return try attempt.run(query)
        } catch {
            return error.resolution
        }
    }

    // MARK: Names

    enum Tier { case exact, oldSpelling, similar }

    /// The regions among `candidates` that `name` designates, from the first tier that finds any.
    func match(_ name: RegionName, among candidates: [Int], level: AdministrativeLevel) -> (found: [Int], tier: Tier, kindIgnored: Bool) {
        var found = candidates.filter { catalog.keys[$0] == name.key || catalog.keys[$0] == name.fullKey }
        var tier = Tier.exact
        if found.isEmpty {
            let folded = RegionName.folded(name.key), foldedFull = RegionName.folded(name.fullKey)
            found = candidates.filter { catalog.foldedKeys[$0] == folded || catalog.foldedKeys[$0] == foldedFull }
            tier = .oldSpelling
            if found.isEmpty, level == .provinsi,
               let code = RegionResolver.provinsiAliases[folded] ?? RegionResolver.provinsiAliases[foldedFull],
               let i = catalog.index(code: code), candidates.contains(i) {
                found = [i]
                tier = .exact
            }
        }
        if found.isEmpty {
            let target = Array(RegionName.folded(name.key).utf8)
            let letters = target.lazy.filter { (0x61...0x7A).contains($0) }.count
            let limit = RegionName.allowedDistance(letters: letters)
            if limit > 0 {
                found = candidates.filter { RegionName.distance(target, Array(catalog.foldedKeys[$0].utf8), limit: limit) <= limit }
                tier = .similar
            }
        }
        var kindIgnored = false
        if let kind = name.kind, !found.isEmpty {
            let preferred = found.filter { kind.matches(catalog.entries[$0]) }
            if preferred.isEmpty { kindIgnored = true } else { found = preferred }
        }
        return (found, tier, kindIgnored)
    }

    /// Common short and older forms of province names → the province's code, by folded key
    /// (so `Jogjakarta` and `D.I. Yogyakarta` work too). Looked at only when the list's own
    /// names match nothing.
    static let provinsiAliases: [String: String] = {
        let written: [String: String] = [
            "NAD": "11", "Nanggroe Aceh Darussalam": "11", "Sumut": "12", "Sumbar": "13", "Sumsel": "16",
            "Babel": "19", "Bangka Belitung": "19", "Kepri": "21",
            "DKI": "31", "DKI Jakarta": "31", "Jakarta": "31", "Jabar": "32", "Jateng": "33",
            "DIY": "34", "DI Yogyakarta": "34", "D.I. Yogyakarta": "34", "D.I.Y.": "34", "Yogyakarta": "34", "Jatim": "35",
            "NTB": "52", "NTT": "53", "Kalbar": "61", "Kalteng": "62", "Kalsel": "63", "Kaltim": "64", "Kaltara": "65",
            "Sulut": "71", "Sulteng": "72", "Sulsel": "73", "Sultra": "74", "Sulbar": "76", "Malut": "82",
        ]
        var out: [String: String] = [:]
        for (name, code) in written {
            if let key = RegionName(name, level: .provinsi) { out[RegionName.folded(key.key)] = code }
        }
        return out
    }()
}

/// A resolution that stops early.
struct Stop: Error {
    let resolution: RegionResolution
}

/// One query being worked out, level by level.
private struct Attempt {
    let resolver: RegionResolver
    var catalog: RegionCatalog { resolver.catalog }
    /// Where names are looked for: the deepest region fixed so far.
    var anchor: Int?
    /// How the anchor was fixed, for messages.
    var anchorReason: AnchorReason?
    /// The deepest region the row's own data fixes.
    var resolved: Int?
    var scope: Int?
    var notes: [String] = []

    enum AnchorReason { case code(AdministrativeLevel), within, name }

    init(resolver: RegionResolver) { self.resolver = resolver }

    func describe(_ i: Int) -> String { catalog.entries[i].description }
    func unresolved(_ message: String, _ field: RegionInputField?) -> Stop { Stop(resolution: .unresolved(message: message, field: field)) }

    mutating func run(_ query: RegionQuery) throws(Stop) -> RegionResolution {
        var names: [AdministrativeLevel: (text: String, name: RegionName)] = [:]
        for (level, text) in query.names {
            let trimmed = text.trimmingWhitespaceAndControls()
            if let name = RegionName(trimmed, level: level) { names[level] = (trimmed, name) }
        }
        var codes: [AdministrativeLevel: String] = [:]
        for (level, text) in query.codes {
            let trimmed = text.trimmingWhitespaceAndControls()
            if !trimmed.isEmpty && trimmed != "-" { codes[level] = trimmed }
        }
        guard !names.isEmpty || !codes.isEmpty else { return .none }

        if let within = query.within?.trimmingWhitespaceAndControls(), !within.isEmpty {
            guard let s = catalog.index(code: within) else {
                throw unresolved("the pipeline's area 'within: \(within)' is not a code of the \(catalog.listName) list; fix the pipeline's within option", .within)
            }
            scope = s
        }
        try applyCodes(codes)
        if let scope {
            if let a = anchor {
                guard catalog.isWithin(a, scope) || catalog.isWithin(scope, a) else {
                    // Only codes have fixed the anchor at this point.
                    let level = catalog.entries[a].level
                    throw unresolved("the \(level.rawValue) code \(catalog.entries[a].code) (\(catalog.entries[a].name)) is outside this pipeline's area (within: \(describe(scope))); check the code", .code(level))
                }
                if catalog.isWithin(scope, a) && scope != a { anchor = scope; anchorReason = .within }
            } else {
                anchor = scope
                anchorReason = .within
            }
        }
        for level in AdministrativeLevel.allCases {
            guard let (text, name) = names[level] else { continue }
            if let a = anchor, catalog.entries[a].level >= level {
                try check(text, name, level: level, against: catalog.ancestor(of: a, at: level)!)
            } else {
                try find(text, name, level: level)
            }
        }
        guard let resolved else {
            // Only names above the pipeline's area were given, and they fit it.
            return .none
        }
        return .resolved(catalog.entries[resolved], notes: notes)
    }

    // MARK: Codes

    mutating func applyCodes(_ codes: [AdministrativeLevel: String]) throws(Stop) {
        var previous: (level: AdministrativeLevel, index: Int)?
        for level in AdministrativeLevel.allCases {
            guard let text = codes[level] else { continue }
            guard let digits = RegionCode.digits(text) else {
                throw unresolved("the \(level.rawValue) code '\(text)' is not a Kemendagri code (\(level.codePattern), dotted or not); write the Kemendagri code, or leave it empty and give the name", .code(level))
            }
            let shape = AdministrativeLevel(codeDigits: digits.count)!
            guard shape == level else {
                throw unresolved("the \(level.rawValue) code '\(text)' has the shape of a \(shape.rawValue) code; a \(level.rawValue) code is written \(level.codePattern)", .code(level))
            }
            guard let index = catalog.index(digits: digits) else {
                throw unresolved("the \(level.rawValue) code \(RegionCode.dotted(digits)) is not in the \(catalog.listName) list\(history(of: digits)); check the code, or give the names instead", .code(level))
            }
            if let previous, !catalog.isWithin(index, previous.index) {
                let actual = catalog.ancestor(of: index, at: previous.level).map(describe) ?? "?"
                throw unresolved("the \(previous.level.rawValue) code \(catalog.entries[previous.index].code) (\(catalog.entries[previous.index].name)) and the \(level.rawValue) code \(catalog.entries[index].code) (\(catalog.entries[index].name)) contradict: \(catalog.entries[index].code) lies in \(actual); correct one of them", .code(level))
            }
            previous = (level, index)
        }
        if let previous {
            anchor = previous.index
            anchorReason = .code(previous.level)
            resolved = previous.index
        }
    }

    /// What the historical lists say about an unknown code (kecamatan and deeper).
    func history(of digits: String) -> String {
        guard digits.count >= 6, let history = resolver.history else { return "" }
        let kecamatan = RegionCode.dotted(String(digits.prefix(6)))
        if case .historical(let name, let last) = history.status(ofKecamatan: kecamatan) {
            return " (kecamatan \(kecamatan) \(name) was last listed in \(last); the region has been split or renumbered since, so write its current code)"
        }
        return ""
    }

    // MARK: Names

    /// `name` must designate `target`, fixed by a code or the pipeline's area.
    mutating func check(_ text: String, _ name: RegionName, level: AdministrativeLevel, against target: Int) throws(Stop) {
        let siblings = catalog.parent(of: target).map { catalog.descendants(of: $0, at: level) } ?? catalog.candidates(at: level, inside: nil)
        let (found, tier, _) = resolver.match(name, among: siblings, level: level)
        if found.contains(target) {
            if found.count == 1 { note(text, level: level, read: target, tier: tier) }
            if resolved.map({ catalog.entries[$0].level < level }) ?? true { resolved = target }
            return
        }
        let named = found.count == 1 ? "'\(text)' (\(catalog.entries[found[0]].code))" : "'\(text)'"
        switch anchorReason {
        case .code(let codeLevel)? where codeLevel == level:
            throw unresolved("the \(level.rawValue) code \(catalog.entries[target].code) is \(catalog.entries[target].name), but the \(level.rawValue) name is \(named); correct the name or the code", .name(level))
        case .code(let codeLevel)?:
            throw unresolved("the \(level.rawValue) name \(named) does not match the \(codeLevel.rawValue) code \(anchor.map { catalog.entries[$0].code } ?? "?"), which lies in \(level.rawValue) \(describe(target)); correct the name or the code", .name(level))
        default:
            throw unresolved("\(level.rawValue) \(named) is outside this pipeline's area (within: \(scope.map(describe) ?? "?")); check the row or the pipeline's within option", .name(level))
        }
    }

    /// Looks `name` up inside the anchor and makes it the new anchor.
    mutating func find(_ text: String, _ name: RegionName, level: AdministrativeLevel) throws(Stop) {
        let area = anchor
        switch level {
        case .provinsi, .kabupaten: break
        case .kecamatan:
            guard area != nil else {
                throw unresolved("kecamatan '\(text)' cannot be placed: the row names no kabupaten/kota; write the kabupaten, or the Kemendagri code", .name(level))
            }
        case .desa:
            guard let area, catalog.entries[area].level >= .kabupaten || area == scope else {
                throw unresolved("desa '\(text)' cannot be placed: the row names no kecamatan or kabupaten/kota; write the kecamatan, or the Kemendagri code", .name(level))
            }
        }
        let candidates = catalog.candidates(at: level, inside: area)
        let (found, tier, kindIgnored) = resolver.match(name, among: candidates, level: level)
        let place = area.map { " in \(describe($0))" } ?? ""
        switch found.count {
        case 0:
            throw unresolved("\(level.rawValue) '\(text)' is not in the \(catalog.listName) list\(place); check the spelling, \(advice(level))", .name(level))
        case 1:
            let i = found[0]
            note(text, level: level, read: i, tier: tier)
            if kindIgnored { notes.append("\(level.rawValue) '\(text)' read as '\(catalog.entries[i].name)' (the only region of that name\(place))") }
            anchor = i
            anchorReason = .name
            resolved = i
        default:
            let listed = found.prefix(12).map(candidate).joined(separator: ", ") + (found.count > 12 ? ", and \(found.count - 12) more" : "")
            let how = tier == .exact ? "" : tier == .oldSpelling ? " (reading old spellings)" : " (by similar spelling)"
            throw Stop(resolution: .ambiguous(found.map { catalog.entries[$0] },
                                              message: "\(level.rawValue) '\(text)' matches \(found.count) regions\(place)\(how): \(listed); \(advice(level))",
                                              field: .name(level)))
        }
    }

    /// `Sukamaju (18.02.03.2004, in Padang Ratu)`.
    func candidate(_ i: Int) -> String {
        let entry = catalog.entries[i]
        guard let parent = catalog.parent(of: i) else { return entry.description }
        return "\(entry.name) (\(entry.code), in \(catalog.entries[parent].name))"
    }

    func advice(_ level: AdministrativeLevel) -> String {
        switch level {
        case .desa: return "write the kecamatan, or the Kemendagri code"
        case .kecamatan: return "write the kabupaten/kota, or the Kemendagri code"
        case .kabupaten: return "write 'Kabupaten …' or 'Kota …' and the provinsi, or the Kemendagri code"
        case .provinsi: return "write the provinsi's name as in the list, or the Kemendagri code"
        }
    }

    mutating func note(_ text: String, level: AdministrativeLevel, read i: Int, tier: RegionResolver.Tier) {
        switch tier {
        case .exact: break
        case .oldSpelling: notes.append("\(level.rawValue) '\(text)' read as '\(catalog.entries[i].name)' (old spelling)")
        case .similar: notes.append("\(level.rawValue) '\(text)' read as '\(catalog.entries[i].name)' (similar spelling)")
        }
    }
}

extension String {
    /// Without leading and trailing white space, non-breaking spaces and control characters.
    func trimmingWhitespaceAndControls() -> String {
        // Fast path: printable ASCII at both ends means nothing to trim.
        if let first = utf8.first, let last = utf8.last, first > 0x20, first < 0x7F, last > 0x20, last < 0x7F { return self }
        let scalars = unicodeScalars
        func blank(_ s: Unicode.Scalar) -> Bool { s.properties.isWhitespace || s.value < 0x20 || s.value == 0x7F }
        guard let first = scalars.firstIndex(where: { !blank($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !blank($0) })!
        return String(scalars[first...last])
    }
}

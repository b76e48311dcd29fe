import Foundation

/// The Kemendagri region list (Kepmendagri 300.2.2-2138/2025): every provinsi,
/// kabupaten/kota, kecamatan and desa/kelurahan with its code and name.
///
/// Loaded once per process by `bundled()` and read-only afterwards, so one instance is
/// shared by every stage and thread.
public final class RegionCatalog: Sendable {
    /// The list the codes come from, for messages and lineage.
    public let listName: String
    /// Every region, in file order (a region is followed by everything inside it).
    public let entries: [RegionEntry]

    /// Entry index by undotted code.
    private let indexByCode: [String: Int]
    /// For each entry, the index just past its last descendant.
    private let subtreeEnd: [Int]
    /// For each entry, the index of its parent (-1 for a provinsi).
    private let parentIndex: [Int]
    /// For each entry, its name key (kabupaten/kota without that word) and the old-spelling fold of it.
    let keys: [String]
    let foldedKeys: [String]
    /// Indexes of the provinsi and of the kabupaten/kota entries.
    let provinsiIndexes: [Int]
    let kabupatenIndexes: [Int]

    /// The name of the bundled list file.
    public static let fileName = "wilayah-kepmendagri-2025.tsv"
    /// The name of the list it holds.
    public static let bundledListName = "Kepmendagri 300.2.2-2138/2025"

    private static let shared = LoadOnce<RegionCatalog>()

    /// The bundled list, loaded on first use (see `ReferenceFiles` for where it is looked for).
    public static func bundled() throws(ReferenceDataError) -> RegionCatalog {
        do {
            return try shared.get {
                let path = try ReferenceFiles.path(of: fileName)
                return try parse(tsv: ReferenceFiles.text(of: fileName), listName: bundledListName, source: path)
            }
        } catch let error as ReferenceDataError {
            throw error
        } catch {
            throw ReferenceDataError("the Kemendagri region list could not be loaded: \(error)")
        }
    }

    /// A catalog from TSV text with a header line and the columns `kode` (dotted) and
    /// `nama`, sorted by code (as the bundled file is). `source` names the text in errors.
    public static func parse(tsv: String, listName: String = bundledListName, source: String = "the region list") throws(ReferenceDataError) -> RegionCatalog {
        var entries: [RegionEntry] = []
        entries.reserveCapacity(92_000)
        var problem: ReferenceDataError?
        TSV.forEachRow(tsv) { line, fields in
            guard problem == nil, line > 1 else { return }  // line 1 is the header
            guard fields.count >= 2, let digits = RegionCode.digits(fields[0]),
                  let level = AdministrativeLevel(codeDigits: digits.count) else {
                problem = ReferenceDataError("\(source), line \(line): expected a Kemendagri code and a name separated by a tab, found '\(fields.joined(separator: "\\t"))'")
                return
            }
            let code = RegionCode.dotted(digits)
            let parent = level == .provinsi ? nil : RegionCode.dotted(String(digits.utf8.prefix(level.previous!.codeDigits))!)
            entries.append(RegionEntry(code: code, name: fields[1].trimmingWhitespaceAndControls(), level: level, parentCode: parent))
        }
        if let problem { throw problem }
        return try RegionCatalog(listName: listName, entries: entries, source: source)
    }

    /// A catalog of `entries`, which must be sorted by code with every parent present.
    init(listName: String, entries: [RegionEntry], source: String) throws(ReferenceDataError) {
        self.listName = listName
        self.entries = entries
        var indexByCode: [String: Int] = [:]
        indexByCode.reserveCapacity(entries.count)
        var parentIndex = [Int](repeating: -1, count: entries.count)
        var subtreeEnd = [Int](repeating: 0, count: entries.count)
        var keys: [String] = [], foldedKeys: [String] = []
        keys.reserveCapacity(entries.count)
        foldedKeys.reserveCapacity(entries.count)
        var provinsi: [Int] = [], kabupaten: [Int] = []
        var open: [Int] = []  // the chain of ancestors of the current entry
        for (i, entry) in entries.enumerated() {
            let digits = RegionCode.undotted(entry.code)
            guard indexByCode.updateValue(i, forKey: digits) == nil else {
                throw ReferenceDataError("\(source): the code \(entry.code) appears twice")
            }
            while let last = open.last, entries[last].level >= entry.level {
                subtreeEnd[last] = i
                open.removeLast()
            }
            if let parentCode = entry.parentCode {
                guard let last = open.last, entries[last].code == parentCode else {
                    throw ReferenceDataError("\(source): \(entry.code) \(entry.name) comes without its parent \(parentCode) before it (the list must be sorted by code)")
                }
                parentIndex[i] = last
            }
            open.append(i)
            let key = RegionName.listKey(entry.name, level: entry.level)
            keys.append(key)
            foldedKeys.append(RegionName.folded(key))
            if entry.level == .provinsi { provinsi.append(i) }
            if entry.level == .kabupaten { kabupaten.append(i) }
        }
        for last in open { subtreeEnd[last] = entries.count }
        self.indexByCode = indexByCode
        self.parentIndex = parentIndex
        self.subtreeEnd = subtreeEnd
        self.keys = keys
        self.foldedKeys = foldedKeys
        self.provinsiIndexes = provinsi
        self.kabupatenIndexes = kabupaten
    }

    // MARK: Lookup

    /// The region with `code`, written dotted (`18.02.01.2001`) or not (`1802012001`),
    /// spaces ignored; nil when the list has no such code.
    public func entry(code: String) -> RegionEntry? { index(code: code).map { entries[$0] } }

    /// The regions directly inside the region `code` (empty for a desa or an unknown code).
    public func children(of code: String) -> [RegionEntry] {
        guard let i = index(code: code) else { return [] }
        return descendants(of: i, at: entries[i].level.next).map { entries[$0] }
    }

    /// The region containing `entry` at `level` (the entry itself at its own level), or nil
    /// when `level` is deeper than the entry's.
    public func ancestor(of entry: RegionEntry, at level: AdministrativeLevel) -> RegionEntry? {
        guard let i = index(code: entry.code) else { return nil }
        return ancestor(of: i, at: level).map { entries[$0] }
    }

    /// Whether the kabupaten/kota `code` is a kabupaten (code 01–69, or a name starting
    /// with `Kabupaten`). False for unknown codes and other levels.
    public func isKabupaten(_ code: String) -> Bool { entry(code: code).map { $0.isKabupaten || $0.name.lowercased().hasPrefix("kabupaten") } ?? false }
    /// Whether the kabupaten/kota `code` is a kota (code 71–99, or a name starting with `Kota`).
    public func isKota(_ code: String) -> Bool {
        entry(code: code).map { $0.level == .kabupaten && ($0.isKota || $0.name.lowercased().hasPrefix("kota")) } ?? false
    }

    // MARK: Index-based access (for the resolver)

    func index(code: String) -> Int? { RegionCode.digits(code).flatMap { indexByCode[$0] } }
    func index(digits: String) -> Int? { indexByCode[digits] }

    func parent(of i: Int) -> Int? { parentIndex[i] >= 0 ? parentIndex[i] : nil }

    func ancestor(of i: Int, at level: AdministrativeLevel) -> Int? {
        var k = i
        while entries[k].level > level { k = parentIndex[k] }
        return entries[k].level == level ? k : nil
    }

    /// Whether `i` is `ancestor` or inside it.
    func isWithin(_ i: Int, _ ancestor: Int) -> Bool { i >= ancestor && i < subtreeEnd[ancestor] }

    /// The regions at `level` inside `i` (at any depth below it).
    func descendants(of i: Int, at level: AdministrativeLevel?) -> [Int] {
        guard let level, level > entries[i].level else { return [] }
        return (i + 1 ..< subtreeEnd[i]).filter { entries[$0].level == level }
    }

    /// Every region at `level`, or inside `scope` when given.
    func candidates(at level: AdministrativeLevel, inside scope: Int?) -> [Int] {
        if let scope { return descendants(of: scope, at: level) }
        switch level {
        case .provinsi: return provinsiIndexes
        case .kabupaten: return kabupatenIndexes
        default: return entries.indices.filter { entries[$0].level == level }
        }
    }
}

extension AdministrativeLevel {
    /// The level below (nil for desa).
    public var next: AdministrativeLevel? { AdministrativeLevel.allCases.first { $0.depth == depth + 1 } }
    /// The level above (nil for provinsi).
    public var previous: AdministrativeLevel? { AdministrativeLevel.allCases.first { $0.depth == depth - 1 } }
}

/// Splits tab-separated text into lines and fields without copying it whole.
enum TSV {
    /// Calls `body` with the 1-based line number and the fields of every non-empty line.
    static func forEachRow(_ text: String, _ body: (Int, [String]) -> Void) {
        var text = text
        text.withUTF8 { bytes in
            var line = 0
            var start = 0
            var fields: [String] = []
            var fieldStart = 0
            for i in 0...bytes.count {
                let b: UInt8 = i < bytes.count ? bytes[i] : UInt8(ascii: "\n")
                if b == UInt8(ascii: "\t") || b == UInt8(ascii: "\n") {
                    var end = i
                    if b == UInt8(ascii: "\n"), end > fieldStart, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                    fields.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[fieldStart..<end]), as: UTF8.self))
                    fieldStart = i + 1
                    if b == UInt8(ascii: "\n") {
                        line += 1
                        if i > start, !(fields.count == 1 && fields[0].isEmpty) { body(line, fields) }
                        fields.removeAll(keepingCapacity: true)
                        start = i + 1
                    }
                }
            }
        }
    }
}

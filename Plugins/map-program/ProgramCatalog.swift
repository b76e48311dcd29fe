import PaduCore
import PaduFormats

/// The need categories aid is grouped by: overlap (*tumpang tindih*) is the same need served
/// by more than one provider.
public enum Need: String, Sendable, CaseIterable {
    case food, cash, health, education, housing, livelihood, other

    /// `pangan`, `Kesehatan`, `health`... → a need; nil when unknown.
    public static func parse(_ text: String) -> Need? {
        let key = ColumnVocabulary.normalize(text)
        if let n = Need(rawValue: key.lowercased()) { return n }
        switch key {
        case "PANGAN", "MAKANAN", "SEMBAKO": return .food
        case "TUNAI", "UANG", "UANGTUNAI", "BANTUANTUNAI": return .cash
        case "KESEHATAN": return .health
        case "PENDIDIKAN": return .education
        case "PERUMAHAN", "RUMAH", "PAPAN", "TEMPATTINGGAL": return .housing
        case "PENGHIDUPAN", "EKONOMI", "USAHA", "PEMBERDAYAAN", "PEMBERDAYAANEKONOMI", "MATAPENCAHARIAN": return .livelihood
        case "LAINNYA", "LAIN", "LAINLAIN": return .other
        default: return nil
        }
    }
}

/// One program of a catalog.
public struct CatalogProgram: Sendable, Hashable {
    public let code: String
    public let name: String
    /// `APBN`, `APBD`, `CSR` or `ZAKAT`.
    public let providerKind: String
    public let provider: String?
    /// Nil when the program serves several needs (the aid's kind then decides).
    public let need: Need?
    public let aliases: [String]
    /// `bundled`, or the catalog file's name.
    public let catalog: String
}

/// A problem with a catalog file, with its row.
public struct ProgramCatalogError: Error, Sendable, CustomStringConvertible {
    public let description: String
}

/// Programs by code, name and alias, for one provider kind at a time.
public struct ProgramCatalog: Sendable {
    public let programs: [CatalogProgram]
    private let byKey: [String: [CatalogProgram]]

    public init(_ programs: [CatalogProgram]) {
        self.programs = programs
        var byKey: [String: [CatalogProgram]] = [:]
        for p in programs {
            for key in Set(([p.code, p.name] + p.aliases).map(ColumnVocabulary.normalize)) where !key.isEmpty {
                byKey[key, default: []].append(p)
            }
        }
        self.byKey = byKey
    }

    /// The program `text` names for a provider of `providerKind` (a Baznas "Sembako" is not the
    /// Kemensos BPNT program); later catalogs (a pipeline's file) win over the bundled one.
    public func program(named text: String, providerKind: String) -> CatalogProgram? {
        byKey[ColumnVocabulary.normalize(text)]?.last { $0.providerKind == providerKind }
    }

    /// National (APBN) and Baznas programs Padu knows without a catalog file.
    public static let bundled = ProgramCatalog([
        p("PKH", "Program Keluarga Harapan", "APBN", "Kemensos", .cash, ["Keluarga Harapan", "Bansos PKH"]),
        p("BPNT", "Program Sembako (BPNT)", "APBN", "Kemensos", .food,
          ["Bantuan Pangan Non Tunai", "Program Sembako", "Kartu Sembako", "BPNT Sembako", "Sembako BPNT"]),
        p("PBI-JKN", "PBI Jaminan Kesehatan Nasional", "APBN", "Kemenkes / BPJS Kesehatan", .health,
          ["PBI JKN", "PBI JK", "PBI", "KIS PBI", "Kartu Indonesia Sehat"]),
        p("BLT-DD", "BLT Dana Desa", "APBN", "Kemendesa PDTT (Dana Desa)", .cash, ["BLT Desa", "BLT DD", "Bantuan Langsung Tunai Dana Desa"]),
        p("BLT", "Bantuan Langsung Tunai", "APBN", "Kemensos", .cash, ["BST", "Bantuan Sosial Tunai", "BLT BBM"]),
        p("PIP", "Program Indonesia Pintar", "APBN", "Kemendikdasmen", .education, ["KIP", "Kartu Indonesia Pintar", "Indonesia Pintar"]),
        p("KIP-K", "KIP Kuliah", "APBN", "Kemendiktisaintek", .education, ["KIP Kuliah", "Bidikmisi"]),
        p("BSPS", "Bantuan Stimulan Perumahan Swadaya", "APBN", "Kementerian PKP", .housing, ["Bedah Rumah BSPS", "BSPS Bedah Rumah"]),
        p("BANPANG", "Bantuan Pangan Beras", "APBN", "Badan Pangan Nasional", .food, ["Bantuan Pangan", "Bantuan Beras", "Beras 10 kg", "CBP"]),
        p("RTLH", "Rehabilitasi Rumah Tidak Layak Huni", "APBD", nil, .housing, ["Rumah Tidak Layak Huni", "Bedah Rumah RTLH"]),
        p("BAZNAS-SEHAT", "Indonesia Sehat", "ZAKAT", nil, .health, ["Program Indonesia Sehat", "Baznas Sehat"]),
        p("BAZNAS-CERDAS", "Indonesia Cerdas", "ZAKAT", nil, .education, ["Program Indonesia Cerdas", "Baznas Cerdas"]),
        p("BAZNAS-MAKMUR", "Indonesia Makmur", "ZAKAT", nil, .livelihood, ["Program Indonesia Makmur", "Baznas Makmur"]),
        p("BAZNAS-PEDULI", "Indonesia Peduli", "ZAKAT", nil, nil, ["Program Indonesia Peduli", "Baznas Peduli"]),
        p("BAZNAS-TAQWA", "Indonesia Taqwa", "ZAKAT", nil, .other, ["Program Indonesia Taqwa", "Indonesia Takwa"]),
    ])

    private static func p(_ code: String, _ name: String, _ kind: String, _ provider: String?, _ need: Need?, _ aliases: [String]) -> CatalogProgram {
        CatalogProgram(code: code, name: name, providerKind: kind, provider: provider, need: need, aliases: aliases, catalog: "bundled")
    }

    /// Reads a catalog file: delimited text with a header naming `kode` (code), `nama` (name),
    /// `jenis_penyedia` (provider_kind: APBN, APBD, CSR, ZAKAT), and optionally `penyedia`
    /// (provider), `kebutuhan` (need) and `alias` (other names, separated by `|`).
    public static func load(path: String, name: String) throws -> ProgramCatalog {
        let reader = try CSVReader(path: path)
        defer { reader.close() }
        guard let header = try reader.next() else {
            throw ProgramCatalogError(description: "\(name): the program catalog is empty; expected a header row: kode;nama;jenis_penyedia;penyedia;kebutuhan;alias")
        }
        let aliases: [String: [String]] = [
            "code": ["KODE", "CODE", "KODEPROGRAM"], "name": ["NAMA", "NAME", "NAMAPROGRAM", "PROGRAM"],
            "kind": ["JENISPENYEDIA", "PROVIDERKIND", "SUMBERDANA", "SUMBERANGGARAN", "JENIS"],
            "provider": ["PENYEDIA", "PROVIDER", "PEMBERI", "INSTANSI"], "need": ["KEBUTUHAN", "NEED", "KATEGORI"],
            "aliases": ["ALIAS", "ALIASES", "NAMALAIN"],
        ]
        var column: [String: Int] = [:]
        for (i, h) in header.fields.enumerated() {
            let key = ColumnVocabulary.normalize(h)
            if let role = aliases.first(where: { $0.value.contains(key) })?.key, column[role] == nil { column[role] = i }
        }
        for role in ["code", "name", "kind"] where column[role] == nil {
            throw ProgramCatalogError(description: "\(name):\(header.line): the header has no \(["code": "kode", "name": "nama", "kind": "jenis_penyedia"][role]!) column; "
                + "expected kode;nama;jenis_penyedia;penyedia;kebutuhan;alias (found: \(header.fields.joined(separator: ", ")))")
        }
        var programs: [CatalogProgram] = []
        var seen: [String: Int] = [:]
        while let record = try reader.next() {
            if let problem = record.problem { throw ProgramCatalogError(description: "\(name):\(record.line): \(problem.message)") }
            func field(_ role: String) -> String? {
                guard let i = column[role], i < record.fields.count else { return nil }
                let t = record.fields[i].trimmingWhitespace()
                return t.isEmpty ? nil : t
            }
            if record.fields.allSatisfy({ $0.trimmingWhitespace().isEmpty }) { continue }
            guard let code = field("code"), let programName = field("name") else {
                throw ProgramCatalogError(description: "\(name):\(record.line): kode and nama are required")
            }
            let kind = (field("kind") ?? "").uppercased()
            guard ["APBN", "APBD", "CSR", "ZAKAT"].contains(kind) else {
                throw ProgramCatalogError(description: "\(name):\(record.line): jenis_penyedia '\(field("kind") ?? "")' must be APBN, APBD, CSR or ZAKAT")
            }
            var need: Need?
            if let text = field("need") {
                guard let n = Need.parse(text) else {
                    throw ProgramCatalogError(description: "\(name):\(record.line): kebutuhan '\(text)' is not one of "
                        + Need.allCases.map(\.rawValue).joined(separator: ", ") + " (or pangan, tunai, kesehatan, pendidikan, perumahan, penghidupan, lainnya)")
                }
                need = n
            }
            if let first = seen[code] {
                throw ProgramCatalogError(description: "\(name):\(record.line): program code \(code) already defined at line \(first)")
            }
            seen[code] = record.line
            let other = field("aliases")?.split(separator: "|").map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty } ?? []
            programs.append(CatalogProgram(code: code, name: programName, providerKind: kind, provider: field("provider"),
                                           need: need, aliases: other, catalog: name))
        }
        return ProgramCatalog(programs)
    }

    /// This catalog followed by `other` (whose entries win).
    public func adding(_ other: ProgramCatalog) -> ProgramCatalog { ProgramCatalog(programs + other.programs) }
}

/// The need an aid serves, read from what it is (`Paket Sembako` → food, `Beasiswa` → education).
public enum NeedKeywords {
    /// Phrases by need, most specific first: `BEDAH RUMAH` is housing before `RUMAH` could be anything.
    static let rules: [(Need, [String])] = [
        (.housing, ["BEDAH RUMAH", "RTLH", "RUMAH TIDAK LAYAK", "RENOVASI RUMAH", "PERBAIKAN RUMAH", "JAMBAN", "SANITASI",
                    "MCK", "ATAP", "LANTAI", "DINDING", "AIR BERSIH", "SUMUR BOR", "LISTRIK", "RUMAH"]),
        (.education, ["BEASISWA", "PENDIDIKAN", "SEKOLAH", "SPP", "SERAGAM", "BUKU", "KULIAH", "SISWA", "MAHASISWA", "PIP", "KIP", "CERDAS"]),
        (.health, ["KESEHATAN", "BEROBAT", "PENGOBATAN", "OBAT", "OPERASI", "RUMAH SAKIT", "BPJS", "KIS", "JKN", "POSYANDU",
                   "STUNTING", "KHITAN", "KACAMATA", "KURSI RODA", "SEHAT", "GIZI BURUK"]),
        (.food, ["SEMBAKO", "BERAS", "PANGAN", "MAKANAN", "PAKET MAKAN", "BAHAN POKOK", "GIZI", "PMT", "TELUR", "MINYAK GORENG", "DAGING"]),
        (.livelihood, ["MODAL", "USAHA", "UMKM", "TERNAK", "KAMBING", "SAPI", "AYAM", "BIBIT", "BENIH", "PUPUK", "PELATIHAN",
                       "ALAT KERJA", "GEROBAK", "MESIN", "PERTANIAN", "PERIKANAN", "EKONOMI", "MAKMUR", "KETERAMPILAN"]),
        (.cash, ["UANG TUNAI", "TUNAI", "BLT", "BST", "SANTUNAN", "UANG", "BANTUAN LANGSUNG"]),
    ]

    /// The need of the longest phrase that appears as whole words in any of `texts` (so
    /// `Rumah Sakit` is health, not the housing of `Rumah`); between phrases of one length, the
    /// earlier rule.
    public static func need(in texts: [String]) -> Need? {
        let padded = texts.map { " " + words($0) + " " }
        var best: (need: Need, length: Int)?
        for (need, phrases) in rules {
            for phrase in phrases where phrase.count > (best?.length ?? 0)
                && padded.contains(where: { $0.contains(" " + phrase + " ") }) {
                best = (need, phrase.count)
            }
        }
        return best?.need
    }

    /// Upper case, anything but letters and digits turned into single spaces.
    static func words(_ text: String) -> String {
        var out = ""
        var space = false
        for ch in text.uppercased() {
            if ch.isLetter || ch.isNumber { out.append(ch); space = false }
            else if !space && !out.isEmpty { out.append(" "); space = true }
        }
        return out.trimmingWhitespace()
    }
}

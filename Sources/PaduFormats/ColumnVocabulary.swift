import PaduCore
/// Header aliases used by the offices' exports, mapped to Padu's field names. Matching
/// ignores case, spaces and punctuation (`No. KK` = `NO_KK` = `nokk`).
///
/// This is the one alias table; source plugins pick the fields they need from it.
public struct ColumnVocabulary: Sendable {
    /// field → aliases, the most specific first (earlier aliases win when two headers map to one field).
    public let aliases: [String: [String]]
    private let lookup: [String: (field: String, rank: Int)]

    public init(_ aliases: [String: [String]]) {
        self.aliases = aliases
        var lookup: [String: (String, Int)] = [:]
        for (field, list) in aliases {
            for (rank, alias) in ([field] + list).enumerated() {
                let key = ColumnVocabulary.normalize(alias)
                if let existing = lookup[key], existing.1 <= rank { continue }
                lookup[key] = (field, rank)
            }
        }
        self.lookup = lookup
    }

    /// `No. Kartu Keluarga` → `NOKARTUKELUARGA`.
    public static func normalize(_ header: String) -> String {
        // Fast path for ASCII text (the same result without case-mapping tables).
        if header.utf8.allSatisfy({ $0 < 0x80 }) {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(header.utf8.count)
            for b in header.utf8 {
                switch b {
                case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): bytes.append(b)
                case UInt8(ascii: "a")...UInt8(ascii: "z"): bytes.append(b - 0x20)
                default: continue
                }
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        return String(String.UnicodeScalarView(header.uppercased().unicodeScalars.filter {
            ($0 >= "A" && $0 <= "Z") || ($0 >= "0" && $0 <= "9")
        }))
    }

    /// The field a header stands for, and how specific the match was (0 = the field's own name).
    public func field(forHeader header: String) -> (field: String, rank: Int)? {
        lookup[ColumnVocabulary.normalize(header)]
    }

    /// Maps a header row to fields: `[field: column index]`, plus the headers not used.
    /// `explicit` (field → header as written) overrides the vocabulary.
    public func map(headers: [String], explicit: [String: String] = [:]) -> ColumnMapping {
        var chosen: [String: (index: Int, rank: Int)] = [:]
        var unused: [String] = []
        let explicitByHeader = Dictionary(explicit.map { (ColumnVocabulary.normalize($0.value), $0.key) }, uniquingKeysWith: { a, _ in a })
        for (i, header) in headers.enumerated() {
            let key = ColumnVocabulary.normalize(header)
            if key.isEmpty { continue }
            if let field = explicitByHeader[key] {
                chosen[field] = (i, -1)
            } else if let (field, rank) = lookup[key], explicit[field] == nil {
                if let current = chosen[field], current.rank <= rank {
                    unused.append(header)
                } else {
                    if let current = chosen[field] { unused.append(headers[current.index]) }
                    chosen[field] = (i, rank)
                }
            } else {
                unused.append(header)
            }
        }
        let missingExplicit = explicit.filter { chosen[$0.key] == nil }.map { "\($0.key) → \"\($0.value)\"" }.sorted()
        return ColumnMapping(columns: chosen.mapValues(\.index), unusedHeaders: unused, missingExplicit: missingExplicit)
    }

    /// The registry vocabulary (DTKS, P3KE, DTSEN, Regsosek exports).
    public static let registry = ColumnVocabulary([
        "registry_id": ["ID DTKS", "ID Keluarga P3KE", "ID BDT", "IDBDT", "ID Keluarga", "ID DTSEN", "ID ART", "ID Anggota Keluarga P3KE"],
        "nik": ["No. NIK", "Nomor NIK", "NIK KTP", "No KTP", "No. KTP", "Nomor KTP", "Nomor Induk Kependudukan", "NIK ART", "NIK Anggota"],
        "no_kk": ["No KK", "NOKK", "Nomor KK", "No. Kartu Keluarga", "Nomor Kartu Keluarga", "KK"],
        "nama": ["Nama", "Nama Lengkap", "Nama ART", "Nama Anggota", "Nama Anggota Keluarga", "Nama Penerima", "Nama KPM",
                 "Nama Mustahik", "Kepala Keluarga", "Nama Kepala Keluarga"],
        "jenis_kelamin": ["Jenis Kelamin", "JK", "L/P", "Jns Kelamin", "Kelamin", "Sex"],
        "tanggal_lahir": ["Tanggal Lahir", "Tgl Lahir", "Tgl. Lahir", "Tanggal Lhr"],
        "tempat_lahir": ["Tempat Lahir", "Tmp Lahir", "Tmpt Lahir"],
        "hubungan_keluarga": ["Hubungan Keluarga", "HUB KELUARGA", "SHDK", "Hubungan dengan Kepala Keluarga", "Status Hubungan",
                              "Hubungan", "Status dalam Keluarga"],
        "pekerjaan": ["Pekerjaan", "Pekerjaan Utama"],
        "alamat": ["Alamat", "Alamat Lengkap", "Alamat Rumah"],
        "rt": ["RT"],
        "rw": ["RW"],
        "provinsi": ["Provinsi", "Nama Provinsi", "Prov"],
        "kabupaten": ["Kabupaten/Kota", "Kab/Kota", "Kabupaten", "Kota", "Nama Kabupaten"],
        "kecamatan": ["Kecamatan", "Nama Kecamatan", "Kec"],
        "desa": ["Desa/Kelurahan", "DESA/KELUARAHAN", "Desa", "Kelurahan", "Nama Desa", "Desa/Kel"],
        "kode_provinsi": ["Kode Provinsi", "Kode Prov", "KDPROV"],
        "kode_kabupaten": ["Kode Kabupaten", "Kode Kab/Kota", "Kode Kabupaten/Kota", "Kode Kab", "KDKAB"],
        "kode_kecamatan": ["Kode Kecamatan", "Kode Kec", "KDKEC"],
        "kode_desa": ["Kode Desa/Kelurahan", "Kode Desa", "Kode Kelurahan", "Kode Wilayah", "kode_kemdagri", "Kode Kemendagri", "KDDESA"],
        "desil": ["Desil", "Desil Kesejahteraan", "Desil Nasional", "Peringkat Desil"],
        "pkh": ["PKH", "Penerima PKH", "Status PKH"],
        "bpnt": ["BPNT / Sembako", "BPNT", "Sembako", "Penerima BPNT", "Penerima Sembako"],
        "pbi_jkn": ["PBI JKN", "PBI JK", "PBI", "Penerima PBI JKN", "Penerima PBI"],
        "blt": ["BLT", "BST", "Penerima BLT", "BLT DD", "Penerima BST"],
        "status_kepesertaan": ["Status Kepesertaan", "Status", "Status ART", "Status Anggota", "Status KPM", "Keterangan Status",
                               "Status Keberadaan", "Keberadaan ART"],
    ])
}

extension ColumnVocabulary {
    /// The fields this vocabulary knows.
    public var fields: Set<String> { Set(aliases.keys) }

    /// Aid distribution lists: companies' CSR/TJSL reports and Baznas distribution exports
    /// (per person with NIK, or per activity and desa without one).
    ///
    /// `nilai` is the amount; `Jumlah` is one of its aliases, which is why a totals row
    /// labelled `JUMLAH` is recognised only below the header row, never as a header.
    public static let assistance = ColumnVocabulary([
        "nik": ["No. NIK", "Nomor NIK", "NIK KTP", "No KTP", "No. KTP", "Nomor KTP", "Nomor Induk Kependudukan",
                "NIK Penerima", "NIK Mustahik", "NIK KPM", "NIK Penerima Manfaat"],
        "no_kk": ["No KK", "NOKK", "Nomor KK", "No. Kartu Keluarga", "Nomor Kartu Keluarga", "KK", "No KK Penerima"],
        "nama": ["Nama", "Nama Lengkap", "Nama Penerima", "Nama Mustahik", "Nama KPM", "Nama Penerima Manfaat", "Nama PM",
                 "Nama Penerima Bantuan", "Kepala Keluarga", "Nama Kepala Keluarga"],
        "jenis_kelamin": ["Jenis Kelamin", "JK", "L/P", "Jns Kelamin", "Kelamin"],
        "alamat": ["Alamat", "Alamat Lengkap", "Alamat Rumah", "Alamat Penerima", "Alamat Mustahik"],
        "rt": ["RT"],
        "rw": ["RW"],
        "provinsi": ["Provinsi", "Nama Provinsi", "Prov"],
        "kabupaten": ["Kabupaten/Kota", "Kab/Kota", "Kabupaten", "Kota", "Nama Kabupaten", "Kab"],
        "kecamatan": ["Kecamatan", "Nama Kecamatan", "Kec"],
        "desa": ["Desa/Kelurahan", "DESA/KELUARAHAN", "Desa", "Kelurahan", "Nama Desa", "Desa/Kel", "Desa/Kel.", "Lokasi Desa"],
        "program": ["Program", "Nama Program", "Program Bantuan", "Program Baznas", "Pilar", "Pilar Program", "Bidang"],
        "jenis_bantuan": ["Jenis Bantuan", "Bentuk Bantuan", "Jenis Penyaluran", "Bentuk Penyaluran", "Jenis Bansos",
                          "Bantuan Yang Diterima", "Jenis Bantuan Yang Diterima"],
        "nilai": ["Nilai Bantuan (Rp)", "Jumlah Bantuan", "Nilai Bantuan", "Jumlah (Rp)", "Nilai (Rp)", "Nominal (Rp)",
                  "Nilai", "Nominal", "Jumlah", "Biaya", "Biaya (Rp)", "Realisasi", "Realisasi (Rp)", "Jumlah Uang",
                  "Besaran Bantuan", "Nilai Penyaluran", "Jumlah Penyaluran", "Jumlah Dana", "Anggaran", "Anggaran (Rp)",
                  "Rupiah", "Jumlah Rupiah", "Nilai Rupiah"],
        "tanggal": ["Tanggal", "Tgl Penyaluran", "Tanggal Penyaluran", "Tanggal Salur", "Tgl Salur", "Tanggal Terima", "Periode", "Tgl", "Tgl. Penyaluran", "Tanggal Penerimaan",
                    "Tanggal Realisasi", "Tanggal Pelaksanaan", "Waktu Penyaluran", "Waktu Pelaksanaan", "Periode Penyaluran"],
        "tanggal_lahir": ["Tanggal Lahir", "Tgl Lahir", "Tgl. Lahir", "Tanggal Lhr", "Tgl Lhr"],
        "asnaf": ["Asnaf", "Golongan Mustahik", "Kategori Asnaf", "Golongan Asnaf", "Kategori Mustahik"],
        "kegiatan": ["Kegiatan", "Nama Kegiatan", "Program/Kegiatan", "Uraian Kegiatan", "Jenis Kegiatan", "Uraian",
                     "Nama Program/Kegiatan"],
        "volume": ["Volume", "Vol", "Vol.", "Kuantitas", "Qty", "Banyaknya"],
        "satuan": ["Satuan", "Sat", "Sat.", "Unit"],
        "penyedia": ["Perusahaan", "Nama Perusahaan", "Penyedia", "Nama Penyedia", "Pemberi Bantuan", "Sumber Bantuan",
                     "Mitra", "Nama Mitra"],
        "keterangan": ["Keterangan", "Ket", "Ket.", "Catatan"],
    ])
}

/// A header row mapped to fields.
public struct ColumnMapping: Sendable {
    /// field → 0-based column index.
    public let columns: [String: Int]
    /// Headers that no field uses (reported, never silently dropped).
    public let unusedHeaders: [String]
    /// Explicit mappings whose header was not in the file.
    public let missingExplicit: [String]
}

extension ColumnVocabulary {
    /// Column lineage of a tabular source: each field of `schema` read from the file column its
    /// header aliases (or the pipeline's `columns` mapping) name — text as written, other types
    /// parsed; `constants` are fields the pipeline sets, with what sets them.
    public func columnLineage(_ schema: Schema, explicit: [String: String] = [:], constants: [String: String] = [:],
                              derived: [String: (inputs: [String], note: String)] = [:]) -> [ColumnDerivation] {
        schema.fields.map { field in
            if let what = constants[field.name] { return ColumnDerivation(field.name, from: [], .constant, what) }
            if let d = derived[field.name] { return ColumnDerivation(field.name, from: d.inputs, .derived, d.note) }
            let names = explicit[field.name].map { [$0] } ?? Array((aliases[field.name] ?? []).prefix(3))
            let column = names.isEmpty ? "column \(field.name.uppercased())"
                : "column " + names.joined(separator: " / ") + ((aliases[field.name]?.count ?? 0) > 3 && explicit[field.name] == nil ? " …" : "")
            return ColumnDerivation(field.name, from: [column], field.type == .string ? .direct : .parsed,
                                    field.type == .string ? "as written, trimmed" : "read as \(field.type.rawValue)")
        }
    }
}

import XCTest
import PaduFormats

final class AssistanceVocabularyTests: XCTestCase {
    func testCSRAndBaznasHeaders() {
        let v = ColumnVocabulary.assistance
        let table: [(String, String)] = [
            ("NIK", "nik"), ("No. KTP", "nik"), ("NIK Penerima", "nik"), ("Nomor Induk Kependudukan", "nik"),
            ("No KK", "no_kk"), ("NOKK", "no_kk"), ("No. Kartu Keluarga", "no_kk"),
            ("Nama", "nama"), ("Nama Penerima", "nama"), ("Nama Mustahik", "nama"), ("NAMA KPM", "nama"), ("Kepala Keluarga", "nama"),
            ("Alamat", "alamat"), ("Desa/Kelurahan", "desa"), ("Desa / Kel.", "desa"), ("DESA/KELUARAHAN", "desa"),
            ("Kecamatan", "kecamatan"), ("Kab/Kota", "kabupaten"), ("Kabupaten", "kabupaten"),
            ("Program", "program"), ("Nama Program", "program"),
            ("Jenis Bantuan", "jenis_bantuan"), ("Bentuk Bantuan", "jenis_bantuan"), ("Jenis Penyaluran", "jenis_bantuan"),
            ("Nilai", "nilai"), ("Nominal", "nilai"), ("Jumlah", "nilai"), ("JUMLAH BANTUAN", "nilai"),
            ("Nilai Bantuan (Rp)", "nilai"), ("Biaya", "nilai"), ("Realisasi", "nilai"), ("Jumlah (Rp)", "nilai"),
            ("Nilai (Rp)", "nilai"), ("Realisasi (Rp)", "nilai"),
            ("Tanggal", "tanggal"), ("Tgl Penyaluran", "tanggal"), ("Tgl. Penyaluran", "tanggal"),
            ("Tanggal Penyaluran", "tanggal"), ("Periode", "tanggal"),
            ("Asnaf", "asnaf"), ("Golongan Mustahik", "asnaf"),
            ("Kegiatan", "kegiatan"), ("Nama Kegiatan", "kegiatan"), ("Program/Kegiatan", "kegiatan"), ("PROGRAM / KEGIATAN", "kegiatan"),
            ("Volume", "volume"), ("Vol.", "volume"), ("Satuan", "satuan"),
            ("Perusahaan", "penyedia"), ("Nama Perusahaan", "penyedia"), ("Penyedia", "penyedia"),
            ("Keterangan", "keterangan"), ("Jenis Kelamin", "jenis_kelamin"), ("L/P", "jenis_kelamin"),
        ]
        for (header, field) in table {
            XCTAssertEqual(v.field(forHeader: header)?.field, field, header)
        }
        for unknown in ["No", "No.", "Tanda Tangan", "Bantuan", "Lokasi", "Foto"] {
            XCTAssertNil(v.field(forHeader: unknown), unknown)
        }
        XCTAssertTrue(v.fields.isSuperset(of: ["nik", "nama", "no_kk", "alamat", "desa", "kecamatan", "kabupaten", "program",
                                               "jenis_bantuan", "nilai", "tanggal", "asnaf", "kegiatan", "volume", "satuan", "penyedia"]))
    }

    func testNoAliasBelongsToTwoFields() {
        for (name, vocabulary) in [("registry", ColumnVocabulary.registry), ("assistance", ColumnVocabulary.assistance)] {
            var owner: [String: String] = [:]
            for (field, aliases) in vocabulary.aliases {
                for alias in [field] + aliases {
                    let key = ColumnVocabulary.normalize(alias)
                    if let other = owner[key], other != field {
                        XCTFail("\(name): '\(alias)' maps to both \(other) and \(field)")
                    }
                    owner[key] = field
                }
            }
        }
    }

    func testMappingACSRHeader() {
        let m = ColumnVocabulary.assistance.map(headers: ["No", "NIK", "Nama Penerima", "Jumlah Bantuan", "Jumlah", "Tgl Penyaluran", "Paraf"])
        XCTAssertEqual(m.columns["nik"], 1)
        XCTAssertEqual(m.columns["nama"], 2)
        XCTAssertEqual(m.columns["nilai"], 3, "the more specific alias wins")
        XCTAssertEqual(m.columns["tanggal"], 5)
        XCTAssertEqual(Set(m.unusedHeaders), ["No", "Jumlah", "Paraf"])
    }
}

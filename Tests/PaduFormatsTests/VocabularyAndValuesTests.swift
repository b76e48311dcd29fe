import XCTest
import PaduCore
import PaduFormats

final class ColumnVocabularyTests: XCTestCase {
    func testHeadersAsOfficesWriteThem() {
        let v = ColumnVocabulary.registry
        for (header, field) in [("NIK", "nik"), ("No. NIK", "nik"), ("nomor_ktp", "nik"), ("Nomor Induk Kependudukan", "nik"),
                                ("NO KK", "no_kk"), ("NOKK", "no_kk"), ("No. Kartu Keluarga", "no_kk"),
                                ("DESA/KELUARAHAN", "desa"), ("Desa / Kelurahan", "desa"), ("Kab/Kota", "kabupaten"),
                                ("HUB KELUARGA", "hubungan_keluarga"), ("SHDK", "hubungan_keluarga"), ("L/P", "jenis_kelamin"),
                                ("Desil Kesejahteraan", "desil"), ("BPNT / Sembako", "bpnt"), ("PBI JK", "pbi_jkn"),
                                ("ID Keluarga P3KE", "registry_id"), ("kode_kemdagri", "kode_desa")] {
            XCTAssertEqual(v.field(forHeader: header)?.field, field, header)
        }
        XCTAssertNil(v.field(forHeader: "Keterangan"))
    }

    func testMappingPrefersTheMostSpecificHeaderAndReportsTheRest() {
        let m = ColumnVocabulary.registry.map(headers: ["NAMA KEPALA KELUARGA", "NAMA", "NIK", "KETERANGAN", ""])
        XCTAssertEqual(m.columns["nama"], 1)
        XCTAssertEqual(m.columns["nik"], 2)
        XCTAssertEqual(Set(m.unusedHeaders), ["NAMA KEPALA KELUARGA", "KETERANGAN"])
    }

    func testExplicitMappingOverridesTheVocabulary() {
        let m = ColumnVocabulary.registry.map(headers: ["NIK", "NOMOR INDUK ART", "NAMA"],
                                              explicit: ["nik": "Nomor Induk ART", "desa": "DESA"])
        XCTAssertEqual(m.columns["nik"], 1)
        XCTAssertEqual(m.unusedHeaders, ["NIK"])
        XCTAssertEqual(m.missingExplicit, ["desa → \"DESA\""])
    }
}

final class IndonesianValuesTests: XCTestCase {
    func testDatesDayFirst() {
        let expected = CivilDate(year: 1985, month: 7, day: 14)
        for text in ["14/07/1985", "14-07-1985", "14.07.1985", "14/7/1985", " 14/07/1985 0:00:00", "1985-07-14",
                     "1985-07-14T00:00:00", "14 Juli 1985", "14 JUL 1985", "14 Jul 1985", "14 Juli 1985 0:00:00",
                     "14-JUL-1985 00:00", "14 Juli 1985  0:00:00 "] {
            XCTAssertEqual(IndonesianValues.parseDate(text), expected, text)
        }
        XCTAssertEqual(IndonesianValues.parseDate("1 Agustus 2025"), CivilDate(year: 2025, month: 8, day: 1))
        XCTAssertEqual(IndonesianValues.parseDate("14-OKT-1985 0:00:00"), CivilDate(year: 1985, month: 10, day: 14))
        XCTAssertEqual(IndonesianValues.parseDate("3 Sept 2024"), CivilDate(year: 2024, month: 9, day: 3))
        XCTAssertEqual(IndonesianValues.parseDate("29/02/2024"), CivilDate(year: 2024, month: 2, day: 29))
        for bad in ["31/02/1987", "29/02/2023", "14/07/85", "07/14/1985", "", "kemarin", "14/13/1985", "3.57808E+15"] {
            XCTAssertNil(IndonesianValues.parseDate(bad), bad)
        }
    }

    func testFlagsAndSex() {
        for t in ["YA", "ya", "Y", "1", "TRUE", " Ya "] { XCTAssertEqual(IndonesianValues.parseFlag(t), true, t) }
        for t in ["TIDAK", "T", "0", "tidak", "TDK"] { XCTAssertEqual(IndonesianValues.parseFlag(t), false, t) }
        XCTAssertNil(IndonesianValues.parseFlag("MUNGKIN"))
        for t in ["L", "LAKI-LAKI", "Laki Laki", "PRIA", "1"] { XCTAssertEqual(IndonesianValues.parseSex(t), "L", t) }
        for t in ["P", "PEREMPUAN", "Wanita", "2"] { XCTAssertEqual(IndonesianValues.parseSex(t), "P", t) }
        XCTAssertNil(IndonesianValues.parseSex("X"))
    }

    func testTrimmingIncludesNonBreakingSpaces() {
        XCTAssertEqual("\u{00A0} Sri Way Langsep \t".trimmingWhitespace(), "Sri Way Langsep")
        XCTAssertEqual("".trimmingWhitespace(), "")
        XCTAssertEqual("   ".trimmingWhitespace(), "")
    }
}

final class FileGlobTests: XCTestCase {
    func testMatchesRegularFilesSortedAndKeepsPlainPaths() throws {
        let dir = FileManager.default.temporaryDirectory.path + "/padu-glob-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir + "/sub.csv", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for name in ["b.csv", "a.csv", "c.txt"] { _ = FileManager.default.createFile(atPath: dir + "/" + name, contents: Data()) }
        XCTAssertEqual(FileGlob.expand("*.csv", relativeTo: dir), [dir + "/a.csv", dir + "/b.csv"])
        XCTAssertEqual(FileGlob.expand(dir + "/*.txt", relativeTo: "/elsewhere"), [dir + "/c.txt"])
        XCTAssertEqual(FileGlob.expand("missing.csv", relativeTo: dir), [dir + "/missing.csv"])
        XCTAssertEqual(FileGlob.expand("*.xlsx", relativeTo: dir), [])
    }
}

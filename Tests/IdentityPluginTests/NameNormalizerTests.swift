import PaduCore
import NormalizeNamePlugin
@testable import PaduReference
import XCTest

/// `NameNormalizer` and the `normalize-name` transform.
final class NameNormalizerTests: XCTestCase {
    private func display(_ s: String) -> String { NameNormalizer.normalize(s).display }
    private func key(_ s: String) -> String { NameNormalizer.normalize(s).key }

    func testCaseSpacesAndPunctuation() {
        XCTAssertEqual(display("  siti   aminah "), "SITI AMINAH")
        XCTAssertEqual(display("Ma'ruf Amin"), "MARUF AMIN")
        XCTAssertEqual(display("Ma`ruf"), "MARUF")
        XCTAssertEqual(display("MA\u{2019}RUF"), "MARUF")
        XCTAssertEqual(display("Nur-Aini"), "NUR AINI")
        XCTAssertEqual(display("SUPARMAN,SUKIRNO"), "SUPARMAN SUKIRNO")
        XCTAssertEqual(display("Re\u{0301}ne"), "R\u{00C9}NE")
        XCTAssertEqual(display("R\u{00E9}ne").unicodeScalars.count, 4, "NFC")
        XCTAssertEqual(display("Rene\u{0301}").unicodeScalars.map(\.value), display("Ren\u{00E9}").unicodeScalars.map(\.value))
        XCTAssertEqual(display("SUPARMAN\u{00A0}\tSUKIRNO"), "SUPARMAN SUKIRNO")
        XCTAssertTrue(NameNormalizer.normalize("").display.isEmpty)
        XCTAssertTrue(NameNormalizer.normalize("   ").key.isEmpty)
        XCTAssertEqual(display("-"), "")
    }

    /// The ASCII fast path gives exactly what the general Unicode path gives.
    func testTheASCIIFastPathAgreesWithTheUnicodePath() {
        var names = ["  siti   aminah ", "Ma'ruf Amin", "Nur-Aini", "SUPARMAN,SUKIRNO", "Drs. H. Ahmad Subagio, S.Pd., M.Si.",
                     "Hj. Siti Aminah", "DRS.H.AHMAD", "M.H. Thamrin", "Moehammad Djoko", "Tjipto Sjahrir Chairul", "HAJI", "S. Pd",
                     "Ibu Suparmi", "Alm. Bapak Wagiman", "oeoe djdj", "\"Budi\" (Santoso) / Wati; Dewi", "a\tb\nc", "", "-", "...",
                     "ST. HALIMAH", "Sri Wahyuni, A.Md.Keb", "PROF.DR.IR. SUTOYO M.T."]
        var rng = SystemRandomNumberGenerator()
        let alphabet = Array("abcdeghijkmnoprstuyADEHIJKOSTU .,-'`()\"/;\t")
        for _ in 0..<2000 {
            names.append(String((0..<Int.random(in: 0...24, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }))
        }
        for name in names {
            let fast = NameNormalizer.normalize(name, asciiFastPath: true)
            let general = NameNormalizer.normalize(name, asciiFastPath: false)
            XCTAssertEqual(fast.display, general.display, name)
            XCTAssertEqual(fast.key, general.key, name)
        }
    }

    func testTitlesAreStripped() {
        XCTAssertEqual(display("Drs. H. Ahmad Subagio, S.Pd., M.Si."), "AHMAD SUBAGIO")
        XCTAssertEqual(display("Hj. Siti Aminah"), "SITI AMINAH")
        XCTAssertEqual(display("HJ SITI AMINAH"), "SITI AMINAH")
        XCTAssertEqual(display("HAJI SUKIRMAN"), "SUKIRMAN")
        XCTAssertEqual(display("Hajjah Fatimah"), "FATIMAH")
        XCTAssertEqual(display("Ir. Prof. Dr. H. Ahmad, M.M."), "AHMAD")
        XCTAssertEqual(display("Dra. Sri Wahyuni, M.Pd"), "SRI WAHYUNI")
        XCTAssertEqual(display("BUDI SANTOSO, S.E."), "BUDI SANTOSO")
        XCTAssertEqual(display("Budi Santoso, S. Pd"), "BUDI SANTOSO")
        XCTAssertEqual(display("BUDI SANTOSO SH"), "BUDI SANTOSO")
        XCTAssertEqual(display("Rina, S.Kom"), "RINA")
        XCTAssertEqual(display("Ahmad S.Ag."), "AHMAD")
        XCTAssertEqual(display("Wati S.Sos"), "WATI")
        XCTAssertEqual(display("Joko S.T., M.T."), "JOKO")
        XCTAssertEqual(display("Dewi, A.Md."), "DEWI")
        XCTAssertEqual(display("Bpk. Suparman"), "SUPARMAN")
        XCTAssertEqual(display("BAPAK SUPARMAN"), "SUPARMAN")
        XCTAssertEqual(display("Ibu Sumiati"), "SUMIATI")
        XCTAssertEqual(display("Sdr. Wawan"), "WAWAN")
        XCTAssertEqual(display("Sdri Ani"), "ANI")
        XCTAssertEqual(display("Ny. Kartini"), "KARTINI")
        XCTAssertEqual(display("Alm. Suparman"), "SUPARMAN")
        XCTAssertEqual(display("Almarhumah Siti"), "SITI")
        XCTAssertEqual(display("SUPARMAN (ALM)"), "SUPARMAN")
        XCTAssertEqual(display("SITI ALMH."), "SITI")
        XCTAssertEqual(display("DRS.H.AHMAD"), "AHMAD")
        XCTAssertEqual(display("H.M. SOEHARTO"), "M SOEHARTO")
    }

    func testRealNamesAreKept() {
        XCTAssertEqual(display("HAJI"), "HAJI", "a title alone is the name")
        XCTAssertEqual(display("Ibu"), "IBU")
        XCTAssertEqual(display("H."), "H")
        XCTAssertEqual(display("M.H. Thamrin"), "M H THAMRIN", "initials are not titles")
        XCTAssertEqual(display("I Wayan Sudarma"), "I WAYAN SUDARMA")
        XCTAssertEqual(display("Ni Nyoman Sari"), "NI NYOMAN SARI")
        XCTAssertEqual(display("Siti Hajar"), "SITI HAJAR")
        XCTAssertEqual(display("St. Aminah"), "ST AMINAH", "ST. at the start is Siti, not a degree")
        XCTAssertEqual(display("Ibnu Hajar"), "IBNU HAJAR")
        XCTAssertEqual(display("Haji Sukirman Ibu"), "SUKIRMAN IBU", "IBU only as a first token")
        XCTAssertEqual(display("Drs."), "DRS")
    }

    func testOldSpellingsShareAKey() {
        XCTAssertEqual(key("Moehammad Djoko"), key("MUHAMMAD JOKO"))
        XCTAssertEqual(key("Moehammad Djoko"), "MUHAMMAD JOKO")
        XCTAssertEqual(display("Moehammad Djoko"), "MOEHAMMAD DJOKO", "the display keeps the spelling")
        XCTAssertEqual(key("Soetjipto"), key("Sucipto"))
        XCTAssertEqual(key("Sjamsul Bahri"), key("Syamsul Bahri"))
        XCTAssertEqual(key("Chairul Tandjung"), key("Khairul Tanjung"))
        XCTAssertEqual(key("Soekarno"), "SUKARNO")
        XCTAssertEqual(key("H. Moehammad Djoko, S.Pd."), key("muhammad  joko"))
        XCTAssertNotEqual(key("Joko"), key("Yoko"))
    }

    func testTransform() throws {
        let d = NormalizeNameTransform.descriptor
        XCTAssertEqual(d.name, "normalize-name")
        XCTAssertEqual(d.version, "1.0")
        XCTAssertEqual(d.fieldsRead(PluginOptions([:])), ["nama"])
        XCTAssertThrowsError(try d.validate(PluginOptions(["fields": .list([])])))

        let t = try transform(d, ["fields": .list([.string("nama"), .string("nama_ibu")])])
        let schema = Schema([Field("nik", .string), Field("nama", .string), Field("nama_ibu", .string)])
        var b = Batch(schema: schema, input: InputRef(id: 1, sha256: "x", path: "/srv/padu/inbox/dtks.csv"))
        b.append([.string("1802011504850001"), .string("Drs. H. Moehammad Djoko"), .string("Hj. Sitti Ma'rifah")], origin: RowOrigin(row: 2))
        b.append([.string("1802015504850002"), .null, .string("  ")], origin: RowOrigin(row: 3))
        var rejections = Rejections()
        let out = try t.process(b, rejections: &rejections, context: testContext())

        XCTAssertTrue(rejections.isEmpty)
        XCTAssertEqual(out.schema.names, ["nik", "nama", "nama_ibu", "nama_raw", "nama_key", "nama_ibu_raw", "nama_ibu_key"])
        XCTAssertEqual(out.origins.map(\.row), [2, 3])
        XCTAssertEqual(out.value("nama", at: 0), .string("MOEHAMMAD DJOKO"))
        XCTAssertEqual(out.value("nama_raw", at: 0), .string("Drs. H. Moehammad Djoko"))
        XCTAssertEqual(out.value("nama_key", at: 0), .string("MUHAMMAD JOKO"))
        XCTAssertEqual(out.value("nama_ibu", at: 0), .string("SITTI MARIFAH"))
        XCTAssertEqual(out.value("nama", at: 1), .null)
        XCTAssertEqual(out.value("nama_raw", at: 1), .null)
        XCTAssertEqual(out.value("nama_key", at: 1), .null)
        XCTAssertEqual(out.value("nama_ibu", at: 1), .string("  "))
        XCTAssertEqual(out.value("nik", at: 0), .string("1802011504850001"))

        XCTAssertThrowsError(try transform(d, ["fields": .list([.string("nama_lengkap")])])
            .process(b, rejections: &rejections, context: testContext()))
    }
}

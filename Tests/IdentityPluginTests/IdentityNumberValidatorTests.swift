import Foundation
import PaduCore
import PaduReference
import XCTest

/// `IdentityNumberValidator` on NIKs and No. KKs shaped like real Lampung data.
final class IdentityNumberValidatorTests: XCTestCase {
    private let nik = IdentityNumberValidator(kind: .nik, directory: SmallDirectory(), today: testToday)
    private let strictNIK = IdentityNumberValidator(kind: .nik, directory: SmallDirectory(), today: testToday, mismatchSeverity: .invalid)
    private let kk = IdentityNumberValidator(kind: .kk, directory: SmallDirectory(), today: testToday)

    private func codes(_ c: IdentityCheck) -> [String] { c.issues.map(\.code) }

    func testValidMaleNIKIsDecoded() {
        let c = nik.check("1802011504850001")
        XCTAssertEqual(c.status, .valid)
        XCTAssertEqual(c.issues, [])
        XCTAssertEqual(c.identifier, "1802011504850001")
        XCTAssertEqual(c.masked, "1802********0001")
        XCTAssertEqual(c.regionPrefix, "18.02.01")
        XCTAssertEqual(c.date, date(1985, 4, 15))
        XCTAssertEqual(c.sex, .male)
        XCTAssertEqual(c.serial, "0001")
        XCTAssertEqual(c.notes, "")
    }

    func testFemaleDaysAreFortyOneToSeventyOne() {
        let c = nik.check(makeNIK(day: 15, month: 4, year: 85, female: true, serial: 2))
        XCTAssertEqual(c.status, .valid)
        XCTAssertEqual(c.date, date(1985, 4, 15))
        XCTAssertEqual(c.sex, .female)
        XCTAssertEqual(nik.check("1802014101900004").date, date(1990, 1, 1))
        XCTAssertEqual(nik.check("1802017101900004").date, date(1990, 1, 31))
        XCTAssertEqual(nik.check("1802017101900004").sex, .female)
        for day in ["00", "32", "35", "40", "72", "99"] {
            let c = nik.check("180201\(day)0190" + "0004")
            XCTAssertEqual(codes(c), ["nik-bad-date"], day)
            XCTAssertNil(c.date)
        }
        XCTAssertTrue(nik.check("1802013501900004").issues[0].message.contains("neither 01–31 (men) nor 41–71 (women"))
    }

    func testDatesMustExist() {
        XCTAssertEqual(codes(nik.check(makeNIK(day: 31, month: 2, year: 85))), ["nik-bad-date"])
        XCTAssertEqual(codes(nik.check(makeNIK(day: 31, month: 2, year: 85, female: true))), ["nik-bad-date"])
        XCTAssertEqual(codes(nik.check(makeNIK(day: 31, month: 4, year: 85))), ["nik-bad-date"])
        XCTAssertEqual(codes(nik.check("1802011513850001")), ["nik-bad-date"])
        XCTAssertEqual(codes(nik.check("1802011500850001")), ["nik-bad-date"])
        XCTAssertTrue(nik.check("1802011513850001").issues[0].message.contains("month part 13 is not 01–12"))
        // 29 February: 2000 is a leap year, 2001 and 1985 are not.
        XCTAssertEqual(nik.check(makeNIK(day: 29, month: 2, year: 0)).date, date(2000, 2, 29))
        XCTAssertEqual(codes(nik.check(makeNIK(day: 29, month: 2, year: 1))), ["nik-bad-date"])
        XCTAssertEqual(nik.check(makeNIK(day: 29, month: 2, year: 84)).date, date(1984, 2, 29))
        let message = nik.check(makeNIK(day: 31, month: 2, year: 85)).issues[0].message
        XCTAssertTrue(message.contains("day 31 of month 02"), message)
        XCTAssertTrue(message.contains("1802********0001"), message)
    }

    func testCenturyIsTheLatestNotAfterToday() {
        // today is 2025-06-15
        XCTAssertEqual(nik.check(makeNIK(day: 10, month: 6, year: 25)).date, date(2025, 6, 10))
        XCTAssertEqual(nik.check(makeNIK(day: 15, month: 6, year: 25)).date, date(2025, 6, 15))
        XCTAssertEqual(nik.check(makeNIK(day: 16, month: 6, year: 25)).date, date(1925, 6, 16))
        XCTAssertEqual(nik.check(makeNIK(day: 1, month: 1, year: 30)).date, date(1930, 1, 1))
        XCTAssertEqual(nik.check(makeNIK(day: 1, month: 1, year: 5)).date, date(2005, 1, 1))
        XCTAssertEqual(nik.check(makeNIK(day: 1, month: 1, year: 99)).date, date(1999, 1, 1))
        // The row's birth date settles the century when it agrees.
        let c = nik.check(makeNIK(day: 10, month: 6, year: 25), birthDate: date(1925, 6, 10))
        XCTAssertEqual(c.date, date(1925, 6, 10))
        XCTAssertEqual(c.status, .valid)
        XCTAssertEqual(nik.check(makeNIK(day: 1, month: 1, year: 5), birthDate: date(1905, 1, 1)).date, date(1905, 1, 1))
        // ... but not when it disagrees.
        XCTAssertEqual(nik.check(makeNIK(day: 1, month: 1, year: 5), birthDate: date(1906, 1, 1)).date, date(2005, 1, 1))
    }

    func testSerialZeroAndPlaceholders() {
        let zero = nik.check(makeNIK(day: 15, month: 4, year: 85, serial: 0))
        XCTAssertEqual(codes(zero), ["nik-serial-0000"])
        XCTAssertEqual(zero.status, .invalid)
        for placeholder in ["0000000000000000", "1111111111111111", "9999999999999999", "1234567890123456"] {
            let c = nik.check(placeholder)
            XCTAssertEqual(codes(c), ["nik-placeholder"], placeholder)
            XCTAssertNil(c.identifier)
            XCTAssertTrue(c.issues[0].message.contains("placeholder"))
            XCTAssertTrue(c.issues[0].message.contains("leave the cell empty when the number is unknown"))
        }
    }

    func testExcelDamageIsFlaggedNeverRepaired() {
        for damaged in ["1.80201E+15", "1,80201E+15", "1.802014107850001e+15", "1802014107850001.0", "180201410785000", "18020141078500010", " 1.80201E+15 "] {
            let c = nik.check(damaged)
            XCTAssertEqual(codes(c), ["nik-damaged"], damaged)
            XCTAssertEqual(c.status, .invalid)
            XCTAssertNil(c.identifier, "never repaired")
            XCTAssertNil(c.date)
            XCTAssertTrue(c.issues[0].message.contains("not repaired"))
        }
        XCTAssertTrue(nik.check("1.80201E+15").issues[0].message.contains("E-notation"))
        XCTAssertTrue(nik.check("1802014107850001.0").issues[0].message.contains("****(18 chars)"))
    }

    func testLengthAndCharacters() {
        XCTAssertEqual(codes(nik.check("180201410785001")), ["nik-length"])    // 15 digits not ending in 0
        XCTAssertEqual(codes(nik.check("18020141078500011")), ["nik-length"])  // 17 digits ending in 1
        XCTAssertEqual(codes(nik.check("1802")), ["nik-length"])
        XCTAssertEqual(codes(nik.check("18020141O7850001")), ["nik-not-digits"]) // letter O
        XCTAssertEqual(codes(nik.check("1802 0141 0785 0001")), ["nik-not-digits"])
        XCTAssertEqual(codes(nik.check("18.02.01-410785-0001")), ["nik-not-digits"])
        XCTAssertEqual(codes(nik.check("-")), ["nik-not-digits"])
        XCTAssertEqual(codes(nik.check("belum ada")), ["nik-not-digits"])
        // Excel's text mark and surrounding white space are not problems.
        let marked = nik.check("'1802011504850001")
        XCTAssertEqual(marked.status, .valid)
        XCTAssertEqual(marked.identifier, "1802011504850001")
        XCTAssertEqual(nik.check("\u{00A0}1802011504850001 ").identifier, "1802011504850001")
    }

    func testRegionPrefix() {
        let historical = nik.check(makeNIK("910101", day: 1, month: 7, year: 80))
        XCTAssertEqual(historical.status, .noted)
        XCTAssertEqual(codes(historical), ["nik-region-historical"])
        XCTAssertEqual(historical.issues[0].severity, .note)
        XCTAssertTrue(historical.issues[0].message.contains("prefix 91.01.01 was kecamatan Merauke until the 2022 list; the region has been split since — valid"),
                      historical.issues[0].message)

        let unknown = nik.check(makeNIK("189901", day: 1, month: 7, year: 80))
        XCTAssertEqual(codes(unknown), ["nik-region-unknown"])
        XCTAssertEqual(unknown.status, .invalid)
        XCTAssertTrue(unknown.issues[0].message.contains("18.99.01"))
        XCTAssertEqual(unknown.date, date(1980, 7, 1), "the other parts are still decoded")

        XCTAssertEqual(codes(nik.check(makeNIK("000201", day: 1, month: 7, year: 80))), ["nik-region-unknown"])
        XCTAssertTrue(nik.check(makeNIK("000201", day: 1, month: 7, year: 80)).issues[0].message.contains("province code 00"))
        XCTAssertTrue(nik.check(makeNIK("180001", day: 1, month: 7, year: 80)).issues[0].message.contains("kabupaten/kota code 00"))
        // Several problems are all reported, in digit order.
        XCTAssertEqual(codes(nik.check("1899013102850000")), ["nik-region-unknown", "nik-bad-date", "nik-serial-0000"])
    }

    func testSexAndBirthDateMismatches() {
        let man = makeNIK(day: 15, month: 4, year: 85)
        let woman = makeNIK(day: 15, month: 4, year: 85, female: true)
        XCTAssertEqual(nik.check(man, sex: "L").status, .valid)
        XCTAssertEqual(nik.check(woman, sex: "P").status, .valid)
        XCTAssertEqual(nik.check(woman, sex: "perempuan").status, .valid)
        XCTAssertEqual(nik.check(man, sex: "").status, .valid, "an empty or unknown sex is not compared")
        XCTAssertEqual(nik.check(man, sex: "X").status, .valid)

        let noted = nik.check(man, sex: "P")
        XCTAssertEqual(codes(noted), ["nik-sex-mismatch"])
        XCTAssertEqual(noted.status, .noted)
        XCTAssertTrue(noted.issues[0].message.contains("encodes a man"))
        XCTAssertEqual(strictNIK.check(man, sex: "P").status, .invalid)
        XCTAssertEqual(codes(strictNIK.check(woman, sex: "LAKI-LAKI")), ["nik-sex-mismatch"])

        XCTAssertEqual(nik.check(man, birthDate: date(1985, 4, 15)).status, .valid)
        XCTAssertEqual(nik.check(woman, birthDate: date(1985, 4, 15)).status, .valid)
        for other in [date(1985, 4, 16), date(1985, 5, 15), date(1986, 4, 15)] {
            let c = nik.check(man, birthDate: other)
            XCTAssertEqual(codes(c), ["nik-birthdate-mismatch"], other.iso)
            XCTAssertEqual(c.status, .noted)
            XCTAssertEqual(strictNIK.check(man, birthDate: other).status, .invalid)
        }
        XCTAssertTrue(nik.check(man, birthDate: date(1985, 4, 16)).issues[0].message.contains("15-04-85 (DD-MM-YY) but the row gives 1985-04-16"))
        // A bad date part is reported once, without a mismatch on top.
        XCTAssertEqual(codes(nik.check(makeNIK(day: 31, month: 2, year: 85), sex: "P", birthDate: date(1985, 2, 28))), ["nik-bad-date"])
    }

    func testDomicileInAnotherKabupatenIsOnlyANote() {
        let n = makeNIK(day: 15, month: 4, year: 85)
        let elsewhere = nik.check(n, domicileCode: "18.71.01.1001")
        XCTAssertEqual(codes(elsewhere), ["nik-registered-elsewhere"])
        XCTAssertEqual(elsewhere.status, .noted)
        XCTAssertTrue(elsewhere.issues[0].message.contains("kecamatan Kalirejo (18.02.01)"), elsewhere.issues[0].message)
        XCTAssertTrue(elsewhere.issues[0].message.contains("kabupaten/kota 18.71"))
        XCTAssertEqual(nik.check(n, domicileCode: "18.02.05.2001").status, .valid, "same kabupaten, other kecamatan")
        XCTAssertEqual(nik.check(n, domicileCode: "1802052001").status, .valid)
        XCTAssertEqual(nik.check(n, domicileCode: "18.02").status, .valid)
        XCTAssertEqual(nik.check(n, domicileCode: "18").status, .valid)
        XCTAssertEqual(codes(nik.check(n, domicileCode: "17")), ["nik-registered-elsewhere"])
        XCTAssertEqual(codes(nik.check(n, domicileCode: "1707")), ["nik-registered-elsewhere"])
        XCTAssertEqual(nik.check(n, domicileCode: "").status, .valid)
        XCTAssertEqual(nik.check(n, domicileCode: "Lampung Tengah").status, .valid, "not a code: nothing compared")
        XCTAssertEqual(strictNIK.check(n, domicileCode: "16.06.01").status, .noted, "never invalid")
        XCTAssertEqual(codes(nik.check(makeNIK("189901", day: 15, month: 4, year: 85), domicileCode: "17")), ["nik-region-unknown"],
                       "no place of registration to compare")
        XCTAssertEqual(codes(nik.check(makeNIK("910101", day: 15, month: 4, year: 85), domicileCode: "93.01")),
                       ["nik-region-historical", "nik-registered-elsewhere"])
    }

    func testKKIssueDate() {
        let card = kk.check("1802012003100001")
        XCTAssertEqual(card.status, .valid)
        XCTAssertEqual(card.date, date(2010, 3, 20))
        XCTAssertNil(card.sex)
        XCTAssertEqual(codes(kk.check("1802013102100001")), ["kk-bad-date"])
        XCTAssertEqual(codes(kk.check("1802014503100001")), ["kk-bad-date"], "no +40 on a family card")
        XCTAssertEqual(codes(kk.check("1802011513100001")), ["kk-bad-date"])
        XCTAssertEqual(kk.check("1802011506250001").date, date(2025, 6, 15))
        XCTAssertEqual(kk.check("1802011606250001").date, date(1925, 6, 16), "20YY after today: 19YY, never a future date")
        XCTAssertEqual(codes(kk.check("1.80201E+15")), ["kk-damaged"])
        XCTAssertEqual(codes(kk.check("0000000000000000")), ["kk-placeholder"])
        XCTAssertEqual(codes(kk.check("1802012003100000")), ["kk-serial-0000"])
        XCTAssertEqual(codes(kk.check("1899012003100001")), ["kk-region-unknown"])
        XCTAssertEqual(codes(kk.check("9101012003100001")), ["kk-region-historical"])
        XCTAssertEqual(codes(kk.check("1802012003100001", sex: "P", birthDate: date(1970, 1, 1))), [], "sex and birth date are NIK checks")
        XCTAssertEqual(codes(kk.check("1802012003100001", domicileCode: "18.71")), ["kk-registered-elsewhere"])
        XCTAssertTrue(kk.check("1802013102100001").issues[0].message.contains("No. KK 1802********0001"))
    }

    func testRealPrefixesFromTheHistoricalList() throws {
        let path = "/work/shared/data/wilayah-kecamatan-historical.tsv"
        try XCTSkipUnless(FileManager.default.fileExists(atPath: path), "the shared reference data is not here")
        let validator = IdentityNumberValidator(kind: .nik, directory: try TSVDirectory(path: path), today: testToday)
        XCTAssertEqual(validator.check(makeNIK("180201", day: 15, month: 4, year: 85)).status, .valid)   // Kalirejo
        XCTAssertEqual(validator.check(makeNIK("180207", day: 15, month: 4, year: 85)).status, .valid)   // Terbanggi Besar
        XCTAssertEqual(validator.check(makeNIK("170701", day: 15, month: 4, year: 85)).status, .valid)   // Lebong
        let merauke = validator.check(makeNIK("910101", day: 15, month: 4, year: 85))
        XCTAssertEqual(merauke.issues.map(\.code), ["nik-region-historical"])
        XCTAssertTrue(merauke.issues[0].message.contains("kecamatan Merauke until the 2022 list"))
        XCTAssertEqual(validator.check(makeNIK("189901", day: 15, month: 4, year: 85)).issues.map(\.code), ["nik-region-unknown"])
    }

    func testMessagesNeverHoldAWholeIdentifier() {
        let inputs = [
            "1802011504850001", "1802013102850001", "1802011504850000", "1899011504850001", "9101011504850001",
            "0000000000000000", "1234567890123456", "1.80201E+15", "1802014107850001.0", "180201410785000",
            "18020141078500011", "180201410785001", "18020141O7850001", "1802 0141 0785 0001", "1802013502850001",
            "0002011504850001", "1802001504850001",
        ]
        var messages: [String] = []
        for validator in [nik, strictNIK, kk] {
            for raw in inputs {
                let c = validator.check(raw, sex: "P", birthDate: date(1984, 1, 1), domicileCode: "16.06.01.2001")
                messages += c.issues.map(\.message) + [c.notes, c.masked]
                for issue in c.issues { XCTAssertFalse(issue.message.contains(raw.trimmingWhitespace()), issue.message) }
            }
        }
        XCTAssertGreaterThan(messages.count, 60)
        assertMasked(messages)
    }
}

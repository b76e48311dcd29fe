import XCTest
import PaduCore
import PaduFormats

final class DatesTests: XCTestCase {
    private func date(_ y: Int, _ m: Int, _ d: Int) -> CivilDate { CivilDate(year: y, month: m, day: d)! }

    func testMonthNamesWeekdaysAndDashes() {
        let table: [(String, CivilDate?)] = [
            ("14-Agu-2025", date(2025, 8, 14)),
            ("14-AGU-2025", date(2025, 8, 14)),
            ("14-Des-2025", date(2025, 12, 14)),
            ("14-Okt-2025", date(2025, 10, 14)),
            ("14-Agt-2025", date(2025, 8, 14)),
            ("14 Agt. 2025", date(2025, 8, 14)),
            ("14 Agustus 2025", date(2025, 8, 14)),
            ("14 AGUSTUS 2025", date(2025, 8, 14)),
            ("1 Januari 2025", date(2025, 1, 1)),
            ("28 Pebruari 2025", date(2025, 2, 28)),
            ("30 Nopember 2024", date(2024, 11, 30)),
            ("14\u{00A0}Juli\u{00A0}2025", date(2025, 7, 14)),
            ("Senin, 14 Juli 2025", date(2025, 7, 14)),
            ("senin, 14 juli 2025", date(2025, 7, 14)),
            ("SENIN 14 JULI 2025", date(2025, 7, 14)),
            ("Senin, 14/07/2025", date(2025, 7, 14)),
            ("Senin, 14-07-2025 08:30:00", date(2025, 7, 14)),
            ("Selasa, 15 Juli 2025", date(2025, 7, 15)),
            ("Rabu, 16 Juli 2025", date(2025, 7, 16)),
            ("Kamis, 17 Juli 2025", date(2025, 7, 17)),
            ("Jumat, 18 Juli 2025", date(2025, 7, 18)),
            ("Jum'at, 18 Juli 2025", date(2025, 7, 18)),
            ("Sabtu, 19 Juli 2025", date(2025, 7, 19)),
            ("Minggu, 20 Juli 2025", date(2025, 7, 20)),
            ("Ahad, 20 Juli 2025", date(2025, 7, 20)),
            ("Sen, 14 Jul 2025", date(2025, 7, 14)),
            ("Monday, 14 July 2025", date(2025, 7, 14)),
            ("Kamis, 29 Februari 2024", date(2024, 2, 29)),
            // A weekday that contradicts the date, or is all there is.
            ("Selasa, 14 Juli 2025", nil),
            ("Senin, 15 Juli 2025", nil),
            ("Senin", nil),
            ("Senin,", nil),
            ("Hari Senin 14 Juli 2025", nil),
            ("14-Agu-25", nil),
            ("14-Xyz-2025", nil),
            ("32 Agustus 2025", nil),
            ("45852", nil),
            ("Juli 2025", nil),
        ]
        for (text, expected) in table {
            XCTAssertEqual(IndonesianValues.parseDate(text), expected, text)
        }
    }

    func testExcelSerials1900System() {
        let table: [(Double, CivilDate?)] = [
            (1, date(1900, 1, 1)),
            (2, date(1900, 1, 2)),
            (31, date(1900, 1, 31)),
            (59, date(1900, 2, 28)),
            (60, nil),                       // Lotus's 1900-02-29, which never existed
            (61, date(1900, 3, 1)),
            (366, date(1900, 12, 31)),
            (367, date(1901, 1, 1)),
            (25569, date(1970, 1, 1)),
            (36526, date(2000, 1, 1)),
            (45658, date(2025, 1, 1)),
            (45852, date(2025, 7, 14)),
            (45852.999, date(2025, 7, 14)),  // a time of day is ignored
            (45852.5, date(2025, 7, 14)),
            (2958465, date(9999, 12, 31)),
            (2958466, nil),
            (0, nil),
            (0.5, nil),
            (-1, nil),
            (.nan, nil),
            (.infinity, nil),
        ]
        for (serial, expected) in table {
            XCTAssertEqual(IndonesianValues.excelSerialToDate(serial, date1904: false), expected, "\(serial)")
        }
    }

    func testExcelSerials1904System() {
        let table: [(Double, CivilDate?)] = [
            (0, date(1904, 1, 1)),
            (1, date(1904, 1, 2)),
            (59, date(1904, 2, 29)),         // 1904 is a leap year; no Lotus bug here
            (60, date(1904, 3, 1)),
            (44390, date(2025, 7, 14)),      // 45852 − 1462
            (-1, nil),
        ]
        for (serial, expected) in table {
            XCTAssertEqual(IndonesianValues.excelSerialToDate(serial, date1904: true), expected, "\(serial)")
        }
    }

    func testExcelSerialsAsCellText() {
        let table: [(String, Bool, CivilDate?)] = [
            ("45852", false, date(2025, 7, 14)),
            (" 45852 ", false, date(2025, 7, 14)),
            ("45852.0", false, date(2025, 7, 14)),
            ("45852.75", false, date(2025, 7, 14)),
            ("1", false, date(1900, 1, 1)),
            ("59", false, date(1900, 2, 28)),
            ("60", false, nil),
            ("61", false, date(1900, 3, 1)),
            ("44390", true, date(2025, 7, 14)),
            ("0", true, date(1904, 1, 1)),
            ("0", false, nil),
            ("-5", false, nil),
            ("4.5852E+4", false, nil),
            ("14/07/2025", false, nil),
            ("", false, nil),
            (".5", false, nil),
            ("45852.5.1", false, nil),
            ("999999999", false, nil),
        ]
        for (text, is1904, expected) in table {
            XCTAssertEqual(IndonesianValues.excelSerialToDate(text, date1904: is1904), expected, "\(text) 1904=\(is1904)")
        }
    }

    func testEverySerialMatchesTheCalendarWalk() {
        // Walking day by day from 1900-03-01 (serial 61) must agree with the conversion.
        var expected = date(1900, 3, 1)
        for serial in 61...80_000 {
            let got = IndonesianValues.excelSerialToDate(Double(serial), date1904: false)
            guard got == expected else { return XCTFail("serial \(serial): \(String(describing: got)) != \(expected)") }
            expected = expected.day < CivilDate.daysIn(month: expected.month, year: expected.year)
                ? date(expected.year, expected.month, expected.day + 1)
                : (expected.month < 12 ? date(expected.year, expected.month + 1, 1) : date(expected.year + 1, 1, 1))
        }
    }
}

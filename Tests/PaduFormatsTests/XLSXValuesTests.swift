import XCTest

@testable import PaduFormats

final class XLSXValuesTests: XCTestCase {
    func testBuiltInDateFormatIds() {
        let dates = Array(14...22) + Array(27...36) + Array(45...47) + Array(50...58)
        for id in 0...200 {
            XCTAssertEqual(XLSXNumberFormat.isBuiltInDateFormat(id: id), dates.contains(id), "id \(id)")
        }
    }

    func testCustomDateFormats() {
        let dates = [
            "dd/mm/yyyy", "d mmmm yyyy", "d\\ mmmm\\ yyyy", "[$-421]dd mmmm yyyy", "[$-F800]dddd\\,\\ mmmm\\ dd\\,\\ yyyy",
            "DD/MM/YYYY", "yyyy-mm-dd hh:mm:ss", "h:mm AM/PM", "mm:ss.0", "[h]:mm:ss", "[mm]:ss", "[Red]dd/mm/yyyy",
            "\"Tanggal\" dd/mm/yyyy", "yy", "[$Rp-421]d/m/yy",
        ]
        for code in dates {
            XCTAssertTrue(XLSXNumberFormat.isDateFormat(code: code), code)
        }
        let notDates = [
            "General", "0", "0.00", "#,##0", "[Red]#,##0.00", "[RED]#,##0.00", "\"Rp\"#,##0", "[$Rp-421]#,##0",
            "0.00\" days\"", "0\\h", "#,##0_);[Red](#,##0)", "@", "0.00E+00", "#,##0;\"dd\"", "_(* #,##0_)", "",
            "[>=100]0;0.0",
        ]
        for code in notDates {
            XCTAssertFalse(XLSXNumberFormat.isDateFormat(code: code), code)
        }
    }

    func testSerialsIn1900System() throws {
        func date(_ serial: String) throws -> String {
            try XLSXDate.dateTime(serial: serial, system: .date1900).description
        }
        XCTAssertEqual(try date("1"), "1900-01-01")
        XCTAssertEqual(try date("59"), "1900-02-28")
        XCTAssertEqual(try date("61"), "1900-03-01")
        XCTAssertEqual(try date("45852"), "2025-07-14")
        XCTAssertEqual(try date("45852.5625"), "2025-07-14T13:30:00")
        XCTAssertEqual(try date("45852.75"), "2025-07-14T18:00:00")
        XCTAssertEqual(try date("0.5"), "1899-12-31T12:00:00", "a time without date lands on day 0")
        XCTAssertEqual(try date("45852.0000115740740"), "2025-07-14T00:00:01")
        XCTAssertEqual(try date("45852.999999999"), "2025-07-15", "rounding to the millisecond carries the day")
        XCTAssertEqual(try date("45852.5000057870"), "2025-07-14T12:00:00.500")
        XCTAssertEqual(try date("2958465"), "9999-12-31")
        XCTAssertEqual(try date("3.6525E4"), "1999-12-31")

        for invalid in ["60", "60.5", "-1", "2958466", "abc", "", "nan", "inf"] {
            XCTAssertThrowsError(try date(invalid), invalid) { error in
                XCTAssertEqual((error as? XLSXDateError)?.serial, invalid)
            }
        }
        do {
            _ = try date("60")
            XCTFail("serial 60 must be refused")
        } catch let error as XLSXDateError {
            XCTAssertTrue(error.message.contains("29 February 1900"), error.message)
        } catch {
            XCTFail("unexpected \(error)")
        }
    }

    func testSerialsIn1904System() throws {
        XCTAssertEqual(try XLSXDate.dateTime(serial: "0", system: .date1904).description, "1904-01-01")
        XCTAssertEqual(try XLSXDate.dateTime(serial: "60", system: .date1904).description, "1904-03-01")
        XCTAssertEqual(try XLSXDate.dateTime(serial: 44390.25, system: .date1904).description, "2025-07-14T06:00:00")
        XCTAssertThrowsError(try XLSXDate.dateTime(serial: "-1", system: .date1904))
    }

    func testSerialRoundTrip() throws {
        for system in [XLSXDateSystem.date1900, .date1904] {
            for (year, month, day) in [(1900, 1, 1), (1900, 2, 28), (1900, 3, 1), (1904, 1, 1), (1970, 1, 1), (2000, 2, 29), (2025, 7, 14), (9999, 12, 31)] {
                if system == .date1904, year < 1904 { continue }
                let serial = XLSXDate.serial(year: year, month: month, day: day, system: system)
                XCTAssertEqual(
                    try XLSXDate.dateTime(serial: Double(serial), system: system), XLSXDateTime(year: year, month: month, day: day),
                    "\(year)-\(month)-\(day) \(system)"
                )
            }
        }
        XCTAssertEqual(XLSXDate.serial(year: 2025, month: 7, day: 14, system: .date1900), 45852)
        XCTAssertEqual(XLSXDate.serial(year: 2025, month: 7, day: 14, system: .date1904), 44390)
    }

    func testCellReferences() {
        XCTAssertEqual(XLSXCellReference.columnLetters(1), "A")
        XCTAssertEqual(XLSXCellReference.columnLetters(26), "Z")
        XCTAssertEqual(XLSXCellReference.columnLetters(27), "AA")
        XCTAssertEqual(XLSXCellReference.columnLetters(702), "ZZ")
        XCTAssertEqual(XLSXCellReference.columnLetters(703), "AAA")
        XCTAssertEqual(XLSXCellReference.columnLetters(16_384), "XFD")
        XCTAssertEqual(XLSXCellReference.columnLetters(0), "")
        for column in 1...16_384 {
            XCTAssertEqual(XLSXCellReference.columnNumber(XLSXCellReference.columnLetters(column)), column)
        }
        XCTAssertEqual(XLSXCellReference.columnNumber("aa"), 27)
        XCTAssertNil(XLSXCellReference.columnNumber("XFE"))
        XCTAssertNil(XLSXCellReference.columnNumber("AAAA"))
        XCTAssertNil(XLSXCellReference.columnNumber(""))
        XCTAssertNil(XLSXCellReference.columnNumber("A1"))

        XCTAssertTrue(XLSXCellReference.parse("C14")! == (3, 14))
        XCTAssertTrue(XLSXCellReference.parse("$C$14")! == (3, 14))
        XCTAssertTrue(XLSXCellReference.parse("XFD1048576")! == (16_384, 1_048_576))
        for invalid in ["", "C", "14", "C0", "C1048577", "XFE1", "C14x", "1C", "C-1", "ZZZZZZZZZZ1"] {
            XCTAssertNil(XLSXCellReference.parse(invalid), invalid)
        }

        let cell = XLSXCell(column: 28, row: 5, value: .empty)
        XCTAssertEqual(cell.columnLetters, "AB")
        XCTAssertEqual(cell.reference, "AB5")
    }

    func testRanges() {
        let range = XLSXCellRange("A1:F1")
        XCTAssertEqual(range, XLSXCellRange(firstColumn: 1, firstRow: 1, lastColumn: 6, lastRow: 1))
        XCTAssertEqual(range?.description, "A1:F1")
        XCTAssertEqual(range?.contains(column: 6, row: 1), true)
        XCTAssertEqual(range?.contains(column: 7, row: 1), false)
        XCTAssertEqual(range?.contains(column: 1, row: 2), false)
        XCTAssertEqual(XLSXCellRange("B2")?.description, "B2:B2")
        XCTAssertEqual(XLSXCellRange("C3:A1")?.description, "A1:C3", "corners are put in order")
        for invalid in ["", "A1:", ":B2", "A1:B2:C3", "A:A", "1:1"] {
            XCTAssertNil(XLSXCellRange(invalid), invalid)
        }
    }

    func testSharedStringEscapes() {
        XCTAssertEqual(XLSXWorkbook.decodeEscapes("plain_text"), "plain_text")
        XCTAssertEqual(XLSXWorkbook.decodeEscapes("a_x000D__x000A_b"), "a\r\nb")
        XCTAssertEqual(XLSXWorkbook.decodeEscapes("_x005F_x000D_"), "_x000D_")
        XCTAssertEqual(XLSXWorkbook.decodeEscapes("_xD83D__xDE00_"), "\u{1F600}", "surrogate pairs combine")
        XCTAssertEqual(XLSXWorkbook.decodeEscapes("_x00zz_ _x12_"), "_x00zz_ _x12_")
        XCTAssertEqual(XLSXWorkbook.decodeEscapes("é_x0041_"), "éA")
    }

    func testPartTargetResolution() {
        XCTAssertEqual(PartReader.resolve("worksheets/sheet1.xml", from: "xl"), "xl/worksheets/sheet1.xml")
        XCTAssertEqual(PartReader.resolve("/xl/worksheets/sheet1.xml", from: "xl"), "xl/worksheets/sheet1.xml")
        XCTAssertEqual(PartReader.resolve("../xl/./worksheets/sheet2.xml", from: "xl"), "xl/worksheets/sheet2.xml")
        XCTAssertEqual(PartReader.resolve("xl/workbook.xml", from: ""), "xl/workbook.xml")
        XCTAssertEqual(PartReader.resolve("worksheets\\sheet%201.xml", from: "xl"), "xl/worksheets/sheet 1.xml")
        XCTAssertEqual(PartReader.resolve("../../../etc/passwd", from: "xl"), "etc/passwd", "cannot climb above the package root")
    }
}

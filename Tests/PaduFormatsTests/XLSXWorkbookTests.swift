import Foundation
import XCTest

@testable import PaduFormats

final class XLSXWorkbookTests: XCTestCase {
    /// All rows of a sheet, keyed by row number.
    private func rows(_ reader: XLSXSheetReader) throws -> [Int: XLSXRow] {
        var rows: [Int: XLSXRow] = [:]
        while let row = try reader.nextRow() { rows[row.number] = row }
        return rows
    }

    private func value(_ rows: [Int: XLSXRow], _ reference: String, file: StaticString = #filePath, line: UInt = #line) -> XLSXCellValue? {
        guard let (column, row) = XLSXCellReference.parse(reference) else {
            XCTFail("bad reference \(reference)", file: file, line: line)
            return nil
        }
        return rows[row]?.cell(column: column)?.value
    }

    private func expectXLSXError(
        _ kind: XLSXError.Kind, file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> Void
    ) -> XLSXError? {
        do {
            try body()
            XCTFail("expected XLSXError.\(kind), but no error was thrown", file: file, line: line)
        } catch let error as XLSXError {
            XCTAssertEqual(error.kind, kind, "\(error)", file: file, line: line)
            return error
        } catch {
            XCTFail("expected XLSXError.\(kind), got \(error)", file: file, line: line)
        }
        return nil
    }

    // MARK: - The CSR sheet, from two writers

    func testCSRSheetFromXlsxWriter() throws {
        try checkCSRWorkbook(try xlsxFixturePath("csr.xlsx"))
    }

    func testCSRSheetFromLibreOffice() throws {
        try checkCSRWorkbook(try xlsxFixturePath("csr-libreoffice.xlsx"))
    }

    private func checkCSRWorkbook(_ path: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let workbook = try XLSXWorkbook(path: path)
        XCTAssertEqual(workbook.sheets.map(\.name), ["Penerima Bantuan", "Rekap"], file: file, line: line)
        XCTAssertEqual(workbook.sheets.map(\.index), [0, 1], file: file, line: line)
        XCTAssertEqual(workbook.dateSystem, .date1900, file: file, line: line)
        XCTAssertEqual(workbook.workbookPartName, "xl/workbook.xml", file: file, line: line)

        let reader = try workbook.sheet(named: "Penerima Bantuan")
        var numbers: [Int] = []
        var all: [Int: XLSXRow] = [:]
        while let row = try reader.nextRow() {
            numbers.append(row.number)
            all[row.number] = row
        }
        XCTAssertEqual(reader.declaredDimension?.description, "A1:G14", file: file, line: line)
        XCTAssertEqual(reader.rowsRead, numbers.count, file: file, line: line)
        // Row 4 and row 13 are absent from the file; the formatted blank row 10 is present.
        XCTAssertEqual(numbers, [1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 14], file: file, line: line)

        // Title block and header row.
        XCTAssertEqual(value(all, "A1"), .text("DAFTAR PENERIMA BANTUAN LANGSUNG TUNAI (BLT) DESA"), file: file, line: line)
        XCTAssertEqual(value(all, "B1"), .empty, file: file, line: line)
        XCTAssertEqual(value(all, "A3"), .text("Tahun Anggaran 2025"), file: file, line: line)
        XCTAssertEqual(
            all[5]?.cells.map(\.value),
            ["No", "NIK", "Nama", "Nominal", "Tanggal Salur", "Keterangan", "Terverifikasi"].map { .text($0) },
            file: file, line: line
        )
        XCTAssertEqual(all[5]?.cells.map(\.reference), ["A5", "B5", "C5", "D5", "E5", "F5", "G5"], file: file, line: line)

        // NIK as text, and a NIK damaged into a number: the raw digits are kept.
        XCTAssertEqual(value(all, "B6"), .text("3578081234567890"), file: file, line: line)
        XCTAssertEqual(value(all, "B7"), .number("3578081234567890"), file: file, line: line)

        // Amounts: numbers keep their exact text; text amounts stay text.
        XCTAssertEqual(value(all, "D6"), .number("1500000"), file: file, line: line)
        XCTAssertEqual(value(all, "D7"), .text("Rp 1.500.000"), file: file, line: line)
        XCTAssertEqual(value(all, "D8"), .text("1.500.000,00"), file: file, line: line)
        XCTAssertEqual(value(all, "D9"), .text("1.500.000,-"), file: file, line: line)
        XCTAssertEqual(value(all, "D11"), .number("1234567.891"), file: file, line: line)
        XCTAssertEqual(value(all, "A6"), .number("1"), file: file, line: line)

        // Dates: built-in format 14, dd/mm/yyyy, d mmmm yyyy, [$-421] prefix, date and time; a text date.
        XCTAssertEqual(value(all, "E6"), .date(serial: "45852"), file: file, line: line)
        XCTAssertEqual(value(all, "E7"), .date(serial: "45853"), file: file, line: line)
        XCTAssertEqual(value(all, "E8"), .date(serial: "45854"), file: file, line: line)
        XCTAssertEqual(value(all, "E9"), .text("14/07/2025"), file: file, line: line)
        XCTAssertEqual(value(all, "E11"), .date(serial: "45855"), file: file, line: line)
        XCTAssertEqual(value(all, "E12"), .date(serial: "45852.5625"), file: file, line: line)
        if case .date(let serial)? = value(all, "E12") {
            XCTAssertEqual(
                try XLSXDate.dateTime(serial: serial, system: workbook.dateSystem).description, "2025-07-14T13:30:00",
                file: file, line: line
            )
        }

        // Booleans.
        XCTAssertEqual(value(all, "G6"), .bool(true), file: file, line: line)
        XCTAssertEqual(value(all, "G7"), .bool(false), file: file, line: line)

        // Blank formatted row.
        XCTAssertEqual(all[10]?.cells.count, 7, file: file, line: line)
        XCTAssertEqual(all[10]?.isBlank, true, file: file, line: line)
        XCTAssertEqual(all[9]?.isBlank, false, file: file, line: line)

        // Totals row with formulas: number, error, string results.
        let totals = try XCTUnwrap(all[14], file: file, line: line)
        XCTAssertEqual(totals.cell(column: 3)?.value, .text("JUMLAH"), file: file, line: line)
        XCTAssertEqual(totals.cell(column: 4)?.value, .number("2734567.891"), file: file, line: line)
        XCTAssertEqual(totals.cell(column: 4)?.formula, "SUM(D6:D12)", file: file, line: line)
        XCTAssertEqual(totals.cell(column: 5)?.value, .error("#N/A"), file: file, line: line)
        XCTAssertEqual(totals.cell(column: 6)?.value, .text("Total 5 penerima"), file: file, line: line)
        XCTAssertEqual(totals.cell(column: 3)?.formula, nil, file: file, line: line)

        // Merged title cells, from a separate pass.
        XCTAssertEqual(
            try workbook.mergedRanges(sheetNamed: "Penerima Bantuan").map(\.description), ["A1:G1", "A2:G2", "A3:G3"],
            file: file, line: line
        )

        // The second sheet, by index.
        let rekap = try rows(try workbook.sheet(at: 1))
        XCTAssertEqual(value(rekap, "A2"), .text("Jumlah penerima"), file: file, line: line)
        XCTAssertEqual(value(rekap, "B2"), .number("5"), file: file, line: line)
        XCTAssertEqual(value(rekap, "B3"), .number("2734567.891"), file: file, line: line)
        XCTAssertEqual(try workbook.mergedRanges(workbook.sheetInfo(at: 1)), [], file: file, line: line)
    }

    // MARK: - Sheet selection

    func testSheetSelectionByNameAndIndex() throws {
        let workbook = try XLSXWorkbook(path: try xlsxFixturePath("csr.xlsx"))
        XCTAssertEqual(try workbook.sheetInfo(named: "Rekap").index, 1)
        XCTAssertEqual(try workbook.sheetInfo(named: "rekap").name, "Rekap", "letter case is ignored")
        XCTAssertEqual(try workbook.sheetInfo(named: " penerima bantuan ").name, "Penerima Bantuan")
        XCTAssertEqual(try workbook.sheetInfo(at: 0).partName, "xl/worksheets/sheet1.xml")
        XCTAssertEqual(try workbook.sheet(at: 1).sheet.name, "Rekap")
    }

    func testMissingSheetErrorListsTheSheets() throws {
        let path = try xlsxFixturePath("csr.xlsx")
        let workbook = try XLSXWorkbook(path: path)
        let error = expectXLSXError(.sheetNotFound) { _ = try workbook.sheet(named: "Data Penerima") }
        XCTAssertEqual(error?.sheet, "Data Penerima")
        XCTAssertEqual(error?.path, path)
        XCTAssertTrue(error?.message.contains("'Data Penerima'") ?? false)
        XCTAssertTrue(error?.message.contains("'Penerima Bantuan', 'Rekap'") ?? false, error?.message ?? "")
        let byIndex = expectXLSXError(.sheetNotFound) { _ = try workbook.sheet(at: 5) }
        XCTAssertTrue(byIndex?.message.contains("'Penerima Bantuan', 'Rekap'") ?? false, byIndex?.message ?? "")
        _ = expectXLSXError(.sheetNotFound) { _ = try workbook.sheet(at: -1) }
    }

    // MARK: - Other writers and features

    func testInlineStringsFromOpenpyxl() throws {
        let workbook = try XLSXWorkbook(path: try xlsxFixturePath("openpyxl-inline.xlsx"))
        XCTAssertEqual(workbook.sharedStringCount, 0)
        let all = try rows(try workbook.sheet(named: "Data"))
        XCTAssertEqual(value(all, "A2"), .text("3578081234567890"))
        XCTAssertEqual(value(all, "B2"), .text("Siti Aminah"))
        XCTAssertEqual(value(all, "C2"), .number("1500000"))
        XCTAssertEqual(value(all, "D2"), .date(serial: "45852"))
        XCTAssertEqual(value(all, "E2"), .bool(true))
        XCTAssertEqual(value(all, "B3"), .text("Budi Santoso"), "rich inline runs are concatenated")
        XCTAssertEqual(value(all, "C3"), .number("0.1"))
        XCTAssertEqual(value(all, "E3"), .bool(false))
        XCTAssertEqual(value(all, "A4"), .text("  spasi  "))
    }

    func testRichAndEscapedSharedStrings() throws {
        let workbook = try XLSXWorkbook(path: try xlsxFixturePath("rich-strings.xlsx"))
        let all = try rows(try workbook.sheet(at: 0))
        XCTAssertEqual(value(all, "A1"), .text("Nama lengkap penerima"))
        XCTAssertEqual(value(all, "A2"), .text("  spasi depan dan belakang  "))
        XCTAssertEqual(value(all, "A3"), .text("baris satu\nbaris dua"))
        XCTAssertEqual(value(all, "A4"), .text("kontrol\u{1}karakter"))
        XCTAssertEqual(value(all, "A5"), .text("literal _x000D_ tetap"))
        XCTAssertEqual(value(all, "A6"), .text(" "))
        XCTAssertEqual(value(all, "A7"), .text("Nama "))
    }

    func test1904DateSystem() throws {
        let workbook = try XLSXWorkbook(path: try xlsxFixturePath("date1904.xlsx"))
        XCTAssertEqual(workbook.dateSystem, .date1904)
        let reader = try workbook.sheet(at: 0)
        XCTAssertEqual(reader.dateSystem, .date1904)
        let all = try rows(reader)
        XCTAssertEqual(value(all, "A2"), .date(serial: "44390"))
        XCTAssertEqual(value(all, "A3"), .date(serial: "0"))
        XCTAssertEqual(try XLSXDate.dateTime(serial: "44390", system: .date1904), XLSXDateTime(year: 2025, month: 7, day: 14))
        XCTAssertEqual(try XLSXDate.dateTime(serial: "0", system: .date1904), XLSXDateTime(year: 1904, month: 1, day: 1))
    }

    func testHandcraftedWriterQuirks() throws {
        let workbook = try XLSXWorkbook(path: try xlsxFixturePath("handcrafted.xlsx"))
        // Prefixed elements, an absolute target, a "../" target, a hidden sheet and a chart sheet.
        XCTAssertEqual(workbook.sheets.map(\.name), ["Data Mentah", "Tersembunyi", "Grafik"])
        XCTAssertEqual(workbook.sheets.map(\.partName), ["xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml", "xl/chartsheets/sheet1.xml"])
        XCTAssertEqual(workbook.sheets.map(\.visibility), [.visible, .hidden, .visible])
        XCTAssertEqual(workbook.sheets.map(\.kind), [.worksheet, .worksheet, .chartsheet])

        // Styles: custom [$-421] date, [h]:mm:ss, a quoted "days" suffix (not a date), built-in 22.
        XCTAssertEqual((0..<6).map { workbook.isDateStyle($0) }, [false, true, true, false, true, false])

        let reader = try workbook.sheet(named: "Data Mentah")
        var all: [XLSXRow] = []
        while let row = try reader.nextRow() { all.append(row) }
        XCTAssertEqual(reader.declaredDimension, XLSXCellRange("A1:E10"))
        // Rows and cells without r are numbered by position; row 10 jumps; row 11 has no cells.
        XCTAssertEqual(all.map(\.number), [1, 2, 10, 11])
        XCTAssertEqual(all[0].cells.map(\.reference), ["A1", "B1", "C1"])
        // Phonetic runs are dropped; _x000D_ is a carriage return, _x005F_ a literal underscore.
        XCTAssertEqual(all[0].cells.map(\.value), [.text("Kode"), .text("Sleman Barat"), .text("a\rb_x0041_")])
        XCTAssertEqual(
            all[1].cells.map(\.value),
            [.number("00123"), .date(serial: "45852"), .date(serial: "1.5"), .number("7"), .date(serial: "45852.75")]
        )
        XCTAssertEqual(all[1].cells.map(\.styleIndex), [0, 1, 2, 3, 4])
        XCTAssertEqual(all[2].cells.map(\.reference), ["B10", "C10", "D10", "E10", "F10"])
        XCTAssertEqual(
            all[2].cells.map(\.value),
            [.text("Kabupaten"), .error("#DIV/0!"), .bool(true), .isoDate("2025-07-14T00:00:00"), .text("Kode!")]
        )
        XCTAssertEqual(all[2].cells.last?.formula, "A1&\"!\"")
        XCTAssertEqual(all[3].cells, [])
        XCTAssertEqual(try workbook.mergedRanges(workbook.sheetInfo(at: 0)).map(\.description), ["B10:C11"])

        // The hidden sheet has an empty <sheetData/>.
        XCTAssertNil(try workbook.sheet(named: "Tersembunyi").nextRow())
        // A chart sheet has no cells.
        let error = expectXLSXError(.notAWorksheet) { _ = try workbook.sheet(named: "Grafik") }
        XCTAssertTrue(error?.message.contains("chart sheet") ?? false)
        XCTAssertTrue(error?.message.contains("'Data Mentah'") ?? false)
    }

    // MARK: - Damaged and hostile files

    func testTruncatedWorkbook() throws {
        let error = expectXLSXError(.archive) { _ = try XLSXWorkbook(path: try xlsxFixturePath("truncated.xlsx")) }
        XCTAssertEqual(error?.zipError?.kind, .truncated)
        XCTAssertTrue(error?.message.contains("ask the sender") ?? false)
    }

    func testRenamedXLSIsExplained() throws {
        let path = try xlsxFixturePath("renamed-xls.xlsx")
        let error = expectXLSXError(.archive) { _ = try XLSXWorkbook(path: path) }
        XCTAssertEqual(error?.zipError?.kind, .legacyBinaryOfficeFile)
        XCTAssertEqual(
            error?.description,
            "\(path): this is an old binary Excel file (.xls); open it in Excel or LibreOffice and save it as .xlsx"
        )
    }

    func testOtherFilesAreExplained() throws {
        let password = expectXLSXError(.archive) { _ = try XLSXWorkbook(path: try xlsxFixturePath("password-protected.xlsx")) }
        XCTAssertEqual(password?.zipError?.kind, .passwordProtectedOfficeFile)
        let csv = expectXLSXError(.archive) { _ = try XLSXWorkbook(path: try xlsxFixturePath("not-a-zip.xlsx")) }
        XCTAssertEqual(csv?.zipError?.kind, .notAZip)
        let word = expectXLSXError(.notAWorkbook) { _ = try XLSXWorkbook(path: try xlsxFixturePath("word-document.xlsx")) }
        XCTAssertTrue(word?.message.contains("Word document") ?? false, word?.message ?? "")
    }

    func testZipBombInSheetStopsReading() throws {
        let workbook = try XLSXWorkbook(path: try xlsxFixturePath("bomb.xlsx"))
        let reader = try workbook.sheet(at: 0)
        let error = expectXLSXError(.archive) { while try reader.nextRow() != nil {} }
        XCTAssertEqual(error?.zipError?.kind, .compressionRatioExceeded)
        XCTAssertEqual(error?.sheet, "Sheet1")
        XCTAssertEqual(error?.part, "xl/worksheets/sheet1.xml")
        XCTAssertTrue(error?.message.hasPrefix("sheet 'Sheet1' (xl/worksheets/sheet1.xml): ") ?? false, error?.message ?? "")
        XCTAssertNil(try reader.nextRow(), "the reader stops after an error")
    }

    func testExternalEntityInSheetIsRefused() throws {
        let workbook = try XLSXWorkbook(path: try xlsxFixturePath("xxe.xlsx"))
        let reader = try workbook.sheet(at: 0)
        let error = expectXLSXError(.malformedXML) { while try reader.nextRow() != nil {} }
        XCTAssertEqual(error?.xmlError?.kind, .documentTypeNotAllowed)
        XCTAssertFalse(error?.message.contains("root:") ?? true)
    }

    func testMalformedSheetGivesLineAndColumn() throws {
        let workbook = try XLSXWorkbook(path: try xlsxFixturePath("malformed-sheet.xlsx"))
        let reader = try workbook.sheet(at: 0)
        let error = expectXLSXError(.malformedXML) { while try reader.nextRow() != nil {} }
        XCTAssertEqual(error?.xmlError?.line, 4)
        XCTAssertTrue(error?.message.contains("sheet 'Sheet1' (xl/worksheets/sheet1.xml) cannot be read at line 4") ?? false, error?.message ?? "")
    }
}

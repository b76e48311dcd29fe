import Foundation
import PaduCore
import XCTest

@testable import PaduFormats

final class XLSXWriterTests: XCTestCase {
    private func date(_ year: Int, _ month: Int, _ day: Int) -> CivilDate { CivilDate(year: year, month: month, day: day)! }
    private func decimal(_ text: String) -> ExactDecimal { ExactDecimal(text)! }

    private static let columns = [
        XLSXColumn(title: "Nama", kind: .text, width: 30),
        XLSXColumn(title: "NIK", kind: .text),
        XLSXColumn(title: "Jumlah Anggota", kind: .integer),
        XLSXColumn(title: "Nominal (Rp)", kind: .decimal(scale: 2)),
        XLSXColumn(title: "Tanggal Salur", kind: .date),
        XLSXColumn(title: "Persentase", kind: .percent),
        XLSXColumn(title: "Aktif"),
        XLSXColumn(title: "Catatan"),
    ]

    /// The rows of the first test sheet; formula-like texts, markup, controls, OOXML escapes.
    private var sampleRows: [[XLSXWriteValue]] {
        [
            [.text("Siti Aminah"), .text("3578081234567890"), .integer(4), .decimal(decimal("1500000.00")),
             .date(date(2025, 7, 14)), .decimal(decimal("0.125")), .bool(true), .text(#"=HYPERLINK("http://example.com","klik")"#)],
            [.text("Ni Luh Putu Ayu Kadek Ketut 👩‍👩‍👧 Ñoño"), .text("0012"), .integer(-3), .decimal(decimal("1500000.5")),
             .date(date(1900, 1, 1)), .integer(1), .bool(false), .text("+1")],
            [.text("Muhammad Rizki Pratama"), .empty, .integer(0), .decimal(decimal("-0.05")),
             .date(date(2000, 2, 29)), .decimal(decimal("0")), .empty, .text("-1")],
            [.text(#"<b>&amp; "kutip" 'tunggal'</b>"#), .text("tab\there\nline\r\nCR"), .integer(Int64.max), .decimal(decimal("0.000001")),
             .date(date(9999, 12, 31)), .empty, .bool(true), .text("@SUM(A1:A3)")],
            [.text("kontrol\u{1}\u{8}\u{B}x\u{FFFE}y"), .text("  spasi di tepi  "), .text("_x0041_ tetap"), .empty,
             .date(date(1899, 12, 31)), .empty, .empty, .text("=1+1")],
        ]
    }

    /// What the project's reader gives back for ``sampleRows`` (cells in the file only).
    private var expectedReadRows: [[Int: XLSXCellValue]] {
        func serial(_ y: Int, _ m: Int, _ d: Int) -> XLSXCellValue {
            .date(serial: String(XLSXDate.serial(year: y, month: m, day: d, system: .date1900)))
        }
        return [
            [1: .text("Siti Aminah"), 2: .text("3578081234567890"), 3: .number("4"), 4: .number("1500000"),
             5: serial(2025, 7, 14), 6: .number("0.125"), 7: .bool(true), 8: .text(#"=HYPERLINK("http://example.com","klik")"#)],
            [1: .text("Ni Luh Putu Ayu Kadek Ketut 👩‍👩‍👧 Ñoño"), 2: .text("0012"), 3: .number("-3"), 4: .number("1500000.5"),
             5: .text("1900-01-01"), 6: .number("1"), 7: .bool(false), 8: .text("+1")],
            [1: .text("Muhammad Rizki Pratama"), 3: .number("0"), 4: .number("-0.05"),
             5: serial(2000, 2, 29), 6: .number("0"), 8: .text("-1")],
            [1: .text(#"<b>&amp; "kutip" 'tunggal'</b>"#), 2: .text("tab\there\nline\r\nCR"), 3: .number("9223372036854775807"),
             4: .number("0.000001"), 5: serial(9999, 12, 31), 7: .bool(true), 8: .text("@SUM(A1:A3)")],
            [1: .text("kontrol\u{FFFD}\u{FFFD}\u{FFFD}x\u{FFFD}y"), 2: .text("  spasi di tepi  "), 3: .text("_x0041_ tetap"),
             5: .text("1899-12-31"), 8: .text("=1+1")],
        ]
    }

    /// Writes the two-sheet sample workbook: the sample rows, then a 52-column sheet (A…AZ).
    private func writeSample(_ path: String) throws {
        let writer = try XLSXWriter(path: path, created: Date(timeIntervalSince1970: 1_752_485_425))
        XCTAssertEqual(try writer.addSheet(name: "Penerima Bantuan", columns: Self.columns), "Penerima Bantuan")
        for row in sampleRows { try writer.appendRow(row) }
        XCTAssertEqual(writer.rowCount, 5)
        let wide = (1...52).map { XLSXColumn(title: "K\($0)", kind: .integer) }
        XCTAssertEqual(try writer.addSheet(name: "Rekap/Wilayah: [Jatim]", columns: wide), "Rekap_Wilayah_ _Jatim_")
        try writer.appendRow((1...52).map { .integer(Int64($0)) })
        try writer.appendRow((1...52).map { $0 % 2 == 0 ? .text("t\($0)") : .empty })
        XCTAssertEqual(writer.sheetNames, ["Penerima Bantuan", "Rekap_Wilayah_ _Jatim_"])
        try writer.close()
    }

    private func allRows(_ reader: XLSXSheetReader) throws -> [XLSXRow] {
        var rows: [XLSXRow] = []
        while let row = try reader.nextRow() { rows.append(row) }
        return rows
    }

    // MARK: - Round trip through the project's reader

    func testRoundTripThroughTheReader() throws {
        let directory = try makeWriterTestDirectory(self)
        let path = directory + "/laporan.xlsx"
        try writeSample(path)

        let workbook = try XLSXWorkbook(path: path)
        XCTAssertEqual(workbook.sheets.map(\.name), ["Penerima Bantuan", "Rekap_Wilayah_ _Jatim_"])
        XCTAssertEqual(workbook.dateSystem, .date1900)

        let rows = try allRows(try workbook.sheet(at: 0))
        XCTAssertEqual(rows.map(\.number), [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(rows[0].cells.map(\.value), Self.columns.map { .text($0.title) })
        XCTAssertTrue(rows[0].cells.allSatisfy { $0.styleIndex == XLSXWriterStyles.header })
        for (offset, expected) in expectedReadRows.enumerated() {
            let row = rows[offset + 1]
            var actual: [Int: XLSXCellValue] = [:]
            for cell in row.cells {
                actual[cell.column] = cell.value
                XCTAssertNil(cell.formula, "no formula in \(cell.reference)")
                XCTAssertEqual(cell.reference, "\(XLSXCellReference.columnLetters(cell.column))\(row.number)")
            }
            XCTAssertEqual(actual, expected, "row \(row.number)")
        }
        // Dates come back as the same calendar days.
        guard case .date(let serial) = rows[1].cell(column: 5)?.value else { return XCTFail("not a date") }
        let day = try XLSXDate.dateTime(serial: serial, system: .date1900)
        XCTAssertEqual([day.year, day.month, day.day], [2025, 7, 14])
        XCTAssertTrue(workbook.isDateStyle(rows[1].cell(column: 5)!.styleIndex))
        XCTAssertFalse(workbook.isDateStyle(rows[1].cell(column: 4)!.styleIndex))

        let wide = try allRows(try workbook.sheet(at: 1))
        XCTAssertEqual(wide.count, 3)
        XCTAssertEqual(wide[0].cells.last?.reference, "AZ1")
        XCTAssertEqual(wide[1].cells.map(\.reference).suffix(3), ["AX2", "AY2", "AZ2"])
        XCTAssertEqual(wide[1].cells.map(\.value), (1...52).map { .number(String($0)) })
        XCTAssertEqual(wide[2].cells.map(\.reference).prefix(2), ["B3", "D3"])
        XCTAssertEqual(wide[2].cell(column: 52)?.value, .text("t52"))
    }

    func testSheetXMLHasNoFormulasAndTheExpectedStructure() throws {
        let directory = try makeWriterTestDirectory(self)
        let path = directory + "/laporan.xlsx"
        try writeSample(path)
        let archive = try ZipArchive(path: path)
        XCTAssertEqual(archive.entries.map(\.name), [
            "[Content_Types].xml", "_rels/.rels", "docProps/app.xml", "docProps/core.xml", "xl/workbook.xml",
            "xl/_rels/workbook.xml.rels", "xl/styles.xml", "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml",
        ])
        let sheet = String(decoding: try archive.readEntry(named: "xl/worksheets/sheet1.xml"), as: UTF8.self)
        XCTAssertFalse(sheet.contains("<f>") || sheet.contains("<f "), "formulas must never be written")
        XCTAssertTrue(sheet.contains(#"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#))
        XCTAssertTrue(sheet.contains(#"<autoFilter ref="A1:H6"/>"#))
        XCTAssertTrue(sheet.contains(#"<col min="1" max="1" width="30.0""#))
        XCTAssertTrue(sheet.contains(#"<c r="H2" t="inlineStr"><is><t xml:space="preserve">=HYPERLINK(&quot;"#)
            || sheet.contains(#"<c r="H2" t="inlineStr"><is><t xml:space="preserve">=HYPERLINK(""#))
        XCTAssertTrue(sheet.contains(#"<c r="D2" s="6"><v>1500000</v></c>"#), "decimal written exactly with #,##0.00")
        XCTAssertTrue(sheet.contains("_x005F_x0041_ tetap"))
        let core = String(decoding: try archive.readEntry(named: "docProps/core.xml"), as: UTF8.self)
        XCTAssertTrue(core.contains("<dc:creator>Padu</dc:creator>"))
        XCTAssertTrue(core.contains(#"<dcterms:created xsi:type="dcterms:W3CDTF">2025-07-14T09:30:25Z</dcterms:created>"#))
        let workbook = String(decoding: try archive.readEntry(named: "xl/workbook.xml"), as: UTF8.self)
        XCTAssertTrue(workbook.contains(#"localSheetId="0" hidden="1">'Penerima Bantuan'!$A$1:$H$6</definedName>"#))
        let styles = String(decoding: try archive.readEntry(named: "xl/styles.xml"), as: UTF8.self)
        XCTAssertTrue(styles.contains(#"formatCode="dd/mm/yyyy""#))
        XCTAssertTrue(styles.contains(##"formatCode="#,##0.00""##))
    }

    // MARK: - Other readers

    func testPythonZipfileAndUnzipAcceptTheWorkbook() throws {
        let directory = try makeWriterTestDirectory(self)
        let path = directory + "/laporan.xlsx"
        try writeSample(path)
        guard let python = try runTool("python3", [
            "-c", "import zipfile,sys; r=zipfile.ZipFile(sys.argv[1]).testzip(); assert r is None, r", path,
        ]) else { throw XCTSkip("python3 is not installed") }
        XCTAssertEqual(python.status, 0, python.output)
        if let unzip = try runTool("unzip", ["-t", path]) {
            XCTAssertEqual(unzip.status, 0, unzip.output)
        }
    }

    func testOpenpyxlReadsValuesTypesAndFormats() throws {
        let directory = try makeWriterTestDirectory(self)
        let path = directory + "/laporan.xlsx"
        try writeSample(path)
        let script = """
        import json, sys, warnings
        warnings.simplefilter("ignore")
        import openpyxl
        wb = openpyxl.load_workbook(sys.argv[1])
        ws = wb.worksheets[0]
        out = {"sheets": wb.sheetnames, "freeze": ws.freeze_panes, "filter": ws.auto_filter.ref,
               "bold": ws["A1"].font.b, "width": ws.column_dimensions["A"].width, "rows": []}
        for row in ws.iter_rows(min_row=2):
            out["rows"].append([[type(c.value).__name__, str(c.value), c.number_format, c.data_type] for c in row])
        ws2 = wb.worksheets[1]
        out["wide"] = [ws2.max_column, ws2["AZ2"].value]
        print(json.dumps(out, ensure_ascii=False))
        """
        guard let check = try runTool("python3", ["-c", "import openpyxl"]), check.status == 0 else {
            throw XCTSkip("python3 with openpyxl is not installed")
        }
        let run = try XCTUnwrap(try runTool("python3", ["-c", script, path]))
        XCTAssertEqual(run.status, 0, run.output)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any], run.output)
        XCTAssertEqual(json["sheets"] as? [String], ["Penerima Bantuan", "Rekap_Wilayah_ _Jatim_"])
        XCTAssertEqual(json["freeze"] as? String, "A2")
        XCTAssertEqual(json["filter"] as? String, "A1:H6")
        XCTAssertEqual(json["bold"] as? Bool, true)
        XCTAssertEqual(json["width"] as? Double, 30)
        XCTAssertEqual((json["wide"] as? [Any])?.first as? Int, 52)
        XCTAssertEqual((json["wide"] as? [Any])?.last as? Int, 52)
        let rows = try XCTUnwrap(json["rows"] as? [[[String]]])
        XCTAssertEqual(rows.count, 5)
        let first = rows[0]
        XCTAssertEqual(first[0], ["str", "Siti Aminah", "General", "s"])
        XCTAssertEqual(first[1], ["str", "3578081234567890", "General", "s"])
        XCTAssertEqual(first[2], ["int", "4", "#,##0", "n"])
        XCTAssertEqual(first[3], ["int", "1500000", "#,##0.00", "n"])
        XCTAssertEqual(first[4], ["datetime", "2025-07-14 00:00:00", "dd/mm/yyyy", "d"])
        XCTAssertEqual(first[5], ["float", "0.125", "0.00%", "n"])
        XCTAssertEqual(first[6], ["bool", "True", "General", "b"])
        XCTAssertEqual(first[7], ["str", #"=HYPERLINK("http://example.com","klik")"#, "General", "s"], "formula-like text stays text")
        XCTAssertEqual(rows[1][0][1], "Ni Luh Putu Ayu Kadek Ketut 👩‍👩‍👧 Ñoño")
        XCTAssertEqual(rows[1][3], ["float", "1500000.5", "#,##0.00", "n"])
        XCTAssertEqual(rows[1][7][0...1], ["str", "+1"])
        XCTAssertEqual(rows[2][7][0...1], ["str", "-1"])
        XCTAssertEqual(rows[3][0][1], #"<b>&amp; "kutip" 'tunggal'</b>"#)
        XCTAssertEqual(rows[3][1][1], "tab\there\nline\r\nCR")
        XCTAssertEqual(rows[3][4][1], "9999-12-31 00:00:00")
        XCTAssertEqual(rows[3][7][0...1], ["str", "@SUM(A1:A3)"])
        XCTAssertEqual(rows[4][4][0...1], ["str", "1899-12-31"])
        XCTAssertEqual(rows[4][7][0...1], ["str", "=1+1"])
    }

    func testLibreOfficeOpensTheWorkbook() throws {
        let installed = try runTool("soffice", ["--version"]) != nil
        guard installed else {
            throw XCTSkip("LibreOffice (soffice) is not installed")
        }
        let directory = try makeWriterTestDirectory(self)
        let path = directory + "/laporan.xlsx"
        try writeSample(path)
        let profile = "file://" + directory + "/lo-profile"
        let run = try XCTUnwrap(try runTool("soffice", [
            "-env:UserInstallation=\(profile)", "--headless", "--convert-to", #"csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true"#, "--outdir", directory + "/csv", path,
        ]))
        XCTAssertEqual(run.status, 0, run.output)
        let csvData = try Data(contentsOf: URL(fileURLWithPath: directory + "/csv/laporan.csv"))
        let csv = String(decoding: csvData, as: UTF8.self)
        let lines = csv.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(lines[0], "Nama,NIK,Jumlah Anggota,Nominal (Rp),Tanggal Salur,Persentase,Aktif,Catatan")
        XCTAssertEqual(lines[1], #"Siti Aminah,3578081234567890,4,"1,500,000.00",14/07/2025,12.50%,TRUE,"=HYPERLINK(""http://example.com"",""klik"")""#)
        XCTAssertEqual(lines[2], #"Ni Luh Putu Ayu Kadek Ketut 👩‍👩‍👧 Ñoño,0012,-3,"1,500,000.50",1900-01-01,100.00%,FALSE,+1"#)
        XCTAssertEqual(lines[3], "Muhammad Rizki Pratama,,0,-0.05,29/02/2000,0.00%,,-1")
        XCTAssertEqual(lines[4], #""<b>&amp; ""kutip"" 'tunggal'</b>","tab\#there"#)
        XCTAssertEqual(lines[5], "line", "LibreOffice drops the CR of CR LF")
        // Excel and LibreOffice keep 15 significant digits.
        XCTAssertTrue(lines[6].hasPrefix(#"CR","9,223,372,036,854,780,000",0.00,31/12/9999,,TRUE,@SUM(A1:A3)"#), csv)
        XCTAssertEqual(lines[7], "kontrol\u{FFFD}\u{FFFD}\u{FFFD}x\u{FFFD}y,  spasi di tepi  ,_x0041_ tetap,,1899-12-31,,,=1+1")
    }

    // MARK: - Volume

    func testTwoHundredThousandRowsStreamAndRoundTrip() throws {
        let directory = try makeWriterTestDirectory(self)
        let path = directory + "/besar.xlsx"
        let count = 200_000
        let peakBefore = peakMemoryKiB()
        let writer = try XLSXWriter(path: path)
        try writer.addSheet(name: "Data", columns: [
            XLSXColumn(title: "No", kind: .integer), XLSXColumn(title: "Nama"),
            XLSXColumn(title: "Nominal", kind: .decimal(scale: 2)), XLSXColumn(title: "Tanggal", kind: .date),
        ])
        let base = CivilDate(year: 2025, month: 1, day: 1)!.daysSince1970
        for index in 0..<count {
            let (y, m, d) = CivilDate.civil(days: base + index % 365)
            try writer.appendRow([
                .integer(Int64(index)), .text("Penerima \(index)"),
                .decimal(ExactDecimal(units: Int64(index) * 25, scale: 2)!), .date(CivilDate(year: y, month: m, day: d)!),
            ])
        }
        XCTAssertEqual(writer.rowCount, count)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), ["besar.xlsx.tmp-\(getpid())"])
        try writer.close()
        // Streaming: the peak memory of the process grows by far less than the sheet's ~25 MB of XML.
        XCTAssertLessThan(peakMemoryKiB() - peakBefore, 20 << 10, "memory is not flat")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), ["besar.xlsx"])
        XCTAssertEqual(try filePermissions(path), 0o600)

        let reader = try XLSXWorkbook(path: path).sheet(at: 0)
        var seen = 0
        _ = try reader.nextRow()
        while let row = try reader.nextRow() {
            let index = row.number - 2
            if index % 9973 == 0 || index == count - 1 {
                XCTAssertEqual(row.cells.map(\.value).prefix(3), [
                    .number(String(index)), .text("Penerima \(index)"),
                    .number(ExactDecimal(units: Int64(index) * 25, scale: 2)!.normalized.description),
                ])
            }
            seen += 1
        }
        XCTAssertEqual(seen, count)
    }

    /// The peak resident memory of this process so far, in KiB.
    private func peakMemoryKiB() -> Int {
        var usage = rusage()
        #if os(Linux)
        getrusage(RUSAGE_SELF.rawValue, &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        return Int(usage.ru_maxrss)
    }

    // MARK: - Names and errors

    func testSheetNamesAreSanitizedAndUnique() {
        XCTAssertEqual(XLSXSheetName.sanitized("Rekap [2025]: A/B\\C*?", taken: []), "Rekap _2025__ A_B_C__")
        XCTAssertEqual(XLSXSheetName.sanitized("'Data'", taken: []), "Data")
        XCTAssertEqual(XLSXSheetName.sanitized("", taken: []), "Sheet")
        XCTAssertEqual(XLSXSheetName.sanitized("history", taken: []), "history (2)")
        XCTAssertEqual(XLSXSheetName.sanitized("data", taken: ["Data", "DATA (2)"]), "data (3)")
        let long = "Penerima Bantuan Sosial Kabupaten Sidoarjo"
        XCTAssertEqual(XLSXSheetName.sanitized(long, taken: []), "Penerima Bantuan Sosial Kabupat")
        XCTAssertEqual(XLSXSheetName.sanitized(long, taken: ["Penerima Bantuan Sosial Kabupat"]), "Penerima Bantuan Sosial Kab (2)")
        XCTAssertEqual(XLSXSheetName.sanitized("Tab\u{1}👍", taken: []), "Tab👍")
    }

    func testDuplicateSheetNamesInAWorkbook() throws {
        let directory = try makeWriterTestDirectory(self)
        let path = directory + "/dup.xlsx"
        let writer = try XLSXWriter(path: path)
        for _ in 0..<3 { try writer.addSheet(name: "Data", columns: [XLSXColumn(title: "A")]) }
        try writer.close()
        XCTAssertEqual(try XLSXWorkbook(path: path).sheets.map(\.name), ["Data", "Data (2)", "Data (3)"])
    }

    func testUnwritablePathIsATypedError() throws {
        do {
            _ = try XLSXWriter(path: "/nonexistent-padu-folder/laporan.xlsx")
            XCTFail("expected an error")
        } catch let error as XLSXWriteError {
            XCTAssertEqual(error.kind, .archive)
            XCTAssertEqual(error.zipError?.kind, .cannotCreate)
            XCTAssertEqual(
                error.description,
                "/nonexistent-padu-folder/laporan.xlsx: cannot create the archive '/nonexistent-padu-folder/laporan.xlsx.tmp-\(getpid())' (No such file or directory); check that the folder exists and that Padu may write to it"
            )
        }
    }

    func testMisuseIsATypedErrorAndLeavesNothingBehind() throws {
        let directory = try makeWriterTestDirectory(self)
        let path = directory + "/x.xlsx"
        let writer = try XLSXWriter(path: path)
        XCTAssertThrowsError(try writer.appendRow([.integer(1)])) { XCTAssertEqual(($0 as? XLSXWriteError)?.kind, .noSheet) }
        XCTAssertThrowsError(try writer.addSheet(name: "A", columns: [])) { XCTAssertEqual(($0 as? XLSXWriteError)?.kind, .invalidColumns) }
        try writer.addSheet(name: "A", columns: [XLSXColumn(title: "Satu")])
        XCTAssertThrowsError(try writer.appendRow([.integer(1), .integer(2)])) {
            XCTAssertEqual(($0 as? XLSXWriteError)?.kind, .rowTooWide)
            XCTAssertTrue("\($0)".contains("which has 1 columns"), "\($0)")
        }
        writer.cancel()
        XCTAssertThrowsError(try writer.appendRow([.integer(1)])) { XCTAssertEqual(($0 as? XLSXWriteError)?.kind, .closed) }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), [])

        let empty = try XLSXWriter(path: path)
        XCTAssertThrowsError(try empty.close()) { XCTAssertEqual(($0 as? XLSXWriteError)?.kind, .noSheet) }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), [])
    }

    func testOverlongTextIsCutToExcelsLimit() throws {
        let directory = try makeWriterTestDirectory(self)
        let path = directory + "/long.xlsx"
        let writer = try XLSXWriter(path: path)
        try writer.addSheet(name: "A", columns: [XLSXColumn(title: "Teks")])
        try writer.appendRow([.text(String(repeating: "é", count: 40_000))])
        try writer.appendRow([.text(String(repeating: "😀", count: 20_000))])
        XCTAssertEqual(writer.truncatedTextCells, 2)
        try writer.close()
        let rows = try allRows(try XLSXWorkbook(path: path).sheet(at: 0))
        guard case .text(let first) = rows[1].cells[0].value, case .text(let second) = rows[2].cells[0].value else {
            return XCTFail("text expected")
        }
        XCTAssertEqual(first.utf16.count, 32_767)
        XCTAssertEqual(second.utf16.count, 32_766)
    }
}

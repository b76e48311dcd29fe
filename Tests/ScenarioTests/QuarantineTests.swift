import Foundation
import PaduCLI
import PaduFormats
import PaduReports
import PaduWarehouse
import XCTest

/// The stewards' quarantine workflow end to end, with real formats: a P3KE export (`;`, BOM,
/// CRLF) with bad rows → run → list → export CSV and XLSX → the producer's correction →
/// reinject → links, trace, resolved marks.
final class QuarantineTests: PaduHarness {
    var extra: String!

    override func setUpWithError() throws {
        try super.setUpWithError()
        extra = home + "-work"
        try FileManager.default.createDirectory(atPath: extra, withIntermediateDirectories: true)
    }

    override func tearDown() {
        super.tearDown()
        try? FileManager.default.removeItem(atPath: extra)
    }

    /// As Excel saves "CSV UTF-8" with Indonesian settings: BOM, `;`, CRLF.
    func writeExcelCSV(_ lines: [String], to path: String) throws {
        try Data(("\u{FEFF}" + lines.joined(separator: "\r\n") + "\r\n").utf8).write(to: URL(fileURLWithPath: path))
    }

    func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int ?? 0) & 0o777
    }

    func count(_ w: Warehouse, _ sql: String) throws -> Int64 {
        if case .int(let n)? = try w.database.scalar(sql) { return n }
        return -1
    }

    func setUpPipeline() throws -> String {
        let data = extra + "/p3ke-q.csv"
        try writeExcelCSV([
            "NIK;NO_KK;NAMA;JENIS_KELAMIN;TANGGAL_LAHIR;ALAMAT;DESIL",
            "1802014107850001;1802010101090001;SITI AMINAH;P;01/07/1985;DUSUN I;1",
            "1802015203870002;1802010101090002;=SUM(A1:A2);P;31/02/1987;DUSUN II;1",
            "12345;1802010101090003;AHMAD DAHLAN;L;05/05/1990;DUSUN III;2",
            "1802011005920004;1802010101090004;RUDI HARTONO;L;10/05/1992;DUSUN IV;2",
        ], to: data)
        try """
            import PipelineDescription
            let p = Pipeline(name: "p3ke-q", schedule: .manual,
                             source: .socialRegistry(.p3ke, path: "\(data)", snapshot: "2025-06-30"),
                             sink: .warehouse(.registry))
            """.write(toFile: extra + "/p3ke-q.swift", atomically: true, encoding: .utf8)
        return data
    }

    func testListExportCorrectReinjectTraceAndResolve() throws {
        _ = try setUpPipeline()
        let run = padu("run", "p3ke-q", "--pipelines", extra)
        XCTAssertEqual(run.code, 0, run.err + run.out)
        XCTAssertTrue(run.out.contains("loaded 2 · quarantined 2"), run.out)

        // list: both rejections, with their reasons and a summary.
        let list = padu("quarantine", "list")
        XCTAssertEqual(list.code, 0, list.err)
        XCTAssertTrue(list.out.contains("bad-date") && list.out.contains("bad-nik") && list.out.contains("By reason"), list.out)
        XCTAssertTrue(list.out.contains("p3ke-q.csv"), list.out)
        let filtered = padu("quarantine", "list", "--reason", "bad-nik", "--format", "csv")
        XCTAssertEqual(filtered.code, 0, filtered.err)
        XCTAssertFalse(filtered.out.contains("bad-date"), filtered.out)

        // CSV refuses rows with different header sets (file headers vs Padu field names).
        let mixed = padu("quarantine", "export", "--out", extra + "/all.csv", "--format", "csv")
        XCTAssertEqual(mixed.code, 2, mixed.err)
        XCTAssertTrue(mixed.err.contains("different headers") && mixed.err.contains("--input"), mixed.err)

        // XLSX: one sheet per header set; formula-like text stays text.
        let xlsxPath = extra + "/rejected.xlsx"
        let xlsx = padu("quarantine", "export", "--out", xlsxPath, "--format", "xlsx")
        XCTAssertEqual(xlsx.code, 0, xlsx.err)
        XCTAssertEqual(try mode(xlsxPath), 0o600)
        let book = try XLSXWorkbook(path: xlsxPath)
        XCTAssertEqual(book.sheets.count, 2, "\(book.sheets.map(\.name))")
        var formulaCell: XLSXCell?
        var header: [String] = []
        let sheet = try book.sheet(at: 0)
        while let row = try sheet.nextRow() {
            if row.number == 1 { header = row.cells.compactMap { if case .text(let s) = $0.value { return s } else { return nil } } }
            for cell in row.cells where cell.value == .text("=SUM(A1:A2)") { formulaCell = cell }
        }
        XCTAssertEqual(Array(header.prefix(3)), ["NIK", "NO_KK", "NAMA"])
        XCTAssertEqual(Array(header.suffix(7)), ["padu_reason", "padu_reason_code", "padu_column",
                                                 "padu_quarantine_id", "padu_input", "padu_sheet", "padu_row"])
        XCTAssertNotNil(formulaCell, "the name starting with = is in the workbook as text")
        XCTAssertNil(formulaCell?.formula)

        // CSV of the date rejection: escaped, owner-only.
        let datePath = extra + "/fix-date.csv"
        let dateExport = padu("quarantine", "export", "--out", datePath, "--format", "csv", "--reason", "bad-date")
        XCTAssertEqual(dateExport.code, 0, dateExport.err)
        XCTAssertEqual(try mode(datePath), 0o600)
        var text = try String(contentsOfFile: datePath, encoding: .utf8)
        XCTAssertTrue(text.contains("'=SUM(A1:A2)"), text)
        XCTAssertTrue(text.contains("NIK,NO_KK,NAMA,JENIS_KELAMIN,TANGGAL_LAHIR,ALAMAT,DESIL,padu_reason,padu_reason_code,padu_column,"
            + "padu_quarantine_id,padu_input,padu_sheet,padu_row"), text)
        // The producer fixes the date and writes the real name.
        text = text.replacingOccurrences(of: "31/02/1987", with: "28/02/1987").replacingOccurrences(of: "'=SUM(A1:A2)", with: "SITI RAHAYU")
        try text.write(toFile: datePath, atomically: true, encoding: .utf8)
        let dateBack = padu("quarantine", "reinject", datePath, "--pipeline", "p3ke-q", "--pipelines", extra)
        XCTAssertEqual(dateBack.code, 0, dateBack.err + dateBack.out)
        XCTAssertTrue(dateBack.out.contains("1 row linked"), dateBack.out)

        // The NIK rejection (a later stage: keyed by Padu's field names) goes back the same way.
        let nikPath = extra + "/fix-nik.csv"
        let nikExport = padu("quarantine", "export", "--out", nikPath, "--reason", "bad-nik")
        XCTAssertEqual(nikExport.code, 0, nikExport.err)
        var nikText = try String(contentsOfFile: nikPath, encoding: .utf8)
        XCTAssertTrue(nikText.contains("nik,no_kk,nama"), nikText)
        nikText = nikText.replacingOccurrences(of: ",12345,", with: ",1802011212900003,")
        try nikText.write(toFile: nikPath, atomically: true, encoding: .utf8)
        let nikBack = padu("quarantine", "reinject", nikPath, "--pipeline", "p3ke-q", "--pipelines", extra)
        XCTAssertEqual(nikBack.code, 0, nikBack.err + nikBack.out)
        XCTAssertTrue(nikBack.out.contains("1 row linked"), nikBack.out)

        // In the warehouse, linked.
        let w = try Warehouse(path: home + "/warehouse.sqlite")
        XCTAssertEqual(try count(w, "SELECT count(*) FROM person WHERE nik = '1802015203870002' AND birth_date = '1987-02-28' AND name = 'SITI RAHAYU'"), 1)
        XCTAssertEqual(try count(w, "SELECT count(*) FROM person WHERE nik = '1802011212900003' AND name = 'AHMAD DAHLAN'"), 1)
        XCTAssertEqual(try count(w, "SELECT count(*) FROM reinjection"), 2)
        XCTAssertEqual(try count(w, """
            SELECT count(*) FROM reinjection r JOIN quarantine q ON q.id = r.quarantine_id
            WHERE r.original_input_id = q.input_id AND r.original_row = q.row_number AND r.new_row = 2
            """), 2)

        // Trace shows where the corrected row came from.
        let trace = padu("lineage", "trace", "person:1802015203870002")
        XCTAssertEqual(trace.code, 0, trace.err)
        XCTAssertTrue(trace.out.contains("Re-injected from"), trace.out)
        XCTAssertTrue(trace.out.contains("p3ke-q.csv") && trace.out.contains("bad-date") && trace.out.contains("fix-date.csv"), trace.out)

        // The originals stay listed, resolved; the export has nothing left to fix.
        let after = padu("quarantine", "list", "--format", "json")
        XCTAssertEqual(after.code, 0, after.err)
        XCTAssertTrue(after.out.contains("fix-date.csv:2 (input") && after.out.contains("fix-nik.csv:2 (input"), after.out)
        let empty = padu("quarantine", "export", "--out", extra + "/left.xlsx")
        XCTAssertEqual(empty.code, 0, empty.err)
        XCTAssertTrue(empty.err.contains("(0 rows"), empty.err)
    }

    func testXLSXExportReinjectsThroughTheRegistrySource() throws {
        _ = try setUpPipeline()
        XCTAssertEqual(padu("run", "p3ke-q", "--pipelines", extra).code, 0)
        // Only the date rejection: one sheet, the file's headers.
        let path = extra + "/fix.xlsx"
        let export = padu("quarantine", "export", "--out", path, "--reason", "bad-date")
        XCTAssertEqual(export.code, 0, export.err)
        // The producer "fixes" nothing: the row is kept out again, and linked to nothing.
        let back = padu("quarantine", "reinject", path, "--pipeline", "p3ke-q", "--pipelines", extra)
        XCTAssertEqual(back.code, 3, back.err + back.out)
        XCTAssertTrue(back.out.contains("0 rows linked") && back.out.contains("1 kept out again"), back.out)
        let marks = try ReinjectionFileProbe.marks(path)
        XCTAssertEqual(marks, [ReinjectionMark(sheet: "p3ke-q", row: 2, quarantineID: 1, originalInput: 1, originalRow: 3)])

        // The producer fixes the workbook (here: rewritten cell by cell with the date and name corrected).
        let book = try XLSXWorkbook(path: path)
        let sheet = try book.sheet(at: 0)
        var rows: [[String]] = []
        while let row = try sheet.nextRow() {
            rows.append(row.cells.map { cell -> String in
                switch cell.value {
                case .text(let s), .number(let s): return s == "31/02/1987" ? "28/02/1987" : s == "=SUM(A1:A2)" ? "SITI RAHAYU" : s
                default: return ""
                }
            })
        }
        let fixed = extra + "/fixed.xlsx"
        let writer = try XLSXWriter(path: fixed)
        try writer.addSheet(name: book.sheets[0].name, columns: rows[0].map { XLSXColumn(title: $0) })
        for row in rows.dropFirst() { try writer.appendRow(row.map { .text($0) }) }
        try writer.close()
        let again = padu("quarantine", "reinject", fixed, "--pipeline", "p3ke-q", "--pipelines", extra)
        XCTAssertEqual(again.code, 0, again.err + again.out)
        XCTAssertTrue(again.out.contains("1 row linked"), again.out)
        let w = try Warehouse(path: home + "/warehouse.sqlite")
        XCTAssertEqual(try count(w, "SELECT count(*) FROM reinjection WHERE new_sheet = 'p3ke-q' AND new_row = 2 AND quarantine_id = 1 AND original_row = 3"), 1)
        XCTAssertEqual(try count(w, "SELECT count(*) FROM person WHERE nik = '1802015203870002' AND birth_date = '1987-02-28'"), 1)
        let trace = padu("lineage", "trace", "person:1802015203870002")
        XCTAssertTrue(trace.out.contains("Re-injected from") && trace.out.contains("bad-date"), trace.out)
    }

    /// An aid source (Baznas export with a title block): the padu_* columns are not used, the row loads.
    func testAidExportReinjectsThroughTheBaznasSource() throws {
        let data = extra + "/baznas-q.csv"
        try writeExcelCSV([
            "LAPORAN PENYALURAN ZAKAT BAZNAS KABUPATEN LAMPUNG TENGAH;;;;;;;;;", "TAHUN 2025;;;;;;;;;", ";;;;;;;;;",
            "NO;NAMA MUSTAHIK;NIK;ASNAF;PROGRAM;JENIS BANTUAN;JUMLAH (RP);TANGGAL;DESA;KECAMATAN",
            "1;Siti Aminah;1802014507830002;Fakir;Indonesia Sehat;Bantuan biaya berobat;750.000,00;02/08/2025;Sri Way Langsep;Kalirejo",
            "2;Ni Putu Ayu;1802015503080005;Fisabilillah;Indonesia Cerdas;Beasiswa;sejuta;05/03/2025;Kalirejo;Kalirejo",
        ], to: data)
        try """
            import PipelineDescription
            let b = Pipeline(name: "baznas-q", schedule: .manual,
                             source: .baznasExport(path: "\(data)", provider: "BAZNAS Kabupaten Lampung Tengah"),
                             sink: .warehouse(.assistance))
            """.write(toFile: extra + "/baznas-q.swift", atomically: true, encoding: .utf8)
        let run = padu("run", "baznas-q", "--pipelines", extra)
        XCTAssertEqual(run.code, 0, run.err + run.out)
        XCTAssertTrue(run.out.contains("loaded 1 · quarantined 1"), run.out)
        let path = extra + "/baznas-fix.csv"
        let export = padu("quarantine", "export", "--out", path, "--format", "csv")
        XCTAssertEqual(export.code, 0, export.err)
        var text = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertTrue(text.contains("NO,NAMA MUSTAHIK,NIK,ASNAF"), text)
        text = text.replacingOccurrences(of: ",sejuta,", with: ",\"1.000.000,00\",")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let back = padu("quarantine", "reinject", path, "--pipeline", "baznas-q", "--pipelines", extra)
        XCTAssertEqual(back.code, 0, back.err + back.out)
        XCTAssertTrue(back.out.contains("1 row linked"), back.out)
        let w = try Warehouse(path: home + "/warehouse.sqlite")
        XCTAssertEqual(try count(w, "SELECT count(*) FROM assistance a JOIN reinjection r ON r.new_input_id = a.input_id AND r.new_row = a.source_row"), 1)
    }

    func testReinjectRefusesAFileWithoutLineageColumns() throws {
        let data = try setUpPipeline()
        XCTAssertEqual(padu("run", "p3ke-q", "--pipelines", extra).code, 0)
        let r = padu("quarantine", "reinject", data, "--pipeline", "p3ke-q", "--pipelines", extra)
        XCTAssertEqual(r.code, 2, r.err)
        XCTAssertTrue(r.err.contains("padu_quarantine_id"), r.err)
    }
}

/// The marks the re-injection reads, from the test's side.
enum ReinjectionFileProbe {
    static func marks(_ path: String) throws -> [ReinjectionMark] { try ReinjectionFile.marks(path: path).marks }
}

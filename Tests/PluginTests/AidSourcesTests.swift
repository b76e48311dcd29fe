import Foundation
import PaduCore
import PaduWarehouse
import XCTest

/// csr-spreadsheet and baznas-export from delimited text, into the assistance table.
final class AidSourcesTests: XCTestCase {
    var folder: TemporaryFolder!
    var warehouse: Warehouse!

    override func setUpWithError() throws {
        folder = try TemporaryFolder()
        warehouse = try Warehouse(path: folder.path("warehouse.sqlite"))
    }

    override func tearDown() { folder.remove() }

    func spec(_ plugin: String, _ options: [String: OptionValue] = [:]) -> PipelineSpec {
        PipelineSpec(name: plugin, source: StageSpec(plugin: plugin, options: options),
                     sink: StageSpec(plugin: "warehouse", options: ["dataset": .string("assistance")]))
    }

    func testBaznasExportNormalisesAsnafAndProgramsAndRejectsAmil() throws {
        let result = try runPipeline(spec("baznas-export", ["provider": .string("BAZNAS Kabupaten Lampung Tengah")]),
                                     inputs: [Fixtures.path("aid/baznas-lampung-tengah-2025-07.csv")], into: warehouse)
        assertBalanced(result)
        XCTAssertEqual(result.status, .succeeded, result.inputs.first?.message ?? "")
        XCTAssertEqual(result.counts.loaded, 3)
        XCTAssertEqual(result.counts.quarantined, 2)
        XCTAssertEqual(try warehouse.rows("""
            SELECT asnaf, program, amount, amount_sen, date, provider, provider_kind, level FROM assistance ORDER BY source_row
            """), [
                [.text("fakir"), .text("Indonesia Makmur"), .text("1500000.00"), .int(150_000_000), .text("2025-07-14"),
                 .text("BAZNAS Kabupaten Lampung Tengah"), .text("ZAKAT"), .text("person")],
                [.text("miskin"), .text("Indonesia Sehat"), .text("750000"), .int(75_000_000), .text("2025-07-15"),
                 .text("BAZNAS Kabupaten Lampung Tengah"), .text("ZAKAT"), .text("person")],
                [.text("ibnu sabil"), .text("Indonesia Peduli"), .text("250000.00"), .int(25_000_000), .text("2025-07-21"),
                 .text("BAZNAS Kabupaten Lampung Tengah"), .text("ZAKAT"), .text("person")],
            ])
        let reasons = try warehouse.rows("SELECT reason_code, row_number, column_name FROM quarantine WHERE disposition = 'quarantined' ORDER BY row_number")
        XCTAssertEqual(reasons, [[.text("amil-not-recipient"), .int(7), .text("D7")], [.text("damaged-nik"), .int(8), .text("C8")]])
        let skipped = try warehouse.rows("SELECT reason_code FROM quarantine WHERE disposition = 'skipped' ORDER BY row_number")
        XCTAssertEqual(skipped.map { $0[0] }, [.text("title-block"), .text("title-block"), .text("title-block"), .text("header"),
                                               .text("blank-row"), .text("totals-row")])
    }

    func testCSRActivityRowsTakeTheProviderFromTheTitleBlock() throws {
        let result = try runPipeline(spec("csr-spreadsheet"), inputs: [Fixtures.path("aid/csr-kegiatan-2025.csv")], into: warehouse)
        assertBalanced(result)
        XCTAssertEqual(result.status, .succeeded, result.inputs.first?.message ?? "")
        XCTAssertEqual(try warehouse.rows("SELECT provider, level, activity, volume, unit, amount, date, desa FROM assistance ORDER BY source_row"), [
            [.text("PT SUMBER AGRO LESTARI"), .text("activity"), .text("Bedah rumah"), .text("3"), .text("Unit"), .text("45000000"), .text("2025-07-14"), .text("Sri Way Langsep")],
            [.text("PT SUMBER AGRO LESTARI"), .text("activity"), .text("Paket sembako"), .text("200"), .text("Paket"), .text("30000000"), .text("2025-07-20"), .text("Kaliwungu")],
            [.text("PT SUMBER AGRO LESTARI"), .text("activity"), .text("Sumur bor"), .text("1"), .text("Unit"), .text("12500000"), .text("2025-08-03"), .text("Suko Sari")],
        ])
        XCTAssertEqual(try warehouse.count("SELECT count(*) FROM quarantine WHERE reason_code = 'totals-row'"), 1)
    }

    func testOldExcelFilesGetAClearMessage() throws {
        let path = folder.path("laporan.xls")
        try Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0, 0]).write(to: URL(fileURLWithPath: path))
        let result = try runPipeline(spec("csr-spreadsheet", ["provider": .string("PT X")]), inputs: [path], into: warehouse)
        XCTAssertEqual(result.status, .failed)
        XCTAssertTrue(result.inputs[0].message.contains("save it as .xlsx"), result.inputs[0].message)
    }

    func testASheetWithoutAHeaderFailsWithTheRowsLookedAt() throws {
        let path = folder.path("notes.csv")
        try "catatan rapat\nhari ini hujan\n".write(toFile: path, atomically: true, encoding: .utf8)
        let result = try runPipeline(spec("csr-spreadsheet", ["provider": .string("PT X")]), inputs: [path], into: warehouse)
        XCTAssertEqual(result.status, .failed)
        XCTAssertTrue(result.inputs[0].message.contains("notes.csv"), result.inputs[0].message)
    }

    /// The same CSR workbook written by xlsxwriter and by LibreOffice gives the same rows.
    func testCSRWorkbookFromTwoSpreadsheetWriters() throws {
        var previous: [[SQLValue]]?
        for name in ["xlsx/csr.xlsx", "xlsx/csr-libreoffice.xlsx"] {
            let w = try Warehouse(path: folder.path("\(name.hashValue).sqlite"))
            let result = try runPipeline(spec("csr-spreadsheet", ["provider": .string("PT Test"), "sheets": .list([.string("Penerima Bantuan")])]),
                                         inputs: [Fixtures.formats(name)], into: w)
            assertBalanced(result)
            XCTAssertEqual(result.status, .succeeded, result.inputs.first?.message ?? "")
            XCTAssertEqual(result.counts, RowCounts(read: 12, loaded: 4, quarantined: 2, skipped: 6), name)
            let rows = try w.rows("SELECT source_sheet, source_row, nik, name, amount, date FROM assistance ORDER BY source_row")
            XCTAssertEqual(rows, [
                [.text("Penerima Bantuan"), .int(6), .text("3578081234567890"), .text("Siti Aminah"), .text("1500000"), .text("2025-07-14")],
                [.text("Penerima Bantuan"), .int(8), .text("3404011505800002"), .text("Wartini"), .text("1500000.00"), .text("2025-07-16")],
                [.text("Penerima Bantuan"), .int(9), .text("3404014102750003"), .text("Sugeng Riyadi"), .text("1500000"), .text("2025-07-14")],
                [.text("Penerima Bantuan"), .int(11), .text("3404010101010001"), .text("Rina Marlina"), .text("1234567.891"), .text("2025-07-17")],
            ], name)
            XCTAssertEqual(try w.rows("SELECT reason_code, column_name FROM quarantine WHERE disposition = 'quarantined' ORDER BY row_number"),
                           [[.text("damaged-nik"), .text("B7")], [.text("no-recipient"), .text("C12")]], name)
            if let previous { XCTAssertEqual(rows.map { Array($0.dropFirst(2)) }, previous) }
            previous = rows.map { Array($0.dropFirst(2)) }
        }
    }

    /// Without `sheets`, every sheet is read; a summary sheet that is not a table is skipped.
    func testEveryVisibleSheetIsReadWhenNoneIsNamed() throws {
        let result = try runPipeline(spec("csr-spreadsheet", ["provider": .string("PT Test")]),
                                     inputs: [Fixtures.formats("xlsx/csr.xlsx")], into: warehouse)
        assertBalanced(result)
        XCTAssertEqual(result.status, .succeeded, result.inputs.first?.message ?? "")
        XCTAssertEqual(try warehouse.count("SELECT count(DISTINCT sheet) FROM quarantine"), 2)
        // The Rekap sheet's lines (`Jumlah penerima`, `Total nominal`) are totals, not aid.
        XCTAssertEqual(try warehouse.count("SELECT count(*) FROM assistance WHERE source_sheet = 'Rekap'"), 0)
        XCTAssertEqual(try warehouse.count("SELECT count(*) FROM quarantine WHERE sheet = 'Rekap' AND reason_code = 'totals-row'"), 2)
    }

    func testAMissingSheetNamesTheSheetsThereAre() throws {
        let result = try runPipeline(spec("csr-spreadsheet", ["provider": .string("PT Test"), "sheets": .list([.string("Data")])]),
                                     inputs: [Fixtures.formats("xlsx/csr.xlsx")], into: warehouse)
        XCTAssertEqual(result.status, .failed)
        XCTAssertTrue(result.inputs[0].message.contains("'Penerima Bantuan', 'Rekap'"), result.inputs[0].message)
    }

    func testASheetCanBeNamedByItsPosition() throws {
        let result = try runPipeline(spec("csr-spreadsheet", ["provider": .string("PT Test"), "sheets": .list([.string("1")])]),
                                     inputs: [Fixtures.formats("xlsx/csr.xlsx")], into: warehouse)
        XCTAssertEqual(result.counts.loaded, 4, result.inputs.first?.message ?? "")
        XCTAssertEqual(try warehouse.rows("SELECT DISTINCT source_sheet FROM assistance"), [[.text("Penerima Bantuan")]])
    }

    /// Hostile and broken workbooks fail their own input with a clear message; the next input loads.
    func testHostileWorkbooksFailOnlyThemselves() throws {
        let inputs = ["bomb", "xxe", "truncated", "renamed-xls", "password-protected"].map { Fixtures.formats("xlsx/\($0).xlsx") }
            + [Fixtures.formats("xlsx/csr.xlsx")]
        let result = try runPipeline(spec("csr-spreadsheet", ["provider": .string("PT Test")]), inputs: inputs, into: warehouse)
        XCTAssertEqual(result.status, .partial)
        XCTAssertEqual(result.inputs.map(\.status), [.failed, .failed, .failed, .failed, .failed, .loaded])
        let messages = result.inputs.prefix(5).map(\.message)
        XCTAssertTrue(messages[0].contains("zip bomb"), messages[0])
        XCTAssertTrue(messages[0].hasPrefix(inputs[0] + ", sheet 'Sheet1': "), messages[0])
        XCTAssertTrue(messages[3].contains("save it as .xlsx"), messages[3])
        XCTAssertTrue(messages[4].lowercased().contains("password"), messages[4])
        for m in messages { XCTAssertFalse(m.contains("root:x:0:0"), m) }
        XCTAssertEqual(try warehouse.count("SELECT count(*) FROM assistance"), 4)
    }
}

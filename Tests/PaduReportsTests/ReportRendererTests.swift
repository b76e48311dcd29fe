import Foundation
import PaduCore
import PaduReports
import XCTest

/// How report tables are written (CSV, JSON, aligned text) and how periods are read.
final class ReportRendererTests: XCTestCase {
    private let columns = [
        ReportColumn("nama", "Nama"),
        ReportColumn("jumlah", "Jumlah (Rp)", .rupiah),
        ReportColumn("bagian", "Bagian", .percent),
        ReportColumn("penerima", "Penerima", .integer),
        ReportColumn("tanggal", "Tanggal", .date),
    ]

    private func table(_ rows: [[ReportValue]], name: String = "overlap", notes: [String] = []) -> ReportTable {
        ReportTable(name: name, title: "Tumpang tindih bantuan", parameters: [("period", "2025"), ("region", "18.02")],
                    columns: columns, rows: rows, notes: notes)
    }

    // MARK: - CSV

    func testCSVHasABOMCRLFAndEscapesFormulaLikeText() {
        let csv = ReportRenderer.csv([table([
            [.text("=HYPERLINK(\"http://x\")"), .sen(150_000_000), .fraction(1, 3), .integer(-3), .date(CivilDate(year: 2025, month: 7, day: 14)!)],
            [.text("+62 812 3456"), .sen(-150_000_050), .fraction(2, 3), .integer(12), .null],
            [.text("-Budi"), .sen(0), .fraction(0, 0), .integer(0), .null],
            [.text("@Siti"), .null, .null, .null, .null],
            [.text("\tTab"), .null, .null, .null, .null],
            [.text("Budi, S.Pd"), .null, .null, .null, .null],
            [.text("Warung \"Maju\"\nJaya"), .null, .null, .null, .null],
        ])])
        XCTAssertTrue(csv.hasPrefix("\u{FEFF}nama,jumlah,bagian,penerima,tanggal\r\n"), csv)
        XCTAssertFalse(csv.replacingOccurrences(of: "\r\n", with: "").replacingOccurrences(of: "Maju\"\"\nJaya", with: "").contains("\n"),
                       "every line ends with CRLF")
        XCTAssertTrue(csv.hasSuffix("\r\n"))
        let lines = csv.dropFirst().components(separatedBy: "\r\n")
        XCTAssertEqual(Array(lines.prefix(7)), [
            "nama,jumlah,bagian,penerima,tanggal",
            "\"'=HYPERLINK(\"\"http://x\"\")\",1500000.00,33.3,-3,2025-07-14",
            "'+62 812 3456,-1500000.50,66.7,12,",
            "'-Budi,0.00,,0,",
            "'@Siti,,,,",
            "'\tTab,,,,",
            "\"Budi, S.Pd\",,,,",
        ])
        XCTAssertTrue(csv.contains("\"Warung \"\"Maju\"\"\nJaya\",,,,\r\n"), csv)
    }

    func testCSVOfSeveralTablesHasTitleLines() {
        let csv = ReportRenderer.csv([table([[.text("A"), .null, .null, .integer(1), .null]]),
                                      table([[.text("B"), .null, .null, .integer(2), .null]], name: "exclusion")])
        XCTAssertTrue(csv.hasPrefix("\u{FEFF}# Tumpang tindih bantuan\r\nnama,"), csv)
        XCTAssertTrue(csv.contains("A,,,1,\r\n\r\n# Tumpang tindih bantuan\r\nnama,"), csv)
    }

    // MARK: - JSON

    func testJSONIsValidAndTyped() throws {
        let json = ReportRenderer.json([table([
            [.text("Siti \"Ani\" Aminah\n\u{1}"), .sen(150_000_050), .fraction(1, 3), .integer(2), .date(CivilDate(year: 2025, month: 7, day: 14)!)],
            [.text("Ñoño – ü"), .null, .fraction(0, 0), .integer(0), .null],
        ], notes: ["counts households once"])])
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        XCTAssertEqual(object["report"] as? String, "overlap")
        XCTAssertEqual(object["title"] as? String, "Tumpang tindih bantuan")
        XCTAssertEqual(object["parameters"] as? [String: String], ["period": "2025", "region": "18.02"])
        XCTAssertEqual(object["notes"] as? [String], ["counts households once"])
        let cols = try XCTUnwrap(object["columns"] as? [[String: String]])
        XCTAssertEqual(cols.map { $0["type"] ?? "" }, ["text", "rupiah", "percent", "integer", "date"])
        XCTAssertEqual(cols[1]["title"], "Jumlah (Rp)")
        let rows = try XCTUnwrap(object["rows"] as? [[String: Any]])
        XCTAssertEqual(rows.count, 2)
        XCTAssertEqual(rows[0]["nama"] as? String, "Siti \"Ani\" Aminah\n\u{1}")
        XCTAssertEqual(rows[0]["jumlah"] as? String, "1500000.50", "amounts are exact decimal strings")
        XCTAssertEqual((rows[0]["bagian"] as? NSNumber)?.doubleValue, 33.3)
        XCTAssertEqual((rows[0]["penerima"] as? NSNumber)?.intValue, 2)
        XCTAssertEqual(rows[0]["tanggal"] as? String, "2025-07-14")
        XCTAssertEqual(rows[1]["nama"] as? String, "Ñoño – ü")
        XCTAssertTrue(rows[1]["jumlah"] is NSNull)
        XCTAssertTrue(rows[1]["bagian"] is NSNull, "a share of nothing is null")
        XCTAssertTrue(rows[1]["tanggal"] is NSNull)
    }

    func testJSONOfSeveralTablesIsAnArray() throws {
        let json = ReportRenderer.json([table([]), table([], name: "exclusion")])
        let array = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        XCTAssertEqual(array.map { $0["report"] as? String }, ["overlap", "exclusion"])
        XCTAssertEqual((array[0]["rows"] as? [Any])?.count, 0)
    }

    // MARK: - Percent text and the aligned table

    func testPercentTextRoundsHalfUpToOneDecimal() {
        XCTAssertEqual(ReportValue.fraction(1, 3).plain, "33.3")
        XCTAssertEqual(ReportValue.fraction(2, 3).plain, "66.7")
        XCTAssertEqual(ReportValue.fraction(5, 8).plain, "62.5")
        XCTAssertEqual(ReportValue.fraction(1, 1).plain, "100.0")
        XCTAssertEqual(ReportValue.fraction(0, 7).plain, "0.0")
        XCTAssertEqual(ReportValue.fraction(1, 2000).plain, "0.1", "0.05 rounds up")
        XCTAssertEqual(ReportValue.fraction(3, 0).plain, "")
        XCTAssertEqual(ReportValue.sen(150_000_000).plain, "1500000.00")
        XCTAssertEqual(ReportValue.sen(5).plain, "0.05")
    }

    func testTableShowsRupiahAndPercentInIndonesianStyle() {
        let text = ReportRenderer.table([table([
            [.text("Suparman"), .sen(150_000_000), .fraction(1, 3), .integer(1), .date(CivilDate(year: 2025, month: 7, day: 14)!)],
            [.text("Siti Aminah"), .sen(150_000_050), .fraction(2, 3), .integer(12), .null],
            [.text("Dewi"), .sen(-5), .fraction(0, 0), .integer(0), .null],
        ], notes: ["read with care"])])
        let lines = text.components(separatedBy: "\n")
        XCTAssertEqual(lines[0], "Tumpang tindih bantuan")
        XCTAssertEqual(lines[1], "period=2025 region=18.02")
        XCTAssertTrue(lines[2].hasPrefix("Nama"), lines[2])
        XCTAssertTrue(lines[3].allSatisfy { $0 == "-" || $0 == " " }, lines[3])
        XCTAssertTrue(lines[4].contains("1.500.000"), lines[4])
        XCTAssertFalse(lines[4].contains("1.500.000,"), lines[4])
        XCTAssertTrue(lines[4].contains("33,3%"), lines[4])
        XCTAssertTrue(lines[4].contains("2025-07-14"), lines[4])
        XCTAssertTrue(lines[5].contains("1.500.000,50"), lines[5])
        XCTAssertTrue(lines[5].contains("66,7%"), lines[5])
        XCTAssertTrue(lines[6].contains("-0,05"), lines[6])
        XCTAssertTrue(text.contains("3 rows\n"), text)
        XCTAssertTrue(text.contains("· read with care\n"), text)
        // Numbers are right-aligned: the amount column ends at the same place on every row.
        let header = lines[2]
        let end = header.range(of: "Jumlah (Rp)")!.upperBound
        let endOffset = header.distance(from: header.startIndex, to: end)
        for line in lines[4...6] {
            let amountEnd = line.index(line.startIndex, offsetBy: endOffset)
            XCTAssertTrue(line[..<amountEnd].last?.isNumber ?? false, "'\(line)'")
        }
        XCTAssertFalse(lines.contains { $0.hasSuffix(" ") }, "no trailing spaces")
    }

    func testEmptyTableSaysSo() {
        XCTAssertEqual(ReportRenderer.table([ReportTable(name: "x", title: "Kosong", columns: columns)]), "Kosong\n(no rows)\n")
    }

    // MARK: - Periods

    func testReportPeriodParsing() throws {
        let ok: [(String, String, Bool)] = [
            ("2025", "2025", false), ("2025-07", "2025-07", true), ("2025-7", "2025-07", true), ("07/2025", "2025-07", true),
            ("7/2025", "2025-07", true), (" 2025-12 ", "2025-12", true), ("2025/07", "2025-07", true),
        ]
        for (text, prefix, isMonth) in ok {
            let period = try ReportPeriod(text)
            XCTAssertEqual(period.prefix, prefix, text)
            XCTAssertEqual(period.isMonth, isMonth, text)
            XCTAssertEqual(period.description, prefix)
        }
        for text in ["2025-13", "2025-00", "25", "abc", "", "2025-07-01", "1850", "13/2025", "2025-007",
                     "2025-", "-2025", "2025--07", "2025-+7", "2025/-7", "+2025"] {
            XCTAssertThrowsError(try ReportPeriod(text), text) { error in
                XCTAssertTrue("\(error)".contains("is not a year or a month"), "\(error)")
            }
        }
    }
}

import Foundation
import PaduWarehouse
import XCTest

/// Data-quality expectations declared in a pipeline file gate a load (error) or are reported
/// (warn), are stored with the run, and reach OpenLineage as dataQualityAssertions.
final class ExpectationTests: PaduHarness {
    var folder: String!

    override func setUpWithError() throws {
        try super.setUpWithError()
        folder = home + "-pipelines"
        try FileManager.default.createDirectory(atPath: folder + "/data", withIntermediateDirectories: true)
    }

    override func tearDown() {
        super.tearDown()
        try? FileManager.default.removeItem(atPath: folder)
    }

    func registry(_ rows: [(String, String)], to name: String) throws {
        var text = "\u{FEFF}NIK;NAMA;NO KK;TANGGAL LAHIR\r\n"
        for (nik, nama) in rows { text += "\(nik);\(nama);1802010101150001;12/03/1980\r\n" }
        try text.write(toFile: folder + "/data/" + name, atomically: true, encoding: .utf8)
    }

    func pipeline(_ expectations: String) throws {
        try """
            import PipelineDescription
            let p = Pipeline(name: "p3ke", schedule: .manual, source: .socialRegistry(.p3ke, path: "data/p3ke.csv"),
                             transforms: [.validateNIK(onInvalid: .quarantine)], sink: .warehouse(.registry),
                             expectations: [\(expectations)])
            """.write(toFile: folder + "/p.swift", atomically: true, encoding: .utf8)
    }

    func results() throws -> [[String]] {
        let db = try SQLiteDatabase(path: home + "/warehouse.sqlite", readOnly: true)
        var out: [[String]] = []
        try db.query("SELECT name, severity, passed, observed FROM expectation_result ORDER BY id") { r in
            out.append([r.text(0) ?? "", r.text(1) ?? "", String(r.int(2) ?? -1), r.text(3) ?? ""])
        }
        return out
    }

    static let rows = [("1802011203800001", "BUDI"), ("1802014507830002", "SITI"), ("1802013213100010", "RINA"), ("1802010101750003", "")]

    func testAnErrorExpectationRollsTheInputBackAndNamesItself() throws {
        try registry(Self.rows, to: "p3ke.csv")
        try pipeline(".validNIKShare(atLeast: 0.9), .nonEmpty(\"nama\", atLeast: 1.0, severity: .warn)")
        let run = padu("run", "p3ke", "--pipelines", folder)
        XCTAssertEqual(run.code, 1, run.out + run.err)
        XCTAssertTrue(run.out.contains("expectation failed: 75.0% of rows have a valid NIK (3 of 4), at least 90.0% expected (validNIKShare)"), run.out)
        let db = try SQLiteDatabase(path: home + "/warehouse.sqlite", readOnly: true)
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM person"), .int(0))
        XCTAssertEqual(try results().map { Array($0.prefix(3)) }, [["validNIKShare", "error", "0"], ["nonEmpty", "warn", "0"]])
    }

    func testWarningsAreReportedTheLoadGoesOnAndOpenLineageCarriesThem() throws {
        try registry(Self.rows, to: "p3ke.csv")
        try pipeline(".validNIKShare(atLeast: 0.9, severity: .warn), .nonEmpty(\"nama\", atLeast: 0.5), .rowCountWithin(percent: 10)")
        XCTAssertEqual(padu("run", "p3ke", "--pipelines", folder).code, 0)
        XCTAssertEqual(try results().map { Array($0.prefix(3)) },
                       [["validNIKShare", "warn", "0"], ["nonEmpty", "error", "1"], ["rowCountWithin", "warn", "1"]])
        // Half the rows next time: outside ±10% of the last load, reported as a warning.
        try registry(Array(Self.rows.prefix(2)), to: "p3ke.csv")
        XCTAssertEqual(padu("run", "p3ke", "--pipelines", folder).code, 0)
        let last = try results().suffix(3)
        XCTAssertEqual(last.last?.prefix(3).map { $0 }, ["rowCountWithin", "warn", "0"])
        XCTAssertTrue(last.last?[3].contains("-50.0% against the last loaded input (4)") ?? false, "\(last)")
        let logs = padu("logs", "--level", "warn")
        XCTAssertTrue(logs.out.contains("expectation not met (warn)"), logs.out)

        // OpenLineage: the end events carry the assertions, and validate.
        let outbox = home + "/openlineage/outbox.jsonl"
        let text = try String(contentsOfFile: outbox, encoding: .utf8)
        XCTAssertTrue(text.contains("\"dataQualityAssertions\""), text)
        XCTAssertTrue(text.contains("\"assertion\":\"validNIKShare\""), text)
        let validator = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
            + "/scripts/validate-openlineage.py"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", validator, outbox]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let report = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        if report.contains("No module named") { throw XCTSkip("jsonschema is not installed") }
        XCTAssertEqual(p.terminationStatus, 0, report)
    }

    func testProgressLinesWithoutATerminal() throws {
        var rows: [(String, String)] = []
        for i in 0..<9000 { rows.append((String(format: "18020112038%01d%04d", i / 9999, i % 9999 + 1), "WARGA \(i)")) }
        try registry(rows, to: "p3ke.csv")
        try pipeline("")
        // Without a terminal: plain progress lines (here one per batch), no terminal control codes.
        let console = padu(["run", "p3ke", "--pipelines", folder], environment: ["PADU_PROGRESS_INTERVAL": "0"])
        XCTAssertEqual(console.code, 0, console.err)
        let lines = console.err.split(separator: "\n").filter { $0.hasPrefix("progress ") }
        XCTAssertGreaterThanOrEqual(lines.count, 2, console.err)
        XCTAssertTrue(lines.first?.contains("pipeline=p3ke input=p3ke.csv rows=4096") ?? false, console.err)
        XCTAssertTrue(lines.allSatisfy { $0.contains("rows_per_s=") && $0.contains("eta_s=") && $0.contains("percent=") })
        XCTAssertFalse(console.err.contains("\u{1B}["))
        XCTAssertFalse(padu(["run", "p3ke", "--pipelines", folder, "--force", "--no-progress"],
                            environment: ["PADU_PROGRESS_INTERVAL": "0"]).err.contains("progress "))
    }
}

import Foundation
import PaduCore
import XCTest

final class LoggingTests: XCTestCase {
    var folder: String!

    override func setUpWithError() throws {
        folder = NSTemporaryDirectory() + "padu-logs-" + UUID().uuidString
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: folder)
    }

    func testLinesAreMaskedInBothFormatsAndParseBack() {
        let record = LogRecord(time: Date(timeIntervalSince1970: 1_700_000_000.25), level: .warning,
                               message: PersonalData.maskNIKs(in: "NIK 1802011203800001 rejected: \"bad\" = wrong\nsecond line"),
                               metadata: ["pipeline": "p3ke", "rows": "42", "note.detail": "a b"], file: "PaduCore/Runner.swift", line: 7)
        for text in [record.logfmt, record.json] {
            XCTAssertNil(text.range(of: "[0-9]{16}", options: .regularExpression), text)
            let fields = LogLine.parse(text)
            XCTAssertEqual(fields?["level"], "warn", text)
            XCTAssertEqual(fields?["pipeline"], "p3ke")
            XCTAssertEqual(fields?["note.detail"], "a b")
            XCTAssertEqual(fields?["msg"], "NIK 1802********0001 rejected: \"bad\" = wrong\nsecond line")
            XCTAssertEqual(fields?["ts"], "2023-11-14T22:13:20.250Z")
        }
        XCTAssertEqual(LogLine.parse(record.json)?["source"], "PaduCore/Runner.swift:7")
        XCTAssertNil(LogLine.parse("not a log line"))
        // The logger itself masks messages and metadata.
        let capture = Capture()
        Logger(level: .info, output: capture).info("loaded 1802011203800001", ["nik": "1802011203800001"])
        XCTAssertEqual(capture.records.first?.message, "loaded 1802********0001")
        XCTAssertEqual(capture.records.first?.metadata["nik"], "1802********0001")
    }

    func testTheFileRotatesBySizeAndKeepsN() throws {
        let log = RotatingFileLog(folder: folder, maxBytes: 400, keep: 3)
        let logger = Logger(level: .info, output: log)
        for i in 0..<60 { logger.info("line \(i) with some padding to fill the file quickly", ["i": String(i)]) }
        let files = RotatingFileLog.files(in: folder)
        XCTAssertEqual(files.map { ($0 as NSString).lastPathComponent }, ["padu.log.3", "padu.log.2", "padu.log.1", "padu.log"])
        for f in files {
            let size = try FileManager.default.attributesOfItem(atPath: f)[.size] as? Int ?? 0
            XCTAssertLessThanOrEqual(size, 400)
            XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: f)[.posixPermissions] as? Int, 0o600)
        }
        // Oldest to newest, the surviving lines are in order and end with the last one.
        let lines = files.flatMap { (try? String(contentsOfFile: $0, encoding: .utf8))?.split(separator: "\n").map(String.init) ?? [] }
        let numbers = lines.compactMap { LogLine.parse($0)?["i"].flatMap(Int.init) }
        XCTAssertEqual(numbers, numbers.sorted())
        XCTAssertEqual(numbers.last, 59)
    }

    func testReopenFollowsAnExternalRotation() throws {
        let log = RotatingFileLog(folder: folder)
        let logger = Logger(level: .info, output: log)
        logger.info("before")
        // logrotate moves the file away; the logger writes to the old inode until reopened.
        try FileManager.default.moveItem(atPath: folder + "/padu.log", toPath: folder + "/padu.log-rotated")
        logger.info("still old")
        log.reopen()
        logger.info("after")
        XCTAssertTrue(try String(contentsOfFile: folder + "/padu.log-rotated", encoding: .utf8).contains("still old"))
        let current = try String(contentsOfFile: folder + "/padu.log", encoding: .utf8)
        XCTAssertTrue(current.contains("after") && !current.contains("before"))
    }

    final class Capture: LogOutput, @unchecked Sendable {
        var records: [LogRecord] = []
        func write(_ record: LogRecord) { records.append(record) }
    }
}

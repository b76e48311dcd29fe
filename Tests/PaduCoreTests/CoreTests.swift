import XCTest
@testable import PaduCore

final class PersonalDataTests: XCTestCase {
    func testMaskNIK() {
        XCTAssertEqual(PersonalData.maskNIK("1802014506850001"), "1802********0001")
        XCTAssertEqual(PersonalData.maskNIK("18020145"), "****(8 chars)")
        XCTAssertEqual(PersonalData.maskNIK(""), "")
    }

    func testMaskEveryLongDigitRunInText() {
        let text = "NIK 1802014506850001 and KK 1802010204183764, damaged 180201450685000 and 17: 18020145068500011; year 2025, id 123456"
        let masked = PersonalData.maskNIKs(in: text)
        XCTAssertEqual(masked, "NIK 1802********0001 and KK 1802********3764, damaged 1802*******5000 and 17: 1802*********0011; year 2025, id 123456")
        XCTAssertNil(masked.range(of: "[0-9]{15,}", options: .regularExpression))
    }

    func testLoggerMasksMessagesAndMetadata() {
        final class Capture: LogOutput, @unchecked Sendable {
            var lines: [String] = []
            func write(_ record: LogRecord) { lines.append(record.logfmt) }
        }
        let capture = Capture()
        let logger = Logger(level: .info, output: capture).with(["pipeline": "p3ke"])
        logger.debug("hidden")
        logger.info("row with NIK 1802014506850001", ["nik": "1802014506850001", "msg note": "a=b"])
        XCTAssertEqual(capture.lines.count, 1)
        let line = capture.lines[0]
        XCTAssertTrue(line.contains("level=info"))
        XCTAssertTrue(line.contains("pipeline=p3ke"))
        XCTAssertTrue(line.contains("msg=\"row with NIK 1802********0001\""), line)
        XCTAssertTrue(line.contains("nik=1802********0001"), line)
        XCTAssertFalse(line.contains("1802014506850001"))
    }
}

final class BatchTests: XCTestCase {
    let input = InputRef(id: 7, sha256: "ab", path: "data/p3ke.csv")

    func testColumnsLocatorsAndRemoval() {
        var b = Batch(schema: Schema([Field("nik", .string), Field("desil", .int)]), input: input)
        for i in 0..<5 { b.append([.string("n\(i)"), .int(Int64(i))], origin: RowOrigin(row: i + 2, byteOffset: Int64(i * 10))) }
        XCTAssertEqual(b.count, 5)
        XCTAssertEqual(b.value("desil", at: 3), .int(3))
        XCTAssertEqual(b.value("missing", at: 3), .null)
        XCTAssertEqual(b.locator(at: 1, column: "NIK").description, "data/p3ke.csv:3:NIK")
        let kept = b.removing(rows: [0, 2])
        XCTAssertEqual(kept.count, 3)
        XCTAssertEqual(kept.origins.map(\.row), [3, 5, 6])
        XCTAssertEqual(kept.value("nik", at: 0), .string("n1"))
    }

    func testRejectionsCountOnceAndCarryValues() {
        var b = Batch(schema: Schema([Field("nik", .string)]), input: input, sheet: "Data")
        b.append([.string("")], origin: RowOrigin(row: 14))
        var r = Rejections()
        r.quarantine(row: 0, of: b, column: "nik", code: "missing-field", message: "nik is empty")
        r.skip(row: 0, of: b, code: "again", message: "ignored: already rejected")
        XCTAssertEqual(r.count, 1)
        XCTAssertEqual(r.items[0].locator.description, "data/p3ke.csv:Data:14:nik")
        XCTAssertEqual(r.items[0].values.first?.0, "nik")
        XCTAssertEqual(r.quarantinedCount, 1)
        XCTAssertEqual(r.skippedCount, 0)
    }

    func testCountsBalance() {
        XCTAssertTrue(RowCounts(read: 10, loaded: 7, quarantined: 2, skipped: 1).isBalanced)
        XCTAssertFalse(RowCounts(read: 10, loaded: 7, quarantined: 2).isBalanced)
        XCTAssertEqual(RowCounts(read: 1, loaded: 1) + RowCounts(read: 2, skipped: 2), RowCounts(read: 3, loaded: 1, skipped: 2))
    }

    func testCivilDate() {
        XCTAssertNil(CivilDate(year: 2023, month: 2, day: 29))
        XCTAssertEqual(CivilDate(year: 2024, month: 2, day: 29)?.iso, "2024-02-29")
        XCTAssertEqual(CivilDate(year: 5, month: 1, day: 1)?.iso, "0005-01-01")
    }
}

final class PluginDescriptorTests: XCTestCase {
    func testOptionProblemsAreSentences() {
        let d = PluginDescriptor(name: "demo", kind: .source, version: "1", summary: "", options: [
            OptionSpec("registry", .oneOf(["P3KE", "DTKS"]), required: true, "which registry"),
            OptionSpec("batchSize", .int, "rows"),
            OptionSpec("columns", .stringMap, "map"),
        ], sample: "", make: { _ in fatalError("not made in this test") })
        XCTAssertEqual(d.problems(with: ["registry": .string("P3KE")]), [])
        let problems = d.problems(with: ["registry": .string("BDT"), "batchsize": .int(3), "columns": .map(["nik": .int(1)])])
        XCTAssertEqual(problems.count, 3, "\(problems)")
        XCTAssertTrue(problems.contains { $0.contains("has no option 'batchsize'") && $0.contains("batchSize") })
        XCTAssertTrue(problems.contains { $0.contains("\"BDT\" is not one of") })
        XCTAssertTrue(problems.contains { $0.contains("map of strings") })
        XCTAssertTrue(d.problems(with: [:])[0].contains("needs option 'registry'"))
        XCTAssertTrue(d.problems(with: ["registry": .int(1)])[0].contains("got an integer 1"))
    }

    func testVersionHashIgnoresLocationsButNotBehaviour() {
        var a = PipelineSpec(name: "p", source: StageSpec(plugin: "s", options: ["x": .int(1)], location: SpecLocation(line: 3, column: 1)),
                             sink: StageSpec(plugin: "k"))
        var b = a
        b.source.location = SpecLocation(line: 9, column: 5)
        b.file = "elsewhere.swift"
        XCTAssertEqual(a.versionHash, b.versionHash)
        a.source.options["x"] = .int(2)
        XCTAssertNotEqual(a.versionHash, b.versionHash)
    }
}

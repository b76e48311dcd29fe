#if canImport(Glibc)
import Glibc
#endif
import Foundation
import XCTest
@testable import PaduDaemon
import PaduCore
import PaduWarehouse

/// One sample line of the exposition, parsed back.
struct PromSample: Equatable {
    var name: String
    var labels: [String: String]
    var value: Double
}

/// A strict little parser of Prometheus text format 0.0.4, for the tests.
struct PromParser {
    var samples: [PromSample] = []
    var help: [String: String] = [:]
    var types: [String: String] = [:]

    init(_ text: String) throws {
        guard text.hasSuffix("\n") else { throw Problem("the text does not end with a newline") }
        for line in text.dropLast().split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("# HELP ") {
                let rest = line.dropFirst(7)
                guard let space = rest.firstIndex(of: " ") else { throw Problem("HELP without text: \(line)") }
                help[String(rest[..<space])] = String(rest[rest.index(after: space)...])
            } else if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                guard parts.count == 4, ["counter", "gauge", "summary", "histogram", "untyped"].contains(parts[3]) else { throw Problem("bad TYPE: \(line)") }
                guard types[String(parts[2])] == nil else { throw Problem("TYPE twice: \(line)") }
                types[String(parts[2])] = String(parts[3])
            } else {
                samples.append(try Self.sample(line))
            }
        }
    }

    static func sample(_ line: String) throws -> PromSample {
        var chars = Array(line.unicodeScalars)[...]
        var name = ""
        while let c = chars.first, c.properties.isAlphabetic || c == "_" || c == ":" || ("0"..."9").contains(c) && !name.isEmpty {
            name.unicodeScalars.append(c); chars = chars.dropFirst()
        }
        guard !name.isEmpty else { throw Problem("no metric name: \(line)") }
        var labels: [String: String] = [:]
        if chars.first == "{" {
            chars = chars.dropFirst()
            while chars.first != "}" {
                var key = ""
                while let c = chars.first, c != "=" { key.unicodeScalars.append(c); chars = chars.dropFirst() }
                guard key.range(of: "^[a-zA-Z_][a-zA-Z0-9_]*$", options: .regularExpression) != nil else { throw Problem("bad label name in \(line)") }
                chars = chars.dropFirst()
                guard chars.first == "\"" else { throw Problem("unquoted label value: \(line)") }
                chars = chars.dropFirst()
                var value = ""
                while true {
                    guard let c = chars.first else { throw Problem("unterminated label value: \(line)") }
                    chars = chars.dropFirst()
                    if c == "\"" { break }
                    if c == "\\" {
                        guard let e = chars.first else { throw Problem("dangling escape: \(line)") }
                        chars = chars.dropFirst()
                        switch e {
                        case "\\": value += "\\"
                        case "\"": value += "\""
                        case "n": value += "\n"
                        default: throw Problem("bad escape \\\(e): \(line)")
                        }
                    } else {
                        guard c != "\n" else { throw Problem("raw newline in a label") }
                        value.unicodeScalars.append(c)
                    }
                }
                labels[key] = value
                if chars.first == "," { chars = chars.dropFirst() }
                else if chars.first != "}" { throw Problem("expected , or }: \(line)") }
            }
            chars = chars.dropFirst()
        }
        guard chars.first == " " else { throw Problem("expected a space before the value: \(line)") }
        let valueText = String(String.UnicodeScalarView(chars.dropFirst()))
        let value: Double? = switch valueText {
        case "NaN": .nan
        case "+Inf": .infinity
        case "-Inf": -.infinity
        default: Double(valueText)
        }
        guard let value else { throw Problem("bad value '\(valueText)': \(line)") }
        return PromSample(name: name, labels: labels, value: value)
    }

    func values(_ name: String) -> [PromSample] { samples.filter { $0.name == name } }

    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        samples.first { $0.name == name && $0.labels == labels }?.value
    }

    struct Problem: Error, CustomStringConvertible {
        let description: String
        init(_ d: String) { description = d }
    }
}

final class MetricsTests: XCTestCase {
    var folder: TemporaryFolder!

    override func setUpWithError() throws { folder = try TemporaryFolder() }

    /// A warehouse with runs of two pipelines: succeeded, failed, partial and one running.
    func warehouseWithRuns() throws -> Warehouse {
        let w = try Warehouse(path: folder.path + "/warehouse.sqlite")
        func run(_ pipeline: String, _ status: RunStatus?, _ counts: RowCounts, seconds: Double) throws {
            let id = try w.beginRun(RunStart(pipeline: pipeline, pipelineVersion: "v1", pipelineFile: nil, trigger: "manual",
                                             stageChain: ["a"], specJSON: "{}", lineageRunID: nil))
            guard let status else { return }
            try w.finishRun(id, status: status, counts: counts, message: status == .failed ? "boom for 3201234567890001" : nil)
            try w.database.run("""
                UPDATE runs SET started_at = strftime('%Y-%m-%dT%H:%M:%fZ', '2025-07-01T02:00:00Z', '+' || ? || ' minutes'),
                                finished_at = strftime('%Y-%m-%dT%H:%M:%fZ', '2025-07-01T02:00:00Z', '+' || ? || ' minutes', '+' || ? || ' seconds')
                WHERE id = ?
                """, [.int(id), .int(id), .double(seconds), .int(id)])
        }
        try run("p3ke-lampung-tengah", .succeeded, RowCounts(read: 100, loaded: 90, quarantined: 8, skipped: 2), seconds: 10)
        try run("p3ke-lampung-tengah", .failed, RowCounts(read: 5), seconds: 2)
        try run("p3ke-lampung-tengah", .succeeded, RowCounts(read: 50, loaded: 50), seconds: 4)
        try run("csr \"odd\\name\"\nx", .partial, RowCounts(read: 10, loaded: 7, quarantined: 3), seconds: 1.5)
        try run("csr \"odd\\name\"\nx", nil, RowCounts(), seconds: 0)
        return w
    }

    func testExpositionParsesBackWithEveryFamilyDescribed() throws {
        let w = try warehouseWithRuns()
        let text = try MetricsExporter.text(warehouse: w, daemon: MetricsSnapshot(queueDepth: 3, running: 1, inputsWaiting: ["csr-inbox": 2]))
        let prom = try PromParser(text)
        // Every sample belongs to a family with HELP and TYPE; counters are never negative.
        for s in prom.samples {
            XCTAssertNotNil(prom.types[s.name], "no TYPE for \(s.name)")
            XCTAssertNotNil(prom.help[s.name], "no HELP for \(s.name)")
            if prom.types[s.name] == "counter" { XCTAssertGreaterThanOrEqual(s.value, 0, "\(s)") }
        }
        let p = "p3ke-lampung-tengah", odd = "csr \"odd\\name\"\nx"
        XCTAssertEqual(prom.value("padu_up"), 1)
        XCTAssertEqual(prom.value("padu_build_info", ["version": Padu.version]), 1)
        XCTAssertEqual(prom.value("padu_runs_total", ["pipeline": p, "status": "succeeded"]), 2)
        XCTAssertEqual(prom.value("padu_runs_total", ["pipeline": p, "status": "failed"]), 1)
        XCTAssertEqual(prom.value("padu_runs_total", ["pipeline": odd, "status": "partial"]), 1, "label values escaped and read back")
        XCTAssertEqual(prom.value("padu_runs_total", ["pipeline": odd, "status": "running"]), 1)
        XCTAssertEqual(prom.value("padu_rows_total", ["pipeline": p, "outcome": "read"]), 155)
        XCTAssertEqual(prom.value("padu_rows_total", ["pipeline": p, "outcome": "loaded"]), 140)
        XCTAssertEqual(prom.value("padu_rows_total", ["pipeline": p, "outcome": "quarantined"]), 8)
        XCTAssertEqual(prom.value("padu_rows_total", ["pipeline": p, "outcome": "skipped"]), 2)
        XCTAssertEqual(try XCTUnwrap(prom.value("padu_run_duration_seconds", ["pipeline": p])), 4, accuracy: 0.01)
        XCTAssertEqual(try XCTUnwrap(prom.value("padu_run_duration_seconds_sum", ["pipeline": p])), 16, accuracy: 0.01)
        XCTAssertEqual(prom.value("padu_run_duration_seconds_count", ["pipeline": p]), 3)
        XCTAssertEqual(prom.value("padu_run_duration_seconds_count", ["pipeline": odd]), 1, "the running run is not counted")
        // The last succeeded run (id 3) finished at 02:03:04 on 2025-07-01 UTC.
        XCTAssertEqual(try XCTUnwrap(prom.value("padu_last_success_timestamp_seconds", ["pipeline": p])), 1_751_335_384, accuracy: 0.01)
        XCTAssertNil(prom.value("padu_last_success_timestamp_seconds", ["pipeline": odd]))
        XCTAssertEqual(prom.value("padu_queue_depth"), 3)
        XCTAssertEqual(prom.value("padu_runs_running"), 1)
        XCTAssertEqual(prom.value("padu_inputs_waiting", ["pipeline": "csr-inbox"]), 2)
        // Nothing but pipeline names, statuses, outcomes and the version in labels.
        XCTAssertFalse(text.contains("3201234567890001"))
        for s in prom.samples { XCTAssertTrue(Set(s.labels.keys).isSubset(of: ["pipeline", "status", "outcome", "version"]), "\(s)") }
    }

    func testWithoutTheDaemonItsGaugesAreZeroAndUpIsZero() throws {
        let w = try Warehouse(path: folder.path + "/empty.sqlite")
        let prom = try PromParser(try MetricsExporter.text(warehouse: w, daemon: nil))
        XCTAssertEqual(prom.value("padu_up"), 0)
        XCTAssertEqual(prom.value("padu_queue_depth"), 0)
        XCTAssertEqual(prom.value("padu_runs_running"), 0)
        XCTAssertTrue(prom.values("padu_runs_total").isEmpty)
        XCTAssertEqual(prom.types["padu_runs_total"], "counter")
    }

    func testALabelThatLooksLikeANIKIsMasked() throws {
        let w = try Warehouse(path: folder.path + "/w.sqlite")
        let id = try w.beginRun(RunStart(pipeline: "run-3201234567890001", pipelineVersion: "v", pipelineFile: nil, trigger: "manual",
                                         stageChain: [], specJSON: "{}", lineageRunID: nil))
        try w.finishRun(id, status: .succeeded, counts: RowCounts(), message: nil)
        let text = try MetricsExporter.text(warehouse: w, daemon: nil)
        XCTAssertFalse(text.contains("3201234567890001"))
        XCTAssertTrue(text.contains("run-3201********0001"))
    }

    func testMetricsFileIsWrittenWholeWithMode0644AndNoTemporaryLeft() throws {
        let w = try warehouseWithRuns()
        let path = MetricsFile.path(home: folder.path)
        XCTAssertEqual(path, folder.path + "/metrics/padu.prom")
        let old = umask(0o077)
        defer { umask(old) }
        for _ in 0..<3 {
            let text = try MetricsExporter.text(warehouse: w, daemon: nil)
            try MetricsFile.write(text, to: path)
            XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), text)
        }
        var st = stat()
        XCTAssertEqual(stat(path, &st), 0)
        XCTAssertEqual(st.st_mode & 0o777, 0o644)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path + "/metrics"), ["padu.prom"])
        _ = try PromParser(try String(contentsOfFile: path, encoding: .utf8))
    }

    func testMetricsFileErrorSaysWhere() throws {
        try folder.write("blocker", "a file where the folder should be")
        XCTAssertThrowsError(try MetricsFile.write("x\n", to: folder.path + "/blocker/padu.prom")) { error in
            XCTAssertTrue("\(error)".contains("blocker"), "\(error)")
        }
    }

    func testStatusAnswerGivesTheSnapshot() {
        let status: ControlValue = ["daemon": ["queued": 2, "running": 1],
                                    "pipelines": [["name": "csr", "inputs_waiting": 4], ["name": "p3ke"]]]
        XCTAssertEqual(MetricsSnapshot(status: status), MetricsSnapshot(queueDepth: 2, running: 1, inputsWaiting: ["csr": 4]))
        XCTAssertNil(MetricsSnapshot(status: "no"))
    }
}

import Foundation
import XCTest
import PaduCLI
import PaduWarehouse
import PaduCore

extension CLITests {
    func testMetricsCommandPrintsTheExpositionWithoutTheDaemon() throws {
        let none = padu("metrics")
        XCTAssertEqual(none.code, 4, "no warehouse yet")
        XCTAssertTrue(none.err.contains("no warehouse"), none.err)

        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        do {
            let w = try Warehouse(path: home + "/warehouse.sqlite")
            let id = try w.beginRun(RunStart(pipeline: "p3ke-lampung-tengah", pipelineVersion: "v", pipelineFile: nil, trigger: "manual",
                                             stageChain: [], specJSON: "{}", lineageRunID: nil))
            try w.finishRun(id, status: .succeeded, counts: RowCounts(read: 4, loaded: 3, quarantined: 1), message: nil)
        }
        let metrics = padu("metrics")
        XCTAssertEqual(metrics.code, 0, metrics.err)
        let lines = metrics.out.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines.contains("padu_up 0"), metrics.out)
        XCTAssertTrue(lines.contains("padu_queue_depth 0"), metrics.out)
        XCTAssertTrue(lines.contains("padu_runs_total{pipeline=\"p3ke-lampung-tengah\",status=\"succeeded\"} 1"), metrics.out)
        XCTAssertTrue(lines.contains("padu_rows_total{pipeline=\"p3ke-lampung-tengah\",outcome=\"quarantined\"} 1"), metrics.out)
        XCTAssertTrue(lines.contains("# TYPE padu_runs_total counter"), metrics.out)
        for line in lines where !line.hasPrefix("#") {
            XCTAssertNotNil(line.range(of: #"^[a-z_]+(\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\})? [0-9.e+-]+$"#, options: .regularExpression), line)
        }
        XCTAssertTrue(padu("--help").out.contains("metrics"))
    }

    func testCheckShowsThePipelineWebhookAndRefusesANonHTTPOne() throws {
        let dir = home + "-pipelines"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try """
            import PipelineDescription
            let a = Pipeline(name: "hooked", source: .socialRegistry(.p3ke), sink: .warehouse(.registry),
                             notify: .webhook("https://hooks.example.org/padu"))
            let b = Pipeline(name: "badhook", source: .socialRegistry(.p3ke), sink: .warehouse(.registry), notify: .webhook("ftp://x"))

            """.write(toFile: dir + "/hooks.swift", atomically: true, encoding: .utf8)
        let check = padu("check", dir)
        XCTAssertEqual(check.code, 1, check.out + check.err)
        XCTAssertTrue(check.out.contains("notify     webhook https://hooks.example.org/padu"), check.out)
        XCTAssertTrue(check.err.contains("notify: .webhook needs an http:// or https:// URL"), check.err)
    }
}

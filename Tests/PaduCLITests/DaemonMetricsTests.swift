import Foundation
import XCTest

extension DaemonTests {
    /// The daemon rewrites <home>/metrics/padu.prom after a run; `padu metrics` asks it for its queue.
    func testDaemonWritesTheMetricsFileAfterARun() throws {
        try write("""
            import PipelineDescription
            let inbox = Pipeline(name: "inbox", schedule: .fileArrival(in: "inbox", matching: "*.csv"),
                                 source: .socialRegistry(.p3ke), sink: .warehouse(.registry))
            """, "p.swift")
        let process = try startDaemon()
        let file = home + "/metrics/padu.prom"
        try waitFor("the first metrics file", timeout: 30) { FileManager.default.fileExists(atPath: file) }
        try (Self.registry + rows(0..<5)).write(toFile: root + "/pipelines/inbox/a.csv", atomically: true, encoding: .utf8)
        try waitFor("the run in the metrics file", timeout: 60) {
            ((try? String(contentsOfFile: file, encoding: .utf8)) ?? "").contains("padu_runs_total{pipeline=\"inbox\",status=\"succeeded\"} 1")
        }
        let text = try String(contentsOfFile: file, encoding: .utf8)
        XCTAssertTrue(text.contains("\npadu_up 1\n"), text)
        XCTAssertTrue(text.contains("padu_rows_total{pipeline=\"inbox\",outcome=\"loaded\"} 5"), text)
        let mode = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o644)
        let asked = cli("metrics")
        XCTAssertEqual(asked.code, 0, asked.out)
        XCTAssertTrue(asked.out.contains("\npadu_up 1\n"), asked.out)
        XCTAssertTrue(asked.out.contains("padu_inputs_waiting{pipeline=\"inbox\"} 0"), asked.out)

        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        XCTAssertTrue(try String(contentsOfFile: file, encoding: .utf8).contains("\npadu_up 0\n"), "a stopped daemon leaves padu_up 0")
    }
}

import Foundation
import XCTest
import PaduWarehouse

/// `kill -9` in the middle of an input: the warehouse holds nothing of it, stays intact, and
/// the next run marks the dead run interrupted and loads the input completely.
final class KillTests: XCTestCase {
    func testKillDuringAnInputLeavesNoPartialInput() throws {
        let fm = FileManager.default
        let root = fm.temporaryDirectory.path + "/padu-kill-" + UUID().uuidString
        let home = root + "/home"
        try fm.createDirectory(atPath: root + "/pipelines/data", withIntermediateDirectories: true)
        defer { try? fm.removeItem(atPath: root) }

        var exe = (try? fm.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? ""
        while exe.count > 1, !fm.fileExists(atPath: exe + "/padu") { exe = (exe as NSString).deletingLastPathComponent }
        let padu = exe + "/padu"
        guard fm.isExecutableFile(atPath: padu) else { throw XCTSkip("padu is not built next to the tests (run `swift build`)") }

        try """
            import PipelineDescription
            let p = Pipeline(name: "big", source: .socialRegistry(.p3ke, path: "data/*.csv"), sink: .warehouse(.registry))
            """.write(toFile: root + "/pipelines/big.swift", atomically: true, encoding: .utf8)
        let rows = 40_000
        var text = "NIK;NAMA;NO_KK;TANGGAL_LAHIR\n"
        for i in 0..<rows {
            // Serials (the last four digits) run 0001-9999: 0000 is a placeholder, never an identity.
            let kk = i / 4
            text += String(format: "1802011206%02d%04d;WARGA %d;18020100%04d%04d;12/06/1985\n", i / 9999, i % 9999 + 1, i, kk / 9999, kk % 9999 + 1)
        }
        try text.write(toFile: root + "/pipelines/data/big.csv", atomically: true, encoding: .utf8)

        let log = root + "/padu.log"
        _ = fm.createFile(atPath: log, contents: nil)
        let logHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        func start() throws -> Process {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: padu)
            p.arguments = ["run", "big", "--pipelines", root + "/pipelines", "--home", home]
            p.standardOutput = logHandle
            p.standardError = logHandle
            try p.run()
            return p
        }

        // Kill once the run has started writing (its run row exists and its input is open).
        let victim = try start()
        let deadline = Date().addingTimeInterval(60)
        var sawRun = false
        while Date() < deadline, victim.isRunning {
            if fm.fileExists(atPath: home + "/warehouse.sqlite"),
               let w = try? Warehouse(path: home + "/warehouse.sqlite", busyTimeoutMilliseconds: 50),
               case .int(let n)? = try? w.database.scalar("SELECT count(*) FROM runs WHERE status = 'running'"), n > 0 {
                sawRun = true
                break
            }
            usleep(20_000)
        }
        usleep(300_000)
        let killedMidRun = victim.isRunning
        kill(victim.processIdentifier, SIGKILL)
        victim.waitUntilExit()
        XCTAssertTrue(sawRun, "the run never started: " + ((try? String(contentsOfFile: log, encoding: .utf8)) ?? ""))

        let warehouse = try Warehouse(path: home + "/warehouse.sqlite")
        XCTAssertEqual(try warehouse.database.scalar("PRAGMA integrity_check"), .text("ok"))
        if killedMidRun {
            XCTAssertEqual(try warehouse.database.scalar("SELECT count(*) FROM person"), .int(0))
            XCTAssertEqual(try warehouse.database.scalar("SELECT count(*) FROM inputs"), .int(0))
        }

        // The next run notices the dead one and loads the whole input.
        let again = try start()
        again.waitUntilExit()
        XCTAssertEqual(again.terminationStatus, 0, (try? String(contentsOfFile: log, encoding: .utf8)) ?? "")
        XCTAssertEqual(try warehouse.database.scalar("SELECT count(*) FROM person"), .int(Int64(rows)))
        if killedMidRun {
            XCTAssertEqual(try warehouse.database.scalar("SELECT count(*) FROM runs WHERE status = 'interrupted'"), .int(1))
            // OpenLineage: the killed run's START, then its ABORT under the same run id, then the new run.
            let events = try String(contentsOfFile: home + "/openlineage/outbox.jsonl", encoding: .utf8).split(separator: "\n")
                .compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            XCTAssertEqual(events.map { $0["eventType"] as? String }, ["START", "ABORT", "START", "COMPLETE"])
            let ids = events.map { ($0["run"] as? [String: Any])?["runId"] as? String }
            XCTAssertEqual(ids[0], ids[1])
            XCTAssertNotEqual(ids[1], ids[2])
        }
        XCTAssertEqual(try warehouse.database.scalar("SELECT count(*) FROM runs WHERE status = 'running'"), .int(0))
    }
}

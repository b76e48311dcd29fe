import Foundation
import PaduWarehouse
import XCTest

/// A real `padu daemon` process: inbox files, after-chains, retries, pause and resume, reload,
/// stop signals, one daemon per home.
final class DaemonTests: XCTestCase {
    var root: String!
    var padu: String!
    var daemon: Process?

    override func setUpWithError() throws {
        let fm = FileManager.default
        root = fm.temporaryDirectory.path + "/padu-daemon-" + UUID().uuidString.prefix(8)
        try fm.createDirectory(atPath: root + "/pipelines/inbox", withIntermediateDirectories: true)
        var exe = (try? fm.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? ""
        while exe.count > 1, !fm.fileExists(atPath: exe + "/padu") { exe = (exe as NSString).deletingLastPathComponent }
        padu = exe + "/padu"
        guard fm.isExecutableFile(atPath: padu) else { throw XCTSkip("padu is not built next to the tests (run `swift build`)") }
    }

    override func tearDown() {
        if let d = daemon, d.isRunning { kill(d.processIdentifier, SIGKILL); d.waitUntilExit() }
        try? FileManager.default.removeItem(atPath: root)
    }

    var home: String { root + "/home" }

    func write(_ text: String, _ name: String) throws {
        try text.write(toFile: root + "/pipelines/" + name, atomically: true, encoding: .utf8)
    }

    @discardableResult
    func startDaemon(_ extra: [String] = [], stopDeadline: Int = 10) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: padu)
        p.arguments = ["daemon", "--pipelines", root + "/pipelines", "--home", home, "--settle", "1", "--retry-base", "1",
                       "--stop-deadline", String(stopDeadline)] + extra
        let log = root + "/daemon-\(UUID().uuidString.prefix(4)).log"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        p.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        p.standardError = p.standardOutput
        try p.run()
        daemon = p
        try waitFor("the daemon answers", timeout: 60) { self.cli("status").code == 0 }
        return p
    }

    func cli(_ args: String...) -> (code: Int32, out: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: padu)
        p.arguments = args + ["--home", home]
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try? p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    func waitFor(_ what: String, timeout: TimeInterval, _ condition: () throws -> Bool) throws {
        let until = Date().addingTimeInterval(timeout)
        while Date() < until {
            if try condition() { return }
            usleep(200_000)
        }
        XCTFail("timed out waiting until \(what)")
        throw XCTSkip("gave up")
    }

    func scalar(_ sql: String) throws -> Int64 {
        guard FileManager.default.fileExists(atPath: home + "/warehouse.sqlite") else { return -1 }
        let db = try SQLiteDatabase(path: home + "/warehouse.sqlite", readOnly: true)
        if case .int(let n)? = try db.scalar(sql) { return n }
        return -1
    }

    static let registry = "NIK;NAMA;NO_KK;TANGGAL_LAHIR\n"

    func rows(_ range: Range<Int>) -> String {
        range.map { String(format: "18020112068%01d%04d;WARGA %d;1802010101150001;12/06/1985\n", $0 / 9999, $0 % 9999 + 1, $0) }.joined()
    }

    func testInboxFilesAfterChainPauseResumeAndStop() throws {
        try write("""
            import PipelineDescription
            let inbox = Pipeline(name: "inbox", schedule: .fileArrival(in: "inbox", matching: "*.csv"),
                                 source: .socialRegistry(.p3ke), sink: .warehouse(.registry))
            let next = Pipeline(name: "next", schedule: .after("inbox"),
                                source: .socialRegistry(.dtks, path: "static/*.csv"), sink: .warehouse(.registry))
            """, "p.swift")
        try FileManager.default.createDirectory(atPath: root + "/pipelines/static", withIntermediateDirectories: true)
        try (Self.registry + rows(5000..<5010)).write(toFile: root + "/pipelines/static/d.csv", atomically: true, encoding: .utf8)
        let process = try startDaemon()

        // A file written slowly is taken only once complete.
        let path = root + "/pipelines/inbox/p3ke.csv"
        _ = FileManager.default.createFile(atPath: path, contents: Data((Self.registry + rows(0..<500)).utf8))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        for part in 1..<4 {
            usleep(600_000)
            handle.seekToEndOfFile()
            handle.write(Data(rows(part * 500..<(part + 1) * 500).utf8))
        }
        try handle.close()
        try waitFor("the inbox file is loaded", timeout: 60) { try self.scalar("SELECT count(*) FROM runs WHERE pipeline = 'inbox' AND status = 'succeeded'") == 1 }
        XCTAssertEqual(try scalar("SELECT rows_loaded FROM runs WHERE pipeline = 'inbox'"), 2000)
        XCTAssertEqual(try scalar("SELECT count(*) FROM runs WHERE pipeline = 'inbox'"), 1)
        // The daemon moves the file once it has seen the run finish.
        try waitFor("the file is moved to processed/", timeout: 30) {
            ((try? FileManager.default.contentsOfDirectory(atPath: self.root + "/pipelines/inbox/processed")) ?? []).count == 1
        }
        let processed = try FileManager.default.contentsOfDirectory(atPath: root + "/pipelines/inbox/processed")
        let name = processed.first ?? ""
        XCTAssertTrue(name.hasPrefix("p3ke.run-") && name.hasSuffix(".csv"), name)
        // The after-chain ran.
        try waitFor("the after-chain runs", timeout: 30) { try self.scalar("SELECT count(*) FROM runs WHERE pipeline = 'next' AND trigger = 'after'") == 1 }

        // Paused: a new file waits; resumed: it is taken.
        XCTAssertEqual(cli("pause", "inbox").code, 0)
        XCTAssertTrue(cli("status").out.contains("PAUSED"))
        try (Self.registry + rows(3000..<3010)).write(toFile: root + "/pipelines/inbox/second.csv", atomically: true, encoding: .utf8)
        sleep(3)
        XCTAssertTrue(FileManager.default.fileExists(atPath: root + "/pipelines/inbox/second.csv"))
        XCTAssertEqual(cli("resume", "inbox").code, 0)
        try waitFor("the second file is loaded", timeout: 30) { try self.scalar("SELECT count(*) FROM runs WHERE pipeline = 'inbox'") == 2 }

        // A bad file goes to failed/.
        try "NAMA;NO KK\nBUDI;1802010101150001\n".write(toFile: root + "/pipelines/inbox/bad.csv", atomically: true, encoding: .utf8)
        try waitFor("the bad file is moved to failed/", timeout: 30) {
            ((try? FileManager.default.contentsOfDirectory(atPath: self.root + "/pipelines/inbox/failed")) ?? []).count == 1
        }

        XCTAssertEqual(cli("trigger", "nope").code, 4)
        XCTAssertEqual(cli("stop").code, 0)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        XCTAssertEqual(cli("status").code, 4)
        XCTAssertTrue(cli("status").out.contains("not running"))
    }

    func testOneDaemonPerHomeRetriesReloadAndSIGTERM() throws {
        try write("""
            import PipelineDescription
            let flaky = Pipeline(name: "flaky", schedule: .manual, source: .socialRegistry(.p3ke, path: "missing.csv"),
                                 sink: .warehouse(.registry), retries: 2)
            """, "p.swift")
        let process = try startDaemon()
        // A second daemon on the same home is refused.
        let second = cli("daemon", "--pipelines", root + "/pipelines")
        XCTAssertEqual(second.code, 1)
        XCTAssertTrue(second.out.contains("another padu daemon"), second.out)

        // A failing run is retried with backoff: 1 + 2 retries.
        XCTAssertEqual(cli("trigger", "flaky").code, 0)
        try waitFor("three attempts", timeout: 60) { try self.scalar("SELECT count(*) FROM runs WHERE pipeline = 'flaky'") == 3 }
        sleep(3)
        XCTAssertEqual(try scalar("SELECT count(*) FROM runs WHERE pipeline = 'flaky'"), 3)
        XCTAssertEqual(try scalar("SELECT count(*) FROM runs WHERE pipeline = 'flaky' AND trigger = 'retry'"), 2)

        // A broken file keeps the last good version running; a fixed one brings the new pipeline.
        try write("import PipelineDescription\nlet flaky = Pipeline(name: \"flaky\", source: .socialRegistry(.p3ke, path: \"missing.csv\"), sink: .warehouse(.registy))\n", "p.swift")
        try waitFor("the broken file is reported", timeout: 60) { self.cli("status").out.contains("registy") }
        XCTAssertTrue(cli("status").out.contains("flaky"))
        try write("""
            import PipelineDescription
            let flaky = Pipeline(name: "flaky", schedule: .manual, source: .socialRegistry(.p3ke, path: "missing.csv"), sink: .warehouse(.registry))
            let other = Pipeline(name: "other", schedule: .manual, source: .socialRegistry(.p3ke, path: "missing.csv"), sink: .warehouse(.registry))
            """, "p.swift")
        try waitFor("the new pipeline appears", timeout: 60) { self.cli("status").out.contains("other") }

        // SIGTERM: a clean stop.
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        let db = try SQLiteDatabase(path: home + "/warehouse.sqlite", readOnly: true)
        XCTAssertEqual(try db.scalar("PRAGMA integrity_check"), .text("ok"))
        XCTAssertEqual(try scalar("SELECT count(*) FROM runs WHERE status = 'running'"), 0)
    }

    func testKillDuringAnInboxRunThenRestartLoadsTheFileOnce() throws {
        try write("""
            import PipelineDescription
            let inbox = Pipeline(name: "inbox", schedule: .fileArrival(in: "inbox", matching: "*.csv"),
                                 source: .socialRegistry(.p3ke), sink: .warehouse(.registry))
            """, "p.swift")
        let first = try startDaemon()
        let rows = 40_000
        try (Self.registry + self.rows(0..<rows)).write(toFile: root + "/pipelines/inbox/big.csv", atomically: true, encoding: .utf8)
        try waitFor("the run starts", timeout: 60) { try self.scalar("SELECT count(*) FROM runs WHERE pipeline = 'inbox'") >= 1 }
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        let db = try SQLiteDatabase(path: home + "/warehouse.sqlite", readOnly: true)
        XCTAssertEqual(try db.scalar("PRAGMA integrity_check"), .text("ok"))

        // The restarted daemon marks the dead run interrupted and reads the file again, whole.
        try startDaemon()
        try waitFor("the file is loaded", timeout: 120) {
            try self.scalar("SELECT count(*) FROM runs WHERE pipeline = 'inbox' AND status = 'succeeded'") == 1
        }
        XCTAssertEqual(try scalar("SELECT count(*) FROM person"), Int64(rows))
        let interrupted = try scalar("SELECT count(*) FROM runs WHERE status = 'interrupted'")
        let succeededFirst = try scalar("SELECT count(*) FROM runs WHERE pipeline = 'inbox'") == 1
        XCTAssertTrue(interrupted == 1 || succeededFirst, "the killed run is marked interrupted (unless it had finished)")
        try waitFor("the file is moved to processed/", timeout: 30) {
            FileManager.default.fileExists(atPath: self.root + "/pipelines/inbox/processed")
        }
        XCTAssertEqual(cli("stop").code, 0)
        daemon?.waitUntilExit()
    }

    func testAnotherAccountCannotUseTheControlSocket() throws {
        guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else {
            throw XCTSkip("needs root and setpriv to act as another account")
        }
        try write("import PipelineDescription\nlet m = Pipeline(name: \"m\", source: .socialRegistry(.p3ke, path: \"x.csv\"), sink: .warehouse(.registry))\n", "p.swift")
        try startDaemon()
        // Let the other account reach the binary; the home folder stays owner-only (0700).
        for dir in [root!, root + "/pipelines"] { chmod(dir, 0o755) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        p.arguments = ["--reuid", "65534", "--regid", "65534", "--clear-groups", padu, "status", "--home", home]
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertNotEqual(p.terminationStatus, 0, out)
        XCTAssertFalse(out.contains("pipelines"), "another account must not see the daemon's answer: \(out)")
        XCTAssertEqual(cli("stop").code, 0)
        daemon?.waitUntilExit()
    }

    func testSIGTERMDuringAnInputLeavesTheWarehouseConsistent() throws {
        try write("""
            import PipelineDescription
            let inbox = Pipeline(name: "inbox", schedule: .fileArrival(in: "inbox", matching: "*.csv"),
                                 source: .socialRegistry(.p3ke), sink: .warehouse(.registry))
            """, "p.swift")
        let process = try startDaemon(stopDeadline: 1)
        let rows = 60_000
        try (Self.registry + self.rows(0..<rows)).write(toFile: root + "/pipelines/inbox/big.csv", atomically: true, encoding: .utf8)
        try waitFor("the run starts", timeout: 60) { try self.scalar("SELECT count(*) FROM runs WHERE pipeline = 'inbox'") >= 1 }
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        let db = try SQLiteDatabase(path: home + "/warehouse.sqlite", readOnly: true)
        XCTAssertEqual(try db.scalar("PRAGMA integrity_check"), .text("ok"))
        // All of the input or none of it; a stopped run leaves the file to be read again.
        let persons = try scalar("SELECT count(*) FROM person")
        XCTAssertTrue(persons == 0 || persons == Int64(rows), "\(persons) persons: half an input")
        XCTAssertEqual(try scalar("SELECT count(*) FROM runs WHERE status = 'running'"), 0)
        if persons == 0 {
            XCTAssertEqual(try scalar("SELECT count(*) FROM runs WHERE status = 'interrupted'"), 1)
            XCTAssertTrue(FileManager.default.fileExists(atPath: root + "/pipelines/inbox/big.csv"))
        }
    }
}

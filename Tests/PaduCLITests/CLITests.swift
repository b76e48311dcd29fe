import Foundation
import XCTest
import PaduCLI
import PaduCore

/// The command line as scripts use it: output, messages and exit codes.
final class CLITests: XCTestCase {
    var home: String!
    var repository: String!

    override func setUpWithError() throws {
        // Under the package (the tests' working folder), so it can be passed as a relative path.
        home = FileManager.default.currentDirectoryPath + "/.build/test-homes/padu-cli-" + UUID().uuidString
        // Tests run from the package root; the example pipelines are there.
        repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: home)
    }

    var libraryDirectory: String {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? ""
        var dir = (exe as NSString).deletingLastPathComponent
        while dir.count > 1, !FileManager.default.fileExists(atPath: dir + "/libPipelineDescription.so") {
            dir = (dir as NSString).deletingLastPathComponent
        }
        return dir
    }

    func padu(_ args: String...) -> (code: Int32, out: String, err: String) {
        let console = CapturingConsole()
        // A relative home, as users type it: paths handed to pipeline files must still work.
        let relativeHome = home.hasPrefix(FileManager.default.currentDirectoryPath + "/")
            ? String(home.dropFirst(FileManager.default.currentDirectoryPath.count + 1)) : home!
        // The library relative too: it becomes the compiled pipeline's rpath, which must still resolve.
        let cwd = FileManager.default.currentDirectoryPath + "/"
        let relativeLibrary = libraryDirectory.hasPrefix(cwd) ? String(libraryDirectory.dropFirst(cwd.count)) : libraryDirectory
        let code = CLI.main(args + ["--home", relativeHome, "--pipeline-lib", relativeLibrary],
                            environment: ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin"], console: console)
        return (code, console.stdout, console.stderr)
    }

    func testHelpAndUsageErrors() {
        let help = CLI.main(["--help"], console: CapturingConsole())
        XCTAssertEqual(help, 0)
        let console = CapturingConsole()
        XCTAssertEqual(CLI.main(["frobnicate"], console: console), 2)
        XCTAssertTrue(console.stderr.contains("unknown command 'frobnicate'"))
        let run = padu("run", "--frce", "x")
        XCTAssertEqual(run.code, 2)
        XCTAssertTrue(run.err.contains("did you mean --force"), run.err)
        let both = padu("run", "--all", "x")
        XCTAssertEqual(both.code, 2)
        let subhelp = padu("check", "--help")
        XCTAssertEqual(subhelp.code, 0)
        XCTAssertTrue(subhelp.out.contains("usage: padu check"))
        XCTAssertEqual(CLI.main([], console: CapturingConsole()), 2)
    }

    func testPluginsListsAndDescribes() {
        let list = padu("plugins")
        XCTAssertEqual(list.code, 0)
        for name in ["social-registry", "require-fields", "warehouse"] { XCTAssertTrue(list.out.contains(name)) }
        let one = padu("plugins", "social-registry")
        XCTAssertEqual(one.code, 0)
        XCTAssertTrue(one.out.contains("registry"))
        XCTAssertTrue(one.out.contains("(required)"))
        XCTAssertTrue(one.out.contains("sample:"))
        XCTAssertTrue(one.out.contains("tanggal_lahir"))
        XCTAssertEqual(padu("plugins", "nope").code, 4)
    }

    func testCheckRunAndSkipOnTheExamplePipelines() throws {
        let pipelines = repository + "/pipelines"
        let check = padu("check", pipelines)
        XCTAssertEqual(check.code, 0, check.err)
        XCTAssertTrue(check.out.contains("p3ke-lampung-tengah"))
        XCTAssertTrue(check.out.contains("6 pipelines OK"), check.out)

        let run = padu("run", "--all", "--pipelines", pipelines)
        XCTAssertEqual(run.code, 0, run.err + run.out)
        XCTAssertTrue(run.out.contains("p3ke-lampung-tengah · succeeded"), run.out)
        XCTAssertTrue(run.out.contains("quarantined"), run.out)
        XCTAssertTrue(FileManager.default.fileExists(atPath: home + "/warehouse.sqlite"))
        let mode = try FileManager.default.attributesOfItem(atPath: home + "/warehouse.sqlite")[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o600)
        let homeMode = try FileManager.default.attributesOfItem(atPath: home)[.posixPermissions] as? Int
        XCTAssertEqual(homeMode, 0o700)

        let again = padu("run", "p3ke-lampung-tengah", "--pipelines", pipelines)
        XCTAssertEqual(again.code, 0)
        XCTAssertTrue(again.out.contains("skipped"), again.out)
        XCTAssertTrue(again.out.contains("--force"), again.out)

        let missing = padu("run", "no-such-pipeline", "--pipelines", pipelines)
        XCTAssertEqual(missing.code, 4)

        // `runs show`: the run's inputs, the time each stage took (source first, sink last) and reasons.
        let list = padu("runs", "--pipeline", "p3ke-lampung-tengah", "--json")
        let listed = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(list.out.utf8)) as? [String: Any], list.out)
        let firstRun = try XCTUnwrap((listed["rows"] as? [[String: Any]])?.last?["id"] as? Int, list.out)
        let show = padu("runs", "show", String(firstRun), "--json")
        XCTAssertEqual(show.code, 0, show.err)
        let tables = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(show.out.utf8)) as? [[String: Any]], show.out)
        let stageRows = try XCTUnwrap(tables.first { $0["report"] as? String == "stages" }?["rows"] as? [[String: Any]], show.out)
        XCTAssertGreaterThanOrEqual(stageRows.count, 3, show.out)
        XCTAssertTrue((stageRows.first?["stage"] as? String ?? "").hasPrefix("social-registry@"), show.out)
        XCTAssertTrue((stageRows.last?["stage"] as? String ?? "").hasPrefix("warehouse@"), show.out)
        let sourceIn = stageRows.first?["rows_in"] as? Int ?? -1
        XCTAssertGreaterThan(sourceIn, 0, show.out)
        XCTAssertLessThanOrEqual(stageRows.last?["rows_out"] as? Int ?? .max, sourceIn)
        XCTAssertTrue(padu("runs", "show", String(firstRun)).out.contains("Time per stage"))

        // Nothing printed carries a whole NIK.
        for text in [run.out, run.err, again.out] {
            XCTAssertNil(text.range(of: "[0-9]{16}", options: .regularExpression), text)
        }
    }

    func testRunAllHoldsBackEveryPipelineDownstreamOfAFailure() throws {
        // A copy of the examples with a second P3KE file that lacks the NIK column.
        let copy = home + "-pipelines"
        try FileManager.default.copyItem(atPath: repository + "/pipelines", toPath: copy)
        defer { try? FileManager.default.removeItem(atPath: copy) }
        try "NAMA;NO KK\r\nBUDI;1802010101150001\r\n".write(toFile: copy + "/sample-data/p3ke-lampung-tengah-2025-12.csv",
                                                          atomically: true, encoding: .utf8)
        let run = padu("run", "--all", "--pipelines", copy)
        XCTAssertEqual(run.code, 3, run.err + run.out)
        XCTAssertTrue(run.out.contains("p3ke-lampung-tengah · partial"), run.out)
        XCTAssertTrue(run.out.contains("dtks-lampung-tengah · not run: it runs after p3ke-lampung-tengah, whose run did not succeed (partial)"), run.out)
        XCTAssertTrue(run.out.contains("baznas-lampung-tengah · not run: it runs after dtks-lampung-tengah, which was not run either"), run.out)
        XCTAssertTrue(run.out.contains("csr-sumber-agro-lestari · succeeded"), run.out)
    }

    func testCheckReportsABrokenFileAndStillListsTheGoodOnes() throws {
        let dir = home + "-pipelines"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "import PipelineDescription\nlet a = Pipeline(name: \"good\", source: .socialRegistry(.p3ke), sink: .warehouse(.registry))\n"
            .write(toFile: dir + "/good.swift", atomically: true, encoding: .utf8)
        try "import PipelineDescription\n\nlet b = Pipeline(name: \"typo\", source: .socialRegistry(.p3ke), sink: .warehous(.registry))\n"
            .write(toFile: dir + "/typo.swift", atomically: true, encoding: .utf8)
        let check = padu("check", dir)
        XCTAssertEqual(check.code, 1)
        XCTAssertTrue(check.err.contains("\(dir)/typo.swift:3:"), check.err)
        XCTAssertTrue(check.err.contains("error:"), check.err)
        XCTAssertTrue(check.out.contains("good"), check.out)
        XCTAssertTrue(check.err.contains("1 pipeline OK"), check.err)
    }

    func testLogsFiltersAndFollowsAcrossRotation() throws {
        let pipelines = repository + "/pipelines"
        XCTAssertEqual(padu("run", "p3ke-lampung-tengah", "--pipelines", pipelines).code, 0)
        let all = padu("logs")
        XCTAssertEqual(all.code, 0, all.err)
        XCTAssertTrue(all.out.contains("msg=\"run finished\""), all.out)
        let json = padu("logs", "--pipeline", "p3ke-lampung-tengah", "--json", "--lines", "1")
        let object = try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any]
        XCTAssertEqual(object?["pipeline"] as? String, "p3ke-lampung-tengah")
        XCTAssertEqual(padu("logs", "--pipeline", "nope").out, "")
        XCTAssertEqual(padu("logs", "--since", "yesterday").code, 2)
        XCTAssertNil(all.out.range(of: "[0-9]{16}", options: .regularExpression))

        // Follow: lines written meanwhile, also after the file is rotated away.
        let logs = home + "/logs"
        let writer = DispatchQueue(label: "writer")
        writer.asyncAfter(deadline: .now() + 0.8) {
            let log = RotatingFileLog(folder: logs)
            Logger(level: .info, output: log).info("written while following", ["pipeline": "p3ke-lampung-tengah"])
            try? FileManager.default.moveItem(atPath: logs + "/padu.log", toPath: logs + "/padu.log.1")
            log.reopen()
            Logger(level: .info, output: log).info("written after rotation", ["pipeline": "p3ke-lampung-tengah"])
        }
        let followed = padu("logs", "-f", "--for", "3", "--lines", "0")
        XCTAssertTrue(followed.out.contains("written while following"), followed.out)
        XCTAssertTrue(followed.out.contains("written after rotation"), followed.out)
    }
}

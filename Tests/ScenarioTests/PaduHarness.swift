import Foundation
import PaduCLI
import XCTest

/// A test case with its own home folder that runs `padu` commands in-process, compiling pipeline
/// files against the libPipelineDescription.so built with the tests.
class PaduHarness: XCTestCase {
    static let scenario = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path + "/Fixtures/scenario"
    var home: String!

    override func setUpWithError() throws {
        home = FileManager.default.currentDirectoryPath + "/.build/test-homes/\(Self.self)-" + UUID().uuidString
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

    /// Runs `padu ARGS --home HOME --pipeline-lib ...` with a minimal environment (`USER=walidata`).
    @discardableResult
    func padu(_ args: String...) -> (code: Int32, out: String, err: String) {
        padu(args)
    }

    func padu(_ args: [String], environment extra: [String: String] = [:]) -> (code: Int32, out: String, err: String) {
        let console = CapturingConsole()
        let code = CLI.main(args + ["--home", home, "--pipeline-lib", libraryDirectory],
                            environment: ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin", "USER": "walidata"]
                                .merging(extra) { _, new in new },
                            console: console)
        return (code, console.stdout, console.stderr)
    }
}

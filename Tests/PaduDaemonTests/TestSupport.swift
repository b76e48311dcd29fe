import Foundation
import XCTest
@testable import PaduDaemon
import PaduCore

/// A temporary folder removed at the end of the test.
final class TemporaryFolder {
    let path: String
    init() throws {
        path = FileManager.default.temporaryDirectory.path + "/padu-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let file = path + "/" + name
        try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }
}

enum TestToolchain {
    /// The folder of the test binary: SwiftPM puts libPipelineDescription.so and Modules/ there.
    static var buildDirectory: String {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var dir = (exe as NSString).deletingLastPathComponent
        // swift-corelibs-xctest runs `<bin>/PaduPackageTests.xctest` directly.
        while !dir.isEmpty, dir != "/", !FileManager.default.fileExists(atPath: dir + "/libPipelineDescription.so") {
            dir = (dir as NSString).deletingLastPathComponent
        }
        return dir
    }

    static func loader(cache: String, runTimeout: TimeInterval = 15) throws -> ManifestLoader {
        let toolchain: ManifestToolchain
        do {
            toolchain = try ManifestToolchain.locate(libraryOverride: buildDirectory)
        } catch {
            throw XCTSkip("libPipelineDescription.so is not built (run `swift build` before `swift test`): \(error)")
        }
        return ManifestLoader(toolchain: toolchain, cacheDirectory: cache, runTimeout: runTimeout)
    }
}

/// 1-based line of the first line containing `marker` in `text`.
func line(of marker: String, in text: String) -> Int {
    let lines = text.components(separatedBy: "\n")
    return (lines.firstIndex { $0.contains(marker) } ?? -1) + 1
}

import Foundation
import PaduCore

/// What compiling a pipeline file needs: `swiftc`, and the PipelineDescription library
/// (`libPipelineDescription.so` and its `.swiftmodule`).
public struct ManifestToolchain: Sendable {
    public let swiftc: String
    /// The folder holding `libPipelineDescription.so`.
    public let libraryDirectory: String
    /// The folder holding `PipelineDescription.swiftmodule`.
    public let modulesDirectory: String

    /// Environment variables that override the defaults.
    public static let libraryEnvironmentVariable = "PADU_PIPELINE_LIB"
    public static let swiftcEnvironmentVariable = "PADU_SWIFTC"

    /// Finds the toolchain: the library in `libraryOverride`, else `$PADU_PIPELINE_LIB`, else
    /// next to the running executable; `swiftc` from `$PADU_SWIFTC`, else `PATH`.
    public static func locate(libraryOverride: String? = nil,
                              environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ManifestToolchain {
        let candidates: [(String, String)] = [
            libraryOverride.map { ($0, "--pipeline-lib") },
            environment[libraryEnvironmentVariable].map { ($0, "$\(libraryEnvironmentVariable)") },
            (executableDirectory(), "the padu executable's folder"),
        ].compactMap { $0 }
        let (given, origin) = candidates[0]
        let fm = FileManager.default
        // Absolute: it becomes the compiled pipeline's rpath, and the pipeline runs elsewhere.
        let libraryDirectory = given.hasPrefix("/") ? given : fm.currentDirectoryPath + "/" + given
        guard fm.fileExists(atPath: libraryDirectory + "/libPipelineDescription.so") else {
            throw ManifestError.toolchain("libPipelineDescription.so not found in \(libraryDirectory) (from \(origin)); "
                + "build it with `swift build` or point --pipeline-lib / $\(libraryEnvironmentVariable) at its folder")
        }
        let modules = [libraryDirectory + "/Modules", libraryDirectory].first {
            fm.fileExists(atPath: $0 + "/PipelineDescription.swiftmodule")
        }
        guard let modules else {
            throw ManifestError.toolchain("PipelineDescription.swiftmodule not found in \(libraryDirectory) or its Modules folder")
        }
        let swiftc: String
        if let chosen = environment[swiftcEnvironmentVariable] {
            guard fm.isExecutableFile(atPath: chosen) else {
                throw ManifestError.toolchain("$\(swiftcEnvironmentVariable) is \(chosen), which is not an executable file")
            }
            swiftc = chosen
        } else if let found = findInPath("swiftc", environment["PATH"] ?? "/usr/bin:/bin") {
            swiftc = found
        } else {
            throw ManifestError.toolchain("swiftc not found in PATH; install the Swift toolchain or set $\(swiftcEnvironmentVariable)")
        }
        return ManifestToolchain(swiftc: swiftc, libraryDirectory: libraryDirectory, modulesDirectory: modules)
    }

    static func executableDirectory() -> String {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return (exe as NSString).deletingLastPathComponent
    }

    static func findInPath(_ name: String, _ path: String) -> String? {
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Identifies the library build and the compiler for the cache key. The compiler's
    /// `--version` text is remembered per (path, size, mtime) so warm checks spawn nothing.
    func identity(cacheDirectory: String) throws -> String {
        let fm = FileManager.default
        func stamp(_ path: String) -> String {
            let a = try? fm.attributesOfItem(atPath: path)
            let size = (a?[.size] as? NSNumber)?.int64Value ?? -1
            let mtime = (a?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? -1
            return "\(path)|\(size)|\(mtime)"
        }
        let resolvedSwiftc = (try? fm.destinationOfSymbolicLink(atPath: swiftc)).map {
            $0.hasPrefix("/") ? $0 : (swiftc as NSString).deletingLastPathComponent + "/" + $0
        } ?? swiftc
        let compilerStamp = stamp(resolvedSwiftc)
        let remembered = cacheDirectory + "/compiler-" + SHA256.hash(compilerStamp).hex.prefix(16)
        var version: String
        if let text = try? String(contentsOfFile: remembered, encoding: .utf8) {
            version = text
        } else {
            let result = try Subprocess.run(swiftc, ["--version"], timeout: 30)
            guard result.status == 0 else { throw ManifestError.toolchain("`\(swiftc) --version` failed: \(result.output)") }
            version = result.output.trimmingCharacters(in: .whitespacesAndNewlines)
            _ = fm.createFile(atPath: remembered, contents: Data(version.utf8), attributes: [.posixPermissions: 0o600])
        }
        return [Padu.version, stamp(libraryDirectory + "/libPipelineDescription.so"),
                stamp(modulesDirectory + "/PipelineDescription.swiftmodule"), version].joined(separator: "\n")
    }
}

/// A failure to load pipeline files that is not about one file's content.
public enum ManifestError: Error, Sendable, CustomStringConvertible {
    case toolchain(String)
    public var description: String {
        switch self {
        case .toolchain(let m): return "cannot compile pipeline files: \(m)"
        }
    }
}

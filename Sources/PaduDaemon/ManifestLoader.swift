import Foundation
import PaduCore

/// What loading one pipeline file gave.
public struct ManifestResult: Sendable {
    public let file: String
    /// The pipelines the file declares (before semantic checks).
    public let pipelines: [PipelineSpec]
    /// Compiler diagnostics, crashes, timeouts; empty when the file compiled and ran.
    public let diagnostics: [Diagnostic]
    public let fromCache: Bool
    public let seconds: Double
}

/// Compiles a pipeline file against PipelineDescription, runs it, and reads back its JSON
/// description, like SwiftPM evaluates Package.swift. Results are cached by the SHA-256 of
/// (file bytes, library build, compiler version).
public final class ManifestLoader: @unchecked Sendable {
    public let toolchain: ManifestToolchain
    public let cacheDirectory: String
    public let compileTimeout: TimeInterval
    public let runTimeout: TimeInterval
    private let logger: Logger
    /// Like sshd's StrictModes: refuse pipeline files (and their folder) that the group or others
    /// can write, or that another account owns. The daemon turns it on.
    public var strictModes = false
    private var identity: String?
    private let identityLock = NSLock()

    public init(toolchain: ManifestToolchain, cacheDirectory: String, compileTimeout: TimeInterval = 120,
                runTimeout: TimeInterval = 15, logger: Logger = .silent) {
        self.toolchain = toolchain
        // The pipeline binary runs in its file's folder: every path handed to it must be absolute.
        self.cacheDirectory = cacheDirectory.hasPrefix("/") ? cacheDirectory
            : FileManager.default.currentDirectoryPath + "/" + cacheDirectory
        self.compileTimeout = compileTimeout
        self.runTimeout = runTimeout
        self.logger = logger
    }

    /// PATH, a scratch HOME and a UTF-8 locale: what swiftc and a pipeline binary need, nothing else.
    static func minimalEnvironment(home: String) -> [String: String] {
        ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin", "HOME": home, "TMPDIR": home,
         "LANG": "C.UTF-8"]
    }

    /// Why `file` must not be run (writable by others, or owned by another account), or nil.
    static func unsafeModes(_ file: String) -> String? {
        let folder = (file as NSString).deletingLastPathComponent.isEmpty ? "." : (file as NSString).deletingLastPathComponent
        for (path, what) in [(file, "the pipeline file"), (folder, "its folder")] {
            var st = stat()
            guard stat(path, &st) == 0 else { continue }
            let mode = st.st_mode & 0o7777
            if mode & 0o022 != 0 {
                return "\(what) \(path) is writable by group or others (mode \(String(mode, radix: 8))); pipeline files are code that Padu runs: "
                    + "chmod go-w \(path)"
            }
            if st.st_uid != geteuid() && st.st_uid != 0 {
                return "\(what) \(path) belongs to another account (uid \(st.st_uid)); pipeline files are code that Padu runs: only its own account or root may own them"
            }
        }
        return nil
    }

    /// Loads one file. Never throws for problems in the file: they come back as diagnostics.
    public func load(file: String) -> ManifestResult {
        let started = Date()
        func result(_ pipelines: [PipelineSpec] = [], _ diagnostics: [Diagnostic] = [], cached: Bool = false) -> ManifestResult {
            ManifestResult(file: file, pipelines: pipelines.map { var p = $0; p.file = file; return p },
                           diagnostics: diagnostics, fromCache: cached, seconds: Date().timeIntervalSince(started))
        }
        do {
            try FileManager.default.createDirectory(atPath: cacheDirectory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            if strictModes, let problem = Self.unsafeModes(file) {
                return result([], [Diagnostic(file: file, message: problem)])
            }
            guard let bytes = FileManager.default.contents(atPath: file) else {
                return result([], [Diagnostic(file: file, message: "cannot read the pipeline file")])
            }
            var hasher = SHA256()
            hasher.update(bytes)
            hasher.update("\u{0}" + (try toolchainIdentity()) + "\u{0}format-\(Self.formatVersion)")
            let key = hasher.finalize().hex
            let cachePath = "\(cacheDirectory)/\(key).json"

            if let data = FileManager.default.contents(atPath: cachePath), let doc = try? decode(data, file: file) {
                logger.debug("pipeline file served from cache", ["file": file])
                return result(doc.pipelines, cached: true)
            }

            let (doc, diagnostics) = try compileAndRun(file: file, key: key)
            guard let doc else { return result([], diagnostics) }
            if doc.pipelines.isEmpty {
                return result([], [Diagnostic(file: file, line: 1, column: 1,
                                              message: "the file declares no Pipeline; add `let pipeline = Pipeline(name: ...)`")])
            }
            return result(doc.pipelines, diagnostics)
        } catch let error as ManifestError {
            return result([], [Diagnostic(file: file, message: error.description)])
        } catch {
            return result([], [Diagnostic(file: file, message: "\(error)")])
        }
    }

    private func toolchainIdentity() throws -> String {
        identityLock.lock()
        defer { identityLock.unlock() }
        if let identity { return identity }
        let computed = try toolchain.identity(cacheDirectory: cacheDirectory)
        identity = computed
        return computed
    }

    /// The JSON format version this build understands.
    public static let formatVersion = 1

    private func decode(_ data: Data, file: String) throws -> PipelineDescriptionDocument {
        let doc = try JSONDecoder().decode(PipelineDescriptionDocument.self, from: data)
        guard doc.version == Self.formatVersion else {
            throw ManifestDecodeError(message: "the pipeline file wrote description format \(doc.version), this padu reads format \(Self.formatVersion); "
                + "rebuild padu and PipelineDescription together")
        }
        return doc
    }

    struct ManifestDecodeError: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }

    private func compileAndRun(file: String, key: String) throws -> (PipelineDescriptionDocument?, [Diagnostic]) {
        let work = "\(cacheDirectory)/build-\(key.prefix(16))-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(atPath: work) }
        let binary = work + "/pipeline"
        let t = toolchain
        let compile = try Subprocess.run(t.swiftc, [
            "-swift-version", "6", "-diagnostic-style", "llvm", "-Onone",
            "-I", t.modulesDirectory, "-L", t.libraryDirectory, "-lPipelineDescription",
            "-Xlinker", "-rpath", "-Xlinker", t.libraryDirectory,
            // Clang's module cache records its own absolute path: a home folder that was copied or
            // moved gets a fresh cache instead of "was compiled with module cache path ...".
            "-module-cache-path", cacheDirectory + "/module-cache-" + String(SHA256.hash(cacheDirectory).hex.prefix(12)),
            "-module-name", "PaduPipelineFile", file, "-o", binary,
        ], timeout: compileTimeout, environment: Self.minimalEnvironment(home: work))
        if compile.timedOut {
            return (nil, [Diagnostic(file: file, message: "compiling took longer than \(Int(compileTimeout)) s and was stopped")])
        }
        if compile.status != 0 {
            let text = compile.output.trimmingCharacters(in: .whitespacesAndNewlines)
            let lines = text.isEmpty ? ["swiftc exited with status \(compile.status)"] : [text]
            return (nil, lines.map { Diagnostic(file: file, message: $0, verbatim: true) })
        }
        let output = work + "/description.json"
        // A minimal environment: a pipeline file sees no tokens or passwords the daemon was given.
        var environment = Self.minimalEnvironment(home: work)
        environment["SWIFT_BACKTRACE"] = "enable=no"  // the fatal error line says enough; no register dump
        let folder = (file as NSString).deletingLastPathComponent
        let run = try Subprocess.run(binary, ["-padu-output", output], timeout: runTimeout,
                                     workingDirectory: folder.isEmpty ? nil : folder, environment: environment)
        if run.timedOut {
            return (nil, [Diagnostic(file: file, message: "the pipeline file ran longer than \(Int(runTimeout)) s and was stopped; "
                                        + "a pipeline file only declares pipelines, it must not loop or wait")])
        }
        let detail = run.output.trimmingCharacters(in: .whitespacesAndNewlines)
        if run.status == 0 && run.signal == nil && !FileManager.default.fileExists(atPath: output) {
            // PipelineDescription writes its JSON at exit once a Pipeline exists: none was declared.
            return (PipelineDescriptionDocument(version: Self.formatVersion, library: "", pipelines: []), [])
        }
        guard run.status == 0, let data = FileManager.default.contents(atPath: output) else {
            let how = run.signal.map { "crashed (signal \($0))" } ?? "exited with status \(run.status)"
            return (nil, [Diagnostic(file: file, message: "the pipeline file \(how) before describing its pipelines"
                                        + (detail.isEmpty ? "" : ":\n" + String(detail.suffix(4000))))])
        }
        let doc: PipelineDescriptionDocument
        do {
            doc = try decode(data, file: file)
        } catch {
            return (nil, [Diagnostic(file: file, message: "unreadable pipeline description: \(error)")])
        }
        // Cache only what ran cleanly; write atomically so a concurrent reader never sees half.
        let cachePath = "\(cacheDirectory)/\(key).json"
        let temp = cachePath + ".tmp-\(getpid())"
        if FileManager.default.createFile(atPath: temp, contents: data, attributes: [.posixPermissions: 0o600]) {
            _ = rename(temp, cachePath)
        }
        return (doc, [])
    }
}

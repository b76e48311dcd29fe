#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import PaduCore

/// Where commands print: standard output for results, standard error for problems.
/// Tests pass a capturing console.
public protocol Console: AnyObject {
    func out(_ text: String)
    func err(_ text: String)
}

/// The process's own standard output and error.
public final class StandardConsole: Console {
    public init() {}
    public func out(_ text: String) { write(1, text + "\n") }
    public func err(_ text: String) { write(2, PersonalData.maskNIKs(in: text) + "\n") }
    private func write(_ fd: Int32, _ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n <= 0 { return }
            offset += n
        }
    }
}

/// Keeps what commands print (tests).
public final class CapturingConsole: Console {
    public private(set) var stdout = ""
    public private(set) var stderr = ""
    public init() {}
    public func out(_ text: String) { stdout += text + "\n" }
    public func err(_ text: String) { stderr += PersonalData.maskNIKs(in: text) + "\n" }
}

/// Exit codes scripts can rely on (documented in docs/cli.md).
public enum ExitCode: Int32, Sendable {
    /// Everything succeeded.
    case success = 0
    /// A run failed, pipeline files have errors (`check`, `run --all`), or the warehouse stayed busy.
    case failure = 1
    /// The command line was wrong.
    case usage = 2
    /// A run finished but some of its inputs failed.
    case partial = 3
    /// The named pipeline, plugin, file or folder does not exist.
    case notFound = 4
    /// Padu itself could not work (toolchain or PipelineDescription missing, warehouse unusable).
    case internalError = 70
}

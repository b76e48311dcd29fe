import Foundation

/// The result of running a child process to completion (or to its timeout).
struct SubprocessResult {
    let status: Int32
    /// The signal that ended the process, if one did (a trap is SIGILL or SIGTRAP).
    let signal: Int32?
    let output: String
    let timedOut: Bool
}

/// Runs a program with a timeout, capturing stdout and stderr together (through a file, so
/// a chatty child can never block on a full pipe).
enum Subprocess {
    static func run(_ executable: String, _ arguments: [String], timeout: TimeInterval,
                    workingDirectory: String? = nil, environment: [String: String]? = nil) throws -> SubprocessResult {
        let outputPath = NSTemporaryDirectory() + "/padu-sub-\(getpid())-\(UUID().uuidString).out"
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil, attributes: [.posixPermissions: 0o600])
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        guard let sink = FileHandle(forWritingAtPath: outputPath) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: outputPath])
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = sink
        process.standardError = sink
        process.standardInput = FileHandle.nullDevice
        if let workingDirectory { process.currentDirectoryURL = URL(fileURLWithPath: workingDirectory) }
        if let environment { process.environment = environment }
        let done = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in done.signal() }
        try process.run()
        var timedOut = false
        if done.wait(timeout: .now() + timeout) == .timedOut {
            timedOut = true
            process.terminate()
            if done.wait(timeout: .now() + 2) == .timedOut {
                kill(process.processIdentifier, SIGKILL)
                done.wait()
            }
        }
        try? sink.close()
        let data = FileManager.default.contents(atPath: outputPath) ?? Data()
        let signaled = process.terminationReason == .uncaughtSignal
        return SubprocessResult(status: signaled ? -1 : process.terminationStatus,
                                signal: signaled ? process.terminationStatus : nil, output: String(decoding: data, as: UTF8.self), timedOut: timedOut)
    }
}

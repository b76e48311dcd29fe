#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// One daemon per home folder: an exclusive `flock` on `<home>/daemon.lock`, held for the
/// daemon's life (the kernel releases it when the process dies, however it dies).
public final class DaemonLock {
    public let path: String
    private let fd: Int32

    /// Takes the lock, or throws naming the daemon that holds it.
    public init(home: String) throws {
        path = home + "/daemon.lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw DaemonError("cannot open \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            var buffer = [UInt8](repeating: 0, count: 64)
            let n = pread(fd, &buffer, buffer.count, 0)
            let holder = n > 0 ? String(decoding: buffer[0..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : "?"
            close(fd)
            throw DaemonError("another padu daemon (pid \(holder)) is already running on \(home); stop it first (`padu stop --home \(home)`) "
                + "or give this one another --home")
        }
        ftruncate(fd, 0)
        let pid = Array("\(getpid())\n".utf8)
        _ = pwrite(fd, pid, pid.count, 0)
        self.fd = fd
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}

/// A problem that stops the daemon from starting or running, said for the operator.
public struct DaemonError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

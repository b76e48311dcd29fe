#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
@preconcurrency import Darwin
#endif
import Foundation

/// Who is on the other end of a control connection, as the kernel reports it (`SO_PEERCRED`).
public struct PeerCredentials: Sendable, Hashable, CustomStringConvertible {
    /// The peer's process id (0 when the platform does not report it).
    public var pid: Int32
    /// The peer's effective user id.
    public var uid: UInt32
    /// The peer's effective group id.
    public var gid: UInt32

    public init(pid: Int32, uid: UInt32, gid: UInt32) {
        self.pid = pid
        self.uid = uid
        self.gid = gid
    }

    public var description: String { "pid \(pid), uid \(uid), gid \(gid)" }

    /// The credentials of the process connected to socket `fd`, or nil when the kernel won't say.
    static func ofPeer(_ fd: Int32) -> PeerCredentials? {
        #if canImport(Glibc)
        // struct ucred { pid_t pid; uid_t uid; gid_t gid; } (Glibc hides the type behind _GNU_SOURCE).
        var fields: [UInt32] = [0, 0, 0]
        let expected = socklen_t(MemoryLayout<UInt32>.size * 3)
        var size = expected
        let result = fields.withUnsafeMutableBytes { getsockopt(fd, SOL_SOCKET, SO_PEERCRED, $0.baseAddress, &size) }
        guard result == 0, size == expected else { return nil }
        return PeerCredentials(pid: Int32(bitPattern: fields[0]), uid: fields[1], gid: fields[2])
        #else
        var uid = uid_t(0), gid = gid_t(0)
        guard getpeereid(fd, &uid, &gid) == 0 else { return nil }
        return PeerCredentials(pid: 0, uid: uid, gid: gid)
        #endif
    }
}

/// Something the control server wants logged; the daemon passes a callback that writes these to
/// its log. `description` is a complete log line.
public enum ControlServerEvent: Sendable, Hashable, CustomStringConvertible {
    /// A connection from another account was answered with a refusal.
    case refused(PeerCredentials)
    /// A connection whose peer the kernel would not identify was refused.
    case unidentifiedPeer
    /// A request could not be used (malformed, oversize, wrong version, too slow); it got an error answer.
    case badRequest(PeerCredentials, String)
    /// A socket file with nothing listening was removed before binding.
    case removedStaleSocket(String)
    /// accept(2) or a connection failed at the socket level.
    case socketError(String)
    /// Too many connections at once: the new one got a "busy" answer.
    case busy(Int)
    /// `stop()` gave up waiting for connections still being answered.
    case stopDeadlinePassed(inFlight: Int)

    public var description: String {
        switch self {
        case .refused(let peer):
            return "control socket: refused a connection from another account (\(peer))"
        case .unidentifiedPeer:
            return "control socket: refused a connection whose peer credentials are unavailable"
        case .badRequest(let peer, let message):
            return "control socket: bad request from \(peer): \(message)"
        case .removedStaleSocket(let path):
            return "control socket: removed the stale socket file \(path) (nothing was listening)"
        case .socketError(let message):
            return "control socket: \(message)"
        case .busy(let limit):
            return "control socket: \(limit) connections already in progress; answered a new one with \"busy\""
        case .stopDeadlinePassed(let count):
            return "control socket: stopped while \(count) connection(s) were still being answered"
        }
    }
}

/// Why the control server could not start.
public enum ControlServerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The path does not fit `sockaddr_un.sun_path`.
    case pathTooLong(path: String, bytes: Int, limit: Int)
    /// A live daemon answered on the path.
    case anotherDaemonListening(path: String)
    /// Something other than a socket is at the path; it is left alone.
    case notASocket(path: String)
    /// `start()` was called on a server that is already running.
    case alreadyRunning(path: String)
    /// A system call failed.
    case systemError(operation: String, path: String, errno: Int32)

    public var description: String {
        switch self {
        case .pathTooLong(let path, let bytes, let limit):
            return "the control socket path \(path) is \(bytes) bytes long but a Unix socket path may be at most \(limit) bytes; use a shorter Padu home folder"
        case .anotherDaemonListening(let path):
            return "another daemon is listening on \(path)"
        case .notASocket(let path):
            return "\(path) exists and is not a socket; Padu will not replace it (move it away and start again)"
        case .alreadyRunning(let path):
            return "the control server on \(path) is already running"
        case .systemError(let operation, let path, let code):
            return "could not \(operation) the control socket \(path): \(ControlSocketIO.message(code))"
        }
    }
}

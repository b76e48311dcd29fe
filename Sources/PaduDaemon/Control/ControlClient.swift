#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
@preconcurrency import Darwin
#endif
import Foundation

/// Why the `padu` CLI could not get an answer from the daemon. `description` is a complete
/// sentence for the terminal.
public enum ControlClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No socket file, or nothing listening on it.
    case daemonNotRunning(String)
    /// The daemon did not answer within the timeout.
    case timeout(seconds: Double)
    /// The request could not be encoded, or the answer was not a control response.
    case protocolError(String)
    /// The socket (or its folder) belongs to another account.
    case permissionDenied(String)
    /// Any other socket failure: path, then what went wrong.
    case socketError(path: String, message: String)

    public var description: String {
        switch self {
        case .daemonNotRunning(let path):
            return "the Padu daemon is not running (no control socket at \(path)); start it with `padu daemon`"
        case .timeout(let seconds):
            return "the Padu daemon did not answer within \(Self.format(seconds)) seconds"
        case .protocolError(let message):
            return "the Padu daemon's control protocol failed: \(message)"
        case .permissionDenied(let path):
            return "the control socket at \(path) belongs to another account; run `padu` as the user the daemon runs as"
        case .socketError(let path, let message):
            return "could not talk to the Padu daemon at \(path): \(message)"
        }
    }

    private static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }
}

/// The CLI's end of the control socket: one connection per request.
///
///     let response = try ControlClient(socketPath: home + "/control.sock")
///         .send(ControlRequest(command: "status", arguments: ["pipeline": "bansos"]))
public struct ControlClient: Sendable {
    /// The daemon's socket file.
    public let socketPath: String

    public init(socketPath: String) {
        self.socketPath = socketPath
    }

    /// Sends `request` and waits (at most `timeoutSeconds` in all) for the daemon's answer.
    /// A refusal or command failure is a `.failure` response, not a thrown error.
    public func send(_ request: ControlRequest, timeoutSeconds: Double = 10) throws(ControlClientError) -> ControlResponse {
        let deadline = DispatchTime.now() + timeoutSeconds
        guard let address = ControlSocketIO.address(for: socketPath) else {
            throw .socketError(path: socketPath, message: "the path is \(socketPath.utf8.count) bytes long but a Unix socket path may be at most \(ControlSocketIO.maximumPathBytes) bytes")
        }
        let line: Data
        do {
            line = try ControlProtocol.encodeLine(request)
        } catch {
            throw .protocolError(error.message)
        }
        var info = stat()
        if lstat(socketPath, &info) != 0 {
            let code = errno
            if code == EACCES { throw .permissionDenied(socketPath) }
            throw .daemonNotRunning(socketPath)
        }
        guard let fd = ControlSocketIO.makeSocket() else {
            throw .socketError(path: socketPath, message: ControlSocketIO.message(errno))
        }
        defer { close(fd) }

        ControlSocketIO.setTimeouts(fd, seconds: timeoutSeconds)
        switch ControlSocketIO.connect(fd, to: address) {
        case 0: break
        case ENOENT, ECONNREFUSED, ENOTDIR: throw .daemonNotRunning(socketPath)
        case EACCES, EPERM: throw .permissionDenied(socketPath)
        case EAGAIN, EINPROGRESS, ETIMEDOUT: throw .timeout(seconds: timeoutSeconds)
        case let code: throw .socketError(path: socketPath, message: ControlSocketIO.message(code))
        }

        ControlSocketIO.setTimeouts(fd, seconds: Double(ControlSocketIO.milliseconds(until: deadline)) / 1000)
        switch ControlSocketIO.writeAll(fd, line) {
        case 0, EPIPE, ECONNRESET:
            // A daemon that stopped reading early (oversize request, refusal) may still have answered.
            break
        case EAGAIN, EWOULDBLOCK: throw .timeout(seconds: timeoutSeconds)
        case let code: throw .socketError(path: socketPath, message: ControlSocketIO.message(code))
        }

        let answer: Data
        switch ControlSocketIO.readLine(fd, limit: ControlProtocol.maximumResponseBytes, deadline: deadline) {
        case .success(let data):
            answer = data
        case .failure(.closed(let partial)) where !partial.isEmpty:
            answer = partial
        case .failure(.closed), .failure(.failed(ECONNRESET)):
            throw .protocolError("the daemon closed the connection without answering")
        case .failure(.timedOut):
            throw .timeout(seconds: timeoutSeconds)
        case .failure(.tooLong):
            throw .protocolError("the daemon's answer is larger than \(ControlProtocol.maximumResponseBytes >> 20) MiB")
        case .failure(.failed(let code)):
            throw .socketError(path: socketPath, message: ControlSocketIO.message(code))
        }
        do {
            return try ControlProtocol.decodeResponse(answer)
        } catch {
            throw .protocolError(error.message)
        }
    }
}

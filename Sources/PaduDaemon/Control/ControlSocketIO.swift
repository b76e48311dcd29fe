#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
@preconcurrency import Darwin
#endif
import Foundation

/// Low-level Unix socket helpers shared by `ControlServer` and `ControlClient`.
enum ControlSocketIO {
    /// The longest socket path `sockaddr_un.sun_path` holds, in bytes (its size less the NUL).
    static let maximumPathBytes: Int = MemoryLayout.size(ofValue: sockaddr_un().sun_path) - 1

    /// Why a line could not be read.
    enum ReadFailure: Error {
        /// The deadline passed before a newline arrived.
        case timedOut
        /// More than the limit arrived without a newline.
        case tooLong
        /// The peer closed before sending a newline (`partial` holds what did arrive).
        case closed(partial: Data)
        /// A socket error (errno).
        case failed(Int32)
    }

    /// A `sockaddr_un` for `path`, or nil when the path does not fit.
    static func address(for path: String) -> sockaddr_un? {
        let bytes = Array(path.utf8)
        guard !bytes.isEmpty, bytes.count <= maximumPathBytes, !bytes.contains(0) else { return nil }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        return address
    }

    /// A new stream socket (close-on-exec), or nil with errno set.
    static func makeSocket() -> Int32? {
        #if canImport(Glibc)
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        #else
        let fd = socket(AF_UNIX, SOCK_STREAM, 0)
        #endif
        return fd >= 0 ? fd : nil
    }

    /// `connect(2)` to `address`; returns 0 or the errno.
    static func connect(_ fd: Int32, to address: sockaddr_un) -> Int32 {
        var address = address
        let result = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                #if canImport(Glibc)
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                #else
                Darwin.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                #endif
            }
        }
        return result == 0 ? 0 : errno
    }

    /// Sets `SO_RCVTIMEO` and `SO_SNDTIMEO` (a floor of one millisecond: zero would mean "never").
    static func setTimeouts(_ fd: Int32, seconds: Double) {
        let clamped = max(seconds, 0.001)
        var value = timeval(tv_sec: Int(clamped), tv_usec: Int((clamped - clamped.rounded(.down)) * 1_000_000))
        let size = socklen_t(MemoryLayout<timeval>.size)
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &value, size)
        _ = setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &value, size)
    }

    /// Reads up to the first `\n` (excluded from the result), giving up at `deadline` or past
    /// `limit` bytes. Bytes after the newline are ignored: one message per connection.
    static func readLine(_ fd: Int32, limit: Int, deadline: DispatchTime) -> Result<Data, ReadFailure> {
        var line = Data()
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let remaining = milliseconds(until: deadline)
            guard remaining > 0 else { return .failure(.timedOut) }
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, Int32(min(remaining, Int(Int32.max))))
            if ready < 0 {
                if errno == EINTR { continue }
                return .failure(.failed(errno))
            }
            if ready == 0 { return .failure(.timedOut) }
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0 {
                if errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK { continue }
                return .failure(.failed(errno))
            }
            if count == 0 { return .failure(.closed(partial: line)) }
            let chunk = buffer[0..<count]
            if let newline = chunk.firstIndex(of: 0x0A) {
                line.append(contentsOf: chunk[0..<newline])
                return line.count > limit ? .failure(.tooLong) : .success(line)
            }
            line.append(contentsOf: chunk)
            if line.count > limit { return .failure(.tooLong) }
        }
    }

    /// Writes all of `data`, or returns the errno of the failure (EAGAIN: the send timeout passed).
    static func writeAll(_ fd: Int32, _ data: Data) -> Int32 {
        data.withUnsafeBytes { raw -> Int32 in
            guard let base = raw.baseAddress else { return 0 }
            var offset = 0
            while offset < raw.count {
                #if canImport(Glibc)
                let sent = send(fd, base + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                #else
                let sent = send(fd, base + offset, raw.count - offset, 0)
                #endif
                if sent < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                offset += sent
            }
            return 0
        }
    }

    /// Reads and discards input until the peer closes, `limit` bytes pass or `deadline` comes, so
    /// closing a connection with unread input does not reset it before the peer reads our answer.
    static func drain(_ fd: Int32, limit: Int, deadline: DispatchTime) {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var total = 0
        while total < limit {
            let remaining = milliseconds(until: deadline)
            guard remaining > 0 else { return }
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, Int32(min(remaining, Int(Int32.max))))
            if ready < 0, errno == EINTR { continue }
            guard ready > 0 else { return }
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return }
            total += count
        }
    }

    /// Whole milliseconds from now until `deadline` (0 once it has passed).
    static func milliseconds(until deadline: DispatchTime) -> Int {
        let now = DispatchTime.now().uptimeNanoseconds
        let end = deadline.uptimeNanoseconds
        guard end > now else { return 0 }
        return Int((end - now + 999_999) / 1_000_000)
    }

    /// The C library's message for `code`.
    static func message(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}

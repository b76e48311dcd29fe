#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Foundation

/// A tiny scripted HTTP/1.1 server on 127.0.0.1 for tests.
///
/// It listens on a port chosen by the system, serves one request per connection
/// (`Connection: close`), answers the N-th connection with the N-th step of its script, and stops
/// when the script is used up, when `stop()` is called, or after `lifetime` seconds.
final class TestHTTPServer: @unchecked Sendable {
    /// A request as the server saw it.
    struct Request: Sendable {
        let method: String
        let target: String
        /// Header names lowercased.
        let headers: [String: String]
        /// The body (read up to its Content-Length).
        var body: [UInt8] = []

        func header(_ name: String) -> String? { headers[name.lowercased()] }
    }

    /// A response to send.
    struct Response: Sendable {
        var status: Int
        var headers: [(String, String)] = []
        var body: [UInt8] = []
        /// Send `Content-Length` (otherwise the body ends when the connection closes).
        var sendsContentLength = true

        init(status: Int, headers: [(String, String)] = [], body: [UInt8] = [], sendsContentLength: Bool = true) {
            self.status = status
            self.headers = headers
            self.body = body
            self.sendsContentLength = sendsContentLength
        }

        init(status: Int, headers: [(String, String)] = [], text: String) {
            self.init(status: status, headers: headers, body: Array(text.utf8))
        }
    }

    /// What to do with one connection.
    enum Action: Sendable {
        /// Send the response and close.
        case respond(Response)
        /// Wait, then respond (the client may give up first).
        case delay(seconds: Double, Response)
        /// Send the head and the first `sentBytes` of the body, then go silent for `seconds`, then close.
        case stall(Response, sentBytes: Int, seconds: Double)
        /// Send the head and the first `sentBytes` of the body, then close (a truncated body).
        case truncate(Response, sentBytes: Int)
    }

    typealias Step = @Sendable (Request) -> Action

    let port: UInt16
    private let listener: Int32
    private let script: [Step]
    private let lock = NSLock()
    private var recorded: [Request] = []
    private var stopping = false
    private let finished = DispatchSemaphore(value: 0)

    /// `http://127.0.0.1:<port>`
    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Requests received so far.
    var requests: [Request] {
        lock.lock()
        defer { lock.unlock() }
        return recorded
    }

    private var isStopping: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopping
    }

    /// Starts serving `script` on a background thread.
    init(_ script: [Step], lifetime: Double = 20) throws {
        self.script = script
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            let code = errno
            close(fd)
            throw POSIXError(.init(rawValue: code) ?? .EIO)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        port = UInt16(bigEndian: address.sin_port)
        listener = fd
        let deadline = Date().addingTimeInterval(lifetime)
        Thread.detachNewThread { [self] in
            self.serve(until: deadline)
        }
    }

    deinit {
        stop()
    }

    /// Stops the server and waits for its thread (at most a few seconds).
    func stop() {
        lock.lock()
        let already = stopping
        stopping = true
        lock.unlock()
        if !already {
            _ = finished.wait(timeout: .now() + 5)
        }
    }

    private func serve(until deadline: Date) {
        defer {
            close(listener)
            finished.signal()
        }
        for step in script {
            guard let connection = accept(until: deadline) else { return }
            defer { close(connection) }
            guard let request = readRequest(connection) else { continue }
            lock.lock()
            recorded.append(request)
            lock.unlock()
            perform(step(request), on: connection)
        }
    }

    private func accept(until deadline: Date) -> Int32? {
        while !isStopping && Date() < deadline {
            var poller = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            if poll(&poller, 1, 50) > 0 {
                let connection = Glibc.accept(listener, nil, nil)
                if connection >= 0 { return connection }
            }
        }
        return nil
    }

    private func readRequest(_ connection: Int32) -> Request? {
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        let end: [UInt8] = Array("\r\n\r\n".utf8)
        var headEnd: Int?
        while data.count < 65536 {
            let count = buffer.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
            if count <= 0 { return nil }
            data.append(contentsOf: buffer[0..<count])
            if data.count >= 4, let i = (0...(data.count - 4)).first(where: { Array(data[$0..<($0 + 4)]) == end }) {
                headEnd = i + 4
                break
            }
        }
        let text = String(decoding: data[..<(headEnd ?? data.count)], as: UTF8.self)
        let lines = text.components(separatedBy: "\r\n")
        let requestLine = lines.first?.split(separator: " ") ?? []
        guard requestLine.count >= 2 else { return nil }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var request = Request(method: String(requestLine[0]), target: String(requestLine[1]), headers: headers)
        if let headEnd, let length = headers["content-length"].flatMap({ Int($0) }), length > 0 {
            var body = Array(data[headEnd...])
            while body.count < length {
                let count = buffer.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
                if count <= 0 { break }
                body.append(contentsOf: buffer[0..<count])
            }
            request.body = Array(body.prefix(length))
        }
        return request
    }

    private func perform(_ action: Action, on connection: Int32) {
        switch action {
        case .respond(let response):
            send(head(response) + response.body, on: connection)
        case .delay(let seconds, let response):
            guard pause(seconds) else { return }
            send(head(response) + response.body, on: connection)
        case .stall(let response, let sentBytes, let seconds):
            send(head(response) + response.body.prefix(sentBytes), on: connection)
            _ = pause(seconds)
        case .truncate(let response, let sentBytes):
            send(head(response) + response.body.prefix(sentBytes), on: connection)
        }
    }

    /// Sleeps in slices; false if the server is stopping.
    private func pause(_ seconds: Double) -> Bool {
        let until = Date().addingTimeInterval(seconds)
        while Date() < until {
            if isStopping { return false }
            usleep(20_000)
        }
        return true
    }

    private func head(_ response: Response) -> [UInt8] {
        var text = "HTTP/1.1 \(response.status) \(Self.phrase(response.status))\r\n"
        for (name, value) in response.headers {
            text += "\(name): \(value)\r\n"
        }
        if response.sendsContentLength {
            text += "Content-Length: \(response.body.count)\r\n"
        }
        text += "Connection: close\r\n\r\n"
        return Array(text.utf8)
    }

    private func send(_ bytes: [UInt8], on connection: Int32) {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes {
                Glibc.send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            if sent <= 0 { return }
            offset += sent
        }
    }

    private static func phrase(_ status: Int) -> String {
        switch status {
        case 200: return "OK"
        case 302: return "Found"
        case 304: return "Not Modified"
        case 401: return "Unauthorized"
        case 404: return "Not Found"
        case 429: return "Too Many Requests"
        case 503: return "Service Unavailable"
        default: return "Status"
        }
    }
}

/// A port on 127.0.0.1 where nothing listens (connections are refused).
func closedPort() -> UInt16 {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    _ = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    return UInt16(bigEndian: address.sin_port)
}

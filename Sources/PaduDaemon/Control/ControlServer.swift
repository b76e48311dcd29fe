#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
@preconcurrency import Darwin
#endif
import Foundation

/// The daemon's end of the control socket: a Unix domain socket (mode 0600) that answers one
/// request line per connection, only to processes of the daemon's own account.
///
///     let server = ControlServer(socketPath: home + "/control.sock") { request, peer in
///         .success(["state": "idle"])
///     }
///     try server.start()
///     …
///     server.stop()
///
/// Connections are served on short-lived threads, so a slow handler holds up only its own client.
/// The handler runs on those threads: it must be safe to call concurrently.
public final class ControlServer: @unchecked Sendable {
    /// Answers one request from one identified peer.
    public typealias Handler = @Sendable (ControlRequest, PeerCredentials) -> ControlResponse

    /// The socket file's path.
    public let socketPath: String
    /// The only uid answered (the daemon's effective uid unless a test says otherwise).
    public let ownerUID: UInt32
    /// How long a client has to send its request line.
    public let requestTimeout: TimeInterval
    /// Connections served at once; more get a "busy" answer.
    public let maximumConnections: Int

    private let handler: Handler
    private let onEvent: @Sendable (ControlServerEvent) -> Void

    // Guarded by `lock`.
    private let lock = NSLock()
    private var running: Running?
    private var inFlight = 0
    private var stopping = false

    /// What exists while the server runs.
    private struct Running {
        let listener: Int32
        let wakeRead: Int32
        let wakeWrite: Int32
        let acceptDone: DispatchSemaphore
        let connections: DispatchGroup
        /// The bound file's identity, so `stop()` never unlinks a successor daemon's socket.
        let device: UInt64
        let inode: UInt64
    }

    /// A server for `socketPath`; nothing happens until `start()`.
    /// - Parameters:
    ///   - ownerUID: the one uid answered; the default is the daemon's `geteuid()`.
    ///   - requestTimeout: seconds a client has to send its request line.
    ///   - onEvent: receives refusals, bad requests and socket errors, for the daemon's log.
    ///   - handler: answers each request; called concurrently from connection threads.
    public init(socketPath: String, ownerUID: UInt32 = geteuid(), requestTimeout: TimeInterval = 5,
                maximumConnections: Int = 64, onEvent: @escaping @Sendable (ControlServerEvent) -> Void = { _ in },
                handler: @escaping Handler) {
        self.socketPath = socketPath
        self.ownerUID = ownerUID
        self.requestTimeout = requestTimeout
        self.maximumConnections = max(1, maximumConnections)
        self.onEvent = onEvent
        self.handler = handler
    }

    /// Whether a connection from `peer` may be answered: only the owner's own uid, root included
    /// only when root is the owner.
    public static func accepts(peer: PeerCredentials, ownerUID: UInt32) -> Bool {
        peer.uid == ownerUID
    }

    /// The answer a refused peer gets.
    public static func refusalMessage(ownerUID: UInt32) -> String {
        "refused: the control socket only answers its owner (uid \(ownerUID))"
    }

    /// Whether the server is accepting connections.
    public var isRunning: Bool {
        lock.withLock { running != nil && !stopping }
    }

    /// Creates the socket (mode 0600 from the start), replacing a stale socket file only when
    /// nothing listens on it, and starts answering on a background thread.
    public func start() throws(ControlServerError) {
        lock.lock()
        guard running == nil, !stopping else {
            lock.unlock()
            throw .alreadyRunning(path: socketPath)
        }
        var removedStale = false
        let running: Running
        do {
            running = try bindAndListen(removedStale: &removedStale)
        } catch {
            lock.unlock()
            if removedStale { onEvent(.removedStaleSocket(socketPath)) }
            throw error
        }
        self.running = running
        lock.unlock()
        // Events go out with the lock released, so the callback may call back into the server.
        if removedStale { onEvent(.removedStaleSocket(socketPath)) }
        let thread = Thread { [self] in
            acceptLoop(running)
            running.acceptDone.signal()
        }
        thread.name = "padu-control-accept"
        thread.start()
    }

    /// Stops accepting, waits up to `deadline` seconds for connections being answered, and
    /// removes the socket file. Returns false when the deadline passed first. Safe to call twice.
    @discardableResult
    public func stop(deadline: TimeInterval = 5) -> Bool {
        let taken = lock.withLock { () -> Running? in
            guard let current = running, !stopping else { return nil }
            stopping = true
            return current
        }
        guard let current = taken else { return true }
        var byte: UInt8 = 1
        _ = write(current.wakeWrite, &byte, 1)
        current.acceptDone.wait()
        close(current.listener)
        let finished = current.connections.wait(timeout: .now() + deadline) == .success
        if !finished { onEvent(.stopDeadlinePassed(inFlight: lock.withLock { inFlight })) }
        unlinkIfOurs(device: current.device, inode: current.inode)
        close(current.wakeRead)
        close(current.wakeWrite)
        lock.withLock {
            running = nil
            stopping = false
        }
        return finished
    }

    // MARK: - Starting

    private func bindAndListen(removedStale: inout Bool) throws(ControlServerError) -> Running {
        let bytes = socketPath.utf8.count
        guard let address = ControlSocketIO.address(for: socketPath) else {
            throw .pathTooLong(path: socketPath, bytes: bytes, limit: ControlSocketIO.maximumPathBytes)
        }
        removedStale = try removeStaleSocket(address)
        guard let fd = ControlSocketIO.makeSocket() else { throw .systemError(operation: "create", path: socketPath, errno: errno) }
        var ok = false
        defer { if !ok { close(fd) } }

        // The file's mode comes from the socket inode's mode less the umask: make both 0600/077
        // so the file never exists with wider permissions. umask is process-wide; it is changed
        // only for the duration of bind(2).
        _ = fchmod(fd, 0o600)
        let previousMask = umask(0o077)
        var bindAddress = address
        let bound = withUnsafePointer(to: &bindAddress) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        let bindError = errno
        umask(previousMask)
        guard bound == 0 else {
            if bindError == EADDRINUSE { throw .anotherDaemonListening(path: socketPath) }
            throw .systemError(operation: "bind", path: socketPath, errno: bindError)
        }
        var info = stat()
        guard chmod(socketPath, 0o600) == 0, lstat(socketPath, &info) == 0 else {
            let code = errno
            unlink(socketPath)
            throw .systemError(operation: "set permissions on", path: socketPath, errno: code)
        }
        guard listen(fd, 128) == 0 else {
            let code = errno
            unlink(socketPath)
            throw .systemError(operation: "listen on", path: socketPath, errno: code)
        }
        var pipeEnds: [Int32] = [0, 0]
        guard pipe(&pipeEnds) == 0 else {
            let code = errno
            unlink(socketPath)
            throw .systemError(operation: "start", path: socketPath, errno: code)
        }
        _ = fcntl(pipeEnds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(pipeEnds[1], F_SETFD, FD_CLOEXEC)
        ok = true
        return Running(listener: fd, wakeRead: pipeEnds[0], wakeWrite: pipeEnds[1], acceptDone: DispatchSemaphore(value: 0),
                       connections: DispatchGroup(), device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }

    /// Removes a socket file nobody listens on (returning true); throws when a daemon answers or
    /// the file is not a socket.
    private func removeStaleSocket(_ address: sockaddr_un) throws(ControlServerError) -> Bool {
        var info = stat()
        guard lstat(socketPath, &info) == 0 else { return false }
        guard (info.st_mode & S_IFMT) == S_IFSOCK else { throw .notASocket(path: socketPath) }
        guard let probe = ControlSocketIO.makeSocket() else { throw .systemError(operation: "create", path: socketPath, errno: errno) }
        ControlSocketIO.setTimeouts(probe, seconds: 1)
        let result = ControlSocketIO.connect(probe, to: address)
        close(probe)
        switch result {
        case 0, EAGAIN, EINPROGRESS:
            // Connected, or the listener's backlog is full: either way a daemon is alive there.
            throw .anotherDaemonListening(path: socketPath)
        case ECONNREFUSED, ENOENT:
            if unlink(socketPath) != 0, errno != ENOENT {
                throw .systemError(operation: "remove the stale", path: socketPath, errno: errno)
            }
            return true
        default:
            throw .systemError(operation: "check the existing", path: socketPath, errno: result)
        }
    }

    private func unlinkIfOurs(device: UInt64, inode: UInt64) {
        var info = stat()
        guard lstat(socketPath, &info) == 0, UInt64(info.st_dev) == device, UInt64(info.st_ino) == inode else { return }
        unlink(socketPath)
    }

    // MARK: - Serving

    private func acceptLoop(_ running: Running) {
        while true {
            var fds = [pollfd(fd: running.listener, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: running.wakeRead, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, 2, -1)
            if ready < 0 {
                if errno == EINTR { continue }
                onEvent(.socketError("poll failed: \(ControlSocketIO.message(errno)); no longer accepting"))
                return
            }
            if fds[1].revents != 0 { return }
            guard fds[0].revents != 0 else { continue }
            // (accept4 is not exported to Swift by Glibc; close-on-exec is set right after.)
            let connection = accept(running.listener, nil, nil)
            if connection < 0 {
                let code = errno
                if code == EINTR || code == EAGAIN || code == ECONNABORTED { continue }
                onEvent(.socketError("accept failed: \(ControlSocketIO.message(code))"))
                if code == EMFILE || code == ENFILE || code == ENOBUFS || code == ENOMEM { usleep(100_000) }
                continue
            }
            _ = fcntl(connection, F_SETFD, FD_CLOEXEC)
            let admitted = lock.withLock { () -> Bool in
                guard inFlight < maximumConnections else { return false }
                inFlight += 1
                return true
            }
            guard admitted else {
                onEvent(.busy(maximumConnections))
                ControlSocketIO.setTimeouts(connection, seconds: 0.1)
                reply(connection, .failure("the daemon is busy answering other commands; try again"))
                close(connection)
                continue
            }
            running.connections.enter()
            let thread = Thread { [self] in
                serve(connection)
                close(connection)
                lock.withLock { inFlight -= 1 }
                running.connections.leave()
            }
            thread.name = "padu-control-connection"
            thread.start()
        }
    }

    /// Answers one connection: identify, read one line, answer one line.
    private func serve(_ connection: Int32) {
        ControlSocketIO.setTimeouts(connection, seconds: requestTimeout)
        guard let peer = PeerCredentials.ofPeer(connection) else {
            onEvent(.unidentifiedPeer)
            reply(connection, .failure(Self.refusalMessage(ownerUID: ownerUID)))
            return
        }
        guard Self.accepts(peer: peer, ownerUID: ownerUID) else {
            onEvent(.refused(peer))
            reply(connection, .failure(Self.refusalMessage(ownerUID: ownerUID)))
            return
        }
        let limit = ControlProtocol.maximumRequestBytes
        let line: Data
        switch ControlSocketIO.readLine(connection, limit: limit, deadline: .now() + requestTimeout) {
        case .success(let data):
            line = data
        case .failure(.closed(let partial)):
            // A peer that shut down its writing side without a newline still gets an answer;
            // one that sent nothing (a liveness probe) gets none.
            guard !partial.isEmpty else { return }
            line = partial
        case .failure(.tooLong):
            let message = "the request is larger than \(limit / (1 << 20)) MiB"
            onEvent(.badRequest(peer, message))
            reply(connection, .failure(message))
            // Read (and drop) what the client is still sending, so it gets to read the answer.
            _ = shutdown(connection, Int32(SHUT_WR))
            ControlSocketIO.drain(connection, limit: 64 << 20, deadline: .now() + 2)
            return
        case .failure(.timedOut):
            let message = "no complete request line arrived within \(requestTimeout == requestTimeout.rounded() ? String(Int(requestTimeout)) : String(requestTimeout)) seconds"
            onEvent(.badRequest(peer, message))
            reply(connection, .failure(message))
            return
        case .failure(.failed(let code)):
            onEvent(.socketError("reading a request from \(peer) failed: \(ControlSocketIO.message(code))"))
            return
        }
        let response: ControlResponse
        do {
            let request = try ControlProtocol.decodeRequest(line)
            response = handler(request, peer)
        } catch {
            onEvent(.badRequest(peer, error.message))
            response = .failure(error.message)
        }
        reply(connection, response)
    }

    /// Writes one response line; a client that has gone away is not an error worth more than a log line.
    private func reply(_ connection: Int32, _ response: ControlResponse) {
        let data: Data
        do {
            data = try ControlProtocol.encodeLine(response)
        } catch {
            data = Data(#"{"error":"the daemon could not encode its answer","ok":false}"#.utf8 + [0x0A])
        }
        let code = ControlSocketIO.writeAll(connection, data)
        if code != 0, code != EPIPE, code != ECONNRESET {
            onEvent(.socketError("writing an answer failed: \(ControlSocketIO.message(code))"))
        }
    }
}

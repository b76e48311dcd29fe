#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
@preconcurrency import Darwin
#endif
import Foundation
import XCTest
@testable import PaduDaemon

final class ControlSocketTests: XCTestCase {
    // MARK: - Round trips

    func testRoundTripOfSeveralCommandsWithArbitraryJSONResults() throws {
        let path = Self.socketPath()
        let server = ControlServer(socketPath: path) { request, peer in
            switch request.command {
            case "status":
                return .success(["pipeline": .string(request.arguments["pipeline"] ?? ""), "state": "idle", "queued": 0,
                                 "progress": 0.25, "last": nil, "paused": false,
                                 "runs": [["id": 1, "rows": 1_234_567], ["id": 2, "note": "baris\nkedua \"kutip\" ✓"]]])
            case "run":
                return .success(.array((request.inputs ?? []).map { .string($0) }))
            case "whoami":
                return .success(["pid": .int(Int(peer.pid)), "uid": .int(Int(peer.uid))])
            case "nothing":
                return .success(.null)
            default:
                return .failure("unknown command \(request.command)")
            }
        }
        try server.start()
        defer { server.stop() }
        let client = ControlClient(socketPath: path)

        let status = try client.send(ControlRequest(command: "status", arguments: ["pipeline": "bansos-2025"]))
        XCTAssertEqual(status.result?["pipeline"], "bansos-2025")
        XCTAssertEqual(status.result?["queued"], .int(0))
        XCTAssertEqual(status.result?["progress"], .double(0.25))
        XCTAssertEqual(status.result?["last"], .null)
        XCTAssertEqual(status.result?["paused"], false)
        XCTAssertEqual(status.result?["runs"]?[0]?["rows"], .int(1_234_567))
        XCTAssertEqual(status.result?["runs"]?[1]?["note"], "baris\nkedua \"kutip\" ✓")

        let run = try client.send(ControlRequest(command: "run", arguments: ["pipeline": "p"], inputs: ["/data/a.csv", "https://x/y.xlsx"]))
        XCTAssertEqual(run, .success(["/data/a.csv", "https://x/y.xlsx"]))

        let whoami = try client.send(ControlRequest(command: "whoami"))
        XCTAssertEqual(whoami.result?["pid"], .int(Int(getpid())))
        XCTAssertEqual(whoami.result?["uid"], .int(Int(geteuid())))

        XCTAssertEqual(try client.send(ControlRequest(command: "nothing")), .success(.null))
        XCTAssertEqual(try client.send(ControlRequest(command: "frobnicate")), .failure("unknown command frobnicate"))
    }

    func testTwentyConcurrentClientsAreAllAnswered() throws {
        let path = Self.socketPath()
        let server = ControlServer(socketPath: path) { request, _ in
            usleep(50_000) // make the connections overlap
            return .success(["echo": .string(request.arguments["n"] ?? "?")])
        }
        try server.start()
        defer { server.stop() }
        let answers = Locked<[Int: String]>([:])
        let failures = Locked<[String]>([])
        let threads = (0..<20).map { (n: Int) -> Thread in
            Thread {
                do {
                    let response = try ControlClient(socketPath: path).send(ControlRequest(command: "echo", arguments: ["n": String(n)]))
                    answers.mutate { $0[n] = response.result?["echo"]?.stringValue }
                } catch {
                    failures.mutate { $0.append("\(error)") }
                }
            }
        }
        let started = Date()
        threads.forEach { $0.start() }
        while answers.value.count + failures.value.count < 20, Date().timeIntervalSince(started) < 20 { usleep(10_000) }
        XCTAssertEqual(failures.value, [])
        XCTAssertEqual(answers.value, Dictionary(uniqueKeysWithValues: (0..<20).map { ($0, String($0)) }))
    }

    // MARK: - The socket file

    func testSocketFileIsMode0600EvenUnderAPermissiveUmask() throws {
        let path = Self.socketPath()
        let server = ControlServer(socketPath: path) { _, _ in .success(.null) }
        let previous = umask(0)
        defer { umask(previous) }
        try server.start()
        defer { server.stop() }
        var info = stat()
        XCTAssertEqual(lstat(path, &info), 0)
        XCTAssertEqual(info.st_mode & S_IFMT, S_IFSOCK)
        XCTAssertEqual(info.st_mode & 0o7777, 0o600)
        XCTAssertEqual(umask(previous), 0, "start() restores the umask it found")
        umask(0)
    }

    func testStopRemovesTheFileAndWaitsForConnectionsInProgress() throws {
        let path = Self.socketPath()
        let server = ControlServer(socketPath: path) { _, _ in
            usleep(300_000)
            return .success("finished")
        }
        try server.start()
        XCTAssertTrue(server.isRunning)
        let answer = Locked<ControlResponse?>(nil)
        Thread { answer.mutate { $0 = try? ControlClient(socketPath: path).send(ControlRequest(command: "slow")) } }.start()
        usleep(100_000)
        XCTAssertTrue(server.stop(deadline: 5))
        XCTAssertEqual(answer.value, .success("finished"), "the connection in progress was answered before stop() returned")
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
        XCTAssertFalse(server.isRunning)
        XCTAssertTrue(server.stop(), "a second stop() is harmless")
        XCTAssertThrowsError(try ControlClient(socketPath: path).send(ControlRequest(command: "x"))) {
            XCTAssertEqual($0 as? ControlClientError, .daemonNotRunning(path))
        }
    }

    func testPathLongerThanSunPathIsRefusedWithTheLimit() {
        let path = "/tmp/" + String(repeating: "p", count: 120) + ".sock"
        let server = ControlServer(socketPath: path) { _, _ in .success(.null) }
        XCTAssertThrowsError(try server.start()) { error in
            guard let error = error as? ControlServerError else { return XCTFail("\(error)") }
            XCTAssertEqual(error, .pathTooLong(path: path, bytes: path.utf8.count, limit: 107))
            XCTAssertTrue(error.description.contains(path))
            XCTAssertTrue(error.description.contains("107 bytes"))
        }
        XCTAssertThrowsError(try ControlClient(socketPath: path).send(ControlRequest(command: "x"))) {
            XCTAssertTrue("\($0)".contains("107"))
        }
    }

    func testSomethingOtherThanASocketIsLeftAlone() throws {
        let path = Self.socketPath()
        try "keep me".write(toFile: path, atomically: false, encoding: .utf8)
        defer { unlink(path) }
        let server = ControlServer(socketPath: path) { _, _ in .success(.null) }
        XCTAssertThrowsError(try server.start()) { XCTAssertEqual($0 as? ControlServerError, .notASocket(path: path)) }
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "keep me")
    }

    // MARK: - Daemon not running, stale and live sockets

    func testClientSaysNotRunningWhenThereIsNoSocketFile() {
        let path = Self.socketPath()
        XCTAssertThrowsError(try ControlClient(socketPath: path).send(ControlRequest(command: "status"))) { error in
            XCTAssertEqual(error as? ControlClientError, .daemonNotRunning(path))
            XCTAssertEqual("\(error)", "the Padu daemon is not running (no control socket at \(path)); start it with `padu daemon`")
        }
    }

    func testStaleSocketFileMeansNotRunningAndANewServerStartsOverIt() throws {
        let path = Self.socketPath()
        try Self.makeStaleSocket(at: path)
        defer { unlink(path) }
        XCTAssertTrue(FileManager.default.fileExists(atPath: path))
        XCTAssertThrowsError(try ControlClient(socketPath: path).send(ControlRequest(command: "status"))) {
            XCTAssertEqual($0 as? ControlClientError, .daemonNotRunning(path))
        }

        let events = Locked<[ControlServerEvent]>([])
        let server = ControlServer(socketPath: path, onEvent: { event in events.mutate { $0.append(event) } }) { _, _ in .success("fresh") }
        try server.start()
        defer { server.stop() }
        XCTAssertEqual(events.value, [.removedStaleSocket(path)])
        XCTAssertEqual(try ControlClient(socketPath: path).send(ControlRequest(command: "status")), .success("fresh"))
    }

    func testSecondServerOnALivePathIsRefusedAndTheFirstKeepsServing() throws {
        let path = Self.socketPath()
        let first = ControlServer(socketPath: path) { _, _ in .success("first") }
        try first.start()
        defer { first.stop() }
        let second = ControlServer(socketPath: path) { _, _ in .success("second") }
        XCTAssertThrowsError(try second.start()) { error in
            XCTAssertEqual(error as? ControlServerError, .anotherDaemonListening(path: path))
            XCTAssertEqual("\(error)", "another daemon is listening on \(path)")
        }
        XCTAssertFalse(second.isRunning)
        XCTAssertTrue(second.stop(), "stopping a server that never started does not touch the live socket")
        XCTAssertEqual(try ControlClient(socketPath: path).send(ControlRequest(command: "status")), .success("first"))
        XCTAssertThrowsError(try first.start()) { XCTAssertEqual($0 as? ControlServerError, .alreadyRunning(path: path)) }
    }

    func testServerCanBeRestartedAfterStop() throws {
        let path = Self.socketPath()
        let server = ControlServer(socketPath: path) { _, _ in .success("again") }
        try server.start()
        server.stop()
        try server.start()
        defer { server.stop() }
        XCTAssertEqual(try ControlClient(socketPath: path).send(ControlRequest(command: "x")), .success("again"))
    }

    // MARK: - Peer credentials

    func testPeerCredentialCheckAcceptsOnlyTheOwnerUID() {
        let owner = PeerCredentials(pid: 10, uid: 1000, gid: 1000)
        XCTAssertTrue(ControlServer.accepts(peer: owner, ownerUID: 1000))
        XCTAssertFalse(ControlServer.accepts(peer: PeerCredentials(pid: 11, uid: 1001, gid: 1000), ownerUID: 1000))
        XCTAssertFalse(ControlServer.accepts(peer: PeerCredentials(pid: 12, uid: 0, gid: 0), ownerUID: 1000), "root is refused too")
        XCTAssertTrue(ControlServer.accepts(peer: PeerCredentials(pid: 12, uid: 0, gid: 0), ownerUID: 0), "unless root is the owner")
        XCTAssertFalse(ControlServer.accepts(peer: PeerCredentials(pid: 13, uid: 1000, gid: 0), ownerUID: 0))
    }

    func testAnotherAccountGetsARefusalAndIsLogged() throws {
        let path = Self.socketPath()
        let owner = geteuid() &+ 1 // pretend the daemon belongs to someone else
        let events = Locked<[ControlServerEvent]>([])
        let called = Locked(false)
        let server = ControlServer(socketPath: path, ownerUID: owner, onEvent: { event in events.mutate { $0.append(event) } }) { _, _ in
            called.mutate { $0 = true }
            return .success("secret")
        }
        try server.start()
        defer { server.stop() }
        let response = try ControlClient(socketPath: path).send(ControlRequest(command: "status"))
        XCTAssertEqual(response, .failure("refused: the control socket only answers its owner (uid \(owner))"))
        XCTAssertFalse(called.value)
        XCTAssertEqual(events.value, [.refused(PeerCredentials(pid: getpid(), uid: geteuid(), gid: getegid()))])
    }

    // MARK: - Bad requests

    func testMalformedOversizeAndWrongVersionRequestsGetErrorsAndTheServerKeepsServing() throws {
        let path = Self.socketPath()
        let events = Locked<[ControlServerEvent]>([])
        let server = ControlServer(socketPath: path, onEvent: { event in events.mutate { $0.append(event) } }) { _, _ in .success("fine") }
        try server.start()
        defer { server.stop() }

        let garbage = try Self.exchange(path, Data("this is not json\n".utf8))
        XCTAssertEqual(garbage.isSuccess, false)
        XCTAssertTrue(garbage.errorMessage?.contains("not a JSON object") ?? false, "\(garbage)")

        let noCommand = try Self.exchange(path, Data(#"{"protocol":1,"arguments":{}}"#.utf8 + [0x0A]))
        XCTAssertEqual(noCommand.errorMessage, #"the request is malformed: missing field "command""#)

        let badArguments = try Self.exchange(path, Data(#"{"protocol":1,"command":"x","arguments":{"n":5}}"#.utf8 + [0x0A]))
        XCTAssertEqual(badArguments.errorMessage, #"the request is malformed: expected a string at "arguments.n""#)

        let version = try Self.exchange(path, Data(#"{"protocol":2,"command":"status"}"#.utf8 + [0x0A]))
        XCTAssertEqual(version.errorMessage?.hasPrefix("the request uses control protocol 2 but this daemon speaks protocol 1"), true)

        let unversioned = try Self.exchange(path, Data(#"{"command":"status"}"#.utf8 + [0x0A]))
        XCTAssertEqual(unversioned.errorMessage?.contains("no \"protocol\" field"), true)

        let oversize = try Self.exchange(path, Data(repeating: 0x61, count: 2 << 20) + [0x0A])
        XCTAssertEqual(oversize, .failure("the request is larger than 1 MiB"))

        // No newline, but the writing side closed: still answered.
        let unterminated = try Self.exchange(path, Data(#"{"protocol":1,"command":"x"}"#.utf8))
        XCTAssertEqual(unterminated, .success("fine"))

        XCTAssertEqual(try ControlClient(socketPath: path).send(ControlRequest(command: "status")), .success("fine"))
        XCTAssertEqual(events.value.count, 6, "\(events.value)")
    }

    func testSlowClientTimesOutWithAnErrorAnswer() throws {
        let path = Self.socketPath()
        let server = ControlServer(socketPath: path, requestTimeout: 0.3) { _, _ in .success("fine") }
        try server.start()
        defer { server.stop() }
        let slow = try Self.exchange(path, Data(#"{"protocol":1,"#.utf8), closeWriting: false)
        XCTAssertEqual(slow, .failure("no complete request line arrived within 0.3 seconds"))
        XCTAssertEqual(try ControlClient(socketPath: path).send(ControlRequest(command: "status")), .success("fine"))
    }

    func testClientTimesOutOnASlowHandler() throws {
        let path = Self.socketPath()
        let server = ControlServer(socketPath: path) { _, _ in
            usleep(800_000)
            return .success("late")
        }
        try server.start()
        defer { server.stop() }
        XCTAssertThrowsError(try ControlClient(socketPath: path).send(ControlRequest(command: "x"), timeoutSeconds: 0.2)) {
            XCTAssertEqual($0 as? ControlClientError, .timeout(seconds: 0.2))
        }
    }

    // MARK: - Wire format

    func testWireFormat() throws {
        let request = ControlRequest(command: "status", arguments: ["pipeline": "a/b"], inputs: ["x.csv"])
        let line = try ControlProtocol.encodeLine(request)
        XCTAssertEqual(String(decoding: line, as: UTF8.self),
                       #"{"arguments":{"pipeline":"a/b"},"command":"status","inputs":["x.csv"],"protocol":1}"# + "\n")
        XCTAssertEqual(try ControlProtocol.decodeRequest(line), request)
        XCTAssertEqual(String(decoding: try ControlProtocol.encodeLine(ControlResponse.success(["n": 1])), as: UTF8.self),
                       #"{"ok":true,"result":{"n":1}}"# + "\n")
        XCTAssertEqual(String(decoding: try ControlProtocol.encodeLine(ControlResponse.failure("no")), as: UTF8.self),
                       #"{"error":"no","ok":false}"# + "\n")
        XCTAssertEqual(try ControlProtocol.decodeResponse(Data(#"{"ok":true}"#.utf8)), .success(.null))
        XCTAssertEqual(try ControlProtocol.decodeResponse(Data(#"{"ok":true,"result":[1,1.5,"s",true,null,{}]}"#.utf8)),
                       .success([1, 1.5, "s", true, nil, [:]]))
        XCTAssertThrowsError(try ControlProtocol.decodeResponse(Data("[]".utf8)))
        XCTAssertEqual(String(decoding: try ControlProtocol.encodeLine(ControlValue.double(.nan)), as: UTF8.self), "null\n")
    }

    func testClientErrorMessages() {
        XCTAssertEqual(ControlClientError.permissionDenied("/srv/padu/control.sock").description,
                       "the control socket at /srv/padu/control.sock belongs to another account; run `padu` as the user the daemon runs as")
        XCTAssertEqual(ControlClientError.timeout(seconds: 10).description, "the Padu daemon did not answer within 10 seconds")
    }

    // MARK: - Helpers

    /// A short, unique socket path under /tmp (sun_path holds 107 bytes), removed if left behind.
    private static func socketPath() -> String {
        "/tmp/padu-ct-\(getpid())-\(UUID().uuidString.prefix(8)).sock"
    }

    /// Leaves a socket file with nothing listening, as a killed daemon would.
    private static func makeStaleSocket(at path: String) throws {
        guard let fd = ControlSocketIO.makeSocket(), var address = ControlSocketIO.address(for: path) else {
            throw ControlProtocolError("socket")
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        close(fd)
        guard bound == 0 else { throw ControlProtocolError("bind: \(ControlSocketIO.message(errno))") }
    }

    /// Sends raw bytes (optionally closing the writing side) and reads the one answer line.
    private static func exchange(_ path: String, _ bytes: Data, closeWriting: Bool = true) throws -> ControlResponse {
        guard let fd = ControlSocketIO.makeSocket(), let address = ControlSocketIO.address(for: path) else {
            throw ControlProtocolError("socket")
        }
        defer { close(fd) }
        ControlSocketIO.setTimeouts(fd, seconds: 10)
        guard ControlSocketIO.connect(fd, to: address) == 0 else { throw ControlProtocolError("connect") }
        _ = ControlSocketIO.writeAll(fd, bytes)
        if closeWriting { _ = shutdown(fd, Int32(SHUT_WR)) }
        switch ControlSocketIO.readLine(fd, limit: 1 << 20, deadline: .now() + 10) {
        case .success(let line): return try ControlProtocol.decodeResponse(line)
        case .failure(let failure): throw ControlProtocolError("no answer: \(failure)")
        }
    }
}

/// A value shared with the threads a test starts.
private final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value { lock.withLock { stored } }
    func mutate(_ change: (inout Value) -> Void) { lock.withLock { change(&stored) } }
}

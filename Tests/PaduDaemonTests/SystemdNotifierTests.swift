import Foundation
import PaduDaemon
import XCTest

/// The sd_notify datagrams Padu writes itself, read back from a socket standing in for systemd.
final class SystemdNotifierTests: XCTestCase {
    func testReadyStoppingAndWatchdogReachTheNotifySocket() throws {
        let path = "/tmp/padu-notify-\(UUID().uuidString.prefix(8)).sock"
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        XCTAssertGreaterThanOrEqual(fd, 0)
        defer { close(fd); unlink(path) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in for (i, b) in path.utf8.enumerated() { raw[i] = b } }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        XCTAssertEqual(bound, 0)
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))

        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": path, "WATCHDOG_USEC": "20000000", "WATCHDOG_PID": String(getpid())])
        XCTAssertEqual(notifier.watchdogInterval, 10)
        for message in ["READY=1\nSTATUS=3 pipelines", "WATCHDOG=1", "STOPPING=1"] {
            XCTAssertTrue(notifier.notify(message))
            var buffer = [UInt8](repeating: 0, count: 256)
            let n = recv(fd, &buffer, buffer.count, 0)
            XCTAssertEqual(String(decoding: buffer.prefix(max(n, 0)), as: UTF8.self), message)
        }
        // Outside systemd it does nothing.
        XCTAssertFalse(SystemdNotifier(environment: [:]).notify("READY=1"))
        XCTAssertNil(SystemdNotifier(environment: [:]).watchdogInterval)
    }
}

import Foundation
import PaduCore
import PaduRemote

/// Where events wait until a collector accepted them: `<home>/openlineage/outbox.jsonl`, one
/// event per line, appended and flushed to disk before a run goes on, and `delivered`, the byte
/// offset up to which the collector has accepted them. Nothing is lost while the collector is
/// down; after a crash between a collector's acceptance and the offset's update, that one event
/// is sent again (OpenLineage consumers key events by run id and type).
public final class OpenLineageOutbox {
    public let folder: String
    var outboxPath: String { folder + "/outbox.jsonl" }
    var offsetPath: String { folder + "/delivered" }

    public init(home: String) {
        folder = home + "/openlineage"
    }

    /// Appends one event (a line of JSON) and forces it to disk.
    public func append(_ line: String) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let fd = open(outboxPath, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw OutboxError(description: "cannot open \(outboxPath): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var bytes = Array((line + "\n").utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
            guard n > 0 else { throw OutboxError(description: "cannot write \(outboxPath): \(String(cString: strerror(errno)))") }
            offset += n
        }
        fsync(fd)
    }

    /// Events not yet accepted, in order, with the offset just after each.
    public func pending() throws -> [(event: String, end: Int)] {
        guard let data = FileManager.default.contents(atPath: outboxPath) else { return [] }
        var start = delivered()
        guard start < data.count else { return [] }
        var out: [(String, Int)] = []
        while start < data.count, let newline = data[start...].firstIndex(of: 0x0A) {
            out.append((String(decoding: data[start..<newline], as: UTF8.self), newline + 1))
            start = newline + 1
        }
        return out
    }

    /// The byte offset up to which events were accepted.
    public func delivered() -> Int {
        guard let text = try? String(contentsOfFile: offsetPath, encoding: .utf8) else { return 0 }
        return Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }

    func markDelivered(_ offset: Int) throws {
        let temp = offsetPath + ".tmp"
        try String(offset).write(toFile: temp, atomically: false, encoding: .utf8)
        chmod(temp, 0o600)
        guard rename(temp, offsetPath) == 0 else { throw OutboxError(description: "cannot update \(offsetPath)") }
    }

    /// Sends pending events to `collector` in order, each until accepted or `attempts` tries
    /// (with a growing pause) have failed; stops at the first event not accepted, so order is
    /// kept. Returns how many were delivered, and the last failure.
    public func ship(to collector: String, token: String?, attempts: Int = 3, pause: Double = 0.5,
                     post: (String, String, String?) -> Result<Int, HTTPPostError> = { HTTPPost.json($0, to: $1, token: $2) })
        throws -> (delivered: Int, failure: HTTPPostError?) {
        var sent = 0
        for item in try pending() {
            var lastFailure: HTTPPostError?
            for attempt in 0..<attempts {
                switch post(item.event, collector, token) {
                case .success:
                    lastFailure = nil
                case .failure(let e):
                    lastFailure = e
                    // A client error other than a timeout or rate limit will not pass by retrying.
                    if let s = e.status, (400..<500).contains(s), s != 408, s != 429 { break }
                    if attempt + 1 < attempts { Thread.sleep(forTimeInterval: pause * Double(attempt + 1)) }
                    continue
                }
                break
            }
            if let lastFailure { return (sent, lastFailure) }
            try markDelivered(item.end)
            sent += 1
        }
        return (sent, nil)
    }
}

/// The outbox cannot be written or read.
public struct OutboxError: Error, Sendable, CustomStringConvertible {
    public let description: String
}

#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation

/// Log lines appended to `<folder>/padu.log` (owner-only), rotated by size: when a write would
/// pass `maxBytes`, `padu.log` becomes `padu.log.1`, `.1` becomes `.2`, …, and the oldest beyond
/// `keep` is removed. `reopen()` (on SIGHUP) closes and reopens the file, for logrotate. Safe to
/// use from several threads; several processes writing one folder append whole lines.
public final class RotatingFileLog: LogOutput, @unchecked Sendable {
    public let folder: String
    public let maxBytes: Int64
    public let keep: Int
    public let format: LogFormat
    private let lock = NSLock()
    private var fd: Int32 = -1
    private var size: Int64 = 0

    public var path: String { folder + "/padu.log" }

    public init(folder: String, maxBytes: Int64 = 10 << 20, keep: Int = 5, format: LogFormat = .logfmt) {
        self.folder = folder
        self.maxBytes = maxBytes
        self.keep = max(1, keep)
        self.format = format
    }

    deinit { if fd >= 0 { close(fd) } }

    public func write(_ record: LogRecord) {
        let bytes = Array((record.formatted(format) + "\n").utf8)
        lock.lock()
        defer { lock.unlock() }
        if fd < 0 { openFile() }
        guard fd >= 0 else { return }
        if size > 0 && size + Int64(bytes.count) > maxBytes { rotate() }
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n <= 0 { return }
            offset += n
        }
        size += Int64(bytes.count)
    }

    /// Closes and reopens the file (after an external rotation, or on SIGHUP).
    public func reopen() {
        lock.lock()
        defer { lock.unlock() }
        if fd >= 0 { close(fd) }
        fd = -1
        openFile()
    }

    private func openFile() {
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        var st = stat()
        size = fd >= 0 && fstat(fd, &st) == 0 ? Int64(st.st_size) : 0
    }

    private func rotate() {
        // Another process may have rotated already: rotate only if our file is still padu.log.
        var ours = stat(), current = stat()
        if fstat(fd, &ours) == 0, stat(path, &current) == 0, ours.st_ino == current.st_ino {
            unlink(folder + "/padu.log.\(keep)")
            for n in stride(from: keep - 1, through: 1, by: -1) {
                rename(folder + "/padu.log.\(n)", folder + "/padu.log.\(n + 1)")
            }
            rename(path, folder + "/padu.log.1")
        }
        close(fd)
        fd = -1
        openFile()
    }

    /// The log files of a folder, oldest first (`padu.log.5` … `padu.log.1`, `padu.log`).
    public static func files(in folder: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        let rotated = names.compactMap { name -> (Int, String)? in
            guard name.hasPrefix("padu.log."), let n = Int(name.dropFirst("padu.log.".count)) else { return nil }
            return (n, folder + "/" + name)
        }.sorted { $0.0 > $1.0 }.map(\.1)
        return rotated + (names.contains("padu.log") ? [folder + "/padu.log"] : [])
    }
}

#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation

/// Why the metrics file could not be written.
public struct MetricsFileError: Error, Sendable, CustomStringConvertible {
    public let description: String
}

/// `<home>/metrics/padu.prom`, for node_exporter's textfile collector: written to a temporary
/// file (whose name does not end in `.prom`, so the collector never reads it half) and renamed
/// into place. Mode 0644: the metrics hold no personal data.
public enum MetricsFile {
    /// The file's path for a home folder.
    public static func path(home: String) -> String { home + "/metrics/padu.prom" }

    /// Writes `text` atomically to `path` (creating its folder, mode 0755).
    public static func write(_ text: String, to path: String) throws(MetricsFileError) {
        let folder = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        } catch {
            throw MetricsFileError(description: "cannot create \(folder): \(error.localizedDescription)")
        }
        let temp = folder + "/.padu.prom.tmp-\(getpid())"
        func failure(_ what: String) -> MetricsFileError {
            let reason = String(cString: strerror(errno))
            unlink(temp)
            return MetricsFileError(description: "cannot \(what) \(path): \(reason)")
        }
        let fd = open(temp, O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw failure("create") }
        fchmod(fd, 0o644)  // whatever the umask
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n <= 0 { close(fd); throw failure("write") }
            offset += n
        }
        close(fd)
        guard rename(temp, path) == 0 else { throw failure("rename into") }
    }
}

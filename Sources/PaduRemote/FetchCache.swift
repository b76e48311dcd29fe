#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import PaduCore

/// What is remembered about the last successful fetch of one URL (`<key>.state.json`).
///
/// Holds no secrets: the URL is stored redacted.
struct FetchRecord: Codable, Equatable {
    /// The source URL, redacted (for people looking at the cache folder).
    var url: String
    /// The cached file's name inside the cache folder.
    var file: String
    var etag: String?
    var lastModified: String?
    var sha256: String
    var bytes: Int64
    var httpStatus: Int?
    /// When the content was last downloaded or confirmed (ISO 8601, UTC).
    var checkedAt: String
}

/// A local I/O failure in the cache folder.
struct CacheFailure: Error {
    let reason: String
    let advice: String

    static func system(_ what: String, _ path: String, code: Int32 = errno) -> CacheFailure {
        let advice: String
        switch code {
        case ENOSPC, EDQUOT:
            advice = "Free disk space on the cache folder's disk, or choose a cache folder on a larger disk"
        case EACCES, EPERM, EROFS:
            advice = "Make the cache folder writable by the daemon's user, or choose another cache folder"
        default:
            advice = "Check the cache folder and its disk"
        }
        return CacheFailure(reason: "cannot \(what) '\(path)': \(String(cString: strerror(code)))", advice: advice)
    }
}

/// The files of one URL in the cache folder.
///
/// For a URL with key `k` (the first 16 hex digits of the SHA-256 of the full URL):
/// `k-<name>` is the downloaded file, `k.state.json` the fetch record, `k.lock` the lock that
/// serializes fetches of the same URL (across threads and processes) and `.k.partial-XXXXXX`
/// a download in progress, renamed to `k-<name>` only when complete.
struct CacheEntry {
    let directory: String
    let key: String
    let fileName: String

    init(directory: String, source: String, redactedURL: String) {
        self.directory = directory
        var hasher = SHA256()
        var text = source
        text.withUTF8 { hasher.update(UnsafeRawBufferPointer($0)) }
        key = String(hasher.finalize().hex.prefix(16))
        fileName = "\(key)-\(Self.baseName(of: redactedURL))"
    }

    var finalPath: String { "\(directory)/\(fileName)" }
    var recordPath: String { "\(directory)/\(key).state.json" }
    var lockPath: String { "\(directory)/\(key).lock" }
    var partialPrefix: String { ".\(key).partial-" }

    /// The last path segment of the (redacted) URL, reduced to `[A-Za-z0-9._-]`, so the cached file
    /// keeps a recognizable name and extension (`data.csv`); `download` if nothing usable remains.
    static func baseName(of redactedURL: String) -> String {
        var text = Substring(redactedURL)
        if let scheme = text.range(of: "://") {
            text = text[scheme.upperBound...]
            text = text[(text.firstIndex(of: "/") ?? text.endIndex)...]
        }
        if let end = text.firstIndex(where: { $0 == "?" || $0 == "#" }) {
            text = text[..<end]
        }
        let last = text.split(separator: "/").last.map(String.init) ?? ""
        let decoded = last.removingPercentEncoding ?? last
        var name = String(decoded.unicodeScalars.map { scalar -> Character in
            let allowed = (scalar.value < 0x80) && (CharacterSet.alphanumerics.contains(scalar) || scalar == "." || scalar == "-" || scalar == "_")
            return allowed ? Character(scalar) : "_"
        })
        while name.hasPrefix(".") || name.hasPrefix("_") { name.removeFirst() }
        if name.count > 80 { name = String(name.suffix(80)) }
        if name.isEmpty || name.allSatisfy({ $0 == "_" || $0 == "." }) { return "download" }
        return name
    }

    // MARK: Folder

    /// Creates the cache folder (and missing parents) with mode 0700; tightens an existing folder
    /// owned by this user to 0700.
    static func prepareDirectory(_ path: String) throws(CacheFailure) {
        guard !path.isEmpty else {
            throw CacheFailure(reason: "no cache folder was given", advice: "Configure a cache folder for downloads")
        }
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, 0o700) != 0 && errno != EEXIST {
                throw CacheFailure.system("create cache folder", prefix)
            }
        }
        var info = stat()
        guard stat(path, &info) == 0 else { throw CacheFailure.system("inspect cache folder", path) }
        guard (info.st_mode & S_IFMT) == S_IFDIR else {
            throw CacheFailure(
                reason: "the cache folder '\(path)' exists but is not a folder",
                advice: "Remove it or choose another cache folder"
            )
        }
        if info.st_mode & 0o077 != 0 {
            guard info.st_uid == geteuid(), chmod(path, 0o700) == 0 else {
                throw CacheFailure(
                    reason: "the cache folder '\(path)' is accessible to other users and cannot be restricted "
                        + "(mode 0\(String(info.st_mode & 0o777, radix: 8)))",
                    advice: "Run `chmod 700 \(path)` as its owner, or choose a cache folder owned by the daemon's user"
                )
            }
        }
    }

    // MARK: Lock

    /// Takes the per-URL lock; returns the descriptor to close when done.
    func lock() throws(CacheFailure) -> Int32 {
        let fd = open(lockPath, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw CacheFailure.system("create lock file", lockPath) }
        while flock(fd, LOCK_EX) != 0 {
            if errno == EINTR { continue }
            let failure = CacheFailure.system("lock", lockPath)
            close(fd)
            throw failure
        }
        return fd
    }

    /// Removes partial downloads left by an interrupted process (call with the lock held).
    func removeStalePartials() {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for name in names where name.hasPrefix(partialPrefix) || name.hasPrefix(".\(key).state.json.") {
            unlink("\(directory)/\(name)")
        }
    }

    // MARK: Record

    /// The last record, or nil if there is none or it is unreadable.
    func loadRecord() -> FetchRecord? {
        guard let data = FileManager.default.contents(atPath: recordPath) else { return nil }
        return try? JSONDecoder().decode(FetchRecord.self, from: data)
    }

    /// The cached file of `record` if it still exists with the recorded size.
    func usableCachedFile(_ record: FetchRecord) -> String? {
        guard record.file == fileName else { return nil }
        var info = stat()
        guard stat(finalPath, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, Int64(info.st_size) == record.bytes else {
            return nil
        }
        return finalPath
    }

    /// Writes the record atomically (temporary file, fsync, rename), mode 0600.
    func saveRecord(_ record: FetchRecord) throws(CacheFailure) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data: Data
        do {
            data = try encoder.encode(record)
        } catch {
            throw CacheFailure(reason: "cannot encode the fetch record: \(error)", advice: "Report this as a bug")
        }
        let temporary = try TemporaryFile.create(in: directory, prefix: ".\(key).state.json.")
        defer { temporary.discard() }
        let bytes = [UInt8](data)
        let failure: CacheFailure? = bytes.withUnsafeBytes { buffer in
            do throws(CacheFailure) {
                try temporary.write(buffer)
                return nil
            } catch {
                return error
            }
        }
        if let failure { throw failure }
        try temporary.commit(to: recordPath)
    }
}

/// A file created with `mkstemp` (mode 0600) that is renamed into place on success and removed
/// otherwise, so a final name never holds partial content.
final class TemporaryFile {
    let path: String
    private(set) var fd: Int32
    private var finished = false  // renamed into place, or already removed

    private init(path: String, fd: Int32) {
        self.path = path
        self.fd = fd
    }

    deinit { discard() }

    static func create(in directory: String, prefix: String) throws(CacheFailure) -> TemporaryFile {
        var template = Array("\(directory)/\(prefix)XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw CacheFailure.system("create a temporary file in", directory) }
        let path = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        _ = fchmod(fd, 0o600)
        return TemporaryFile(path: path, fd: fd)
    }

    /// Empties the file (before a retry).
    func truncate() throws(CacheFailure) {
        guard ftruncate(fd, 0) == 0, lseek(fd, 0, SEEK_SET) == 0 else {
            throw CacheFailure.system("truncate", path)
        }
    }

    /// Writes all of `bytes`.
    func write(_ bytes: UnsafeRawBufferPointer) throws(CacheFailure) {
        var offset = 0
        while offset < bytes.count {
            let written = posixWrite(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw CacheFailure.system("write", path)
            }
            offset += written
        }
    }

    /// Flushes to disk and renames to `finalPath` (atomically replacing it), then syncs the folder.
    func commit(to finalPath: String) throws(CacheFailure) {
        guard fsync(fd) == 0 else { throw CacheFailure.system("flush", path) }
        close(fd)
        fd = -1
        guard rename(path, finalPath) == 0 else { throw CacheFailure.system("move the download to", finalPath) }
        finished = true
        let directory = (finalPath as NSString).deletingLastPathComponent
        let directoryFD = open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directoryFD >= 0 {
            _ = fsync(directoryFD)
            close(directoryFD)
        }
    }

    /// Closes and removes the file unless it was committed.
    func discard() {
        if fd >= 0 {
            close(fd)
            fd = -1
        }
        if !finished {
            unlink(path)
            finished = true
        }
    }
}

/// `write(2)`, callable where a method named `write` shadows it.
func posixWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, buffer, count)
}

/// `read(2)`, callable where a method named `read` shadows it.
func posixRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(fd, buffer, count)
}

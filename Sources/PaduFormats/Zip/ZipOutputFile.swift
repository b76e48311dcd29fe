#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `write(2)`, named apart from the methods called `write`.
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}

/// A file being written through a buffer, keeping track of the logical write offset. Used for the
/// archive being written and for spool files. Errors name the archive's final path.
final class ZipOutputFile {
    /// The file descriptor; owned, closed by ``closeDescriptor()`` or at deinit.
    private(set) var descriptor: Int32
    /// The final path of the archive, for error messages.
    let archivePath: String
    /// The number of bytes written so far, buffered ones included.
    private(set) var offset: Int64 = 0

    private var buffer: [UInt8] = []
    private static let bufferSize = 256 << 10

    /// Wraps an open, writable descriptor positioned at offset 0.
    init(descriptor: Int32, archivePath: String) {
        self.descriptor = descriptor
        self.archivePath = archivePath
        buffer.reserveCapacity(Self.bufferSize)
    }

    deinit { closeDescriptor() }

    /// Creates `path` exclusively with mode 0600 (it may hold personal data). A stale file left at that
    /// exact path (by a crashed process with the same pid) is replaced. With `readable`, the file is
    /// also opened for reading.
    static func create(path: String, archivePath: String, what: String, readable: Bool = false) throws -> ZipOutputFile {
        let flags = (readable ? O_RDWR : O_WRONLY) | O_CREAT | O_EXCL | O_CLOEXEC
        var descriptor = open(path, flags, 0o600)
        if descriptor < 0, errno == EEXIST {
            unlink(path)
            descriptor = open(path, flags, 0o600)
        }
        guard descriptor >= 0 else {
            let reason = String(cString: strerror(errno))
            throw ZipWriteError(
                kind: .cannotCreate, path: archivePath,
                message: "cannot create \(what) '\(path)' (\(reason)); check that the folder exists and that Padu may write to it"
            )
        }
        // The mode asked of open() is reduced by the umask, never widened; make it exactly 0600.
        _ = fchmod(descriptor, 0o600)
        return ZipOutputFile(descriptor: descriptor, archivePath: archivePath)
    }

    /// Appends bytes.
    func write(_ bytes: UnsafeRawBufferPointer) throws {
        if buffer.count + bytes.count > Self.bufferSize {
            try flush()
            if bytes.count >= Self.bufferSize {
                try writeFully(bytes, at: nil)
                offset += Int64(bytes.count)
                return
            }
        }
        buffer.append(contentsOf: bytes)
        offset += Int64(bytes.count)
    }

    /// Appends bytes.
    func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    /// Writes the buffered bytes to the file.
    func flush() throws {
        if buffer.isEmpty { return }
        try buffer.withUnsafeBytes { try writeFully($0, at: nil) }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Overwrites bytes already written at `position` (flushes first).
    func overwrite(_ bytes: [UInt8], at position: Int64) throws {
        try flush()
        try bytes.withUnsafeBytes { try writeFully($0, at: position) }
    }

    /// Flushes and asks the system to put the file on disk.
    func synchronize() throws {
        try flush()
        if fsync(descriptor) != 0 {
            throw failure("saving the file to disk failed")
        }
    }

    /// Closes the descriptor (idempotent). Buffered bytes are dropped: call ``flush()`` first.
    func closeDescriptor() {
        if descriptor >= 0 {
            close(descriptor)
            descriptor = -1
        }
    }

    private func writeFully(_ bytes: UnsafeRawBufferPointer, at position: Int64?) throws {
        guard descriptor >= 0 else {
            throw ZipWriteError(kind: .closed, path: archivePath, message: "the archive was already closed")
        }
        var done = 0
        while done < bytes.count {
            let count: Int
            if let position {
                count = pwrite(descriptor, bytes.baseAddress! + done, bytes.count - done, off_t(position) + off_t(done))
            } else {
                count = systemWrite(descriptor, bytes.baseAddress! + done, bytes.count - done)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw failure("writing the file failed")
            }
            done += count
        }
    }

    private func failure(_ what: String) -> ZipWriteError {
        let reason = String(cString: strerror(errno))
        return ZipWriteError(
            kind: .writeFailed, path: archivePath,
            message: "\(what) (\(reason)); check that the disk is not full and try again"
        )
    }
}

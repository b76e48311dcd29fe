import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a zip archive to a file, streaming: entries are deflated with zlib as their content comes,
/// and never held whole in memory (except entries given as one byte array).
///
/// The archive is written to `<path>.tmp-<pid>`, created with mode 0600 because exports hold personal
/// data, and renamed to `path` by ``close()``: readers never see a half-written file. When anything
/// fails, or the writer is dropped without ``close()``, the temporary file is removed; the writer is
/// then unusable.
///
/// Each local header is written first with placeholder CRC and sizes, which are written into it once
/// the entry is complete (so no data descriptors). ZIP64 is not written: an entry or an archive
/// reaching 4 GiB, or more than 65 535 entries, is refused with ``ZipWriteError``.
///
/// ```swift
/// let zip = try ZipWriter(path: "/srv/padu/out/report.zip")
/// try zip.addEntry(name: "readme.txt", data: Array("hello".utf8))
/// try zip.addEntry(name: "data.csv", contentsOfFile: "/tmp/data.csv")
/// try zip.close()
/// ```
public final class ZipWriter {
    /// The final path of the archive.
    public let path: String
    /// Where the archive is written until ``close()`` renames it to ``path``.
    public let temporaryPath: String
    /// The modification date recorded for entries added without one.
    public let modificationDate: Date
    /// The number of entries added so far.
    public var entryCount: Int { records.count }

    /// The largest entry or archive size written, in bytes (below 4 GiB; lowered by tests).
    var maxSize: Int64 = 0xFFFF_FFFE
    /// The largest number of entries written.
    var maxEntries = 0xFFFF

    private var output: ZipOutputFile?
    private let level: Int32
    private var records: [CentralRecord] = []
    private var names: Set<String> = []
    private var spoolCount = 0

    private struct CentralRecord {
        var name: [UInt8]
        var flags: UInt16
        var time: UInt16
        var date: UInt16
        var crc32: UInt32
        var compressedSize: UInt32
        var uncompressedSize: UInt32
        var localHeaderOffset: UInt32
    }

    /// Creates `<path>.tmp-<pid>` (mode 0600) to write the archive into.
    /// - Parameters:
    ///   - modificationDate: the date recorded for entries (in local time, as zip tools do).
    ///   - compressionLevel: the zlib level, 0 (fastest) to 9 (smallest); 6 by default.
    /// - Throws: ``ZipWriteError`` (``ZipWriteError/Kind/cannotCreate``) when the folder is missing
    ///   or not writable.
    public init(path: String, modificationDate: Date = Date(), compressionLevel: Int = 6) throws {
        self.path = path
        temporaryPath = "\(path).tmp-\(getpid())"
        self.modificationDate = modificationDate
        level = Int32(min(max(compressionLevel, 0), 9))
        output = try ZipOutputFile.create(path: temporaryPath, archivePath: path, what: "the archive")
    }

    deinit { cancel() }

    /// Adds an entry holding `data`.
    /// - Throws: ``ZipWriteError``; the archive is then abandoned.
    public func addEntry(name: String, data: [UInt8], modificationDate: Date? = nil) throws {
        try addStreamed(name: name, date: modificationDate) { feed in
            try data.withUnsafeBytes { try feed($0) }
        }
    }

    /// Adds an entry holding `data`.
    /// - Throws: ``ZipWriteError``; the archive is then abandoned.
    public func addEntry(name: String, data: Data, modificationDate: Date? = nil) throws {
        try addStreamed(name: name, date: modificationDate) { feed in
            try data.withUnsafeBytes { try feed($0) }
        }
    }

    /// Adds an entry holding the content of the file at `sourcePath`, read and deflated in chunks.
    /// - Throws: ``ZipWriteError`` (``ZipWriteError/Kind/sourceUnreadable`` when the file cannot be
    ///   read); the archive is then abandoned.
    public func addEntry(name: String, contentsOfFile sourcePath: String, modificationDate: Date? = nil) throws {
        try addStreamed(name: name, date: modificationDate) { feed in
            let descriptor = open(sourcePath, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { throw self.unreadable(sourcePath, name) }
            defer { closeFile(descriptor) }
            let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 << 10, alignment: 1)
            defer { chunk.deallocate() }
            while true {
                let count = read(descriptor, chunk.baseAddress!, chunk.count)
                if count < 0, errno == EINTR { continue }
                if count < 0 { throw self.unreadable(sourcePath, name) }
                if count == 0 { return }
                try feed(UnsafeRawBufferPointer(rebasing: chunk[0..<count]))
            }
        }
    }

    /// Creates a spool for an entry whose content is produced bit by bit, possibly while other
    /// entries are written. Its deflated bytes wait in an anonymous temporary file next to the archive
    /// until ``addEntry(_:modificationDate:)``.
    /// - Throws: ``ZipWriteError`` when the temporary file cannot be created.
    public func makeSpool(entryName: String) throws -> ZipDeflatedSpool {
        guard output != nil else { throw closedError(entryName) }
        spoolCount += 1
        return try ZipDeflatedSpool(
            entryName: entryName, temporaryPath: "\(temporaryPath)-\(spoolCount)", archivePath: path,
            level: level, maxEntrySize: maxSize
        )
    }

    /// Adds the entry whose content was written into `spool`; the spool cannot be written to after.
    /// - Throws: ``ZipWriteError``; the archive is then abandoned.
    public func addEntry(_ spool: ZipDeflatedSpool, modificationDate: Date? = nil) throws {
        try failing {
            let output = try openOutput(spool.entryName)
            let summary = try spool.finish()
            let headerOffset = try beginEntry(name: spool.entryName, date: modificationDate, output: output)
            try spool.copyCompressed { try output.write($0) }
            try endEntry(
                headerOffset: headerOffset, crc32: summary.crc32, compressedSize: summary.compressedSize,
                uncompressedSize: summary.uncompressedSize, output: output
            )
        }
    }

    /// Writes the central directory, saves the file to disk and renames it to ``path`` (replacing any
    /// file there).
    /// - Throws: ``ZipWriteError``; the temporary file is then removed.
    public func close() throws {
        try failing {
            let output = try openOutput(nil)
            let directoryOffset = output.offset
            for record in records {
                var header = ByteWriter()
                header.u32(0x0201_4b50)
                header.u16(0x031E)  // made by: Unix, zip 3.0 (so the mode below is honoured)
                header.u16(20)  // version needed: 2.0 (deflate)
                header.u16(record.flags)
                header.u16(8)
                header.u16(record.time)
                header.u16(record.date)
                header.u32(record.crc32)
                header.u32(record.compressedSize)
                header.u32(record.uncompressedSize)
                header.u16(UInt16(record.name.count))
                header.u16(0)  // extra field
                header.u16(0)  // comment
                header.u16(0)  // disk number
                header.u16(0)  // internal attributes
                header.u32(UInt32(0o100600) << 16)  // external attributes: regular file, rw-------
                header.u32(record.localHeaderOffset)
                header.bytes.append(contentsOf: record.name)
                try output.write(header.bytes)
            }
            let directorySize = output.offset - directoryOffset
            guard output.offset + 22 <= maxSize else { throw archiveTooLarge(nil) }
            var end = ByteWriter()
            end.u32(0x0605_4b50)
            end.u16(0)
            end.u16(0)
            end.u16(UInt16(records.count))
            end.u16(UInt16(records.count))
            end.u32(UInt32(directorySize))
            end.u32(UInt32(directoryOffset))
            end.u16(0)  // comment
            try output.write(end.bytes)
            try output.synchronize()
            output.closeDescriptor()
            self.output = nil
            if rename(temporaryPath, path) != 0 {
                let reason = String(cString: strerror(errno))
                throw ZipWriteError(
                    kind: .cannotRename, path: path,
                    message: "cannot move the finished archive into place (\(reason)); check that Padu may write to the folder and that no folder has that name"
                )
            }
        }
    }

    /// Abandons the archive: closes and removes the temporary file. Does nothing after ``close()``.
    public func cancel() {
        guard let output else { return }
        output.closeDescriptor()
        self.output = nil
        unlink(temporaryPath)
    }

    // MARK: - Writing entries

    /// Runs `body`; on failure abandons the archive (removing the temporary file) and rethrows.
    private func failing<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            cancel()
            unlink(temporaryPath)
            throw error
        }
    }

    private func openOutput(_ entryName: String?) throws -> ZipOutputFile {
        guard let output else { throw closedError(entryName) }
        return output
    }

    private func addStreamed(
        name: String, date: Date?, content: ((UnsafeRawBufferPointer) throws -> Void) throws -> Void
    ) throws {
        try failing {
            let output = try openOutput(name)
            let headerOffset = try beginEntry(name: name, date: date, output: output)
            let deflater = try ZipDeflater(level: level, archivePath: path, entryName: name, maxEntrySize: maxSize)
            try content { bytes in
                try deflater.compress(bytes) { try output.write($0) }
                if output.offset > maxSize { throw archiveTooLarge(name) }
            }
            try deflater.finish { try output.write($0) }
            try endEntry(
                headerOffset: headerOffset, crc32: deflater.crc32, compressedSize: deflater.compressedSize,
                uncompressedSize: deflater.uncompressedSize, output: output
            )
        }
    }

    /// Checks the name and writes the local header with placeholder CRC and sizes; returns its offset.
    private func beginEntry(name: String, date: Date?, output: ZipOutputFile) throws -> Int64 {
        guard ZipArchive.isSafeEntryName(name), !name.hasSuffix("/"), name.utf8.count <= 0xFFFF else {
            throw ZipWriteError(
                kind: .invalidEntryName, path: path, entryName: name,
                message: "'\(name)' cannot name a zip entry: it must be a relative path without '..', at most 65 535 bytes"
            )
        }
        guard names.insert(name).inserted else {
            throw ZipWriteError(
                kind: .invalidEntryName, path: path, entryName: name,
                message: "the archive already has an entry named '\(name)'"
            )
        }
        guard records.count < maxEntries else {
            throw ZipWriteError(
                kind: .archiveTooLarge, path: path, entryName: name,
                message: "the archive cannot hold more than \(maxEntries) entries without ZIP64"
            )
        }
        let headerOffset = output.offset
        guard headerOffset <= maxSize else { throw archiveTooLarge(name) }
        let nameBytes = Array(name.utf8)
        let flags: UInt16 = nameBytes.allSatisfy { $0 < 0x80 } ? 0 : 1 << 11
        let (time, day) = Self.dosDateTime(date ?? modificationDate)
        var header = ByteWriter()
        header.u32(ZipArchive.localHeaderSignature)
        header.u16(20)
        header.u16(flags)
        header.u16(8)
        header.u16(time)
        header.u16(day)
        header.u32(0)  // CRC-32, written by endEntry
        header.u32(0)  // compressed size, idem
        header.u32(0)  // uncompressed size, idem
        header.u16(UInt16(nameBytes.count))
        header.u16(0)
        header.bytes.append(contentsOf: nameBytes)
        try output.write(header.bytes)
        records.append(
            CentralRecord(
                name: nameBytes, flags: flags, time: time, date: day, crc32: 0,
                compressedSize: 0, uncompressedSize: 0, localHeaderOffset: UInt32(headerOffset)
            )
        )
        return headerOffset
    }

    /// Writes the CRC and sizes into the entry's local header and its central record.
    private func endEntry(
        headerOffset: Int64, crc32: UInt32, compressedSize: Int64, uncompressedSize: Int64, output: ZipOutputFile
    ) throws {
        let name = String(decoding: records[records.count - 1].name, as: UTF8.self)
        guard compressedSize <= maxSize, uncompressedSize <= maxSize else {
            throw ZipWriteError(
                kind: .entryTooLarge, path: path, entryName: name,
                message: "entry '\(name)' is 4 GiB or more, more than a zip archive without ZIP64 can hold; split the export into several files"
            )
        }
        guard output.offset <= maxSize else { throw archiveTooLarge(name) }
        var fields = ByteWriter()
        fields.u32(crc32)
        fields.u32(UInt32(compressedSize))
        fields.u32(UInt32(uncompressedSize))
        try output.overwrite(fields.bytes, at: headerOffset + 14)
        records[records.count - 1].crc32 = crc32
        records[records.count - 1].compressedSize = UInt32(compressedSize)
        records[records.count - 1].uncompressedSize = UInt32(uncompressedSize)
    }

    private func archiveTooLarge(_ entryName: String?) -> ZipWriteError {
        ZipWriteError(
            kind: .archiveTooLarge, path: path, entryName: entryName,
            message: "the archive reaches 4 GiB, more than a zip archive without ZIP64 can hold; split the export into several files"
        )
    }

    private func closedError(_ entryName: String?) -> ZipWriteError {
        ZipWriteError(
            kind: .closed, path: path, entryName: entryName,
            message: "the archive was already closed or abandoned after an error; nothing more can be written to it"
        )
    }

    private func unreadable(_ sourcePath: String, _ entryName: String) -> ZipWriteError {
        let reason = String(cString: strerror(errno))
        return ZipWriteError(
            kind: .sourceUnreadable, path: path, entryName: entryName,
            message: "cannot read '\(sourcePath)' to add it as entry '\(entryName)' (\(reason))"
        )
    }

    // MARK: - Dates

    /// The MS-DOS time and date fields of `date` in local time (2-second resolution), clamped to the
    /// years 1980–2107 that the format can hold.
    public static func dosDateTime(_ date: Date) -> (time: UInt16, date: UInt16) {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        guard localtime_r(&seconds, &parts) != nil else { return (0, 1 << 5 | 1) }
        let year = Int(parts.tm_year) + 1900
        if year < 1980 { return (0, 1 << 5 | 1) }
        if year > 2107 { return (23 << 11 | 59 << 5 | 29, 127 << 9 | 12 << 5 | 31) }
        let time = UInt16(parts.tm_hour) << 11 | UInt16(parts.tm_min) << 5 | UInt16(min(parts.tm_sec, 59) / 2)
        let day = UInt16(year - 1980) << 9 | UInt16(parts.tm_mon + 1) << 5 | UInt16(parts.tm_mday)
        return (time, day)
    }
}

/// `close(2)`, named apart from ``ZipWriter/close()``.
private func closeFile(_ descriptor: Int32) {
    _ = close(descriptor)
}

/// Little-endian field output.
struct ByteWriter {
    var bytes: [UInt8] = []

    mutating func u16(_ value: UInt16) {
        bytes.append(UInt8(value & 0xFF))
        bytes.append(UInt8(value >> 8))
    }

    mutating func u32(_ value: UInt32) {
        u16(UInt16(value & 0xFFFF))
        u16(UInt16(value >> 16))
    }
}

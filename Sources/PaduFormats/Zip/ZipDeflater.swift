import CZlib

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Streams bytes through zlib's raw deflate (no zlib header, window bits -15, as zip wants), keeping
/// the CRC-32 and both sizes. Refuses an entry reaching 4 GiB (ZIP64 is not written).
final class ZipDeflater {
    /// The CRC-32 of the bytes fed so far.
    var crc32: UInt32 { UInt32(truncatingIfNeeded: crc) }
    /// The number of bytes fed so far.
    private(set) var uncompressedSize: Int64 = 0
    /// The number of compressed bytes produced so far.
    private(set) var compressedSize: Int64 = 0

    private let archivePath: String
    private let entryName: String
    private let maxEntrySize: Int64
    private var crc: UInt = 0
    private let stream: UnsafeMutablePointer<z_stream>
    private let output: UnsafeMutableRawBufferPointer
    private var finished = false
    private static let outputChunk = 64 << 10

    /// Starts a raw deflate stream at `level` (0–9).
    init(level: Int32, archivePath: String, entryName: String, maxEntrySize: Int64) throws {
        self.archivePath = archivePath
        self.entryName = entryName
        self.maxEntrySize = maxEntrySize
        stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let status = deflateInit2_(
            stream, level, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY, zlibVersion(), Int32(MemoryLayout<z_stream>.size)
        )
        guard status == Z_OK else {
            stream.deinitialize(count: 1)
            stream.deallocate()
            throw ZipWriteError(
                kind: .compressionFailed, path: archivePath, entryName: entryName,
                message: "zlib could not start compressing entry '\(entryName)' (status \(status))"
            )
        }
        output = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.outputChunk, alignment: 1)
    }

    deinit {
        deflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
        output.deallocate()
    }

    /// Compresses `input`, handing compressed bytes to `sink` as they come.
    func compress(_ input: UnsafeRawBufferPointer, to sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard !finished else {
            throw ZipWriteError(
                kind: .closed, path: archivePath, entryName: entryName,
                message: "entry '\(entryName)' was already finished"
            )
        }
        guard input.count > 0 else { return }
        uncompressedSize += Int64(input.count)
        if uncompressedSize > maxEntrySize { throw tooLarge() }
        var remaining = input
        while !remaining.isEmpty {
            // zlib counts in 32-bit units.
            let piece = UnsafeRawBufferPointer(rebasing: remaining.prefix(1 << 30))
            let base = UnsafeMutablePointer(mutating: piece.baseAddress!.assumingMemoryBound(to: Bytef.self))
            crc = CZlib.crc32(crc, base, uInt(piece.count))
            stream.pointee.next_in = base
            stream.pointee.avail_in = uInt(piece.count)
            try run(flush: Z_NO_FLUSH, to: sink)
            remaining = UnsafeRawBufferPointer(rebasing: remaining.dropFirst(piece.count))
        }
    }

    /// Ends the stream, handing the last compressed bytes to `sink`.
    func finish(to sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard !finished else { return }
        stream.pointee.next_in = nil
        stream.pointee.avail_in = 0
        try run(flush: Z_FINISH, to: sink)
        finished = true
    }

    private func run(flush: Int32, to sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        while true {
            stream.pointee.next_out = output.baseAddress!.assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_out = uInt(output.count)
            let status = deflate(stream, flush)
            let produced = output.count - Int(stream.pointee.avail_out)
            guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
                throw ZipWriteError(
                    kind: .compressionFailed, path: archivePath, entryName: entryName,
                    message: "zlib failed compressing entry '\(entryName)' (status \(status))"
                )
            }
            if produced > 0 {
                compressedSize += Int64(produced)
                if compressedSize > maxEntrySize { throw tooLarge() }
                try sink(UnsafeRawBufferPointer(rebasing: output[0..<produced]))
            }
            if flush == Z_FINISH {
                if status == Z_STREAM_END { return }
            } else if stream.pointee.avail_in == 0, stream.pointee.avail_out > 0 {
                return
            }
        }
    }

    private func tooLarge() -> ZipWriteError {
        ZipWriteError(
            kind: .entryTooLarge, path: archivePath, entryName: entryName,
            message: "entry '\(entryName)' reaches \(maxEntrySize + 1) bytes, more than a zip archive without ZIP64 can hold; split the export into several files"
        )
    }
}

/// The deflated content of one future zip entry, spooled to an anonymous temporary file (mode 0600,
/// unlinked as soon as it is created, so nothing is left behind even after a crash). Make one with
/// ``ZipWriter/makeSpool(entryName:)``, write content into it in any
/// number of pieces, then add it with ``ZipWriter/addEntry(_:modificationDate:)``.
///
/// Several spools can be filled at the same time; only compressed bytes are kept on disk and only
/// one buffer is kept in memory.
public final class ZipDeflatedSpool {
    /// The name the entry will have in the archive.
    public let entryName: String
    /// The number of uncompressed bytes written so far.
    public var uncompressedSize: Int64 { deflater.uncompressedSize }

    private let file: ZipOutputFile
    private let deflater: ZipDeflater
    private var finished = false

    init(entryName: String, temporaryPath: String, archivePath: String, level: Int32, maxEntrySize: Int64) throws {
        self.entryName = entryName
        file = try ZipOutputFile.create(path: temporaryPath, archivePath: archivePath, what: "the temporary file", readable: true)
        unlink(temporaryPath)
        deflater = try ZipDeflater(level: level, archivePath: archivePath, entryName: entryName, maxEntrySize: maxEntrySize)
    }

    /// Appends uncompressed content.
    /// - Throws: ``ZipWriteError`` when the disk is full, the entry reaches 4 GiB, or the spool was added already.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard !finished else {
            throw ZipWriteError(
                kind: .closed, path: file.archivePath, entryName: entryName,
                message: "entry '\(entryName)' was already added to the archive"
            )
        }
        try deflater.compress(bytes) { try file.write($0) }
    }

    /// Appends uncompressed content.
    public func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    /// Ends the deflate stream; returns the CRC-32 and sizes.
    func finish() throws -> (crc32: UInt32, compressedSize: Int64, uncompressedSize: Int64) {
        if !finished {
            try deflater.finish { try file.write($0) }
            try file.flush()
            finished = true
        }
        return (deflater.crc32, deflater.compressedSize, deflater.uncompressedSize)
    }

    /// Streams the compressed bytes to `sink` in chunks.
    func copyCompressed(to sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 << 10, alignment: 1)
        defer { chunk.deallocate() }
        var position: Int64 = 0
        while position < file.offset {
            let count = pread(file.descriptor, chunk.baseAddress!, chunk.count, off_t(position))
            if count < 0, errno == EINTR { continue }
            guard count > 0 else {
                let reason = count < 0 ? String(cString: strerror(errno)) : "the file ends early"
                throw ZipWriteError(
                    kind: .writeFailed, path: file.archivePath, entryName: entryName,
                    message: "reading back the temporary file of entry '\(entryName)' failed (\(reason))"
                )
            }
            try sink(UnsafeRawBufferPointer(rebasing: chunk[0..<count]))
            position += Int64(count)
        }
    }
}

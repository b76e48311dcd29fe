import CZlib

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Safety limits applied while reading zip entries. They are enforced on the bytes actually
/// produced while inflating, never on the sizes the archive declares.
public struct ZipLimits: Sendable {
    /// The largest uncompressed size accepted for one entry, in bytes. Default 2 GiB.
    public var maxUncompressedEntrySize: Int64
    /// The largest ratio of uncompressed to compressed bytes accepted for one entry once
    /// ``compressionRatioThreshold`` bytes have been produced. Default 200 (200:1).
    public var maxCompressionRatio: Int64
    /// The number of uncompressed bytes from which ``maxCompressionRatio`` is enforced. Default 1 MiB.
    public var compressionRatioThreshold: Int64
    /// The largest number of entries accepted in one archive. Default 100 000.
    public var maxEntries: Int
    /// The largest central directory accepted, in bytes (it is read into memory). Default 64 MiB.
    public var maxCentralDirectorySize: Int64

    /// Creates limits; every parameter has a default suited to office documents.
    public init(
        maxUncompressedEntrySize: Int64 = 2 << 30,
        maxCompressionRatio: Int64 = 200,
        compressionRatioThreshold: Int64 = 1 << 20,
        maxEntries: Int = 100_000,
        maxCentralDirectorySize: Int64 = 64 << 20
    ) {
        self.maxUncompressedEntrySize = maxUncompressedEntrySize
        self.maxCompressionRatio = maxCompressionRatio
        self.compressionRatioThreshold = compressionRatioThreshold
        self.maxEntries = maxEntries
        self.maxCentralDirectorySize = maxCentralDirectorySize
    }
}

/// A failure reading a zip archive (an `.xlsx` file is a zip archive).
public struct ZipError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: Sendable, Equatable {
        /// The file cannot be opened or read.
        case unreadable
        /// The file is not a zip archive at all.
        case notAZip
        /// The file is an OLE2 compound file: an old binary Office file such as `.xls`.
        case legacyBinaryOfficeFile
        /// The file is an Office document protected with a password to open (stored as an OLE2
        /// compound file holding an encrypted package).
        case passwordProtectedOfficeFile
        /// The file ends early: the central directory or an entry's data is missing.
        case truncated
        /// The archive's structures are inconsistent.
        case damaged
        /// The archive is split over several files (disks).
        case multiDisk
        /// More entries (or a larger central directory) than ``ZipLimits`` allow.
        case tooManyEntries
        /// No entry has the requested name.
        case entryNotFound
        /// The entry is encrypted.
        case encryptedEntry
        /// The entry uses a compression method other than stored (0) or deflate (8).
        case unsupportedCompressionMethod
        /// The entry's name is an absolute path or climbs out of the archive (`../`).
        case unsafeEntryName
        /// The entry inflates to more than ``ZipLimits/maxUncompressedEntrySize``.
        case uncompressedSizeExceeded
        /// The entry inflates more than ``ZipLimits/maxCompressionRatio`` times its compressed size.
        case compressionRatioExceeded
        /// The entry inflates to a size different from the one its header declares.
        case sizeMismatch
        /// The entry's CRC-32 does not match its content.
        case crcMismatch
    }

    /// What went wrong.
    public let kind: Kind
    /// The path of the archive file.
    public let path: String
    /// The entry concerned, when the problem concerns one entry.
    public let entryName: String?
    /// What went wrong and what to do, in words for the person responsible for the file.
    public let message: String

    /// Creates an error.
    public init(kind: Kind, path: String, entryName: String? = nil, message: String) {
        self.kind = kind
        self.path = path
        self.entryName = entryName
        self.message = message
    }

    /// The path followed by the message.
    public var description: String { "\(path): \(message)" }
}

/// One file recorded in a zip archive's central directory.
public struct ZipEntry: Sendable, Equatable {
    /// The entry's name (a relative path with `/` separators), decoded as UTF-8, or as code page 437
    /// when it is not valid UTF-8.
    public let name: String
    /// The compression method: 0 stored, 8 deflate; others cannot be read.
    public let compressionMethod: UInt16
    /// The general-purpose flags (bit 0: encrypted, bit 3: data descriptor, bit 11: UTF-8 name).
    public let flags: UInt16
    /// The compressed size declared by the central directory (ZIP64 values applied).
    public let compressedSize: Int64
    /// The uncompressed size declared by the central directory (ZIP64 values applied).
    public let uncompressedSize: Int64
    /// The declared CRC-32 of the uncompressed content.
    public let crc32: UInt32
    /// The offset of the entry's local header in the file.
    public let localHeaderOffset: Int64

    /// Whether the entry is encrypted (and so cannot be read).
    public var isEncrypted: Bool { flags & 1 != 0 || compressionMethod == 99 }
    /// Whether the entry is a directory (its name ends with `/`).
    public var isDirectory: Bool { name.hasSuffix("/") }
    /// Whether the name is safe to use as a relative path: not empty, not absolute, no drive letter,
    /// no `..` component, no NUL. Unsafe entries are listed but refused by ``ZipArchive/openEntry(_:)``.
    public var hasSafeName: Bool { ZipArchive.isSafeEntryName(name) }
}

/// The open file behind an archive, shared by the archive and its entry readers.
final class ZipFile {
    let path: String
    let descriptor: Int32
    let size: Int64

    init(path: String) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        if descriptor < 0 {
            let reason = String(cString: strerror(errno))
            throw ZipError(
                kind: .unreadable, path: path,
                message: "cannot open the file (\(reason)); check that it exists and that Padu may read it"
            )
        }
        var info = stat()
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            close(descriptor)
            throw ZipError(kind: .unreadable, path: path, message: "this is not a regular file")
        }
        self.path = path
        self.descriptor = descriptor
        self.size = Int64(info.st_size)
    }

    deinit { close(descriptor) }

    /// Reads up to `buffer.count` bytes at `offset`; returns how many were read (short only at the end of the file).
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws -> Int {
        var done = 0
        while done < buffer.count {
            let count = pread(descriptor, buffer.baseAddress! + done, buffer.count - done, off_t(offset) + off_t(done))
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                throw ZipError(kind: .unreadable, path: path, message: "reading the file failed (\(reason))")
            }
            done += count
        }
        return done
    }

    /// Reads exactly `count` bytes at `offset`, or throws a truncation error naming `what`.
    func readBytes(_ count: Int, at offset: Int64, what: String, entry: String? = nil) throws -> [UInt8] {
        guard count >= 0, offset >= 0, offset + Int64(count) <= size else {
            throw ZipError(
                kind: .truncated, path: path, entryName: entry,
                message: "the file ends before \(what) (it is probably an incomplete download or copy); ask the sender for the file again"
            )
        }
        var bytes = [UInt8](repeating: 0, count: count)
        let read = try bytes.withUnsafeMutableBytes { try self.read(into: $0, at: offset) }
        guard read == count else {
            throw ZipError(
                kind: .truncated, path: path, entryName: entry,
                message: "the file ends before \(what); ask the sender for the file again"
            )
        }
        return bytes
    }
}

/// Little-endian field access on a byte array.
struct LittleEndianBytes {
    let bytes: [UInt8]

    func u16(_ offset: Int) -> UInt16 {
        UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
    }

    func u32(_ offset: Int) -> UInt32 {
        UInt32(u16(offset)) | UInt32(u16(offset + 2)) << 16
    }

    func u64(_ offset: Int) -> UInt64 {
        UInt64(u32(offset)) | UInt64(u32(offset + 4)) << 32
    }
}

/// A zip archive read from a file: its central directory is parsed at open; entries are streamed on
/// demand, inflated with zlib and CRC-checked, under ``ZipLimits``.
///
/// Supports stored and deflated entries, ZIP64 archives and archive comments. Refuses, with a
/// ``ZipError`` naming the file and entry: files that are not zip archives (with a dedicated message
/// for old binary `.xls` files and password-protected workbooks), truncated files, split archives,
/// encrypted entries, other compression methods, unsafe entry names, zip bombs and CRC mismatches.
public final class ZipArchive {
    /// The path of the archive file.
    public var path: String { file.path }
    /// The entries, in central-directory order.
    public let entries: [ZipEntry]
    /// The limits applied when reading entries.
    public let limits: ZipLimits

    private let file: ZipFile
    private let indexByName: [String: Int]
    private let indexByLowercasedName: [String: Int]

    /// Opens the archive at `path` and reads its central directory.
    /// - Throws: ``ZipError`` when the file is not a readable, complete, single-file zip archive.
    public init(path: String, limits: ZipLimits = ZipLimits()) throws {
        let file = try ZipFile(path: path)
        self.file = file
        self.limits = limits
        let entries = try Self.readCentralDirectory(file: file, limits: limits)
        self.entries = entries
        var byName: [String: Int] = [:]
        var byLowercasedName: [String: Int] = [:]
        for (index, entry) in entries.enumerated() {
            if byName[entry.name] == nil { byName[entry.name] = index }
            let lowercased = entry.name.lowercased()
            if byLowercasedName[lowercased] == nil { byLowercasedName[lowercased] = index }
        }
        indexByName = byName
        indexByLowercasedName = byLowercasedName
    }

    /// The entry named `name`. A leading `/` is ignored, and when no entry has exactly that name an
    /// entry whose name differs only in letter case is returned (Office part names are
    /// case-insensitive). When several entries share a name, the first one counts.
    public func entry(named name: String) -> ZipEntry? {
        var key = name
        while key.hasPrefix("/") { key.removeFirst() }
        if let index = indexByName[key] { return entries[index] }
        if let index = indexByLowercasedName[key.lowercased()] { return entries[index] }
        return nil
    }

    /// Opens the entry named `name` for streaming (see ``entry(named:)`` for name matching).
    /// - Throws: ``ZipError`` (``ZipError/Kind/entryNotFound`` when absent; see ``openEntry(_:)``).
    public func openEntry(named name: String) throws -> ZipEntryReader {
        guard let entry = entry(named: name) else {
            throw ZipError(
                kind: .entryNotFound, path: file.path, entryName: name,
                message: "the archive has no entry named '\(name)'"
            )
        }
        return try openEntry(entry)
    }

    /// Opens `entry` for streaming. Its content is produced by ``ZipEntryReader/read(into:)``.
    /// - Throws: ``ZipError`` when the entry has an unsafe name, is encrypted, uses an unsupported
    ///   compression method, declares a size over the limit, or its local header is missing or damaged.
    public func openEntry(_ entry: ZipEntry) throws -> ZipEntryReader {
        try ZipEntryReader(file: file, entry: entry, limits: limits)
    }

    /// Reads a whole entry into memory; meant for small entries (relationships, workbook index).
    /// - Parameter maxSize: the largest content accepted, in bytes.
    public func readEntry(named name: String, maxSize: Int = 64 << 20) throws -> [UInt8] {
        let reader = try openEntry(named: name)
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let count = try chunk.withUnsafeMutableBytes { try reader.read(into: $0) }
            if count == 0 { return bytes }
            if bytes.count + count > maxSize {
                throw ZipError(
                    kind: .uncompressedSizeExceeded, path: file.path, entryName: reader.entry.name,
                    message: "entry '\(reader.entry.name)' is larger than \(maxSize) bytes, more than expected for it"
                )
            }
            bytes.append(contentsOf: chunk[0..<count])
        }
    }

    /// Whether `name` is safe as a relative path: not empty, not absolute (`/x`, `\x`, `C:x`), no `..`
    /// component (with `/` or `\` separators), no NUL character.
    public static func isSafeEntryName(_ name: String) -> Bool {
        if name.isEmpty || name.contains("\0") { return false }
        if name.hasPrefix("/") || name.hasPrefix("\\") { return false }
        let scalars = Array(name.unicodeScalars.prefix(2))
        if scalars.count == 2, scalars[1] == ":", scalars[0].properties.isAlphabetic { return false }
        for component in name.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "/" || $0 == "\\" }) {
            if component == ".." { return false }
        }
        return true
    }

    // MARK: - Central directory

    private static let endOfCentralDirectorySignature: UInt32 = 0x0605_4b50
    private static let zip64LocatorSignature: UInt32 = 0x0706_4b50
    private static let zip64EndSignature: UInt32 = 0x0606_4b50
    private static let centralHeaderSignature: UInt32 = 0x0201_4b50
    static let localHeaderSignature: UInt32 = 0x0403_4b50
    private static let oleSignature: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]

    private static func readCentralDirectory(file: ZipFile, limits: ZipLimits) throws -> [ZipEntry] {
        let path = file.path
        let head = try file.readBytes(Int(min(file.size, 8)), at: 0, what: "its first bytes")
        if head.count == 8, head == oleSignature {
            throw oleError(file: file)
        }
        if file.size < 22 {
            throw ZipError(
                kind: file.size == 0 ? .truncated : .notAZip, path: path,
                message: file.size == 0
                    ? "the file is empty; ask the sender for the file again"
                    : "this is not an .xlsx file (not a zip archive: it is only \(file.size) bytes long)"
            )
        }
        let startsLikeZip = head.count >= 4 && head[0] == 0x50 && head[1] == 0x4B && head[2] == 0x03 && head[3] == 0x04

        // The end-of-central-directory record: 22 bytes plus a comment of up to 65 535 bytes.
        let tailLength = Int(min(file.size, 22 + 65_535))
        let tailStart = file.size - Int64(tailLength)
        let tail = LittleEndianBytes(bytes: try file.readBytes(tailLength, at: tailStart, what: "the zip directory"))
        var eocd: Int?
        var position = tailLength - 22
        while position >= 0 {
            if tail.bytes[position] == 0x50, tail.bytes[position + 1] == 0x4B, tail.u32(position) == endOfCentralDirectorySignature {
                let commentLength = Int(tail.u16(position + 20))
                if position + 22 + commentLength <= tailLength {
                    eocd = position
                    break
                }
            }
            position -= 1
        }
        guard let eocd else {
            if startsLikeZip {
                throw ZipError(
                    kind: .truncated, path: path,
                    message: "the zip archive is incomplete: its central directory (stored at the end of the file) is missing, so the file was probably cut short while downloading or copying; ask the sender for the file again"
                )
            }
            throw ZipError(
                kind: .notAZip, path: path,
                message: "this is not an .xlsx file (not a zip archive). If it is a CSV or text export, configure the pipeline for that format; otherwise open it in Excel or LibreOffice and save it as .xlsx"
            )
        }
        let eocdOffset = tailStart + Int64(eocd)
        var diskNumber = UInt32(tail.u16(eocd + 4))
        var directoryDisk = UInt32(tail.u16(eocd + 6))
        var entryCount = UInt64(tail.u16(eocd + 10))
        var directorySize = UInt64(tail.u32(eocd + 12))
        var directoryOffset = UInt64(tail.u32(eocd + 16))
        var directoryEnd = eocdOffset

        // ZIP64: a locator sits right before the classic record.
        if eocdOffset >= 20 {
            let locator = LittleEndianBytes(bytes: try file.readBytes(20, at: eocdOffset - 20, what: "the ZIP64 locator"))
            if locator.u32(0) == zip64LocatorSignature {
                let recordOffset = Int64(bitPattern: locator.u64(8))
                let record = LittleEndianBytes(
                    bytes: try file.readBytes(56, at: recordOffset, what: "the ZIP64 end of central directory")
                )
                guard record.u32(0) == zip64EndSignature else {
                    throw ZipError(
                        kind: .damaged, path: path,
                        message: "the ZIP64 directory record is missing where the archive says it is; the file is damaged"
                    )
                }
                diskNumber = record.u32(16)
                directoryDisk = record.u32(20)
                entryCount = record.u64(32)
                directorySize = record.u64(40)
                directoryOffset = record.u64(48)
                directoryEnd = recordOffset
            }
        }
        if diskNumber != 0 || directoryDisk != 0 {
            throw ZipError(
                kind: .multiDisk, path: path,
                message: "this is one part of a zip archive split over several files, which cannot be read; ask for the workbook as a single .xlsx file"
            )
        }
        guard entryCount <= UInt64(limits.maxEntries), directorySize <= UInt64(limits.maxCentralDirectorySize) else {
            throw ZipError(
                kind: .tooManyEntries, path: path,
                message: "the archive lists \(entryCount) entries in a \(directorySize)-byte directory, more than the limit of \(limits.maxEntries) entries and \(limits.maxCentralDirectorySize) bytes; this is not a normal office document"
            )
        }
        guard directoryOffset <= UInt64(directoryEnd), directorySize <= UInt64(directoryEnd) - directoryOffset else {
            throw ZipError(
                kind: .truncated, path: path,
                message: "the zip central directory points outside the file, so the file is incomplete or damaged; ask the sender for the file again"
            )
        }
        let directory = LittleEndianBytes(
            bytes: try file.readBytes(Int(directorySize), at: Int64(directoryOffset), what: "the zip central directory")
        )
        var entries: [ZipEntry] = []
        entries.reserveCapacity(Int(entryCount))
        var offset = 0
        for number in 0..<Int(entryCount) {
            guard offset + 46 <= directory.bytes.count, directory.u32(offset) == centralHeaderSignature else {
                throw ZipError(
                    kind: .damaged, path: path,
                    message: "the zip central directory is damaged at entry \(number + 1) of \(entryCount); ask the sender for the file again"
                )
            }
            let flags = directory.u16(offset + 8)
            let method = directory.u16(offset + 10)
            let crc = directory.u32(offset + 16)
            var compressedSize = UInt64(directory.u32(offset + 20))
            var uncompressedSize = UInt64(directory.u32(offset + 24))
            let nameLength = Int(directory.u16(offset + 28))
            let extraLength = Int(directory.u16(offset + 30))
            let commentLength = Int(directory.u16(offset + 32))
            var localOffset = UInt64(directory.u32(offset + 42))
            let nameStart = offset + 46
            let extraStart = nameStart + nameLength
            let next = extraStart + extraLength + commentLength
            guard next <= directory.bytes.count else {
                throw ZipError(
                    kind: .damaged, path: path,
                    message: "the zip central directory is damaged at entry \(number + 1) of \(entryCount); ask the sender for the file again"
                )
            }
            let nameBytes = Array(directory.bytes[nameStart..<extraStart])
            let name = decodeName(nameBytes, utf8Flag: flags & 0x0800 != 0)

            // ZIP64 extended information (header 0x0001): only the fields saturated in the fixed part, in order.
            var extra = extraStart
            let extraEnd = extraStart + extraLength
            while extra + 4 <= extraEnd {
                let id = directory.u16(extra)
                let size = Int(directory.u16(extra + 2))
                let dataStart = extra + 4
                guard dataStart + size <= extraEnd else { break }
                if id == 0x0001 {
                    var field = dataStart
                    func take() throws -> UInt64 {
                        guard field + 8 <= dataStart + size else {
                            throw ZipError(
                                kind: .damaged, path: path, entryName: name,
                                message: "the ZIP64 sizes of entry '\(name)' are incomplete; the file is damaged"
                            )
                        }
                        defer { field += 8 }
                        return directory.u64(field)
                    }
                    if uncompressedSize == 0xFFFF_FFFF { uncompressedSize = try take() }
                    if compressedSize == 0xFFFF_FFFF { compressedSize = try take() }
                    if localOffset == 0xFFFF_FFFF { localOffset = try take() }
                }
                extra = dataStart + size
            }
            guard compressedSize <= UInt64(Int64.max), uncompressedSize <= UInt64(Int64.max), localOffset < UInt64(file.size) else {
                throw ZipError(
                    kind: .truncated, path: path, entryName: name,
                    message: "entry '\(name)' points outside the file, so the file is incomplete or damaged; ask the sender for the file again"
                )
            }
            entries.append(
                ZipEntry(
                    name: name, compressionMethod: method, flags: flags,
                    compressedSize: Int64(compressedSize), uncompressedSize: Int64(uncompressedSize),
                    crc32: crc, localHeaderOffset: Int64(localOffset)
                )
            )
            offset = next
        }
        return entries
    }

    /// Explains an OLE2 compound file: a password-protected workbook or an old binary file.
    private static func oleError(file: ZipFile) -> ZipError {
        var names: [String] = []
        if let header = try? file.readBytes(512, at: 0, what: "the OLE2 header") {
            let fields = LittleEndianBytes(bytes: header)
            let sectorShift = Int(fields.u16(0x1E))
            let firstDirectorySector = Int64(fields.u32(0x30))
            if (9...12).contains(sectorShift), firstDirectorySector < 0xFFFF_FFFA {
                let sectorSize = 1 << sectorShift
                let offset = (firstDirectorySector + 1) << Int64(sectorShift)
                if let sector = try? file.readBytes(sectorSize, at: offset, what: "the OLE2 directory") {
                    let directory = LittleEndianBytes(bytes: sector)
                    for entry in stride(from: 0, to: sectorSize, by: 128) {
                        let length = Int(directory.u16(entry + 0x40))
                        guard length >= 2, length <= 64 else { continue }
                        var units: [UInt16] = []
                        for unit in stride(from: entry, to: entry + length - 2, by: 2) { units.append(directory.u16(unit)) }
                        names.append(String(decoding: units, as: UTF16.self))
                    }
                }
            }
        }
        if names.contains("EncryptedPackage") {
            return ZipError(
                kind: .passwordProtectedOfficeFile, path: file.path,
                message: "this workbook is protected with a password to open, so it cannot be read; open it in Excel, remove the password (File > Info > Protect Workbook > Encrypt with Password, clear the password) and save it again as .xlsx"
            )
        }
        return ZipError(
            kind: .legacyBinaryOfficeFile, path: file.path,
            message: "this is an old binary Excel file (.xls); open it in Excel or LibreOffice and save it as .xlsx"
        )
    }

    private static let codePage437High: [Character] = Array(
        "ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u{00A0}"
    )

    /// Names are UTF-8 when flagged, and in practice often UTF-8 without the flag; otherwise code page 437.
    private static func decodeName(_ bytes: [UInt8], utf8Flag: Bool) -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        if utf8Flag { return String(decoding: bytes, as: UTF8.self) }
        return String(bytes.map { $0 < 0x80 ? Character(Unicode.Scalar($0)) : codePage437High[Int($0) - 0x80] })
    }
}

/// Streams the uncompressed content of one zip entry, enforcing ``ZipLimits`` on the bytes produced
/// and verifying the size and CRC-32 at the end.
public final class ZipEntryReader {
    /// The entry being read.
    public let entry: ZipEntry
    /// The path of the archive file.
    public var archivePath: String { file.path }
    /// The number of uncompressed bytes produced so far.
    public private(set) var bytesProduced: Int64 = 0

    private let file: ZipFile
    private let limits: ZipLimits
    private var nextCompressedOffset: Int64
    private var compressedRemaining: Int64
    private var crc: UInt = 0
    private var finished = false
    private var stream: UnsafeMutablePointer<z_stream>?
    private var input: UnsafeMutableRawBufferPointer?
    private static let inputChunk = 64 << 10

    init(file: ZipFile, entry: ZipEntry, limits: ZipLimits) throws {
        self.file = file
        self.entry = entry
        self.limits = limits
        let name = entry.name
        func failure(_ kind: ZipError.Kind, _ message: String) -> ZipError {
            ZipError(kind: kind, path: file.path, entryName: name, message: message)
        }
        guard ZipArchive.isSafeEntryName(name) else {
            throw failure(
                .unsafeEntryName,
                "entry '\(name)' has an absolute path or climbs out of the archive with '..'; such archives are refused because they can overwrite other files. Ask the sender to save the workbook again with Excel or LibreOffice"
            )
        }
        if entry.isEncrypted {
            throw failure(
                .encryptedEntry,
                "entry '\(name)' is encrypted, so it cannot be read; save the file again without a password"
            )
        }
        guard entry.compressionMethod == 0 || entry.compressionMethod == 8 else {
            let methods: [UInt16: String] = [
                1: "shrink", 6: "implode", 9: "deflate64", 12: "bzip2", 14: "LZMA", 93: "Zstandard", 95: "XZ", 98: "PPMd",
            ]
            let method = methods[entry.compressionMethod].map { "\($0) (method \(entry.compressionMethod))" }
                ?? "method \(entry.compressionMethod)"
            throw failure(
                .unsupportedCompressionMethod,
                "entry '\(name)' is compressed with \(method), which Padu cannot read (only stored and deflate); open the file in Excel or LibreOffice and save it again as .xlsx"
            )
        }
        if entry.uncompressedSize > limits.maxUncompressedEntrySize {
            throw failure(
                .uncompressedSizeExceeded,
                "entry '\(name)' declares \(entry.uncompressedSize) bytes uncompressed, more than the limit of \(limits.maxUncompressedEntrySize) bytes; split the workbook into smaller files"
            )
        }
        if entry.compressionMethod == 0, entry.compressedSize != entry.uncompressedSize {
            throw failure(
                .damaged,
                "entry '\(name)' is stored uncompressed but declares different compressed and uncompressed sizes; the file is damaged"
            )
        }
        let header = LittleEndianBytes(
            bytes: try file.readBytes(30, at: entry.localHeaderOffset, what: "the header of entry '\(name)'", entry: name)
        )
        guard header.u32(0) == ZipArchive.localHeaderSignature else {
            throw failure(.damaged, "the local header of entry '\(name)' is missing; the file is damaged")
        }
        let dataStart = entry.localHeaderOffset + 30 + Int64(header.u16(26)) + Int64(header.u16(28))
        guard dataStart <= file.size, entry.compressedSize <= file.size - dataStart else {
            throw failure(
                .truncated,
                "the file ends inside entry '\(name)' (it is probably an incomplete download or copy); ask the sender for the file again"
            )
        }
        nextCompressedOffset = dataStart
        compressedRemaining = entry.compressedSize
        if entry.compressionMethod == 8 {
            let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
            stream.initialize(to: z_stream())
            let status = inflateInit2_(stream, -MAX_WBITS, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
            guard status == Z_OK else {
                stream.deinitialize(count: 1)
                stream.deallocate()
                throw failure(.damaged, "zlib could not start inflating entry '\(name)' (status \(status))")
            }
            self.stream = stream
            input = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.inputChunk, alignment: 1)
        }
    }

    deinit {
        if let stream {
            inflateEnd(stream)
            stream.deinitialize(count: 1)
            stream.deallocate()
        }
        input?.deallocate()
    }

    /// Fills `buffer` with the next uncompressed bytes of the entry.
    /// - Returns: the number of bytes written, 0 at the end of the entry (after the size and CRC-32
    ///   were verified).
    /// - Throws: ``ZipError`` for damaged or truncated data, a passed limit, or a size or CRC mismatch.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if finished || buffer.count == 0 { return 0 }
        guard let stream else { return try readStored(into: buffer) }
        while true {
            if stream.pointee.avail_in == 0, compressedRemaining > 0, let input {
                let want = Int(min(Int64(input.count), compressedRemaining))
                let got = try file.read(into: UnsafeMutableRawBufferPointer(rebasing: input[0..<want]), at: nextCompressedOffset)
                guard got == want else { throw truncatedError() }
                nextCompressedOffset += Int64(got)
                compressedRemaining -= Int64(got)
                stream.pointee.next_in = input.baseAddress!.assumingMemoryBound(to: Bytef.self)
                stream.pointee.avail_in = uInt(got)
            }
            let capacity = min(buffer.count, Int(UInt32.max))
            stream.pointee.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_out = uInt(capacity)
            let status = inflate(stream, Z_NO_FLUSH)
            let produced = capacity - Int(stream.pointee.avail_out)
            switch status {
            case Z_OK, Z_STREAM_END, Z_BUF_ERROR:
                break
            case Z_NEED_DICT, Z_DATA_ERROR:
                finished = true
                let detail = stream.pointee.msg.map { String(cString: $0) } ?? "invalid deflate data"
                throw ZipError(
                    kind: .damaged, path: file.path, entryName: entry.name,
                    message: "the compressed data of entry '\(entry.name)' is damaged (\(detail)); ask the sender for the file again"
                )
            default:
                finished = true
                throw ZipError(
                    kind: .damaged, path: file.path, entryName: entry.name,
                    message: "inflating entry '\(entry.name)' failed (zlib status \(status))"
                )
            }
            if produced > 0 {
                try account(buffer.baseAddress!, produced, compressedConsumed: Int64(stream.pointee.total_in))
            }
            if status == Z_STREAM_END {
                try finish()
                return produced
            }
            if produced > 0 { return produced }
            if stream.pointee.avail_in == 0, compressedRemaining == 0 { throw truncatedError() }
        }
    }

    private func readStored(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if compressedRemaining == 0 {
            try finish()
            return 0
        }
        let want = Int(min(Int64(buffer.count), compressedRemaining))
        let got = try file.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<want]), at: nextCompressedOffset)
        guard got == want else { throw truncatedError() }
        nextCompressedOffset += Int64(got)
        compressedRemaining -= Int64(got)
        try account(buffer.baseAddress!, got, compressedConsumed: entry.compressedSize - compressedRemaining)
        if compressedRemaining == 0 { try finish() }
        return got
    }

    /// Applies the limits to the bytes just produced and updates the CRC.
    private func account(_ start: UnsafeMutableRawPointer, _ count: Int, compressedConsumed: Int64) throws {
        bytesProduced += Int64(count)
        // Any failure below ends the stream: later reads return 0 rather than more unchecked data.
        finished = true
        if bytesProduced > limits.maxUncompressedEntrySize {
            throw ZipError(
                kind: .uncompressedSizeExceeded, path: file.path, entryName: entry.name,
                message: "entry '\(entry.name)' inflates to more than the limit of \(limits.maxUncompressedEntrySize) bytes; split the workbook into smaller files"
            )
        }
        if bytesProduced > limits.compressionRatioThreshold,
           bytesProduced / max(compressedConsumed, 1) > limits.maxCompressionRatio {
            throw ZipError(
                kind: .compressionRatioExceeded, path: file.path, entryName: entry.name,
                message: "entry '\(entry.name)' inflates more than \(limits.maxCompressionRatio) times its compressed size, which no genuine spreadsheet does (a \"zip bomb\"); reading stopped. Do not open this file; ask the sender where it came from"
            )
        }
        if bytesProduced > entry.uncompressedSize {
            throw ZipError(
                kind: .sizeMismatch, path: file.path, entryName: entry.name,
                message: "entry '\(entry.name)' inflates to more than the \(entry.uncompressedSize) bytes its header declares; the file is damaged or was crafted; ask the sender for the file again"
            )
        }
        crc = CZlib.crc32(crc, start.assumingMemoryBound(to: Bytef.self), uInt(count))
        finished = false
    }

    private func finish() throws {
        finished = true
        if bytesProduced != entry.uncompressedSize {
            throw ZipError(
                kind: .sizeMismatch, path: file.path, entryName: entry.name,
                message: "entry '\(entry.name)' holds \(bytesProduced) bytes but its header declares \(entry.uncompressedSize); the file is damaged; ask the sender for the file again"
            )
        }
        if UInt32(truncatingIfNeeded: crc) != entry.crc32 {
            throw ZipError(
                kind: .crcMismatch, path: file.path, entryName: entry.name,
                message: "entry '\(entry.name)' fails its CRC-32 check (its content is corrupted); ask the sender for the file again"
            )
        }
    }

    private func truncatedError() -> ZipError {
        finished = true
        return ZipError(
            kind: .truncated, path: file.path, entryName: entry.name,
            message: "the compressed data of entry '\(entry.name)' ends early (the file is probably an incomplete download or copy); ask the sender for the file again"
        )
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Streams records from a delimited text ("CSV") file with constant memory.
///
/// Reads registry and aid exports as they come from offices: `;`, `,`, `|` or tab delimited; UTF-8 with or
/// without a byte order mark, UTF-16 with a byte order mark, or Windows-1252; CRLF, LF or lone CR line
/// endings; RFC 4180 quoting, including delimiters, `""` and line breaks inside quoted fields.
///
/// Damaged records do not stop reading: they come back with ``CSVRecord/problem`` set and the reader
/// continues with the next record. Only failures that make the rest of the file unreadable throw
/// ``CSVError``.
///
/// ```swift
/// let reader = try CSVReader(path: "/data/dtks.csv")
/// defer { reader.close() }
/// while let record = try reader.next() {
///     if let problem = record.problem { log(problem.message) }
///     process(record.fields)
/// }
/// ```
public final class CSVReader {
    /// The size of the sample used to detect the encoding and the delimiter.
    static let sampleSize = 64 << 10

    /// The path of the file being read.
    public let path: String
    /// The field delimiter in use, given in the options or detected.
    public private(set) var delimiter: UInt8
    /// The encoding in use, given in the options or detected.
    public private(set) var encoding: CSVEncoding
    /// Whether the file starts with a byte order mark for ``encoding`` (it is not part of the first field).
    public private(set) var hadBOM: Bool

    private var parser: CSVParser
    private let size: Int64

    /// Raw bytes of the file read so far, for progress reporting against ``fileSize``.
    public var bytesRead: Int64 { parser.bytesRead }

    /// The size of the file in bytes when it was opened.
    public var fileSize: Int64 { size }

    /// The capacity of the decoded buffer, to check that memory stays bounded.
    var bufferCapacity: Int { parser.capacity }

    /// Opens the file at `path`, detects its encoding and delimiter unless `options` gives them, and
    /// prepares to read the first record.
    ///
    /// - Throws: ``CSVError`` when the file cannot be opened or read, or the delimiter in `options` is unusable.
    public convenience init(path: String, options: CSVOptions = CSVOptions()) throws {
        try self.init(path: path, options: options, chunkSize: CSVParser.defaultChunkSize)
    }

    /// Opens a file reading `chunkSize` raw bytes at a time.
    init(path: String, options: CSVOptions, chunkSize: Int) throws {
        self.path = path
        if let delimiter = options.delimiter {
            try CSVReader.checkDelimiter(delimiter, path: path)
        }

        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            throw CSVError(path: path, message: "cannot open the file: \(CSVReader.errorText(errno))")
        }
        var ok = false
        defer {
            if !ok { _ = closeDescriptor(fd) }
        }

        var info = stat()
        if fstat(fd, &info) != 0 {
            throw CSVError(path: path, message: "cannot read the file: \(CSVReader.errorText(errno))")
        }
        if info.st_mode & S_IFMT == S_IFDIR {
            throw CSVError(path: path, message: "this is a folder, not a file")
        }
        let fileSize = Int64(info.st_size)
        size = fileSize

        let sample = try CSVReader.readSample(fd: fd, path: path)
        let sampleIsWholeFile = sample.count < CSVReader.sampleSize || Int64(sample.count) >= fileSize
        let (encoding, bomLength) = CSVReader.detectEncoding(
            sample: sample,
            forced: options.encoding,
            sampleIsWholeFile: sampleIsWholeFile
        )
        self.encoding = encoding
        self.hadBOM = bomLength > 0

        if let delimiter = options.delimiter {
            self.delimiter = delimiter
        } else {
            let text = CSVReader.decodeSample(sample[bomLength...], encoding: encoding)
            self.delimiter = text.withUnsafeBufferPointer {
                CSVSniffer.sniff($0, complete: sampleIsWholeFile)
            }
        }

        if lseek(fd, off_t(bomLength), SEEK_SET) < 0 {
            throw CSVError(path: path, message: "cannot read the file: \(CSVReader.errorText(errno))")
        }
        parser = CSVParser(
            path: path,
            fd: fd,
            encoding: encoding,
            bomLength: bomLength,
            delimiter: delimiter,
            options: options,
            chunkSize: chunkSize
        )
        ok = true
    }

    deinit {
        parser.close()
    }

    /// Reads the next record.
    ///
    /// Returns `nil` at the end of the file; a line terminator at the very end does not make an extra
    /// record. An empty line in the middle of the file is a record with one empty field (`[""]`); skip such
    /// records if blank rows mean nothing in your data.
    ///
    /// - Throws: ``CSVError`` when the file cannot be read further (an I/O error, or UTF-16 text with an odd
    ///   number of bytes). Damaged records do not throw; see ``CSVRecord/problem``.
    public func next() throws -> CSVRecord? {
        try parser.nextRecord()
    }

    /// Closes the file and releases the buffers. ``next()`` returns `nil` afterwards. Called automatically
    /// when the reader is released.
    public func close() {
        parser.close()
    }

    /// Chooses the delimiter of a text sample (the first lines of a file, as UTF-8 or another
    /// ASCII-compatible encoding) among `;` `,` `|` and tab.
    ///
    /// For each candidate, counts its occurrences outside quotes on each of the first 50 lines (quoted line
    /// breaks do not end a line; an unterminated last line is ignored as probably cut off, unless it is the
    /// only line). The candidate for which most lines share the same non-zero count wins; ties prefer `;`,
    /// then `|`, then tab, then `,`. Returns `,` when no candidate occurs.
    public static func sniffDelimiter(sample: [UInt8]) -> UInt8 {
        sample.withUnsafeBufferPointer { CSVSniffer.sniff($0, complete: false) }
    }

    // MARK: - Opening

    private static func checkDelimiter(_ delimiter: UInt8, path: String) throws {
        let reason: String?
        switch delimiter {
        case UInt8(ascii: "\""):
            reason = "the quote character cannot be the delimiter"
        case UInt8(ascii: "\r"), UInt8(ascii: "\n"):
            reason = "a line break cannot be the delimiter"
        case 0:
            reason = "the NUL byte cannot be the delimiter"
        case 0x80...:
            reason = "the delimiter must be an ASCII character"
        default:
            reason = nil
        }
        if let reason {
            throw CSVError(path: path, message: "\(reason) (delimiter byte 0x\(String(delimiter, radix: 16, uppercase: true)))")
        }
    }

    private static func readSample(fd: Int32, path: String) throws -> [UInt8] {
        var sample = [UInt8](repeating: 0, count: sampleSize)
        var filled = 0
        try sample.withUnsafeMutableBytes { bytes in
            while filled < sampleSize {
                let count = pread(fd, bytes.baseAddress! + filled, sampleSize - filled, off_t(filled))
                if count == 0 { break }
                if count < 0 {
                    let code = errno
                    if code == EINTR { continue }
                    throw CSVError(path: path, message: "cannot read the file: \(errorText(code))")
                }
                filled += count
            }
        }
        sample.removeSubrange(filled...)
        return sample
    }

    /// Decides the encoding and the length of the byte order mark to skip.
    static func detectEncoding(sample: [UInt8], forced: CSVEncoding?, sampleIsWholeFile: Bool) -> (CSVEncoding, Int) {
        let utf8BOM: [UInt8] = [0xEF, 0xBB, 0xBF]
        let littleBOM: [UInt8] = [0xFF, 0xFE]
        let bigBOM: [UInt8] = [0xFE, 0xFF]
        if let forced {
            switch forced {
            case .utf8: return (forced, sample.starts(with: utf8BOM) ? 3 : 0)
            // For UTF-16 a byte order mark, when present, decides the byte order.
            case .utf16LE, .utf16BE:
                if sample.starts(with: littleBOM) { return (.utf16LE, 2) }
                if sample.starts(with: bigBOM) { return (.utf16BE, 2) }
                return (forced, 0)
            case .windows1252: return (forced, 0)
            }
        }
        if sample.starts(with: utf8BOM) { return (.utf8, 3) }
        if sample.starts(with: littleBOM) { return (.utf16LE, 2) }
        if sample.starts(with: bigBOM) { return (.utf16BE, 2) }
        let check = sample.withUnsafeBufferPointer { bytes in
            bytes.isEmpty ? .valid : checkUTF8(bytes.baseAddress!, count: bytes.count)
        }
        switch check {
        case .valid:
            return (.utf8, 0)
        case .truncated:
            // A character cut by the end of the sample is fine; cut by the end of the file it is not.
            return (sampleIsWholeFile ? .windows1252 : .utf8, 0)
        case .invalid:
            return (.windows1252, 0)
        }
    }

    /// Decodes the sample to UTF-8 (or ASCII-compatible) bytes for delimiter detection.
    private static func decodeSample(_ sample: ArraySlice<UInt8>, encoding: CSVEncoding) -> [UInt8] {
        switch encoding {
        case .utf8, .windows1252:
            return Array(sample)
        case .utf16LE, .utf16BE:
            var transcoder = UTF16Transcoder(bigEndian: encoding == .utf16BE)
            var out = [UInt8](repeating: 0, count: UTF16Transcoder.maxOutput(forInput: sample.count))
            let count = sample.withUnsafeBufferPointer { input in
                out.withUnsafeMutableBufferPointer { output in
                    input.isEmpty ? 0 : transcoder.transcode(input.baseAddress!, count: input.count, into: output.baseAddress!)
                }
            }
            out.removeSubrange(count...)
            return out
        }
    }

    private static func errorText(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}

/// `close(2)`, under a name that does not collide with `close()` methods.
@inline(__always)
func closeDescriptor(_ fd: Int32) -> Int32 {
    close(fd)
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A field located in the decoded buffer, by absolute decoded offsets.
struct FieldSpan {
    var start: Int
    var end: Int
    var flags: UInt8
}

/// The streaming parser behind ``CSVReader``.
///
/// Input is read in chunks, transcoded to UTF-8 when needed, and appended to one decoded buffer. The bytes
/// of the record being read stay in the buffer until the record is complete (bounded by
/// ``CSVOptions/maxRecordBytes``); everything before it is discarded when room is needed, so memory does not
/// grow with the size of the file. Positions named "absolute" count decoded bytes from the start of the
/// decoded text; `base` is the absolute position of `buf[0]`.
struct CSVParser {
    static let defaultChunkSize = 256 << 10

    static let quotedFlag: UInt8 = 1
    static let cleanupFlag: UInt8 = 2
    static let nonASCIIFlag: UInt8 = 4

    static let quote = UInt8(ascii: "\"")
    static let cr = UInt8(ascii: "\r")
    static let lf = UInt8(ascii: "\n")

    let path: String
    let fd: Int32
    let chunkSize: Int
    let delimiter: UInt8
    let encoding: CSVEncoding
    let bomLength: Int
    let maxFieldBytes: Int
    let maxRecordBytes: Int
    let maxFields: Int

    /// The decoded (UTF-8) buffer.
    private(set) var buf: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int
    private var end = 0
    private var pos = 0
    private var base = 0
    private var atEOF = false
    /// Raw bytes read from the file so far, byte order mark included.
    private(set) var bytesRead: Int64
    /// The physical line at `pos`.
    private var line = 1
    /// The previous record ended with CR, so a LF at the start of the next one belongs to it.
    private var afterCR = false
    private var closed = false
    /// The most decoded bytes one chunk can produce.
    private let roomPerChunk: Int

    /// Raw read buffer for encodings that are transcoded.
    private let raw: UnsafeMutablePointer<UInt8>?
    private var utf16: UTF16Transcoder?
    private let windows1252: Windows1252Transcoder?

    /// A known pair of absolute decoded position and raw file offset, for transcoded encodings.
    private var mapDecoded = 0
    private var mapRaw: Int64

    /// Byte classes outside quotes: delimiter, CR, LF and NUL stop the fast scan.
    private let unquotedTable: UnsafeMutablePointer<UInt8>
    /// Byte classes inside quotes: quote, CR, LF and NUL stop the fast scan.
    private let quotedTable: UnsafeMutablePointer<UInt8>

    private var scratch: UnsafeMutablePointer<UInt8>
    private var scratchCapacity: Int
    private var spans: [FieldSpan] = []

    init(
        path: String,
        fd: Int32,
        encoding: CSVEncoding,
        bomLength: Int,
        delimiter: UInt8,
        options: CSVOptions,
        chunkSize: Int
    ) {
        self.path = path
        self.fd = fd
        self.encoding = encoding
        self.bomLength = bomLength
        self.delimiter = delimiter
        self.chunkSize = max(1, chunkSize)
        self.maxFieldBytes = max(1, options.maxFieldBytes)
        self.maxRecordBytes = max(1, options.maxRecordBytes)
        self.maxFields = max(1, options.maxFields)
        self.bytesRead = Int64(bomLength)
        self.mapRaw = Int64(bomLength)

        switch encoding {
        case .utf8:
            roomPerChunk = self.chunkSize
            raw = nil
            utf16 = nil
            windows1252 = nil
        case .windows1252:
            roomPerChunk = Windows1252Transcoder.maxOutput(forInput: self.chunkSize)
            raw = .allocate(capacity: self.chunkSize)
            utf16 = nil
            windows1252 = Windows1252Transcoder()
        case .utf16LE, .utf16BE:
            roomPerChunk = UTF16Transcoder.maxOutput(forInput: self.chunkSize)
            raw = .allocate(capacity: self.chunkSize)
            utf16 = UTF16Transcoder(bigEndian: encoding == .utf16BE)
            windows1252 = nil
        }
        capacity = max(roomPerChunk * 2, 4096)
        buf = .allocate(capacity: capacity)
        scratchCapacity = 4096
        scratch = .allocate(capacity: scratchCapacity)

        unquotedTable = .allocate(capacity: 256)
        unquotedTable.initialize(repeating: 0, count: 256)
        quotedTable = .allocate(capacity: 256)
        quotedTable.initialize(repeating: 0, count: 256)
        for special in [CSVParser.cr, CSVParser.lf, 0] {
            unquotedTable[Int(special)] = 1
            quotedTable[Int(special)] = 1
        }
        unquotedTable[Int(delimiter)] = 1
        quotedTable[Int(CSVParser.quote)] = 1
    }

    /// Closes the file and frees the buffers. Later calls to ``nextRecord()`` return `nil`.
    mutating func close() {
        if closed { return }
        closed = true
        _ = closeDescriptor(fd)
        buf.deallocate()
        scratch.deallocate()
        unquotedTable.deallocate()
        quotedTable.deallocate()
        raw?.deallocate()
        windows1252?.release()
    }

    // MARK: - Reading

    /// Reads the next record, or returns `nil` at the end of the file.
    mutating func nextRecord() throws -> CSVRecord? {
        if closed { return nil }
        if pos == end, try !fill(keep: pos) { return nil }
        if afterCR {
            afterCR = false
            if buf[pos] == CSVParser.lf {
                pos += 1
                if pos == end, try !fill(keep: pos) { return nil }
            }
        }

        let quote = CSVParser.quote
        let cr = CSVParser.cr
        let lf = CSVParser.lf
        let delimiter = self.delimiter
        let maxField = maxFieldBytes
        let maxRecord = maxRecordBytes

        let recordStart = base + pos
        let recordLine = line
        let recordOffset = rawOffset(of: recordStart)
        var spans = self.spans
        self.spans = []
        spans.removeAll(keepingCapacity: true)
        var fields: [String] = []
        var problem: CSVRecordProblem?
        // Once set, fields are no longer collected: the reader only looks for the end of the record.
        var skipping = false
        var column = 1
        var endLine = recordLine

        record: while true {
            if pos == end, try !fill(keep: skipping ? pos : recordStart - base) {
                // The file ends right after a delimiter: one last empty field.
                if !skipping {
                    spans.append(FieldSpan(start: base + pos, end: base + pos, flags: 0))
                }
                endLine = line
                break record
            }
            var fieldStart = base + pos
            let fieldLine = line
            var quoted = false
            var inQuotes = false
            var closingQuote = -1
            var flags: UInt8 = 0
            var seen: UInt8 = 0
            var quoteOpen = 0
            var quoteLine = 0
            var firstBreak = -1
            var firstBreakLine = 0
            var overflowInQuotes = false
            if buf[pos] == quote {
                quoted = true
                inQuotes = true
                flags = CSVParser.quotedFlag
                quoteOpen = fieldStart
                quoteLine = line
                pos += 1
                fieldStart += 1
            }

            field: while true {
                do {
                    let table = inQuotes ? quotedTable : unquotedTable
                    let b = buf
                    let e = end
                    var p = pos
                    var s = seen
                    while p < e {
                        let c = b[p]
                        if table[Int(c)] != 0 { break }
                        s |= c
                        p &+= 1
                    }
                    pos = p
                    seen = s
                }

                let here = base + pos
                if !skipping {
                    // When both limits are passed, the one passed first (in file order) counts, so the
                    // outcome does not depend on where chunks happen to end.
                    let fieldLimitEnd = fieldStart + (quoted && !inQuotes ? 1 : 0) + maxField
                    let recordLimitEnd = recordStart + maxRecord
                    if here > fieldLimitEnd && !(inQuotes && overflowInQuotes)
                        && (here <= recordLimitEnd || fieldLimitEnd <= recordLimitEnd) {
                        if inQuotes {
                            // Maybe a quote that is never closed; decided when it closes or the record limit is hit.
                            overflowInQuotes = true
                        } else {
                            if problem?.kind.endsRecord != true {
                                problem = fieldTooLargeProblem(line: fieldLine, column: column)
                            }
                            materialize(&spans, into: &fields, recordStart: recordStart, recordLine: recordLine, problem: &problem)
                            skipping = true
                        }
                    }
                    if !skipping && here > recordLimitEnd {
                        if inQuotes {
                            endLine = try resynchronise(
                                spans: &spans, fields: &fields, problem: &problem, collecting: true,
                                recordStart: recordStart, recordLine: recordLine, column: column,
                                quoteLine: quoteLine, firstBreak: firstBreak, firstBreakLine: firstBreakLine,
                                atEndOfFile: false
                            )
                            break record
                        }
                        if problem?.kind.endsRecord != true {
                            problem = CSVRecordProblem(
                                kind: .recordTooLarge,
                                message: "line \(recordLine): the record is larger than the limit of "
                                    + "\(maxRecordBytes) bytes; the rest of the record was skipped",
                                line: recordLine,
                                column: nil
                            )
                        }
                        materialize(&spans, into: &fields, recordStart: recordStart, recordLine: recordLine, problem: &problem)
                        skipping = true
                    }
                } else if inQuotes && here - quoteOpen > maxRecord {
                    endLine = try resynchronise(
                        spans: &spans, fields: &fields, problem: &problem, collecting: false,
                        recordStart: recordStart, recordLine: recordLine, column: column,
                        quoteLine: quoteLine, firstBreak: firstBreak, firstBreakLine: firstBreakLine,
                        atEndOfFile: false
                    )
                    break record
                }

                if pos == end {
                    let keep = skipping ? (inQuotes ? quoteOpen - base : pos) : recordStart - base
                    if try fill(keep: keep) { continue field }
                    // End of file inside the field.
                    if inQuotes {
                        if skipping || overflowInQuotes {
                            endLine = try resynchronise(
                                spans: &spans, fields: &fields, problem: &problem, collecting: !skipping,
                                recordStart: recordStart, recordLine: recordLine, column: column,
                                quoteLine: quoteLine, firstBreak: firstBreak, firstBreakLine: firstBreakLine,
                                atEndOfFile: true
                            )
                            break record
                        }
                        if problem?.kind.endsRecord != true {
                            problem = CSVRecordProblem(
                                kind: .unterminatedQuote,
                                message: "line \(recordLine): quoted field in column \(column) is never closed "
                                    + "(opened at line \(quoteLine)); the rest of the file was read as one field",
                                line: quoteLine,
                                column: column
                            )
                        }
                        spans.append(FieldSpan(start: fieldStart, end: base + pos, flags: flags | asciiFlag(seen)))
                        let last = buf[pos - 1]
                        endLine = (last == lf || last == cr) && line > quoteLine ? line - 1 : line
                        break record
                    }
                    if !skipping {
                        let fieldEnd = closingQuote >= 0 ? closingQuote : base + pos
                        spans.append(FieldSpan(start: fieldStart, end: fieldEnd, flags: flags | asciiFlag(seen)))
                    }
                    endLine = line
                    break record
                }

                let c = buf[pos]
                if inQuotes {
                    if c == quote {
                        let quoteAt = base + pos
                        pos += 1
                        if pos == end, try !fill(keep: skipping ? quoteOpen - base : recordStart - base) {
                            // The closing quote is the last byte of the file.
                            if !skipping && overflowInQuotes {
                                if problem?.kind.endsRecord != true {
                                    problem = fieldTooLargeProblem(line: fieldLine, column: column)
                                }
                            } else if !skipping {
                                spans.append(FieldSpan(start: fieldStart, end: quoteAt, flags: flags | asciiFlag(seen)))
                            }
                            endLine = line
                            break record
                        }
                        let following = buf[pos]
                        if following == quote {
                            pos += 1
                            flags |= CSVParser.cleanupFlag
                            continue field
                        }
                        inQuotes = false
                        if following == delimiter || following == cr || following == lf {
                            closingQuote = quoteAt
                        } else {
                            flags |= CSVParser.cleanupFlag
                            if problem == nil {
                                problem = CSVRecordProblem(
                                    kind: .textAfterClosingQuote,
                                    message: "line \(line): column \(column) has text after its closing quote; "
                                        + "the quote marks were dropped and the text kept",
                                    line: line,
                                    column: column
                                )
                            }
                        }
                    } else if c == lf || c == cr {
                        pos += 1
                        if c == cr {
                            if pos == end {
                                _ = try fill(keep: skipping ? quoteOpen - base : recordStart - base)
                            }
                            if pos < end && buf[pos] == lf {
                                pos += 1
                            }
                        }
                        line += 1
                        if firstBreak < 0 {
                            firstBreak = base + pos
                            firstBreakLine = line
                        }
                    } else {
                        flags |= CSVParser.cleanupFlag
                        if problem == nil {
                            problem = nulProblem(at: base + pos, column: column)
                        }
                        pos += 1
                    }
                } else {
                    if c == delimiter {
                        if !skipping {
                            let fieldEnd = closingQuote >= 0 ? closingQuote : base + pos
                            spans.append(FieldSpan(start: fieldStart, end: fieldEnd, flags: flags | asciiFlag(seen)))
                            if spans.count >= maxFields {
                                if problem?.kind.endsRecord != true {
                                    problem = CSVRecordProblem(
                                        kind: .tooManyFields,
                                        message: "line \(recordLine): the record has more than \(maxFields) fields; "
                                            + "only the first \(maxFields) were kept",
                                        line: recordLine,
                                        column: maxFields + 1
                                    )
                                }
                                materialize(&spans, into: &fields, recordStart: recordStart, recordLine: recordLine, problem: &problem)
                                skipping = true
                            }
                        }
                        pos += 1
                        column += 1
                        continue record
                    } else if c == lf || c == cr {
                        if !skipping {
                            let fieldEnd = closingQuote >= 0 ? closingQuote : base + pos
                            spans.append(FieldSpan(start: fieldStart, end: fieldEnd, flags: flags | asciiFlag(seen)))
                        }
                        pos += 1
                        endLine = line
                        line += 1
                        afterCR = c == cr
                        break record
                    } else {
                        flags |= CSVParser.cleanupFlag
                        if problem == nil {
                            problem = nulProblem(at: base + pos, column: column)
                        }
                        pos += 1
                    }
                }
            }
        }

        if !skipping {
            materialize(&spans, into: &fields, recordStart: recordStart, recordLine: recordLine, problem: &problem)
        }
        self.spans = spans
        return CSVRecord(fields: fields, line: recordLine, endLine: endLine, byteOffset: recordOffset, problem: problem)
    }

    @inline(__always)
    private func asciiFlag(_ seen: UInt8) -> UInt8 {
        seen & 0x80 != 0 ? CSVParser.nonASCIIFlag : 0
    }

    private func fieldTooLargeProblem(line: Int, column: Int) -> CSVRecordProblem {
        CSVRecordProblem(
            kind: .fieldTooLarge,
            message: "line \(line): column \(column) is larger than the limit of \(maxFieldBytes) bytes; "
                + "the rest of the record was skipped",
            line: line,
            column: column
        )
    }

    private mutating func nulProblem(at position: Int, column: Int) -> CSVRecordProblem {
        let offset = rawOffset(of: position)
        return CSVRecordProblem(
            kind: .nulByte,
            message: "line \(line): NUL byte in column \(column) at byte \(offset); it was removed "
                + "(the file may be damaged, or UTF-16 text without a byte order mark)",
            line: line,
            column: column
        )
    }

    /// Abandons a quoted field that never closes: the record ends before it, and reading resumes after the
    /// first line break inside it (or after the next line break in the file when it has none).
    /// Returns the record's last line.
    private mutating func resynchronise(
        spans: inout [FieldSpan],
        fields: inout [String],
        problem: inout CSVRecordProblem?,
        collecting: Bool,
        recordStart: Int,
        recordLine: Int,
        column: Int,
        quoteLine: Int,
        firstBreak: Int,
        firstBreakLine: Int,
        atEndOfFile: Bool
    ) throws -> Int {
        if collecting {
            materialize(&spans, into: &fields, recordStart: recordStart, recordLine: recordLine, problem: &problem)
        }
        let endLine: Int
        var resumeLine: Int?
        if firstBreak >= 0 {
            pos = firstBreak - base
            line = firstBreakLine
            afterCR = false
            endLine = firstBreakLine - 1
            resumeLine = firstBreakLine
        } else if atEndOfFile {
            endLine = line
        } else {
            var found = false
            while !found {
                while pos < end {
                    let c = buf[pos]
                    pos += 1
                    if c == CSVParser.lf || c == CSVParser.cr {
                        afterCR = c == CSVParser.cr
                        found = true
                        break
                    }
                }
                if !found, try !fill(keep: pos) { break }
            }
            endLine = line
            if found {
                line += 1
                resumeLine = line
            }
        }
        if problem?.kind.endsRecord != true {
            let why = atEndOfFile
                ? "it was still open at the end of the file"
                : "it was still open after \(maxRecordBytes) bytes"
            let next = resumeLine.map { ", so reading resumed at line \($0)" }
                ?? " and no line break follows it, so the rest of the file was skipped"
            problem = CSVRecordProblem(
                kind: .unterminatedQuote,
                message: "line \(recordLine): quoted field in column \(column) is never closed "
                    + "(opened at line \(quoteLine)); \(why)\(next)",
                line: quoteLine,
                column: column
            )
        }
        return endLine
    }

    /// Turns the collected spans into strings, checking the encoding of non-ASCII fields.
    private mutating func materialize(
        _ spans: inout [FieldSpan],
        into fields: inout [String],
        recordStart: Int,
        recordLine: Int,
        problem: inout CSVRecordProblem?
    ) {
        fields.reserveCapacity(fields.count + spans.count)
        for span in spans {
            let start = buf + (span.start - base)
            let length = span.end - span.start
            if span.flags & CSVParser.nonASCIIFlag != 0 && encoding != .windows1252 && problem == nil {
                switch checkUTF8(start, count: length) {
                case .valid:
                    break
                case .invalid(let k), .truncated(let k):
                    problem = encodingProblem(
                        at: span.start + k,
                        column: fields.count + 1,
                        recordStart: recordStart,
                        recordLine: recordLine
                    )
                }
            }
            if span.flags & CSVParser.cleanupFlag != 0 {
                let count = cleanUp(start, count: length, quoted: span.flags & CSVParser.quotedFlag != 0)
                fields.append(String(decoding: UnsafeBufferPointer(start: scratch, count: count), as: UTF8.self))
            } else {
                fields.append(String(decoding: UnsafeBufferPointer(start: start, count: length), as: UTF8.self))
            }
        }
        spans.removeAll(keepingCapacity: true)
    }

    /// Copies a field into `scratch`, collapsing `""` in quoted text, dropping the closing quote of a field
    /// with text after it, and dropping NUL bytes. Returns the number of bytes written.
    private mutating func cleanUp(_ source: UnsafeMutablePointer<UInt8>, count: Int, quoted: Bool) -> Int {
        if count > scratchCapacity {
            scratch.deallocate()
            scratchCapacity = max(count, scratchCapacity * 2)
            scratch = .allocate(capacity: scratchCapacity)
        }
        let quote = CSVParser.quote
        var inQuotes = quoted
        var i = 0
        var o = 0
        while i < count {
            let b = source[i]
            i += 1
            if b == 0 { continue }
            if inQuotes && b == quote {
                if i < count && source[i] == quote {
                    i += 1
                } else {
                    inQuotes = false
                    continue
                }
            }
            scratch[o] = b
            o += 1
        }
        return o
    }

    private mutating func encodingProblem(at position: Int, column: Int, recordStart: Int, recordLine: Int) -> CSVRecordProblem {
        var physicalLine = recordLine
        var i = recordStart - base
        let stop = position - base
        while i < stop {
            let c = buf[i]
            if c == CSVParser.lf || (c == CSVParser.cr && !(i + 1 < end && buf[i + 1] == CSVParser.lf)) {
                physicalLine += 1
            }
            i += 1
        }
        let offset = rawOffset(of: position)
        let message: String
        switch encoding {
        case .utf16LE, .utf16BE:
            message = "line \(physicalLine): invalid UTF-16 (unpaired surrogate) at byte \(offset) in column "
                + "\(column); the character was replaced with U+FFFD"
        case .utf8, .windows1252:
            message = "line \(physicalLine): invalid UTF-8 at byte \(offset) in column \(column); "
                + "save the file as UTF-8 or set encoding: .windows1252"
        }
        return CSVRecordProblem(kind: .invalidEncoding, message: message, line: physicalLine, column: column)
    }

    // MARK: - Positions

    /// The raw file offset of an absolute decoded position inside the buffer.
    private mutating func rawOffset(of position: Int) -> Int64 {
        if encoding == .utf8 {
            return Int64(position + bomLength)
        }
        if position >= mapDecoded {
            var rawOffset = mapRaw
            var i = mapDecoded - base
            let stop = position - base
            while i < stop {
                if i &+ 8 <= stop {
                    let word = UnsafeRawPointer(buf + i).loadUnaligned(as: UInt64.self)
                    if word & 0x8080_8080_8080_8080 == 0 {
                        rawOffset &+= encoding == .windows1252 ? 8 : 16
                        i &+= 8
                        continue
                    }
                }
                rawOffset += rawWidth(buf[i])
                i += 1
            }
            mapDecoded = position
            mapRaw = rawOffset
            return rawOffset
        }
        var rawOffset = mapRaw
        var i = position - base
        let stop = mapDecoded - base
        while i < stop {
            rawOffset -= rawWidth(buf[i])
            i += 1
        }
        return rawOffset
    }

    /// The number of raw bytes behind a decoded byte: non-zero only for the first byte of a character.
    @inline(__always)
    private func rawWidth(_ b: UInt8) -> Int64 {
        if b & 0xC0 == 0x80 { return 0 }
        if encoding == .windows1252 { return 1 }
        return b >= 0xF0 && b != unpairedSurrogateMarker ? 4 : 2
    }

    // MARK: - Input

    /// Makes more decoded bytes available after `end`, discarding the bytes before index `keep` if room is
    /// needed. Returns `false` at the end of the file.
    private mutating func fill(keep: Int) throws -> Bool {
        if atEOF { return false }
        if capacity - end < roomPerChunk {
            if keep > 0 {
                if encoding != .utf8 && mapDecoded < base + keep {
                    _ = rawOffset(of: base + keep)
                }
                let count = end - keep
                if count > 0 {
                    memmove(buf, buf + keep, count)
                }
                base += keep
                end = count
                pos -= keep
            }
            if capacity - end < roomPerChunk {
                let newCapacity = max(capacity * 2, end + roomPerChunk)
                let newBuffer = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
                newBuffer.update(from: buf, count: end)
                buf.deallocate()
                buf = newBuffer
                capacity = newCapacity
            }
        }
        while true {
            let produced: Int
            switch encoding {
            case .utf8:
                let count = try readChunk(into: buf + end)
                if count == 0 {
                    atEOF = true
                    return false
                }
                produced = count
            case .windows1252:
                let count = try readChunk(into: raw!)
                if count == 0 {
                    atEOF = true
                    return false
                }
                produced = windows1252!.transcode(raw!, count: count, into: buf + end)
            case .utf16LE, .utf16BE:
                let count = try readChunk(into: raw!)
                if count == 0 {
                    atEOF = true
                    if utf16!.pendingByte != nil {
                        throw CSVError(
                            path: path,
                            message: "the file has an odd number of bytes, which UTF-16 text cannot have; "
                                + "it is truncated or not really \(encoding == .utf16LE ? "UTF-16LE" : "UTF-16BE")"
                        )
                    }
                    let flushed = utf16!.finish(into: buf + end)
                    end += flushed
                    return flushed > 0
                }
                produced = utf16!.transcode(raw!, count: count, into: buf + end)
            }
            end += produced
            if produced > 0 { return true }
        }
    }

    private mutating func readChunk(into destination: UnsafeMutablePointer<UInt8>) throws -> Int {
        while true {
            let count = read(fd, destination, chunkSize)
            if count >= 0 {
                bytesRead += Int64(count)
                return count
            }
            let code = errno
            if code == EINTR { continue }
            throw CSVError(path: path, message: "cannot read the file: \(String(cString: strerror(code)))")
        }
    }
}

extension CSVRecordProblem.Kind {
    /// Whether the problem cut the record short. Such a problem replaces a lesser one (a NUL byte, bad
    /// encoding, text after a quote) found earlier in the same record, since it matters more.
    var endsRecord: Bool {
        switch self {
        case .unterminatedQuote, .fieldTooLarge, .recordTooLarge, .tooManyFields:
            return true
        case .invalidEncoding, .nulByte, .textAfterClosingQuote:
            return false
        }
    }
}

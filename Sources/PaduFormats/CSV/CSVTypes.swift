/// Character encodings understood by ``CSVReader``.
///
/// Whatever the encoding of the file, fields are always returned as Swift `String`s.
public enum CSVEncoding: String, Sendable {
    /// UTF-8, with or without a byte order mark (EF BB BF).
    case utf8
    /// UTF-16 little endian, as written by Excel's "Unicode text" export (BOM FF FE).
    case utf16LE
    /// UTF-16 big endian (BOM FE FF).
    case utf16BE
    /// Windows-1252 ("ANSI" on Western and Indonesian Windows installations).
    case windows1252
}

/// Options controlling how ``CSVReader`` reads a file.
public struct CSVOptions: Sendable {
    /// The field delimiter as an ASCII byte (for example `UInt8(ascii: ";")`), or `nil` to detect it
    /// from the first lines of the file (see ``CSVReader/sniffDelimiter(sample:)``).
    public var delimiter: UInt8?
    /// The encoding of the file, or `nil` to detect it: a byte order mark decides first; without one the
    /// file is UTF-8 when its first 64 KiB are valid UTF-8, and Windows-1252 otherwise.
    public var encoding: CSVEncoding?
    /// The largest field accepted, in bytes of UTF-8 text as written in the file (enclosing quotes
    /// excluded). Larger fields make the record damaged (``CSVRecordProblem/Kind/fieldTooLarge``).
    /// Default 1 MiB.
    public var maxFieldBytes: Int
    /// The largest record accepted, in bytes of UTF-8 text (line terminator excluded). Larger records make
    /// the record damaged (``CSVRecordProblem/Kind/recordTooLarge``). Default 16 MiB.
    public var maxRecordBytes: Int
    /// The largest number of fields accepted in one record. Default 16 384.
    public var maxFields: Int

    /// Creates reading options; every parameter has a default suited to registry exports.
    public init(
        delimiter: UInt8? = nil,
        encoding: CSVEncoding? = nil,
        maxFieldBytes: Int = 1 << 20,
        maxRecordBytes: Int = 16 << 20,
        maxFields: Int = 16_384
    ) {
        self.delimiter = delimiter
        self.encoding = encoding
        self.maxFieldBytes = maxFieldBytes
        self.maxRecordBytes = maxRecordBytes
        self.maxFields = maxFields
    }
}

/// One record (row) read from a delimited text file.
public struct CSVRecord: Sendable, Equatable {
    /// The field values, in file order. For a damaged record, the fields that could be read.
    public var fields: [String]
    /// The 1-based physical line on which the record starts.
    public var line: Int
    /// The 1-based physical line on which the record ends; larger than ``line`` when quoted fields
    /// contain line breaks.
    public var endLine: Int
    /// The offset in the file, in raw bytes counted from the start of the file (byte order mark included),
    /// at which the record starts.
    public var byteOffset: Int64
    /// Set when the record is damaged. ``fields`` then holds what could be read, and the reader has
    /// already moved on to the start of the next record. When a record has several problems, this is the
    /// first one that cut the record short (a quote never closed, a limit passed), or else the first one found.
    public var problem: CSVRecordProblem?

    /// Creates a record.
    public init(fields: [String], line: Int, endLine: Int, byteOffset: Int64, problem: CSVRecordProblem? = nil) {
        self.fields = fields
        self.line = line
        self.endLine = endLine
        self.byteOffset = byteOffset
        self.problem = problem
    }
}

/// Damage found in one record. The reader recovers from it and continues with the next record.
public struct CSVRecordProblem: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong with the record.
    public enum Kind: Sendable {
        /// The bytes are not valid in the file's encoding; the bad bytes were replaced with U+FFFD.
        case invalidEncoding
        /// A quoted field is never closed.
        case unterminatedQuote
        /// A field is larger than ``CSVOptions/maxFieldBytes``.
        case fieldTooLarge
        /// The record is larger than ``CSVOptions/maxRecordBytes``.
        case recordTooLarge
        /// The record has more fields than ``CSVOptions/maxFields``.
        case tooManyFields
        /// The record contains NUL bytes; they were removed from the values.
        case nulByte
        /// A quoted field has text after its closing quote (`"abc"def`); the value keeps all the text.
        case textAfterClosingQuote
    }

    /// What is wrong with the record.
    public let kind: Kind
    /// A message for the person responsible for the data, naming the line and what to do.
    public let message: String
    /// The 1-based physical line where the problem is.
    public let line: Int
    /// The 1-based index of the field concerned, when the problem concerns one field.
    public let column: Int?

    /// Creates a record problem.
    public init(kind: Kind, message: String, line: Int, column: Int?) {
        self.kind = kind
        self.message = message
        self.line = line
        self.column = column
    }

    /// The human-readable message.
    public var description: String { message }
}

/// A failure that stops reading a file: it cannot be opened or read, or its content cannot be decoded at all.
public struct CSVError: Error, Sendable, CustomStringConvertible {
    /// The path of the file concerned.
    public let path: String
    /// What went wrong, in words for the person running the import.
    public let message: String

    /// Creates an error for the file at `path`.
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    /// The path followed by the message.
    public var description: String { "\(path): \(message)" }
}

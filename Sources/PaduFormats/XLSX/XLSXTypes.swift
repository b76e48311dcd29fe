/// Options for reading an `.xlsx` workbook.
public struct XLSXReadOptions: Sendable {
    /// Limits applied to the zip container (entry size, compression ratio, ...).
    public var zipLimits: ZipLimits
    /// Limits applied to every XML part (nesting depth, text size).
    public var xmlOptions: XMLReadOptions
    /// The largest total size of the shared-strings table, in bytes of UTF-8 text. It is the only table
    /// kept in memory. Default 1 GiB.
    public var maxSharedStringBytes: Int

    /// Creates reading options; every parameter has a default suited to registry workbooks.
    public init(
        zipLimits: ZipLimits = ZipLimits(),
        xmlOptions: XMLReadOptions = XMLReadOptions(),
        maxSharedStringBytes: Int = 1 << 30
    ) {
        self.zipLimits = zipLimits
        self.xmlOptions = xmlOptions
        self.maxSharedStringBytes = maxSharedStringBytes
    }
}

/// A failure reading a workbook. The message names the file, the sheet and part when known, what was
/// expected and what to do.
public struct XLSXError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: Sendable, Equatable {
        /// The zip container cannot be read (not a zip, old `.xls`, truncated, zip bomb, ...): see ``XLSXError/zipError``.
        case archive
        /// The archive is a valid zip but not an Excel workbook (a Word document, an `.xlsb`, an `.ods`, ...).
        case notAWorkbook
        /// A part the workbook refers to is missing.
        case missingPart
        /// A part is not well-formed XML or passes an XML limit: see ``XLSXError/xmlError``.
        case malformedXML
        /// No sheet has the requested name or index.
        case sheetNotFound
        /// The requested sheet is a chart sheet or another kind of sheet without cells.
        case notAWorksheet
        /// A cell, row or range is not valid (bad reference, shared string out of range, bad boolean, ...).
        case invalidCell
        /// The shared-strings table is larger than ``XLSXReadOptions/maxSharedStringBytes``.
        case sharedStringsTooLarge
    }

    /// What went wrong.
    public let kind: Kind
    /// The path of the workbook file.
    public let path: String
    /// The sheet concerned, when known.
    public let sheet: String?
    /// The part (zip entry) concerned, when known, such as `xl/worksheets/sheet1.xml`.
    public let part: String?
    /// The cell concerned, such as `C14`, when known.
    public let cell: String?
    /// What went wrong and what to do, in words for the person responsible for the file.
    public let message: String
    /// The zip-level error, for ``Kind/archive``.
    public let zipError: ZipError?
    /// The XML-level error, for ``Kind/malformedXML``.
    public let xmlError: XMLReadError?

    /// Creates an error.
    public init(
        kind: Kind, path: String, sheet: String? = nil, part: String? = nil, cell: String? = nil,
        message: String, zipError: ZipError? = nil, xmlError: XMLReadError? = nil
    ) {
        self.kind = kind
        self.path = path
        self.sheet = sheet
        self.part = part
        self.cell = cell
        self.message = message
        self.zipError = zipError
        self.xmlError = xmlError
    }

    /// The path followed by the message.
    public var description: String { "\(path): \(message)" }
}

/// Which day serial number 0 or 1 stands for (`<workbookPr date1904="1"/>`).
public enum XLSXDateSystem: Sendable, Equatable {
    /// Serial 1 is 1900-01-01, with Lotus 1-2-3's fictitious 1900-02-29 as serial 60 (the default).
    case date1900
    /// Serial 0 is 1904-01-01 (old Mac Excel workbooks).
    case date1904
}

/// The value of one cell, as stored in the file. Numbers and dates keep the exact text of the file so that
/// no digit is lost; convert them with an exact decimal parser, or with ``XLSXDate`` for dates.
public enum XLSXCellValue: Sendable, Equatable {
    /// A cell present in the file (for its style, usually) without a value.
    case empty
    /// Text: a shared string (`t="s"`), an inline string (`t="inlineStr"`) or a formula's text result
    /// (`t="str"`); rich-text runs are concatenated.
    case text(String)
    /// A number, as the raw text of `<v>` (for example `"1500000"`, `"3578081234567890"`, `"1.5E-3"`).
    case number(String)
    /// A boolean (`t="b"`).
    case bool(Bool)
    /// An error value such as `#N/A` or `#DIV/0!` (`t="e"`).
    case error(String)
    /// A number whose cell style is a date or time format: the raw serial text (for example `"45852"`
    /// or `"45852.5"`). Convert it with ``XLSXDate/dateTime(serial:system:)`` and the workbook's
    /// ``XLSXWorkbook/dateSystem``.
    case date(serial: String)
    /// An ISO 8601 date written as text by the writer (`t="d"`, for example `"2025-07-14T00:00:00"`).
    case isoDate(String)
}

/// One cell of a row.
public struct XLSXCell: Sendable, Equatable {
    /// The 1-based column number: A is 1, Z is 26, AA is 27, XFD is 16 384.
    public var column: Int
    /// The 1-based row number.
    public var row: Int
    /// The value.
    public var value: XLSXCellValue
    /// The formula text when the cell holds one (without the leading `=`); `""` for cells that share
    /// a formula written in another cell; `nil` without formula.
    public var formula: String?
    /// The index of the cell's style in the workbook's `cellXfs` table (0 when the cell has none).
    public var styleIndex: Int

    /// Creates a cell.
    public init(column: Int, row: Int, value: XLSXCellValue, formula: String? = nil, styleIndex: Int = 0) {
        self.column = column
        self.row = row
        self.value = value
        self.formula = formula
        self.styleIndex = styleIndex
    }

    /// The column letters, such as `C`.
    public var columnLetters: String { XLSXCellReference.columnLetters(column) }
    /// The A1-style reference, such as `C14`.
    public var reference: String { "\(columnLetters)\(row)" }
}

/// One row of a sheet.
public struct XLSXRow: Sendable, Equatable {
    /// The 1-based row number, as in Excel.
    public var number: Int
    /// The cells present in the file, in file order (normally left to right). Columns without a cell
    /// in the file are absent.
    public var cells: [XLSXCell]

    /// Creates a row.
    public init(number: Int, cells: [XLSXCell]) {
        self.number = number
        self.cells = cells
    }

    /// The cell in the 1-based `column`, or `nil` when the file has none there.
    public func cell(column: Int) -> XLSXCell? {
        cells.first { $0.column == column }
    }

    /// Whether every cell is ``XLSXCellValue/empty`` (or the row has no cell).
    public var isBlank: Bool {
        cells.allSatisfy { $0.value == .empty }
    }
}

/// A sheet listed in the workbook.
public struct XLSXSheetInfo: Sendable, Equatable {
    /// What the sheet holds.
    public enum Kind: Sendable, Equatable {
        /// A worksheet: cells, readable with ``XLSXSheetReader``.
        case worksheet
        /// A chart sheet (no cells).
        case chartsheet
        /// An Excel 5 dialog sheet or an Excel 4 macro sheet, or a relationship of an unknown type.
        case other
    }

    /// Whether the sheet is shown in Excel's tabs.
    public enum Visibility: Sendable, Equatable {
        /// Shown.
        case visible
        /// Hidden (can be unhidden from Excel).
        case hidden
        /// Hidden, and can only be unhidden with VBA.
        case veryHidden
    }

    /// The sheet's name as shown on its tab.
    public let name: String
    /// The 0-based position of the sheet in the workbook's tab order.
    public let index: Int
    /// What the sheet holds.
    public let kind: Kind
    /// Whether the sheet is shown.
    public let visibility: Visibility
    /// The zip entry holding the sheet, such as `xl/worksheets/sheet1.xml`.
    public let partName: String

    /// Creates a sheet description.
    public init(name: String, index: Int, kind: Kind, visibility: Visibility, partName: String) {
        self.name = name
        self.index = index
        self.kind = kind
        self.visibility = visibility
        self.partName = partName
    }
}

/// Conversions between A1-style references and 1-based column and row numbers.
public enum XLSXCellReference {
    /// The largest column number Excel allows (XFD).
    public static let maxColumn = 16_384
    /// The largest row number Excel allows.
    public static let maxRow = 1_048_576

    /// The letters of a 1-based column number: 1 → `A`, 27 → `AA`, 16 384 → `XFD`. Returns `""` for 0 or less.
    public static func columnLetters(_ column: Int) -> String {
        guard column > 0 else { return "" }
        var number = column
        var scalars: [Unicode.Scalar] = []
        while number > 0 {
            let remainder = (number - 1) % 26
            scalars.append(Unicode.Scalar(UInt8(65 + remainder)))
            number = (number - 1) / 26
        }
        var letters = ""
        letters.unicodeScalars.append(contentsOf: scalars.reversed())
        return letters
    }

    /// The 1-based column number of column letters (`"C"` → 3, `"aa"` → 27), or `nil` when they are not
    /// 1 to 3 letters within `A`…`XFD`.
    public static func columnNumber(_ letters: String) -> Int? {
        let bytes = Array(letters.utf8)
        guard let (column, end) = parseColumn(bytes[...]), end == bytes.count else { return nil }
        return column
    }

    /// Splits a reference such as `"C14"` (or `"$C$14"`) into its 1-based column and row, or `nil` when
    /// it is not a valid cell reference within Excel's grid.
    public static func parse(_ reference: String) -> (column: Int, row: Int)? {
        parse(bytes: Array(reference.utf8)[...])
    }

    static func parse(bytes: ArraySlice<UInt8>) -> (column: Int, row: Int)? {
        guard let (column, afterColumn) = parseColumn(bytes) else { return nil }
        var index = afterColumn
        if index < bytes.endIndex, bytes[index] == UInt8(ascii: "$") { index += 1 }
        guard index < bytes.endIndex else { return nil }
        var row = 0
        while index < bytes.endIndex {
            let byte = bytes[index]
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            row = row * 10 + Int(byte - 0x30)
            if row > maxRow { return nil }
            index += 1
        }
        guard row >= 1 else { return nil }
        return (column, row)
    }

    /// Parses leading column letters (after an optional `$`); returns the column and the index after them.
    static func parseColumn(_ bytes: ArraySlice<UInt8>) -> (Int, Int)? {
        var index = bytes.startIndex
        if index < bytes.endIndex, bytes[index] == UInt8(ascii: "$") { index += 1 }
        var column = 0
        var letters = 0
        while index < bytes.endIndex {
            var byte = bytes[index]
            if byte >= 0x61, byte <= 0x7A { byte -= 0x20 }
            guard byte >= 0x41, byte <= 0x5A else { break }
            column = column * 26 + Int(byte - 0x40)
            letters += 1
            if letters > 3 || column > maxColumn { return nil }
            index += 1
        }
        guard letters > 0 else { return nil }
        return (column, index)
    }
}

/// A rectangular range of cells, such as a merged range `A1:F1`.
public struct XLSXCellRange: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The 1-based column of the top-left cell.
    public var firstColumn: Int
    /// The 1-based row of the top-left cell.
    public var firstRow: Int
    /// The 1-based column of the bottom-right cell.
    public var lastColumn: Int
    /// The 1-based row of the bottom-right cell.
    public var lastRow: Int

    /// Creates a range; the corners are put in order.
    public init(firstColumn: Int, firstRow: Int, lastColumn: Int, lastRow: Int) {
        self.firstColumn = min(firstColumn, lastColumn)
        self.firstRow = min(firstRow, lastRow)
        self.lastColumn = max(firstColumn, lastColumn)
        self.lastRow = max(firstRow, lastRow)
    }

    /// Parses `"A1:F1"` (or a single cell `"B2"`), or returns `nil` when it is not a valid range.
    public init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2,
              let first = XLSXCellReference.parse(String(parts[0])),
              let last = XLSXCellReference.parse(String(parts[parts.count - 1]))
        else { return nil }
        self.init(firstColumn: first.column, firstRow: first.row, lastColumn: last.column, lastRow: last.row)
    }

    /// Whether the cell at the 1-based `column` and `row` is inside the range.
    public func contains(column: Int, row: Int) -> Bool {
        (firstColumn...lastColumn).contains(column) && (firstRow...lastRow).contains(row)
    }

    /// The range in A1 notation, such as `A1:F1`.
    public var description: String {
        "\(XLSXCellReference.columnLetters(firstColumn))\(firstRow):\(XLSXCellReference.columnLetters(lastColumn))\(lastRow)"
    }
}

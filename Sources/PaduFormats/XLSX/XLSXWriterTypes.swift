import PaduCore

/// One column of a sheet written by ``XLSXWriter``: its header title, how its numbers are displayed
/// and its width.
public struct XLSXColumn: Sendable, Equatable {
    /// How the numbers of a column are displayed. Text, dates and booleans display the same in any
    /// column; a date always gets the `dd/mm/yyyy` format.
    public enum Kind: Sendable, Equatable {
        /// Text: numbers in the column are shown as they are (Excel's General format).
        case text
        /// Whole numbers with a thousands separator: `#,##0`.
        case integer
        /// Numbers with `scale` decimals (0–6) and a thousands separator: `#,##0.00` for scale 2.
        case decimal(scale: Int)
        /// Calendar dates: `dd/mm/yyyy`.
        case date
        /// Fractions shown as percentages with two decimals: 0.125 shows as `12.50%` (`0.00%`).
        case percent
    }

    /// The header text of the column (row 1, bold).
    public var title: String
    /// How the column's numbers are displayed.
    public var kind: Kind
    /// The width in Excel's units (characters of the default font), or `nil` for a width fitted to
    /// the title and the kind.
    public var width: Double?

    /// Creates a column.
    public init(title: String, kind: Kind = .text, width: Double? = nil) {
        self.title = title
        self.kind = kind
        self.width = width
    }
}

/// A value written into a cell by ``XLSXWriter/appendRow(_:)``. (The reader's values are
/// ``XLSXCellValue``.)
public enum XLSXWriteValue: Sendable, Equatable {
    /// No cell.
    case empty
    /// Text, written as an inline string: never a formula, whatever it starts with (`=`, `+`, `-`, `@`).
    case text(String)
    /// A whole number. Excel keeps 15 significant digits: write identifiers such as NIK as ``text(_:)``.
    case integer(Int64)
    /// An exact decimal, written digit for digit (`1500000.00` is written `1500000`).
    case decimal(ExactDecimal)
    /// A calendar date, written as an Excel serial number (1900 date system) with the `dd/mm/yyyy`
    /// format. Dates before 1900-03-01 are written as ISO text (`1900-01-01`): Excel cannot hold dates
    /// before 1900, and Excel and LibreOffice read the serials of January and February 1900 one day apart.
    case date(CivilDate)
    /// A boolean (TRUE/FALSE).
    case bool(Bool)
}

/// A failure writing a workbook.
public struct XLSXWriteError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: Sendable, Equatable {
        /// Writing the zip container failed (folder missing or not writable, disk full, 4 GiB reached,
        /// ...): see ``XLSXWriteError/zipError``.
        case archive
        /// A row was appended before any sheet was added.
        case noSheet
        /// A sheet was added without columns, or with more than Excel's 16 384.
        case invalidColumns
        /// A row has more values than its sheet has columns.
        case rowTooWide
        /// The sheet already holds Excel's maximum of 1 048 576 rows.
        case tooManyRows
        /// The workbook was closed (or abandoned after an error) and cannot be written to.
        case closed
    }

    /// What went wrong.
    public let kind: Kind
    /// The path of the workbook file.
    public let path: String
    /// The sheet concerned, when known.
    public let sheet: String?
    /// What went wrong and what to do.
    public let message: String
    /// The zip-level error, for ``Kind/archive``.
    public let zipError: ZipWriteError?

    /// Creates an error.
    public init(kind: Kind, path: String, sheet: String? = nil, message: String, zipError: ZipWriteError? = nil) {
        self.kind = kind
        self.path = path
        self.sheet = sheet
        self.message = message
        self.zipError = zipError
    }

    /// The path followed by the message.
    public var description: String { "\(path): \(message)" }
}

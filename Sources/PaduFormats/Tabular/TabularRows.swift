/// What kind of cell a value came from. Text formats only have `.text`; spreadsheets tell
/// numbers and dates apart, which matters (a NIK in a number cell is damaged).
public enum TabularCellKind: Sendable, Hashable {
    case text, number, date, bool, error
}

/// One cell of a sheet or text row, as text: numbers as their exact written digits, dates
/// as ISO `yyyy-mm-dd`.
public struct TabularCell: Sendable, Hashable {
    public var text: String?
    public var kind: TabularCellKind
    public init(text: String?, kind: TabularCellKind = .text) {
        self.text = text
        self.kind = kind
    }
}

/// One physical row: its number in the file (line or spreadsheet row) and its cells.
public struct TabularRow: Sendable {
    public var number: Int
    public var cells: [TabularCell]
    public var byteOffset: Int64?
    /// A damaged record (text formats): the row cannot be trusted.
    public var problem: String?

    public init(number: Int, cells: [TabularCell], byteOffset: Int64? = nil, problem: String? = nil) {
        self.number = number
        self.cells = cells
        self.byteOffset = byteOffset
        self.problem = problem
    }
}

/// A stream of rows from one sheet or text file.
public protocol TabularRowSource: AnyObject {
    /// The sheet's name (nil for text files).
    var sheet: String? { get }
    /// Merged ranges of the sheet, known before the first row (empty for text files).
    var mergedRanges: [MergedRange] { get }
    /// Whether numeric date serials count from 1904 (a workbook setting; false for text).
    var date1904: Bool { get }
    func nextRow() throws -> TabularRow?
    var bytesRead: Int64 { get }
    func close()
}

/// Rows of a delimited text file.
public final class CSVRowSource: TabularRowSource {
    private let reader: CSVReader
    public let sheet: String? = nil
    public let mergedRanges: [MergedRange] = []
    public let date1904 = false

    public init(path: String, options: CSVOptions = CSVOptions()) throws {
        reader = try CSVReader(path: path, options: options)
    }

    public func nextRow() throws -> TabularRow? {
        guard let record = try reader.next() else { return nil }
        return TabularRow(number: record.line, cells: record.fields.map { TabularCell(text: $0.isEmpty ? nil : $0) },
                          byteOffset: record.byteOffset, problem: record.problem?.description)
    }

    public var bytesRead: Int64 { reader.bytesRead }
    public func close() { reader.close() }
}

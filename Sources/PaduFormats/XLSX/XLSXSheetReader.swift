/// Streams the rows of one worksheet, in file order, with constant memory: only the current row is
/// held (plus the workbook's shared-strings table).
///
/// Obtain one with ``XLSXWorkbook/sheet(named:)`` or ``XLSXWorkbook/sheet(at:)`` and call
/// ``nextRow()`` until it returns `nil`. Rows missing from the file (entirely empty rows) do not
/// appear; a row present in the file without values (for example formatted only) appears with
/// ``XLSXCellValue/empty`` cells or no cells. Rows and cells without an `r` attribute (some writers
/// omit it) are numbered by position: one after the previous row or cell.
///
/// Merged cells are not in the rows (Excel writes them after the rows): get them from
/// ``XLSXWorkbook/mergedRanges(_:)``.
public final class XLSXSheetReader {
    /// The sheet being read.
    public let sheet: XLSXSheetInfo
    /// The workbook's date system, needed to convert ``XLSXCellValue/date(serial:)`` values.
    public let dateSystem: XLSXDateSystem
    /// The path of the workbook file.
    public let workbookPath: String
    /// The used range the writer declared (`<dimension ref="A1:F20"/>`), known once the first row
    /// has been requested; `nil` when absent. Writers do not always keep it accurate.
    public private(set) var declaredDimension: XLSXCellRange?
    /// The number of rows returned so far.
    public private(set) var rowsRead = 0

    private let xml: XMLStreamReader
    private let sharedStrings: [String]
    private let dateStyles: [Bool]
    private enum State { case beforeData, inData(depth: Int), finished }
    private var state = State.beforeData
    private var lastRowNumber = 0
    private var lastCellCount = 8

    init(workbook: XLSXWorkbook, sheet: XLSXSheetInfo, xml: XMLStreamReader) {
        self.sheet = sheet
        self.dateSystem = workbook.dateSystem
        self.workbookPath = workbook.path
        self.xml = xml
        self.sharedStrings = workbook.sharedStrings
        self.dateStyles = workbook.dateStyles
    }

    /// The next row in the file, or `nil` after the last one.
    /// - Throws: ``XLSXError``: ``XLSXError/Kind/malformedXML`` for damaged XML (with line and column),
    ///   ``XLSXError/Kind/invalidCell`` for invalid references or values, ``XLSXError/Kind/archive``
    ///   for zip-level failures while inflating (truncated data, CRC mismatch, zip bomb). After a throw
    ///   the reader returns `nil`.
    public func nextRow() throws -> XLSXRow? {
        do {
            let row = try readNextRow()
            if row != nil { rowsRead += 1 }
            return row
        } catch {
            state = .finished
            throw PartReader.convert(error, path: workbookPath, part: sheet.partName, sheet: sheet.name)
        }
    }

    private func readNextRow() throws -> XLSXRow? {
        let dataDepth: Int
        switch state {
        case .finished:
            return nil
        case .inData(let depth):
            dataDepth = depth
        case .beforeData:
            guard let depth = try findSheetData() else {
                state = .finished
                return nil
            }
            state = .inData(depth: depth)
            dataDepth = depth
        }
        while try xml.next() {
            switch xml.nodeType {
            case .elementStart:
                if xml.depth == dataDepth + 1, xml.localName == "row" {
                    return try readRow()
                }
                try xml.skipElement()
            case .elementEnd where xml.depth == dataDepth:
                state = .finished
                return nil
            default:
                continue
            }
        }
        state = .finished
        return nil
    }

    /// Moves to `<sheetData>`; returns its depth, or `nil` when the sheet has no rows.
    private func findSheetData() throws -> Int? {
        while try xml.next() {
            guard xml.nodeType == .elementStart else { continue }
            switch xml.localName {
            case "dimension":
                declaredDimension = xml.attribute("ref").flatMap { XLSXCellRange($0) }
            case "sheetData":
                return xml.isEmptyElement ? nil : xml.depth
            default:
                if xml.depth >= 1 { try xml.skipElement() }
            }
        }
        return nil
    }

    private func readRow() throws -> XLSXRow {
        var number = lastRowNumber + 1
        if let text = xml.attribute("r") {
            guard let value = Int(text), (1...XLSXCellReference.maxRow).contains(value) else {
                throw invalid(
                    cell: nil,
                    "has a row numbered '\(text)', which is not a row number from 1 to \(XLSXCellReference.maxRow)"
                )
            }
            number = value
        }
        lastRowNumber = number
        var cells: [XLSXCell] = []
        if xml.isEmptyElement { return XLSXRow(number: number, cells: cells) }
        cells.reserveCapacity(lastCellCount)
        let rowDepth = xml.depth
        var lastColumn = 0
        while try xml.next() {
            switch xml.nodeType {
            case .elementStart:
                if xml.localName == "c" {
                    let cell = try readCell(row: number, previousColumn: lastColumn)
                    lastColumn = cell.column
                    cells.append(cell)
                } else {
                    try xml.skipElement()
                }
            case .elementEnd where xml.depth == rowDepth:
                lastCellCount = max(cells.count, 1)
                return XLSXRow(number: number, cells: cells)
            default:
                continue
            }
        }
        return XLSXRow(number: number, cells: cells)
    }

    private enum CellType { case number, sharedString, inlineString, formulaString, boolean, error, isoDate }

    private func readCell(row: Int, previousColumn: Int) throws -> XLSXCell {
        var column = previousColumn + 1
        let badReference: String? = xml.withAttributeBytes("r") { bytes in
            guard let bytes else { return nil }
            guard let (parsed, _) = XLSXCellReference.parseColumn(Array(bytes)[...]),
                  XLSXCellReference.parse(bytes: Array(bytes)[...]) != nil
            else { return String(decoding: bytes, as: UTF8.self) }
            column = parsed
            return nil
        }
        if let badReference {
            throw invalid(
                cell: badReference,
                "has a cell with reference '\(badReference)' in row \(row), which is not a valid cell reference (Excel's grid ends at XFD\(XLSXCellReference.maxRow))"
            )
        }
        if column > XLSXCellReference.maxColumn {
            throw invalid(cell: nil, "has more than \(XLSXCellReference.maxColumn) cells in row \(row)")
        }
        let styleIndex: Int = xml.withAttributeBytes("s") { bytes in
            guard let bytes else { return 0 }
            var value = 0
            for byte in bytes {
                guard byte >= 0x30, byte <= 0x39, value < 1 << 40 else { return 0 }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        let type: CellType = xml.withAttributeBytes("t") { bytes in
            guard let bytes, let first = bytes.first else { return .number }
            switch (first, bytes.count) {
            case (UInt8(ascii: "s"), 1): return .sharedString
            case (UInt8(ascii: "s"), 3): return .formulaString
            case (UInt8(ascii: "i"), _): return .inlineString
            case (UInt8(ascii: "b"), 1): return .boolean
            case (UInt8(ascii: "e"), 1): return .error
            case (UInt8(ascii: "d"), 1): return .isoDate
            default: return .number
            }
        }
        var raw: String?
        var formula: String?
        var inline: String?
        if !xml.isEmptyElement {
            let cellDepth = xml.depth
            reading: while try xml.next() {
                switch xml.nodeType {
                case .elementStart:
                    switch xml.localName {
                    case "v": raw = try xml.readText()
                    case "f": formula = try xml.readText()
                    case "is": inline = try XLSXWorkbook.readRichText(xml)
                    default: try xml.skipElement()
                    }
                case .elementEnd where xml.depth == cellDepth:
                    break reading
                default:
                    continue
                }
            }
        }
        let value: XLSXCellValue
        switch type {
        case .number:
            if let raw, !raw.isEmpty {
                let isDate = styleIndex < dateStyles.count && dateStyles[styleIndex]
                value = isDate ? .date(serial: raw) : .number(raw)
            } else {
                value = .empty
            }
        case .sharedString:
            guard let raw, !raw.isEmpty else {
                value = .empty
                break
            }
            guard let index = Int(raw), sharedStrings.indices.contains(index) else {
                let reference = "\(XLSXCellReference.columnLetters(column))\(row)"
                throw invalid(
                    cell: reference,
                    "has cell \(reference) referring to shared text number \(raw), but the workbook has only \(sharedStrings.count) shared texts"
                )
            }
            value = .text(sharedStrings[index])
        case .inlineString:
            value = inline.map { .text($0) } ?? raw.map { .text($0) } ?? .empty
        case .formulaString:
            value = raw.map { .text($0) } ?? .empty
        case .boolean:
            switch raw {
            case "1", "true", "TRUE": value = .bool(true)
            case "0", "false", "FALSE": value = .bool(false)
            case nil, "": value = .empty
            case let other?:
                let reference = "\(XLSXCellReference.columnLetters(column))\(row)"
                throw invalid(cell: reference, "has cell \(reference) marked as a boolean but holding '\(other)'")
            }
        case .error:
            value = raw.map { .error($0) } ?? .empty
        case .isoDate:
            value = raw.flatMap { $0.isEmpty ? nil : .isoDate($0) } ?? .empty
        }
        return XLSXCell(column: column, row: row, value: value, formula: formula, styleIndex: styleIndex)
    }

    private func invalid(cell: String?, _ problem: String) -> XLSXError {
        XLSXError(
            kind: .invalidCell, path: workbookPath, sheet: sheet.name, part: sheet.partName, cell: cell,
            message: "sheet '\(sheet.name)' \(problem); the file is damaged; open it in Excel or LibreOffice and save it again"
        )
    }
}

import PaduCore

/// Writes the XML of one worksheet row by row into a zip spool: header row in bold, frozen under the
/// header, column widths, auto-filter over the header. Only the current chunk of XML is in memory.
final class XLSXWorksheetStream {
    /// The sheet's name (already sanitized).
    let name: String
    /// The columns.
    let columns: [XLSXColumn]
    /// The zip spool receiving the deflated XML.
    let spool: ZipDeflatedSpool
    /// The number of rows written, the header included.
    private(set) var rowCount = 0
    /// The number of text cells cut to Excel's 32 767 characters.
    private(set) var truncatedTextCells = 0

    private var buffer: [UInt8] = []
    private let cellStarts: [[UInt8]]
    private let numberStyles: [[UInt8]]
    private static let flushSize = 64 << 10
    private static let dateStyle = Array(#"" s="\#(XLSXWriterStyles.date)"><v>"#.utf8)
    private static let inlineText = Array(#"" t="inlineStr"><is><t xml:space="preserve">"#.utf8)
    private static let headerText = Array(#"" s="\#(XLSXWriterStyles.header)" t="inlineStr"><is><t xml:space="preserve">"#.utf8)
    private static let boolean = Array(#"" t="b"><v>"#.utf8)
    private static let endText = Array("</t></is></c>".utf8)
    private static let endValue = Array("</v></c>".utf8)
    /// Serials before 1900-03-01 are read differently by Excel (Lotus's 1900-02-29) and LibreOffice.
    private static let firstUnambiguousDay = CivilDate.days(year: 1900, month: 3, day: 1)

    /// Starts the worksheet: writes everything before the header row, then the header row.
    init(name: String, columns: [XLSXColumn], spool: ZipDeflatedSpool, selected: Bool) throws {
        self.name = name
        self.columns = columns
        self.spool = spool
        cellStarts = columns.indices.map { Array(#"<c r=""#.utf8) + Array(XLSXCellReference.columnLetters($0 + 1).utf8) }
        numberStyles = columns.map { column in
            let style = XLSXWriterStyles.number(column.kind)
            return Array((style == XLSXWriterStyles.general ? #""><v>"# : #"" s="\#(style)"><v>"#).utf8)
        }
        buffer.reserveCapacity(Self.flushSize + 4096)
        var head = XLSXPackageParts.declaration
            + #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" "#
            + #"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#
            + #"<sheetViews><sheetView \#(selected ? #"tabSelected="1" "# : "")workbookViewId="0">"#
            + #"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#
            + #"<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>"#
            + #"<sheetFormatPr defaultRowHeight="15"/><cols>"#
        for (index, column) in columns.enumerated() {
            let width = min(max(column.width ?? Self.fittedWidth(column), 0.5), 255)
            head += #"<col min="\#(index + 1)" max="\#(index + 1)" width="\#(width)" "#
                + #"style="\#(XLSXWriterStyles.column(column.kind))" customWidth="1"/>"#
        }
        head += "</cols><sheetData>"
        buffer.append(contentsOf: head.utf8)
        try writeRow(columns.map { .text($0.title) }, header: true)
    }

    /// The A1 range of the auto-filter: the header over all rows written.
    var filterRange: String {
        "$A$1:$\(XLSXCellReference.columnLetters(columns.count))$\(max(rowCount, 1))"
    }

    /// Appends one row below the last one.
    func append(_ values: [XLSXWriteValue]) throws {
        try writeRow(values, header: false)
    }

    /// Ends the XML (auto-filter and closing tags) and hands the last chunk to the spool.
    func finish() throws {
        let lastColumn = XLSXCellReference.columnLetters(columns.count)
        buffer.append(contentsOf: #"</sheetData><autoFilter ref="A1:\#(lastColumn)\#(max(rowCount, 1))"/>"#.utf8)
        buffer.append(contentsOf: #"<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>"#.utf8)
        buffer.append(contentsOf: "</worksheet>".utf8)
        try spool.write(buffer)
        buffer.removeAll()
    }

    private func writeRow(_ values: [XLSXWriteValue], header: Bool) throws {
        rowCount += 1
        let rowDigits = Array(String(rowCount).utf8)
        buffer.append(contentsOf: #"<row r=""#.utf8)
        buffer.append(contentsOf: rowDigits)
        buffer.append(contentsOf: #"">"#.utf8)
        for (index, value) in values.enumerated() {
            if case .empty = value { continue }
            buffer.append(contentsOf: cellStarts[index])
            buffer.append(contentsOf: rowDigits)
            switch value {
            case .empty:
                break
            case .text(let text):
                let fitted = XLSXXMLText.fittingCell(text)
                if fitted.truncated { truncatedTextCells += 1 }
                buffer.append(contentsOf: header ? Self.headerText : Self.inlineText)
                XLSXXMLText.append(fitted.text, to: &buffer, ooxmlEscapes: true)
                buffer.append(contentsOf: Self.endText)
            case .integer(let number):
                buffer.append(contentsOf: numberStyles[index])
                buffer.append(contentsOf: String(number).utf8)
                buffer.append(contentsOf: Self.endValue)
            case .decimal(let number):
                buffer.append(contentsOf: numberStyles[index])
                buffer.append(contentsOf: number.normalized.description.utf8)
                buffer.append(contentsOf: Self.endValue)
            case .date(let date):
                if date.daysSince1970 < Self.firstUnambiguousDay {
                    buffer.append(contentsOf: Self.inlineText)
                    buffer.append(contentsOf: date.iso.utf8)
                    buffer.append(contentsOf: Self.endText)
                } else {
                    let serial = XLSXDate.serial(year: date.year, month: date.month, day: date.day, system: .date1900)
                    buffer.append(contentsOf: Self.dateStyle)
                    buffer.append(contentsOf: String(serial).utf8)
                    buffer.append(contentsOf: Self.endValue)
                }
            case .bool(let flag):
                buffer.append(contentsOf: Self.boolean)
                buffer.append(flag ? UInt8(ascii: "1") : UInt8(ascii: "0"))
                buffer.append(contentsOf: Self.endValue)
            }
        }
        buffer.append(contentsOf: "</row>".utf8)
        if buffer.count >= Self.flushSize {
            try spool.write(buffer)
            buffer.removeAll(keepingCapacity: true)
        }
    }

    /// A width fitting the title (plus the filter button) and the kind's typical values.
    private static func fittedWidth(_ column: XLSXColumn) -> Double {
        let typical: Double
        switch column.kind {
        case .text: typical = 12
        case .integer: typical = 12
        case .decimal: typical = 16
        case .date: typical = 12
        case .percent: typical = 10
        }
        let title = Double(column.title.count) * 1.1 + 4
        return min(max(typical, title), 60).rounded()
    }
}

import CLibXML2
import Foundation
import PaduCore

/// A BPS static table (*tabel statis*): an HTML table exported from Excel ("Save as Web Page",
/// or an `.xls` that is really HTML), one row per region and one column per variable and period.
///
/// ```
/// Persentase Penduduk Miskin Menurut Kabupaten/Kota di Provinsi Lampung, 2021–2023   ← title rows
/// Kabupaten/Kota [rowspan=2] | Persentase Penduduk Miskin (Persen) [colspan=3]      ← header rows
///                            | 2021  | 2022  | 2023
/// (1)                        | (2)   | (3)   | (4)                                   ← column numbers (skipped)
/// Lampung Barat              | 12,42 | 12,04 | 11,63                                 ← data rows
/// Pesisir Barat              | 15,24 | -     | 14,23
/// Lampung                    | 12,62 | 11,57 | 11,11                                 ← the province row is a region too
/// Sumber: BPS Provinsi Lampung                                                       ← footnotes
/// ```
///
/// How the table is read:
/// - The document is parsed with libxml2's HTML parser, never from the network, in the charset
///   of its `<meta>`: an undeclared charset is UTF-8 when the bytes are valid UTF-8 and
///   Windows-1252 otherwise; `iso-8859-1` is read as Windows-1252, as browsers do, so Excel's
///   `…` (0x85) survives. A file that is not valid in a charset libxml2 converts is refused
///   rather than read cut short. libxml2 never prints. Files over ``maxBytes`` are refused.
/// - The first `<table>` with numeric data is used. `rowspan`/`colspan` are expanded into a
///   grid; `R{row}C{column}` (1-based, counting every `<tr>` of the table) names a grid cell.
/// - Title rows (one cell from the first column, before the header), header rows (up to the
///   first row whose cells after the first, and after the names next to it, are mostly numbers
///   or missing markers; a row of years such as `2021 | 2022 | 2023` is a header),
///   column-number rows (`(1) | (2) | ...`), data rows, and footnotes (from the first row
///   starting `Sumber:`, `Catatan:`, `Note:`, `Keterangan:`, `*)`) are told apart. A row of one
///   cell spanning several columns, or a row of one label and no values, is a section heading
///   (`Kabupaten`, `Kota`) inside the data and a footnote after it; header and column-number
///   rows repeated inside the data (a table printed over several pages) are skipped.
/// - Each value column's label joins the header cells above it with ` | `
///   (`Persentase Penduduk Miskin (Persen) | 2023`). A header part that is a period (`2023`,
///   `2023 Semester 1`, `Maret 2024`, `2023*)`) gives the period, a sub-period part (`Maret`,
///   `Semester 1`, `Triwulan III`) under a year refines it, `Tahun`/`Year` headings are dropped,
///   the first other part is the variable, and later ones are the breakdown. Periods are
///   written year first like ``BPSWebAPITable`` does: `Maret 2024` → `2024 Maret`. Without a
///   period in the header, a period ending the variable label (`... Miskin, 2023`) or the one
///   year in the title is used; without a variable, the title up to `Menurut`.
/// - The unit is a trailing `(...)` of the variable label that names a unit (`(Persen)`,
///   `(Rp/Kapita/Bulan)`, `(Ribu Jiwa)`, `(%)`, `(Tahun)`; not `(P1)`); the label keeps it, so a
///   variable published in `Ribu Jiwa` and in `Jiwa` never shares a `variableCode`.
/// - The region is the first column of names (or the column headed `regionColumnHeader`).
///   A column of codes before it (`1801`; BPS codes, never Kemendagri ones) gives `regionCode`;
///   a `No.` column (`1, 2, 3, ...`) is ignored. Static tables rarely carry codes: without one,
///   **`regionCode` is the region label** (prefixed by the labels of text columns before the
///   region column, `Lampung Barat | Balik Bukit`, so that it stays unique), and joining it to
///   anything needs a name crosswalk. Text columns right after the region column (`Perkotaan`,
///   `Perdesaan`) are row breakdowns, appended to the column's breakdown.
/// - Values keep their exact decimal text (`12,42` → `12.42`, `1.234,5` → `1234.5`). The
///   number style is decided once for the whole table by ``NumberStyleDetector`` over every
///   value cell, so `550.012` is 550012 in a table that also has `1.234,56` or `12,42`.
/// - Missing markers (`-`, `–`, `…`, `...`, `NA`, `n.a`, `x`, an empty cell) and cells that are
///   not numbers go to ``missing`` with the reason, never to ``observations``. A column without
///   any number or marker (empty, or notes such as `Keterangan`) is not a value column.
///
/// Hidden rows and columns (`display:none`) are read like the others; Excel's `x:num` raw values
/// are ignored: the text shown is what BPS published.
public struct BPSStaticTable: Sendable {
    public let observations: [BPSObservation]
    /// Value cells without a value: `row` is the 1-based grid row, `column` the column's
    /// header label; `reason` names the cell (`R7C3`), the region, and why.
    public let missing: [(row: Int, column: String, reason: String)]
    /// The table's `<caption>`, its title rows, or the heading just before it.
    public let title: String?
    /// The footnote rows below the data (`Sumber: ...`, `Catatan: ...`), one string per row.
    public let footnotes: [String]

    /// Largest file accepted (static tables are small; a bigger file is not one of them).
    public static let maxBytes = 32 << 20

    public init(path: String, regionColumnHeader: String? = nil) throws {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        if let size = (attributes?[.size] as? NSNumber)?.intValue, size > Self.maxBytes {
            throw BPSFormatError(path: path, message: "the file is \(size) bytes, more than a BPS static table can be (\(Self.maxBytes)); is it the right file?")
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw BPSFormatError(path: path, message: "cannot read the file")
        }
        defer { try? handle.close() }
        let data: Data
        do { data = try handle.read(upToCount: Self.maxBytes + 1) ?? Data() } catch {
            throw BPSFormatError(path: path, message: "cannot read the file (\(error.localizedDescription))")
        }
        try self.init(data: data, path: path, regionColumnHeader: regionColumnHeader)
    }

    /// - Parameters:
    ///   - path: the file's name in error messages.
    ///   - regionColumnHeader: the header of the column of region names (compared ignoring case,
    ///     spaces and punctuation), when it is not the first column of names.
    public init(data: Data, path: String, regionColumnHeader: String? = nil) throws {
        guard data.count <= Self.maxBytes else {
            throw BPSFormatError(path: path, message: "the file is \(data.count) bytes or more, more than a BPS static table can be (\(Self.maxBytes)); is it the right file?")
        }
        if let kind = StaticHTML.notHTML(data) {
            throw BPSFormatError(path: path, message: "this is \(kind), not a table saved as HTML; open it in Excel and save it as "
                + "Web Page (.htm), or read it with the reader for that format")
        }
        let tables = try StaticHTML.tables(in: data, path: path)
        guard !tables.isEmpty else {
            let snippet = StaticHTML.snippet(of: data)
            throw BPSFormatError(path: path, message: "no <table> in the document (\(data.count) bytes"
                + (snippet.isEmpty ? "" : ", beginning \"\(snippet)\"") + ")"
                + (StaticHTML.isWorkbookFramePage(data)
                    ? "; this is the frame page of a workbook saved as Web Page: read the sheet's own file "
                        + "(sheet001.htm in the folder ending in _files next to it)"
                    : "; expected a BPS static table exported from Excel as HTML"))
        }
        var largest: CellGrid?
        for table in tables {
            let grid = try CellGrid(table, path: path)
            if let reading = try StaticTableReader(grid: grid, path: path, regionColumnHeader: regionColumnHeader).read() {
                observations = reading.observations
                missing = reading.missing
                title = reading.title
                footnotes = reading.footnotes
                return
            }
            if grid.slotCount > (largest?.slotCount ?? -1) { largest = grid }
        }
        let grid = largest!
        let sample = grid.cells.lazy.map(\.text).filter { !$0.isEmpty }.prefix(6).map { "\"\(StaticText.clip($0))\"" }
        throw BPSFormatError(path: path, message: "no table with numeric data: \(tables.count) table(s), the largest has "
            + "\(grid.rowCount) rows × \(grid.width) columns" + (sample.isEmpty ? " and no text" : ", beginning \(sample.joined(separator: ", "))")
            + "; expected rows of a region name followed by numbers")
    }
}

// MARK: - HTML

/// One `<table>` as written: rows of cells with their spans.
private struct HTMLTable {
    struct Cell {
        var text: String
        var rowSpan: Int  // 0: to the end of the table
        var colSpan: Int
    }
    var caption: String?
    /// The text of the last `<h1>`...`<h4>` before the table.
    var precedingHeading: String?
    var rows: [[Cell]] = []
}

/// libxml2 is initialised once, before any use from several threads.
private let htmlParserInitialized: Bool = {
    xmlInitParser()
    return true
}()

/// Collects libxml2's messages so that none reaches stderr.
private final class HTMLParseMessages {
    var first: String?
    /// A character conversion failure: libxml2 stops reading there, so the document is cut short.
    var conversionFailure: String?
}

private enum StaticHTML {
    /// No network, no error or warning output, recover from broken markup. Not `NOBLANKS`: a
    /// blank between two inline elements separates words (`<font>Lampung</font> <font>Barat</font>`).
    static let options = Int32(
        HTML_PARSE_NONET.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
            | HTML_PARSE_RECOVER.rawValue | HTML_PARSE_COMPACT.rawValue
    )

    /// Every `<table>` in document order (nested ones too, each with its own rows only).
    static func tables(in data: Data, path: String) throws -> [HTMLTable] {
        guard !data.isEmpty else { return [] }
        _ = htmlParserInitialized
        guard let context = htmlNewParserCtxt() else {
            throw BPSFormatError(path: path, message: "the HTML parser could not be started (out of memory?)")
        }
        defer { htmlFreeParserCtxt(context) }

        // Messages raised without a parser context (encoding conversion) go to the thread's
        // structured handler, else to stderr: install one for this call, restore it after.
        let input = decodedInput(data)
        let messages = HTMLParseMessages()
        let document: htmlDocPtr? = withExtendedLifetime(messages) {
            let savedHandler = __xmlStructuredError()?.pointee
            let savedContext = __xmlStructuredErrorContext()?.pointee
            xmlSetStructuredErrorFunc(Unmanaged.passUnretained(messages).toOpaque()) { opaque, error in
                guard let opaque, let error else { return }
                let messages = Unmanaged<HTMLParseMessages>.fromOpaque(opaque).takeUnretainedValue()
                let text = error.pointee.message.map { String(cString: $0) }?.trimmingWhitespace() ?? "unknown error"
                let domain = error.pointee.domain, code = error.pointee.code
                if messages.conversionFailure == nil, domain == Int32(XML_FROM_I18N.rawValue)
                    || (domain == Int32(XML_FROM_IO.rawValue) && code == Int32(XML_IO_ENCODER.rawValue))
                    || code == Int32(XML_ERR_INVALID_ENCODING.rawValue) {
                    messages.conversionFailure = text
                }
                if messages.first == nil, error.pointee.level.rawValue >= XML_ERR_ERROR.rawValue { messages.first = text }
            }
            defer { xmlSetStructuredErrorFunc(savedContext ?? nil, savedHandler ?? nil) }
            return input.bytes.withUnsafeBytes { raw -> htmlDocPtr? in
                guard let base = raw.baseAddress, raw.count > 0 else { return nil }
                return htmlCtxtReadMemory(context, base.assumingMemoryBound(to: CChar.self), Int32(raw.count), nil, input.encoding, options)
            }
        }
        guard let document else {
            throw BPSFormatError(path: path, message: "the file could not be read as HTML" + (messages.first.map { " (\($0))" } ?? ""))
        }
        if let failure = messages.conversionFailure {
            xmlFreeDoc(document)
            throw BPSFormatError(path: path, message: "the file is not valid \(input.charset) (\(failure)); the table would be cut short there. "
                + "Save it again from Excel as Web Page with the encoding Unicode (UTF-8)")
        }
        defer { xmlFreeDoc(document) }
        return collectTables(document)
    }

    /// The document as libxml2 should get it: Windows-1252 and UTF-8 are decoded here (libxml2 stops
    /// at a byte it cannot convert and returns the table cut short, silently); other declared
    /// charsets are left to libxml2, whose conversion errors are then fatal.
    ///
    /// - A UTF-8 byte order mark, a `<meta>` declaring UTF-8, or no declaration on valid UTF-8:
    ///   UTF-8 (invalid sequences become U+FFFD, as in browsers).
    /// - A `<meta>` declaring `windows-1252` or a label browsers treat as it (`iso-8859-1`,
    ///   `us-ascii`, ...), or no declaration on bytes that are not UTF-8: Windows-1252 as WHATWG
    ///   defines it (every byte maps to a character, `…` is 0x85).
    static func decodedInput(_ data: Data) -> (bytes: Data, encoding: String?, charset: String) {
        let utf8BOM: [UInt8] = [0xEF, 0xBB, 0xBF]
        if data.starts(with: utf8BOM) { return (utf8Repaired(data.dropFirst(3)), "UTF-8", "UTF-8") }
        if data.starts(with: [0xFF, 0xFE]) || data.starts(with: [0xFE, 0xFF]) { return (data, nil, "UTF-16") }
        let label = data.prefix(1 << 20).withUnsafeBytes { metaCharset($0) }
        switch label {
        case "utf-8", "utf8", "unicode-1-1-utf-8", "utf-16", "utf-16le", "utf-16be":
            // A `<meta>` readable as ASCII cannot be UTF-16: WHATWG reads such a label as UTF-8.
            return (utf8Repaired(data), "UTF-8", "UTF-8")
        case "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "l1", "us-ascii", "ascii", "cp819", "ibm819", "iso-ir-100",
             "csisolatin1", "iso_8859-1:1987", "cp1252", "windows-1252", "x-cp1252", "ansi_x3.4-1968":
            return (windows1252ToUTF8(data), "UTF-8", "Windows-1252")
        case let label?:
            return (data, nil, label)
        case nil:
            if String(validating: data, as: UTF8.self) != nil { return (data, "UTF-8", "UTF-8") }
            return (windows1252ToUTF8(data), "UTF-8", "Windows-1252")
        }
    }

    private static func utf8Repaired<D: DataProtocol>(_ data: D) -> Data {
        if String(validating: data, as: UTF8.self) != nil { return Data(data) }
        return Data(String(decoding: data, as: UTF8.self).utf8)
    }

    /// WHATWG's windows-1252: 0x80–0x9F per its table (five unassigned bytes keep their C1 code point).
    private static let windows1252High: [UInt16] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]

    static func windows1252ToUTF8(_ data: Data) -> Data {
        var out = [UInt8]()
        out.reserveCapacity(data.count + data.count / 8)
        data.withUnsafeBytes { bytes in
            for byte in bytes {
                let scalar = byte < 0x80 ? UInt32(byte) : byte < 0xA0 ? UInt32(windows1252High[Int(byte - 0x80)]) : UInt32(byte)
                if scalar < 0x80 {
                    out.append(UInt8(scalar))
                } else if scalar < 0x800 {
                    out.append(UInt8(0xC0 | (scalar >> 6)))
                    out.append(UInt8(0x80 | (scalar & 0x3F)))
                } else {
                    out.append(UInt8(0xE0 | (scalar >> 12)))
                    out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
                    out.append(UInt8(0x80 | (scalar & 0x3F)))
                }
            }
        }
        return Data(out)
    }

    /// The `charset` of the first `<meta>` that declares one, lower-cased.
    static func metaCharset(_ bytes: UnsafeRawBufferPointer) -> String? {
        func lower(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b + 0x20 : b }
        func matches(_ word: String, at i: Int) -> Bool {
            let w = Array(word.utf8)
            guard i + w.count <= bytes.count else { return false }
            for k in 0..<w.count where lower(bytes[i + k]) != w[k] { return false }
            return true
        }
        var i = 0
        while i < bytes.count {
            guard bytes[i] == UInt8(ascii: "<"), matches("<meta", at: i) else { i += 1; continue }
            var j = i + 5
            while j < bytes.count, bytes[j] != UInt8(ascii: ">") {
                if matches("charset", at: j) {
                    var k = j + 7
                    while k < bytes.count, bytes[k] == 0x20 || bytes[k] == 0x09 || bytes[k] == 0x0A || bytes[k] == 0x0D { k += 1 }
                    guard k < bytes.count, bytes[k] == UInt8(ascii: "=") else { j += 7; continue }
                    k += 1
                    while k < bytes.count, bytes[k] == 0x20 || bytes[k] == 0x22 || bytes[k] == 0x27 { k += 1 }
                    var label: [UInt8] = []
                    while k < bytes.count, label.count < 40 {
                        let b = lower(bytes[k])
                        guard (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x2D || b == 0x5F || b == 0x3A || b == 0x2E else { break }
                        label.append(b)
                        k += 1
                    }
                    if !label.isEmpty { return String(decoding: label, as: UTF8.self) }
                }
                j += 1
            }
            i = j
        }
        return nil
    }

    /// What a file that cannot be an HTML table is, from its first bytes.
    static func notHTML(_ data: Data) -> String? {
        let head = [UInt8](data.prefix(512))
        if head.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) { return "a binary Excel workbook (.xls, BIFF)" }
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return "a zip archive (an .xlsx workbook?)" }
        if head.starts(with: Array("%PDF".utf8)) { return "a PDF document" }
        let text = String(decoding: head, as: UTF8.self).lowercased()
        if text.contains("urn:schemas-microsoft-com:office:spreadsheet") && text.contains("<workbook") {
            return "an Excel 2003 XML Spreadsheet"
        }
        return nil
    }

    /// Excel's "Save as Web Page" of a whole workbook: a frameset whose sheets live in `*_files/`.
    static func isWorkbookFramePage(_ data: Data) -> Bool {
        let text = String(decoding: data.prefix(1 << 20), as: UTF8.self).lowercased()
        return text.contains("<frameset") || text.contains("x:worksheetsource") || text.contains("<x:excelworksheets")
    }

    /// The first words of the document's text, for error messages.
    static func snippet(of data: Data) -> String {
        let text = String(decoding: data.prefix(4096), as: UTF8.self)
        var out = "", inTag = false
        for c in text {
            if c == "<" { inTag = true } else if c == ">" { inTag = false; out.append(" ") } else if !inTag { out.append(c) }
        }
        return StaticText.clip(StaticText.normalize(out))
    }

    // MARK: DOM walking (iterative: a document may nest deeply)

    private static func name(_ node: xmlNodePtr) -> String? {
        guard node.pointee.type == XML_ELEMENT_NODE, let name = node.pointee.name else { return nil }
        return String(cString: name)
    }

    private static func children(_ node: xmlNodePtr) -> [xmlNodePtr] {
        var out: [xmlNodePtr] = []
        var child = node.pointee.children
        while let c = child {
            out.append(c)
            child = c.pointee.next
        }
        return out
    }

    private static func collectTables(_ document: htmlDocPtr) -> [HTMLTable] {
        var tables: [HTMLTable] = []
        var heading: String?
        var top: [xmlNodePtr] = []
        var child = document.pointee.children
        while let c = child {
            top.append(c)
            child = c.pointee.next
        }
        var stack: [xmlNodePtr] = top.reversed()
        while let node = stack.popLast() {
            switch name(node) {
            case "table":
                tables.append(table(node, precedingHeading: heading))
            case "h1", "h2", "h3", "h4":
                let text = text(of: node)
                if !text.isEmpty { heading = text }
                continue
            case "script", "style", "head":
                continue
            default:
                break
            }
            stack.append(contentsOf: children(node).reversed())
        }
        return tables
    }

    private static func table(_ tableNode: xmlNodePtr, precedingHeading: String?) -> HTMLTable {
        var table = HTMLTable(caption: nil, precedingHeading: precedingHeading)
        var stack: [xmlNodePtr] = children(tableNode).reversed()
        while let node = stack.popLast() {
            switch name(node) {
            case "table", "script", "style":
                continue  // a nested table is a table of its own
            case "caption":
                if table.caption == nil {
                    let text = text(of: node)
                    if !text.isEmpty { table.caption = text }
                }
            case "tr":
                table.rows.append(children(node).compactMap { cell -> HTMLTable.Cell? in
                    guard let name = name(cell), name == "td" || name == "th" else { return nil }
                    let rowSpan = span(attribute(cell, "rowspan"), default: 1, zeroAllowed: true, max: 65_534)
                    let colSpan = span(attribute(cell, "colspan"), default: 1, zeroAllowed: false, max: 1000)
                    return HTMLTable.Cell(text: text(of: cell), rowSpan: rowSpan, colSpan: colSpan)
                })
            case .some:
                stack.append(contentsOf: children(node).reversed())  // thead, tbody, tfoot, stray wrappers
            case nil:
                continue  // text between rows (Excel's `<![if ...]>`), comments
            }
        }
        return table
    }

    private static func attribute(_ node: xmlNodePtr, _ wanted: String) -> String? {
        var attribute = node.pointee.properties
        while let a = attribute {
            if let name = a.pointee.name, String(cString: name) == wanted {
                var out = ""
                var child = a.pointee.children
                while let c = child {
                    if let content = c.pointee.content { out += String(cString: content) }
                    child = c.pointee.next
                }
                return out
            }
            attribute = a.pointee.next
        }
        return nil
    }

    /// HTML's rules for spans: leading digits; otherwise the default; capped.
    private static func span(_ text: String?, default fallback: Int, zeroAllowed: Bool, max: Int) -> Int {
        guard let digits = text?.trimmingWhitespace().prefix(while: { $0.isASCII && $0.isNumber }), !digits.isEmpty else { return fallback }
        guard let value = Int(digits.prefix(6)) else { return fallback }
        if value == 0 { return zeroAllowed ? 0 : fallback }
        return Swift.min(value, max)
    }

    /// The text of an element: `<br>` and block elements separate words, white space collapses
    /// (`&nbsp;` included); scripts, styles and nested tables are left out.
    static func text(of element: xmlNodePtr) -> String {
        enum Item { case node(xmlNodePtr), space }
        var out = ""
        var stack: [Item] = children(element).reversed().map { .node($0) }
        while let item = stack.popLast() {
            guard case .node(let node) = item else { out += " "; continue }
            switch node.pointee.type {
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = node.pointee.content { out += String(cString: content) }
            case XML_ELEMENT_NODE:
                switch name(node) {
                case "script", "style", "table": continue
                case "br": out += " "
                case "p", "div", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6":
                    out += " "
                    stack.append(.space)
                    stack.append(contentsOf: children(node).reversed().map { .node($0) })
                default:
                    stack.append(contentsOf: children(node).reversed().map { .node($0) })
                }
            default:
                continue
            }
        }
        return StaticText.normalize(out)
    }
}

// MARK: - Grid

/// A table with its spans expanded: every slot points to the cell covering it.
private struct CellGrid {
    struct Cell {
        var text: String
        var row: Int
        var column: Int
        var rowSpan: Int
        var colSpan: Int
    }
    var cells: [Cell] = []
    /// `slots[row][column]`: an index into `cells`, or -1.
    var slots: [[Int]]
    var width = 0
    var caption: String?
    var precedingHeading: String?
    var rowCount: Int { slots.count }
    private(set) var slotCount = 0

    /// The most slots a table may expand to (a table of every desa of a province with 50
    /// columns is about 150 000).
    static let maxSlots = 2_000_000

    init(_ table: HTMLTable, path: String) throws {
        caption = table.caption
        precedingHeading = table.precedingHeading
        slots = Array(repeating: [], count: table.rows.count)
        let rows = table.rows.count
        // Overlapping spans visit slots again: bound the visits as well as the slots.
        var work = 0
        let tooLarge = BPSFormatError(path: path, message: "a table expands to more than \(Self.maxSlots) cells through its "
            + "rowspan/colspan; that is no BPS static table")
        for (r, row) in table.rows.enumerated() {
            var c = 0
            for cell in row {
                while c < slots[r].count, slots[r][c] >= 0 { c += 1 }
                let rowSpan = cell.rowSpan == 0 ? rows - r : Swift.min(cell.rowSpan, rows - r)
                work += rowSpan * cell.colSpan
                guard work <= 4 * Self.maxSlots else { throw tooLarge }
                let index = cells.count
                cells.append(Cell(text: cell.text, row: r, column: c, rowSpan: rowSpan, colSpan: cell.colSpan))
                for rr in r..<(r + rowSpan) {
                    if slots[rr].count < c + cell.colSpan {
                        slotCount += c + cell.colSpan - slots[rr].count
                        guard slotCount <= Self.maxSlots else { throw tooLarge }
                        slots[rr] += repeatElement(-1, count: c + cell.colSpan - slots[rr].count)
                    }
                    for cc in c..<(c + cell.colSpan) where slots[rr][cc] < 0 { slots[rr][cc] = index }
                }
                c += cell.colSpan
            }
        }
        width = slots.map(\.count).max() ?? 0
    }

    func index(_ row: Int, _ column: Int) -> Int? {
        column < slots[row].count && slots[row][column] >= 0 ? slots[row][column] : nil
    }

    func text(_ row: Int, _ column: Int) -> String {
        index(row, column).map { cells[$0].text } ?? ""
    }

    /// True when the cell in this slot starts in `row` (is not spanned down from above).
    func startsHere(_ row: Int, _ column: Int) -> Bool {
        index(row, column).map { cells[$0].row == row } ?? false
    }

    /// The distinct non-empty cells of a row, left to right.
    func distinctCells(_ row: Int, from first: Int = 0) -> [Int] {
        var seen = Set<Int>(), out: [Int] = []
        for c in first..<width {
            if let i = index(row, c), !cells[i].text.isEmpty, seen.insert(i).inserted { out.append(i) }
        }
        return out
    }
}

// MARK: - Reading the grid

private struct StaticTableReader {
    let grid: CellGrid
    let path: String
    let regionColumnHeader: String?

    struct Reading {
        var observations: [BPSObservation]
        var missing: [(row: Int, column: String, reason: String)]
        var title: String?
        var footnotes: [String]
    }

    struct ValueColumn {
        var column: Int
        var label: String
        var variable: String
        var unit: String?
        var breakdown: [String]
        var period: String
    }

    private func error(_ message: String) -> BPSFormatError { BPSFormatError(path: path, message: message) }

    private func address(_ row: Int, _ column: Int) -> String { "R\(row + 1)C\(column + 1)" }

    /// Nil when the table has no numeric data.
    func read() throws -> Reading? {
        let width = grid.width
        guard width >= 2 else { return nil }

        // 1. Title, header, data and footnote rows.
        enum Phase { case title, header, data, footnotes }
        var phase = Phase.title
        var titleRows: [String] = [], headerRows: [Int] = [], dataRows: [Int] = [], footnotes: [String] = []
        var tableUnit: String?
        // Header and column-number rows, as the text of every slot: a table printed over several
        // pages repeats them inside the data, where `2021 | 2022 | 2023` must not become values.
        var repeatable = Set<[String]>()
        func slotTexts(_ r: Int) -> [String] { (0..<width).map { grid.text(r, $0) } }
        for r in 0..<grid.rowCount {
            let cells = grid.distinctCells(r)
            if cells.isEmpty { continue }
            let texts = cells.map { grid.cells[$0].text }
            if phase == .footnotes {
                footnotes.append(texts.joined(separator: " "))
                continue
            }
            if phase == .data, repeatable.contains(slotTexts(r)) { continue }
            if phase == .title {
                if cells.count == 1, grid.cells[cells[0]].column == 0, !isDataRow(r) {
                    if grid.cells[cells[0]].row == r {
                        if let unit = StaticText.unitPart(texts[0]) { tableUnit = unit } else { titleRows.append(texts[0]) }
                    }
                    continue
                }
                phase = .header
            }
            if isColumnNumberRow(texts, beforeData: phase == .header) {
                if phase == .header { repeatable.insert(slotTexts(r)) }
                continue
            }
            if StaticText.isFootnote(texts[0]) {
                if phase == .data { phase = .footnotes }
                footnotes.append(texts.joined(separator: " "))
                continue
            }
            if phase == .header {
                if isDataRow(r) {
                    phase = .data
                } else {
                    // One cell across columns under the header: a section heading (`Kabupaten`), not a header.
                    if cells.count == 1, grid.cells[cells[0]].column == 0, grid.cells[cells[0]].colSpan > 1 { continue }
                    headerRows.append(r)
                    repeatable.insert(slotTexts(r))
                    continue
                }
            }
            dataRows.append(r)
        }
        guard let firstData = dataRows.first else { return nil }
        // One cell across several columns inside the data: a section heading (`Kabupaten`, `Kota`).
        func isSpanningRow(_ r: Int) -> Bool {
            let cells = grid.distinctCells(r)
            return cells.count == 1 && grid.cells[cells[0]].colSpan > 1
        }
        let sectionRows = Set(dataRows.filter(isSpanningRow))
        let roleRows = dataRows.filter { !sectionRows.contains($0) }
        let title = grid.caption ?? (titleRows.isEmpty ? nil : titleRows.joined(separator: " ")) ?? grid.precedingHeading
        let titleText = ([grid.caption] + titleRows.map(Optional.some)).compactMap { $0 }.joined(separator: " ")
        let context = titleText.isEmpty ? (grid.precedingHeading ?? "") : titleText
        guard !headerRows.isEmpty else {
            throw error("the header could not be understood: no header row above the first data row \(firstData + 1) "
                + "(\(rowPreview(firstData))); expected a row naming the columns (Kabupaten/Kota | 2021 | 2022 ...)")
        }
        let headerSpan = "header rows \(headerRows.map { String($0 + 1) }.joined(separator: ", "))"

        // 2. Column roles, from the data rows.
        func parts(_ column: Int) -> [String] {
            var seen = Set<Int>(), out: [String] = []
            for h in headerRows {
                if let i = grid.index(h, column), !grid.cells[i].text.isEmpty, seen.insert(i).inserted { out.append(grid.cells[i].text) }
            }
            return out
        }
        func label(_ column: Int) -> String { parts(column).joined(separator: " | ") }
        var counts = Array(repeating: (number: 0, missing: 0, text: 0, filled: 0), count: width)
        for r in roleRows {
            for c in 0..<width {
                let text = grid.text(r, c)
                switch StaticText.kind(text) {
                case .empty: continue
                case .missing: counts[c].missing += 1
                case .number: counts[c].number += 1
                case .text: counts[c].text += 1
                }
                counts[c].filled += 1
            }
        }
        let regionColumn: Int
        if let wanted = regionColumnHeader {
            let key = StaticText.key(wanted)
            guard let found = (0..<width).first(where: { c in
                let p = parts(c)
                return !p.isEmpty && (StaticText.key(p.joined()) == key || p.contains { StaticText.key($0) == key })
            }) else {
                let headers = (0..<width).map(label).filter { !$0.isEmpty }.prefix(12).map { "\"\(StaticText.clip($0))\"" }
                throw error("the header could not be understood: no column is headed \"\(wanted)\" (\(headerSpan) name \(headers.joined(separator: ", ")))")
            }
            regionColumn = found
        } else {
            guard let found = (0..<width).first(where: { counts[$0].text > 0 && counts[$0].text > counts[$0].number }) else {
                throw error("the header could not be understood: no column holds region names in the data rows "
                    + "(first data row \(firstData + 1): \(rowPreview(firstData)))")
            }
            regionColumn = found
        }
        // Before the region: a code column, a numbering column, parent region names.
        var codeColumn: Int?
        var parentColumns: [Int] = []
        for c in 0..<regionColumn where counts[c].filled > 0 {
            let values = roleRows.map { grid.text($0, c) }.filter { !$0.isEmpty }
            if StaticText.isNumbering(values) { continue }
            if values.allSatisfy(StaticText.isRegionCode) {
                if codeColumn == nil { codeColumn = c }
            } else {
                parentColumns.append(c)
            }
        }
        // After the region: text-only columns are row breakdowns.
        var rowLabelColumns: [Int] = []
        var c = regionColumn + 1
        while c < width, counts[c].text > 0, counts[c].number == 0 {
            rowLabelColumns.append(c)
            c += 1
        }
        // Value columns hold a number or a missing marker somewhere; an empty column, or one of
        // notes (`Keterangan`), is none.
        let candidates = Array(c..<width).filter { counts[$0].number > 0 || counts[$0].missing > 0 }

        // 3. What each value column holds.
        var columns: [ValueColumn] = []
        var seen: [String: Int] = [:]
        for column in candidates {
            let described = try describe(column: column, parts: parts(column), context: context, tableUnit: tableUnit, headerSpan: headerSpan)
            let identity = [described.variable, described.breakdown.joined(separator: " | "), described.period].joined(separator: "\u{1F}")
            if let other = seen[identity] {
                throw error("the header could not be understood: columns \(other + 1) and \(column + 1) both read as "
                    + "\"\(described.variable)\"" + (described.breakdown.isEmpty ? "" : " (\(described.breakdown.joined(separator: " | ")))")
                    + " for \(described.period) (\(headerSpan))")
            }
            seen[identity] = column
            columns.append(described)
        }
        guard !columns.isEmpty else { return nil }

        // 4. Section and trailing rows: one cell across columns, or a lone label without values.
        func isLabelRow(_ r: Int) -> Bool {
            if sectionRows.contains(r) { return true }
            return grid.distinctCells(r).count == 1 && columns.allSatisfy { grid.text(r, $0.column).isEmpty }
        }
        let lastValueRow = dataRows.last { !isLabelRow($0) }
        guard let lastValueRow else { return nil }
        let trailing = dataRows.filter { $0 > lastValueRow }.map { grid.distinctCells($0).map { grid.cells[$0].text }.joined(separator: " ") }
        footnotes = trailing + footnotes
        let valueRows = dataRows.filter { $0 <= lastValueRow && !isLabelRow($0) }

        // 5. Values, with one number style for the whole table.
        var detector = NumberStyleDetector()
        for r in valueRows {
            for column in columns {
                let text = grid.text(r, column.column)
                if case .number = StaticText.kind(text) { detector.observe(text) }
            }
        }
        var observations: [BPSObservation] = []
        var missing: [(row: Int, column: String, reason: String)] = []
        for r in valueRows {
            let region = grid.text(r, regionColumn)
            let rowParts = rowLabelColumns.map { grid.text(r, $0) }.filter { !$0.isEmpty }
            let code = codeColumn.map { grid.text(r, $0) }.flatMap { $0.isEmpty ? nil : $0 }
            let regionCode = code ?? (parentColumns.map { grid.text(r, $0) }.filter { !$0.isEmpty } + [region]).joined(separator: " | ")
            for column in columns {
                let text = grid.text(r, column.column)
                let key = address(r, column.column)
                let place = "\(key) \(region.isEmpty ? "(no region)" : region), \(column.variable) \(column.period)"
                func skip(_ why: String) { missing.append((r + 1, column.label, "\(place): \(why)")) }
                if region.isEmpty {
                    if !text.isEmpty { skip("'\(text)' stands in a row without a region name (the region column, \(regionColumn + 1), is empty)") }
                    continue
                }
                switch StaticText.kind(text) {
                case .empty: skip("empty cell")
                case .missing(let why): skip(why)
                case .number, .text:
                    switch detector.parse(text) {
                    case .success(let value):
                        let breakdown = column.breakdown + rowParts
                        observations.append(BPSObservation(
                            regionCode: regionCode, regionLabel: region, variableCode: column.variable, variableLabel: column.variable,
                            unit: column.unit, breakdown: breakdown.isEmpty ? nil : breakdown.joined(separator: " | "),
                            period: column.period, value: value.description, key: key))
                    case .failure(let problem):
                        skip(problem.kind == .placeholder ? "'\(text)': no value" : problem.message
                            + (problem.kind == .malformedGrouping || problem.kind == .ambiguous ? " (\(detector.summary))" : ""))
                    }
                }
            }
        }
        return Reading(observations: observations, missing: missing, title: title, footnotes: footnotes)
    }

    /// A row with a name in the first column starting in this row, whose cells after the first
    /// (and after the names that follow it: `Lampung Barat | Perkotaan | 9,10`) are mostly numbers
    /// or missing markers. A row of years (`2021 | 2022 | 2023`) is a header.
    private func isDataRow(_ r: Int) -> Bool {
        guard grid.startsHere(r, 0), !grid.text(r, 0).isEmpty else { return false }
        var numbers = 0, markers = 0, texts = 0, years = 0
        let values = grid.distinctCells(r, from: 1).filter { grid.cells[$0].column >= 1 }
            .map { grid.cells[$0].text }.drop { if case .text = StaticText.kind($0) { return true } else { return false } }
        for text in values {
            switch StaticText.kind(text) {
            case .empty: continue
            case .missing: markers += 1
            case .number:
                numbers += 1
                if StaticText.isYear(text) { years += 1 }
            case .text: texts += 1
            }
        }
        if numbers > 0, years == numbers { return false }
        return numbers + markers > 0 && numbers + markers > texts
    }

    /// `(1) | (2) | (3)`, or before the data `1 | 2 | 3 | 4`: the column numbers BPS prints under the header.
    private func isColumnNumberRow(_ texts: [String], beforeData: Bool) -> Bool {
        guard texts.count >= 2 else { return false }
        if texts.allSatisfy(StaticText.isParenthesisedNumber) { return true }
        return beforeData && texts.count >= 3 && texts.enumerated().allSatisfy { $0.element == String($0.offset + 1) }
    }

    private func rowPreview(_ r: Int) -> String {
        grid.distinctCells(r).prefix(6).map { "\"\(StaticText.clip(grid.cells[$0].text))\"" }.joined(separator: " | ")
    }

    /// The variable, unit, breakdown and period of one value column.
    private func describe(column: Int, parts: [String], context: String, tableUnit: String?, headerSpan: String) throws -> ValueColumn {
        let label = parts.joined(separator: " | ")
        let named = "column \(column + 1)" + (label.isEmpty ? "" : " (\"\(label)\")")
        var years: [(year: String, sub: String?)] = [], subs: [String] = [], units: [String] = [], texts: [String] = []
        for part in parts {
            switch StaticText.classify(part) {
            case .period(let year, let sub): years.append((year, sub))
            case .subPeriod(let sub): subs.append(sub)
            case .heading: continue
            case .unit(let unit): units.append(unit)
            case .text: texts.append(part)
            }
        }
        if years.count > 1 {
            throw error("the header could not be understood: \(named) has two periods, \(years.map(\.year).joined(separator: " and ")) (\(headerSpan))")
        }
        var variable = texts.first
        var fromTitle = false
        if variable == nil, let fallback = StaticText.variable(fromTitle: context) {
            variable = fallback
            fromTitle = true
        }
        guard var variable else {
            throw error("the header could not be understood: \(named) has no variable name"
                + (parts.isEmpty ? " (its header cells are empty)" : "") + " and the table has no title to take it from (\(headerSpan))")
        }
        var year = years.first?.year
        var sub = [years.first?.sub].compactMap { $0 } + subs
        if year == nil, !fromTitle, let split = StaticText.splitTrailingPeriod(variable) {
            variable = split.variable
            year = split.year
            if let s = split.sub { sub.insert(s, at: 0) }
        }
        if year == nil { year = StaticText.singleYear(in: context) }
        guard let year else {
            throw error("the header could not be understood: \(named) has no period; expected a year such as 2023, "
                + "\"2023 Semester 1\" or \"Maret 2024\" in the header or one year in the title (\(headerSpan))")
        }
        let unit = StaticText.trailingUnit(variable) ?? units.first ?? tableUnit
        return ValueColumn(
            column: column, label: label.isEmpty ? variable : label, variable: variable, unit: unit,
            breakdown: Array(texts.dropFirst(fromTitle ? 0 : 1)), period: ([year] + sub).joined(separator: " "))
    }
}

// MARK: - Text rules

private enum StaticText {
    enum Kind { case empty, missing(String), number, text }

    /// White space (NBSP, line breaks from `<br>`) collapsed to single spaces, trimmed;
    /// zero-width spaces dropped.
    static func normalize(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in s.unicodeScalars {
            if scalar.value == 0x200B || scalar.value == 0xFEFF { continue }
            if scalar.properties.isWhitespace || scalar.value < 0x20 {
                pendingSpace = !out.isEmpty
                continue
            }
            if pendingSpace {
                out.append(" ")
                pendingSpace = false
            }
            out.append(scalar)
        }
        return String(out)
    }

    static func clip(_ s: String) -> String { s.count > 60 ? String(s.prefix(57)) + "..." : s }

    /// Lower-case letters and digits only, for comparing headers.
    static func key(_ s: String) -> String {
        String(s.lowercased().unicodeScalars.filter { $0.properties.isAlphabetic || ("0"..."9").contains($0) })
    }

    private static let markers: [String: String] = {
        var m: [String: String] = [:]
        for dash in ["-", "–", "—", "−", "‒", "--", "---", "- -"] {
            m[dash] = "'\(dash)': no value (BPS writes a dash for none or not available)"
        }
        for dots in ["…", "...", "..", ". . .", "...."] { m[dots] = "'\(dots)': data not available" }
        for na in ["na", "n.a", "n.a.", "n/a", "(na)", "tt", "t.t", "td"] { m[na] = "'\(na.uppercased())': not available" }
        m["x"] = "'x': withheld by BPS (confidential or too few observations)"
        return m
    }()

    static func kind(_ text: String) -> Kind {
        if text.isEmpty { return .empty }
        if let reason = markers[text.lowercased()] { return .missing(reason) }
        switch IndonesianNumbers.parseAmount(text, style: .auto) {
        case .success: return .number
        case .failure(let problem):
            switch problem.kind {
            case .placeholder: return .missing("'\(text)': no value (BPS writes a dash for none or not available)")
            case .ambiguous, .malformedGrouping, .tooManyDecimalPlaces, .outOfRange: return .number
            case .empty, .notANumber: return .text
            }
        }
    }

    static func isYear(_ text: String) -> Bool {
        let b = Array(text.utf8)
        guard b.count == 4, b.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return false }
        return (b[0] == UInt8(ascii: "1") && b[1] == UInt8(ascii: "9")) || (b[0] == UInt8(ascii: "2") && b[1] == UInt8(ascii: "0"))
    }

    static func isParenthesisedNumber(_ text: String) -> Bool {
        text.count >= 3 && text.count <= 5 && text.first == "(" && text.last == ")"
            && text.dropFirst().dropLast().allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// `1`, `2`, `3`, ... (or `1.`, `2.`), restarting at 1 per section: a `No.` column.
    static func isNumbering(_ values: [String]) -> Bool {
        guard !values.isEmpty else { return false }
        var previous = 0
        for value in values {
            guard let n = Int(value.hasSuffix(".") ? String(value.dropLast()) : value), n == 1 || n == previous + 1 else { return false }
            previous = n
        }
        return true
    }

    /// A BPS region code: 2 to 10 digits, optionally dotted (`18`, `1801`, `1801010`, `18.01`).
    static func isRegionCode(_ text: String) -> Bool {
        let digits = text.filter { $0 != "." }
        return (2...10).contains(digits.count) && digits.allSatisfy { $0.isASCII && $0.isNumber }
            && text.first != "." && text.last != "." && !text.contains("..")
    }

    private static let footnoteWords: Set<String> = [
        "sumber", "source", "sources", "catatan", "note", "notes", "keterangan", "ket", "ket.", "penjelasan", "remark", "remarks",
    ]

    /// `Sumber: ...`, `Sumber/Source: ...`, `Catatan : ...`, `*) angka sementara`, `1) ...`.
    static func isFootnote(_ text: String) -> Bool {
        let lower = text.lowercased()
        guard let first = lower.first else { return false }
        if "*¹²³†‡#".contains(first) { return true }
        let chars = Array(lower.prefix(3))
        if chars.count >= 2, chars[0].isASCII, chars[0].isNumber || chars[0].isLetter, chars[1] == ")" { return true }
        guard let colon = lower.firstIndex(of: ":"), lower.distance(from: lower.startIndex, to: colon) <= 40 else { return false }
        let words = lower[..<colon].split(whereSeparator: { $0 == " " || $0 == "/" })
        return !words.isEmpty && words.allSatisfy { footnoteWords.contains(String($0)) }
    }

    // MARK: Periods

    enum PartKind: Equatable {
        case period(year: String, sub: String?)
        case subPeriod(String)
        /// `Tahun`, `Year`, `Tahun/Year`, `Periode`: says the parts below are periods.
        case heading
        case unit(String)
        case text
    }

    private static let months: [String: Int] = [
        "januari": 1, "jan": 1, "january": 1, "februari": 2, "feb": 2, "pebruari": 2, "february": 2, "maret": 3, "mar": 3,
        "march": 3, "april": 4, "apr": 4, "mei": 5, "may": 5, "juni": 6, "jun": 6, "june": 6, "juli": 7, "jul": 7, "july": 7,
        "agustus": 8, "agu": 8, "agt": 8, "ags": 8, "aug": 8, "august": 8, "september": 9, "sep": 9, "sept": 9,
        "oktober": 10, "okt": 10, "oct": 10, "october": 10, "november": 11, "nov": 11, "nopember": 11,
        "desember": 12, "des": 12, "dec": 12, "december": 12,
    ]
    private static let subPeriodWords: Set<String> = [
        "semester", "sem", "sem.", "smt", "triwulan", "tw", "tri", "kuartal", "kwartal", "quarter", "caturwulan", "cawu", "q",
    ]
    private static let numerals: Set<String> = ["1", "2", "3", "4", "i", "ii", "iii", "iv"]
    private static let headingWords: Set<String> = ["tahun", "year", "periode", "period", "bulan", "month"]

    static func classify(_ part: String) -> PartKind {
        // `(Tahun)` alone is a unit (Angka Harapan Hidup), not the heading `Tahun`.
        if trailingParenthesis(part)?.lowerBound == part.startIndex, let unit = unitPart(part) { return .unit(unit) }
        if let period = periodExpression(part) { return period }
        if let unit = unitPart(part) { return .unit(unit) }
        return .text
    }

    /// `2023`, `2023 Semester 1`, `Maret 2024`, `Tahun 2023`, `2023*)`, `2023 (Maret)` → a
    /// period; `Maret`, `Semester I`, `Triwulan III`, `Q2`, `Semester 1 (Maret)` → a sub-period;
    /// `Tahun` → a heading.
    static func periodExpression(_ part: String) -> PartKind? {
        let cleaned = part.filter { !"*¹²³⁴⁵⁶⁷⁸⁹⁰".contains($0) }
        let tokens = cleaned.split(whereSeparator: { " ,;()[]/-–—".contains($0) }).map(String.init)
        guard !tokens.isEmpty, tokens.count <= 5 else { return nil }
        let lowered = tokens.map { $0.lowercased() }
        if lowered.allSatisfy(headingWords.contains) { return .heading }
        let yearIndices = tokens.indices.filter { isYear(tokens[$0]) }
        guard yearIndices.count <= 1 else { return nil }
        var rest: [(String, String)] = []  // (as written, lower-cased)
        for i in tokens.indices where !yearIndices.contains(i) && !headingWords.contains(lowered[i]) {
            rest.append((tokens[i], lowered[i]))
        }
        var sub: String?
        switch rest.count {
        case 0: sub = nil
        case 1:
            let (word, low) = rest[0]
            let compact = low.count == 2 || low.count == 3 ? low : ""
            guard months[low] != nil || (compact.hasPrefix("q") || compact.hasPrefix("tw")) && numerals.contains(String(compact.dropFirst(compact.hasPrefix("q") ? 1 : 2)))
            else { return nil }
            sub = word
        case 2:
            if let a = months[rest[0].1], let b = months[rest[1].1], a == b {
                sub = rest[0].0  // bilingual: Maret/March
            } else if subPeriodWords.contains(rest[0].1), numerals.contains(rest[1].1) {
                sub = rest[0].0 + " " + rest[1].0
            } else {
                return nil
            }
        case 3:
            // `Semester 1 (Maret)`, as the WebAPI's `turtahun` labels read.
            guard subPeriodWords.contains(rest[0].1), numerals.contains(rest[1].1), months[rest[2].1] != nil else { return nil }
            sub = "\(rest[0].0) \(rest[1].0) (\(rest[2].0))"
        default: return nil
        }
        if let y = yearIndices.first { return .period(year: tokens[y], sub: sub) }
        return sub.map { .subPeriod($0) }
    }

    /// `Persentase Penduduk Miskin, Maret 2023 (Persen)` → (`Persentase Penduduk Miskin (Persen)`, 2023, Maret).
    static func splitTrailingPeriod(_ label: String) -> (variable: String, year: String, sub: String?)? {
        var head = Substring(label)
        var unitSuffix = ""
        if let range = trailingParenthesis(label), unitLike(String(label[range].dropFirst().dropLast())) {
            unitSuffix = " " + label[range]
            head = label[..<range.lowerBound]
        }
        let words = head.split(separator: " ")
        guard words.count >= 2 else { return nil }
        for n in stride(from: min(3, words.count - 1), through: 1, by: -1) {
            guard case .period(let year, let sub)? = periodExpression(words.suffix(n).joined(separator: " ")) else { continue }
            var variable = words.dropLast(n).joined(separator: " ")
            while let last = variable.last, ",;:-–— ".contains(last) { variable.removeLast() }
            guard !variable.isEmpty else { return nil }
            return (variable + unitSuffix, year, sub)
        }
        return nil
    }

    /// The one year named in a title (`..., 2023`); nil for none or several (`2021–2023`).
    static func singleYear(in text: String) -> String? {
        let runs = text.split(whereSeparator: { !($0.isASCII && $0.isNumber) }).map(String.init).filter(isYear)
        return Set(runs).count == 1 ? runs[0] : nil
    }

    /// A variable name from a title: `Tabel 3.1 Persentase Penduduk Miskin (Persen) Menurut
    /// Kabupaten/Kota, 2021–2023` → `Persentase Penduduk Miskin (Persen)`.
    static func variable(fromTitle title: String) -> String? {
        var words = title.split(separator: " ").map(String.init)
        if words.count > 2, ["tabel", "table"].contains(words[0].lowercased()), words[1].contains(where: \.isNumber) {
            words.removeFirst(2)
        }
        if let cut = words.firstIndex(where: { ["menurut", "by"].contains($0.lowercased()) }), cut > 0 {
            words = Array(words[..<cut])
        }
        while let last = words.last, last.allSatisfy({ $0.isNumber || "-–—,.;:/".contains($0) }) || months[last.lowercased().trimmingCharacters(in: .punctuationCharacters)] != nil {
            words.removeLast()
        }
        var text = words.joined(separator: " ")
        while let last = text.last, ",;:-–— ".contains(last) { text.removeLast() }
        return text.isEmpty ? nil : text
    }

    // MARK: Units

    private static let unitWords: Set<String> = [
        "persen", "percent", "%", "rp", "rupiah", "jiwa", "orang", "ribu", "juta", "miliar", "milyar", "triliun", "kapita", "ruta",
        "kk", "keluarga", "km", "km2", "ha", "hektar", "ton", "kg", "unit", "hari", "bulan", "tahun", "poin", "000", "kkal",
        "kilokalori", "us$", "usd", "dollar", "liter", "m2", "m3", "rumah", "tangga", "people", "persons", "thousand", "million",
        "capita", "month", "year", "years", "rupiahs", "idr",
    ]
    private static let bareUnits: Set<String> = [
        "persen", "percent", "%", "rupiah", "rp", "jiwa", "ribu jiwa", "orang", "ribu orang", "juta jiwa", "rumah tangga",
    ]

    /// Whether a parenthesised text names a unit (`Persen`, `Rp/Kapita/Bulan`, `%`), not a code (`P1`).
    static func unitLike(_ content: String) -> Bool {
        let tokens = content.lowercased().split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "%" || $0 == "$") })
        return tokens.contains { unitWords.contains(String($0)) } || content.contains("%")
    }

    /// The range of a `(...)` that ends the text, parentheses included.
    static func trailingParenthesis(_ text: String) -> Range<String.Index>? {
        guard text.last == ")" else { return nil }
        var depth = 0
        var i = text.endIndex
        while i > text.startIndex {
            i = text.index(before: i)
            if text[i] == ")" { depth += 1 }
            if text[i] == "(" {
                depth -= 1
                if depth == 0 { return i..<text.endIndex }
            }
        }
        return nil
    }

    /// The unit a variable label ends with: `Persentase Penduduk Miskin (Persen)` → `Persen`.
    static func trailingUnit(_ label: String) -> String? {
        guard let range = trailingParenthesis(label), range.lowerBound > label.startIndex else { return nil }
        let content = normalize(String(label[range].dropFirst().dropLast()))
        return unitLike(content) && !content.isEmpty ? content : nil
    }

    /// A header part that is only a unit: `(Persen)`, `Persen`, `Rp/Kapita/Bulan`.
    static func unitPart(_ part: String) -> String? {
        if let range = trailingParenthesis(part), range.lowerBound == part.startIndex {
            let content = normalize(String(part.dropFirst().dropLast()))
            return unitLike(content) && !content.isEmpty ? content : nil
        }
        let lower = part.lowercased()
        if bareUnits.contains(lower) || (lower.contains("/kapita") && part.split(separator: " ").count == 1) { return part }
        return nil
    }
}

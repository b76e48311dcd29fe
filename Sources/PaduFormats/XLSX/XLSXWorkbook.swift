/// An `.xlsx` (or `.xlsm`) workbook opened for streaming.
///
/// Opening reads the package index (`[Content_Types].xml`, `_rels/.rels`), the workbook part
/// (`xl/workbook.xml`: sheet names and order, date system), its relationships, the styles (to know
/// which cell styles are dates) and the shared-strings table, which is the only table kept in memory.
/// Sheets are then streamed row by row with ``sheet(named:)`` or ``sheet(at:)``.
///
/// ```swift
/// let workbook = try XLSXWorkbook(path: "/data/penerima.xlsx")
/// let rows = try workbook.sheet(named: "Penerima Bantuan")
/// while let row = try rows.nextRow() {
///     for cell in row.cells { print(cell.reference, cell.value) }
/// }
/// let merged = try workbook.mergedRanges(sheetNamed: "Penerima Bantuan")  // [A1:F1, ...]
/// ```
///
/// Every failure is an ``XLSXError`` naming the file, and the sheet, part or cell when known.
public final class XLSXWorkbook {
    /// The path of the workbook file.
    public let path: String
    /// The options in force.
    public let options: XLSXReadOptions
    /// The sheets in tab order.
    public let sheets: [XLSXSheetInfo]
    /// The workbook's date system (`date1904` for workbooks created with old Mac Excel).
    public let dateSystem: XLSXDateSystem
    /// The zip entry of the workbook part, normally `xl/workbook.xml`.
    public let workbookPartName: String
    /// The number of entries in the shared-strings table.
    public var sharedStringCount: Int { sharedStrings.count }

    let archive: ZipArchive
    let sharedStrings: [String]
    /// For each `cellXfs` index, whether its number format is a date or time format.
    let dateStyles: [Bool]

    static let relationshipNamespaces = [
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
        "http://purl.oclc.org/ooxml/officeDocument/relationships",
    ]

    /// Opens the workbook at `path`.
    /// - Throws: ``XLSXError``: ``XLSXError/Kind/archive`` when the file is not a readable zip archive
    ///   (including old `.xls` files and password-protected workbooks, with a message saying what to
    ///   do), ``XLSXError/Kind/notAWorkbook`` for other Office or OpenDocument files,
    ///   ``XLSXError/Kind/malformedXML`` or ``XLSXError/Kind/missingPart`` for damaged workbooks.
    public init(path: String, options: XLSXReadOptions = XLSXReadOptions()) throws {
        self.path = path
        self.options = options
        let archive: ZipArchive
        do {
            archive = try ZipArchive(path: path, limits: options.zipLimits)
        } catch let error as ZipError {
            throw XLSXError(kind: .archive, path: path, part: error.entryName, message: error.message, zipError: error)
        }
        self.archive = archive

        let parts = PartReader(archive: archive, path: path, xmlOptions: options.xmlOptions)
        let workbookPart = try Self.findWorkbookPart(parts)
        workbookPartName = workbookPart
        let relationships = try parts.relationships(of: workbookPart)
        let (sheets, dateSystem) = try Self.readWorkbook(parts, part: workbookPart, relationships: relationships)
        self.sheets = sheets
        self.dateSystem = dateSystem

        let directory = PartReader.directory(of: workbookPart)
        let stylesPart = relationships.first { $0.type.hasSuffix("/styles") }?.target
            ?? PartReader.join(directory, "styles.xml")
        dateStyles = archive.entry(named: stylesPart) == nil ? [] : try Self.readStyles(parts, part: stylesPart)
        let stringsPart = relationships.first { $0.type.hasSuffix("/sharedStrings") }?.target
            ?? PartReader.join(directory, "sharedStrings.xml")
        sharedStrings = archive.entry(named: stringsPart) == nil
            ? [] : try Self.readSharedStrings(parts, part: stringsPart, maxBytes: options.maxSharedStringBytes)
    }

    // MARK: - Sheets

    /// The sheet named `name`: an exact match, or else the one whose name matches ignoring letter case
    /// (Excel forbids two sheets differing only in case) and surrounding spaces.
    /// - Throws: ``XLSXError/Kind/sheetNotFound``, listing the workbook's sheets.
    public func sheetInfo(named name: String) throws -> XLSXSheetInfo {
        if let sheet = sheets.first(where: { $0.name == name }) { return sheet }
        let wanted = Self.normalizedSheetName(name)
        if let sheet = sheets.first(where: { Self.normalizedSheetName($0.name) == wanted }) { return sheet }
        throw XLSXError(
            kind: .sheetNotFound, path: path, sheet: name,
            message: "the workbook has no sheet named '\(name)'; its sheets are \(sheetList). Correct the sheet name in the pipeline or rename the sheet in the workbook"
        )
    }

    /// The sheet at the 0-based position `index` in tab order (hidden sheets included).
    /// - Throws: ``XLSXError/Kind/sheetNotFound``, listing the workbook's sheets.
    public func sheetInfo(at index: Int) throws -> XLSXSheetInfo {
        guard sheets.indices.contains(index) else {
            throw XLSXError(
                kind: .sheetNotFound, path: path,
                message: "the workbook has no sheet at position \(index) (positions count from 0); it has \(sheets.count) sheet\(sheets.count == 1 ? "" : "s"): \(sheetList)"
            )
        }
        return sheets[index]
    }

    /// Opens the sheet named `name` for streaming (matching as in ``sheetInfo(named:)``).
    public func sheet(named name: String) throws -> XLSXSheetReader {
        try sheet(sheetInfo(named: name))
    }

    /// Opens the sheet at the 0-based position `index` for streaming.
    public func sheet(at index: Int) throws -> XLSXSheetReader {
        try sheet(sheetInfo(at: index))
    }

    /// Opens `sheet` for streaming its rows.
    /// - Throws: ``XLSXError/Kind/notAWorksheet`` for chart sheets, ``XLSXError/Kind/missingPart`` when
    ///   the sheet's part is missing, ``XLSXError/Kind/archive`` when it cannot be read.
    public func sheet(_ sheet: XLSXSheetInfo) throws -> XLSXSheetReader {
        let xml = try openSheetPart(sheet)
        return XLSXSheetReader(workbook: self, sheet: sheet, xml: xml)
    }

    /// The merged ranges of `sheet` (for example `A1:F1` for a title spread over six columns), in file
    /// order. Excel writes them after all the rows, so this is a separate pass over the sheet, which
    /// skips the rows quickly; use it to fill merged header cells before streaming the rows.
    public func mergedRanges(_ sheet: XLSXSheetInfo) throws -> [XLSXCellRange] {
        let xml = try openSheetPart(sheet)
        var ranges: [XLSXCellRange] = []
        try withWorkbookErrors(part: sheet.partName, sheet: sheet.name) {
            var mergeCellsDepth: Int?
            while try xml.next() {
                switch xml.nodeType {
                case .elementStart:
                    let name = xml.localName
                    if name == "sheetData" {
                        try xml.skipElement()
                    } else if name == "mergeCells" {
                        if xml.isEmptyElement { return }
                        mergeCellsDepth = xml.depth
                    } else if name == "mergeCell", mergeCellsDepth != nil {
                        guard let reference = xml.attribute("ref") else { continue }
                        guard let range = XLSXCellRange(reference) else {
                            throw XLSXError(
                                kind: .invalidCell, path: path, sheet: sheet.name, part: sheet.partName, cell: reference,
                                message: "sheet '\(sheet.name)' has a merged range '\(reference)' that is not a valid range like A1:F1; the file is damaged; open it in Excel or LibreOffice and save it again"
                            )
                        }
                        ranges.append(range)
                    } else if xml.depth == 1, mergeCellsDepth == nil {
                        try xml.skipElement()
                    }
                case .elementEnd:
                    if xml.depth == mergeCellsDepth { return }
                default:
                    break
                }
            }
        }
        return ranges
    }

    /// The merged ranges of the sheet named `name` (see ``mergedRanges(_:)``).
    public func mergedRanges(sheetNamed name: String) throws -> [XLSXCellRange] {
        try mergedRanges(sheetInfo(named: name))
    }

    /// Whether the cell style at `styleIndex` (a ``XLSXCell/styleIndex``) has a date or time number format.
    public func isDateStyle(_ styleIndex: Int) -> Bool {
        dateStyles.indices.contains(styleIndex) && dateStyles[styleIndex]
    }

    /// The shared string at `index`, or `nil` when out of range.
    public func sharedString(at index: Int) -> String? {
        sharedStrings.indices.contains(index) ? sharedStrings[index] : nil
    }

    private var sheetList: String {
        sheets.isEmpty ? "(none)" : sheets.map { "'\($0.name)'" }.joined(separator: ", ")
    }

    private static func normalizedSheetName(_ name: String) -> String {
        var scalars = Substring(name.lowercased())
        while scalars.first == " " { scalars.removeFirst() }
        while scalars.last == " " { scalars.removeLast() }
        return String(scalars)
    }

    private func openSheetPart(_ sheet: XLSXSheetInfo) throws -> XMLStreamReader {
        guard sheet.kind == .worksheet else {
            throw XLSXError(
                kind: .notAWorksheet, path: path, sheet: sheet.name, part: sheet.partName,
                message: "sheet '\(sheet.name)' is \(sheet.kind == .chartsheet ? "a chart sheet" : "not a worksheet") and has no cells; choose one of the worksheets: \(sheets.filter { $0.kind == .worksheet }.map { "'\($0.name)'" }.joined(separator: ", "))"
            )
        }
        guard !sheet.partName.isEmpty, archive.entry(named: sheet.partName) != nil else {
            throw XLSXError(
                kind: .missingPart, path: path, sheet: sheet.name, part: sheet.partName,
                message: "sheet '\(sheet.name)' is listed in the workbook but its content\(sheet.partName.isEmpty ? "" : " (\(sheet.partName))") is missing from the file; the file is damaged; open it in Excel or LibreOffice and save it again"
            )
        }
        let parts = PartReader(archive: archive, path: path, xmlOptions: options.xmlOptions)
        return try parts.open(sheet.partName, sheet: sheet.name)
    }

    func withWorkbookErrors<T>(part: String, sheet: String?, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw PartReader.convert(error, path: path, part: part, sheet: sheet)
        }
    }

    // MARK: - Package parts

    private static let spreadsheetMainTypes: Set<String> = [
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
        "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
        "application/vnd.ms-excel.template.macroEnabled.main+xml",
        "application/vnd.ms-excel.addin.macroEnabled.main+xml",
    ]

    private static func findWorkbookPart(_ parts: PartReader) throws -> String {
        let archive = parts.archive
        let contentTypes = try parts.contentTypes()
        let rootRelationships = try parts.relationships(of: "")
        var candidate = rootRelationships.first { $0.type.hasSuffix("/officeDocument") }?.target
        if candidate == nil {
            candidate = contentTypes.first { spreadsheetMainTypes.contains($0.value) }?.key
        }
        if candidate == nil, archive.entry(named: "xl/workbook.xml") != nil {
            candidate = "xl/workbook.xml"
        }
        let contentType = candidate.flatMap { contentTypes[$0.lowercased()] } ?? ""
        if contentType.contains(".sheet.binary.") || candidate?.lowercased().hasSuffix(".bin") == true
            || archive.entry(named: "xl/workbook.bin") != nil {
            throw XLSXError(
                kind: .notAWorkbook, path: parts.path,
                message: "this is a binary Excel workbook (.xlsb), which Padu cannot read; open it in Excel and save it as .xlsx"
            )
        }
        guard let workbook = candidate, archive.entry(named: workbook) != nil,
              contentType.isEmpty || contentType.contains("spreadsheetml") || contentType.contains("ms-excel")
        else {
            let what: String
            if contentType.contains("wordprocessingml") || archive.entry(named: "word/document.xml") != nil {
                what = "a Word document, not an Excel workbook"
            } else if contentType.contains("presentationml") || archive.entry(named: "ppt/presentation.xml") != nil {
                what = "a PowerPoint presentation, not an Excel workbook"
            } else if archive.entry(named: "content.xml") != nil, archive.entry(named: "mimetype") != nil {
                what = "an OpenDocument file (such as LibreOffice .ods), not an Excel workbook; open it in LibreOffice and save it as .xlsx"
            } else if let workbook = candidate {
                what = "a zip archive whose workbook part (\(workbook)) is missing; the file is damaged; open it in Excel or LibreOffice and save it again"
            } else {
                what = "a zip archive, but not an Excel workbook (it has no workbook part); check that this is the right file"
            }
            throw XLSXError(kind: .notAWorkbook, path: parts.path, part: candidate, message: "this is \(what)")
        }
        return workbook
    }

    private static func readWorkbook(
        _ parts: PartReader, part: String, relationships: [PartReader.Relationship]
    ) throws -> ([XLSXSheetInfo], XLSXDateSystem) {
        let xml = try parts.open(part, sheet: nil)
        var sheets: [XLSXSheetInfo] = []
        var dateSystem = XLSXDateSystem.date1900
        try parts.convertingErrors(part: part, sheet: nil) {
            var sheetsDepth: Int?
            while try xml.next() {
                switch xml.nodeType {
                case .elementStart:
                    switch xml.localName {
                    case "workbookPr":
                        let value = xml.attribute("date1904")
                        if value == "1" || value == "true" { dateSystem = .date1904 }
                    case "sheets":
                        if xml.isEmptyElement { return }
                        sheetsDepth = xml.depth
                    case "sheet" where sheetsDepth != nil:
                        let name = xml.attribute("name") ?? "Sheet\(sheets.count + 1)"
                        let id = relationshipNamespaces.lazy.compactMap { xml.attribute("id", namespace: $0) }.first
                        let relationship = id.flatMap { id in relationships.first { $0.id == id } }
                        let kind: XLSXSheetInfo.Kind
                        switch relationship?.type {
                        case let type? where type.hasSuffix("/worksheet"): kind = .worksheet
                        case let type? where type.hasSuffix("/chartsheet"): kind = .chartsheet
                        case nil: kind = .worksheet
                        default: kind = .other
                        }
                        let visibility: XLSXSheetInfo.Visibility
                        switch xml.attribute("state") {
                        case "hidden": visibility = .hidden
                        case "veryHidden": visibility = .veryHidden
                        default: visibility = .visible
                        }
                        sheets.append(
                            XLSXSheetInfo(
                                name: name, index: sheets.count, kind: kind, visibility: visibility,
                                partName: relationship?.target ?? ""
                            )
                        )
                    default:
                        break
                    }
                case .elementEnd where xml.depth == sheetsDepth:
                    return
                default:
                    break
                }
            }
        }
        return (sheets, dateSystem)
    }

    private static func readStyles(_ parts: PartReader, part: String) throws -> [Bool] {
        let xml = try parts.open(part, sheet: nil)
        var customFormats: [Int: String] = [:]
        var formatIds: [Int] = []
        try parts.convertingErrors(part: part, sheet: nil) {
            var section: String?
            var sectionDepth = 0
            while try xml.next() {
                switch xml.nodeType {
                case .elementStart:
                    let name = xml.localName
                    if section == nil, name == "numFmts" || name == "cellXfs" {
                        if !xml.isEmptyElement {
                            section = name
                            sectionDepth = xml.depth
                        }
                    } else if section == "numFmts", name == "numFmt", xml.depth == sectionDepth + 1 {
                        if let id = xml.attribute("numFmtId").flatMap({ Int($0) }), let code = xml.attribute("formatCode") {
                            customFormats[id] = code
                        }
                    } else if section == "cellXfs", name == "xf", xml.depth == sectionDepth + 1 {
                        formatIds.append(xml.attribute("numFmtId").flatMap { Int($0) } ?? 0)
                        try xml.skipElement()
                    } else if section == nil, xml.depth == 1 {
                        try xml.skipElement()
                    }
                case .elementEnd:
                    if section != nil, xml.depth == sectionDepth { section = nil }
                default:
                    break
                }
            }
        }
        return formatIds.map { id in
            if let code = customFormats[id] { return XLSXNumberFormat.isDateFormat(code: code) }
            return XLSXNumberFormat.isBuiltInDateFormat(id: id)
        }
    }

    private static func readSharedStrings(_ parts: PartReader, part: String, maxBytes: Int) throws -> [String] {
        let xml = try parts.open(part, sheet: nil)
        var strings: [String] = []
        var totalBytes = 0
        try parts.convertingErrors(part: part, sheet: nil) {
            while try xml.next() {
                guard xml.nodeType == .elementStart else { continue }
                if xml.depth == 0, let count = xml.attribute("uniqueCount").flatMap({ Int($0) }) {
                    strings.reserveCapacity(min(max(count, 0), 1 << 20))
                } else if xml.depth == 1, xml.localName == "si" {
                    let text = try readRichText(xml)
                    totalBytes += text.utf8.count
                    if totalBytes > maxBytes {
                        throw XLSXError(
                            kind: .sharedStringsTooLarge, path: parts.path, part: part,
                            message: "the workbook's shared text table is larger than \(maxBytes) bytes; split the workbook into smaller files"
                        )
                    }
                    strings.append(text)
                }
            }
        }
        return strings
    }

    /// Reads a string item (`<si>` or `<is>`): plain `<t>`, or rich-text runs `<r><t>` concatenated;
    /// phonetic runs (`<rPh>`) are left out. `_xHHHH_` escapes are decoded. Leaves the reader on the
    /// item's end tag.
    static func readRichText(_ xml: XMLStreamReader) throws -> String {
        if xml.isEmptyElement { return "" }
        let itemDepth = xml.depth
        var text = ""
        while try xml.next() {
            switch xml.nodeType {
            case .elementStart:
                switch xml.localName {
                case "t":
                    let piece = try xml.readText()
                    if text.isEmpty { text = piece } else { text += piece }
                case "r":
                    break
                default:
                    try xml.skipElement()
                }
            case .elementEnd where xml.depth == itemDepth:
                return decodeEscapes(text)
            default:
                break
            }
        }
        return decodeEscapes(text)
    }

    /// Decodes OOXML's `_xHHHH_` escapes (UTF-16 code units, used for control characters; `_x005F_`
    /// is a literal `_`).
    static func decodeEscapes(_ text: String) -> String {
        var utf8 = text.utf8.makeIterator()
        var hasEscape = false
        var previous: UInt8 = 0
        while let byte = utf8.next() {
            if previous == UInt8(ascii: "_"), byte == UInt8(ascii: "x") {
                hasEscape = true
                break
            }
            previous = byte
        }
        guard hasEscape else { return text }
        let bytes = Array(text.utf8)
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count)
        var index = 0
        func hex(_ byte: UInt8) -> UInt16? {
            switch byte {
            case 0x30...0x39: return UInt16(byte - 0x30)
            case 0x41...0x46: return UInt16(byte - 0x37)
            case 0x61...0x66: return UInt16(byte - 0x57)
            default: return nil
            }
        }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        func flushUnits() {
            guard !units.isEmpty else { return }
            output.append(contentsOf: String(decoding: units, as: UTF16.self).utf8)
            units.removeAll(keepingCapacity: true)
        }
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "_"), index + 6 < bytes.count, bytes[index + 1] == UInt8(ascii: "x"),
               bytes[index + 6] == UInt8(ascii: "_"),
               let a = hex(bytes[index + 2]), let b = hex(bytes[index + 3]),
               let c = hex(bytes[index + 4]), let d = hex(bytes[index + 5]) {
                units.append(a << 12 | b << 8 | c << 4 | d)
                index += 7
                continue
            }
            flushUnits()
            output.append(bytes[index])
            index += 1
        }
        flushUnits()
        return String(decoding: output, as: UTF8.self)
    }
}

/// Opens the XML parts of a package and converts lower-level errors into ``XLSXError``.
struct PartReader {
    let archive: ZipArchive
    let path: String
    let xmlOptions: XMLReadOptions

    struct Relationship {
        let id: String
        let type: String
        /// The target resolved to a zip entry name.
        let target: String
    }

    /// Opens the XML part `part` for streaming.
    func open(_ part: String, sheet: String?) throws -> XMLStreamReader {
        try convertingErrors(part: part, sheet: sheet) {
            let entry = try archive.openEntry(named: part)
            return try XMLStreamReader(sourceName: part, options: xmlOptions) { buffer in
                try entry.read(into: buffer)
            }
        }
    }

    func convertingErrors<T>(part: String, sheet: String?, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw Self.convert(error, path: path, part: part, sheet: sheet)
        }
    }

    static func convert(_ error: any Error, path: String, part: String, sheet: String?) -> any Error {
        let place = sheet.map { "sheet '\($0)' (\(part))" } ?? "part \(part)"
        switch error {
        case let error as ZipError:
            if error.kind == .entryNotFound {
                return XLSXError(
                    kind: .missingPart, path: path, sheet: sheet, part: part,
                    message: "\(place) is missing from the file; the file is damaged; open it in Excel or LibreOffice and save it again",
                    zipError: error
                )
            }
            return XLSXError(
                kind: .archive, path: path, sheet: sheet, part: part, message: "\(place): \(error.message)", zipError: error
            )
        case let error as XMLReadError:
            let position = error.line > 0 ? " at line \(error.line), column \(error.column)" : ""
            let advice: String
            switch error.kind {
            case .malformed, .unreadable:
                advice = "open the file in Excel or LibreOffice and save it again; if that fails, ask the sender for a new copy"
            default:
                advice = "this is not what Excel or LibreOffice write; ask the sender where the file came from"
            }
            return XLSXError(
                kind: .malformedXML, path: path, sheet: sheet, part: part,
                message: "\(place) cannot be read\(position): \(error.message); \(advice)", xmlError: error
            )
        default:
            return error
        }
    }

    /// `[Content_Types].xml` overrides: lowercased part name (without leading `/`) → content type.
    func contentTypes() throws -> [String: String] {
        guard archive.entry(named: "[Content_Types].xml") != nil else { return [:] }
        let xml = try open("[Content_Types].xml", sheet: nil)
        var types: [String: String] = [:]
        try convertingErrors(part: "[Content_Types].xml", sheet: nil) {
            while try xml.next() {
                guard xml.nodeType == .elementStart, xml.localName == "Override",
                      let name = xml.attribute("PartName"), let type = xml.attribute("ContentType")
                else { continue }
                types[Self.resolve(name, from: "").lowercased()] = type
            }
        }
        return types
    }

    /// The internal relationships of `part` (`""` for the package itself), targets resolved to entry names.
    func relationships(of part: String) throws -> [Relationship] {
        let directory = Self.directory(of: part)
        let file = part.split(separator: "/").last.map(String.init) ?? ""
        let relsPart = Self.join(directory, "_rels/\(file).rels")
        guard archive.entry(named: relsPart) != nil else { return [] }
        let xml = try open(relsPart, sheet: nil)
        var relationships: [Relationship] = []
        try convertingErrors(part: relsPart, sheet: nil) {
            while try xml.next() {
                guard xml.nodeType == .elementStart, xml.localName == "Relationship",
                      let id = xml.attribute("Id"), let type = xml.attribute("Type"), let target = xml.attribute("Target"),
                      xml.attribute("TargetMode") != "External"
                else { continue }
                relationships.append(Relationship(id: id, type: type, target: Self.resolve(target, from: directory)))
            }
        }
        return relationships
    }

    /// The folder of a part name (`xl/workbook.xml` → `xl`).
    static func directory(of part: String) -> String {
        guard let slash = part.lastIndex(of: "/") else { return "" }
        return String(part[..<slash])
    }

    static func join(_ directory: String, _ name: String) -> String {
        directory.isEmpty ? name : "\(directory)/\(name)"
    }

    /// Resolves a relationship target against the folder of its source: absolute targets
    /// (`/xl/worksheets/sheet1.xml`) start at the package root; `.` and `..` are applied;
    /// `%XX` escapes are decoded; backslashes (written by some tools) count as slashes.
    static func resolve(_ target: String, from directory: String) -> String {
        let decoded = percentDecoded(target)
        var components: [Substring] = decoded.hasPrefix("/") || decoded.hasPrefix("\\")
            ? [] : directory.split(separator: "/")
        for piece in decoded.split(whereSeparator: { $0 == "/" || $0 == "\\" }) {
            if piece == "." { continue }
            if piece == ".." {
                if !components.isEmpty { components.removeLast() }
                continue
            }
            components.append(piece)
        }
        return components.joined(separator: "/")
    }

    private static func percentDecoded(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "%")) else { return text }
        let bytes = Array(text.utf8)
        var output: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count,
               let value = UInt8(String(decoding: bytes[(index + 1)...(index + 2)], as: UTF8.self), radix: 16) {
                output.append(value)
                index += 3
            } else {
                output.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}

/// Rows of one worksheet of an XLSX workbook, as tabular cells.
public final class XLSXRowSource: TabularRowSource {
    private let reader: XLSXSheetReader
    private let system: XLSXDateSystem
    /// The input as recorded (a path or URL), for messages.
    private let name: String
    public let sheet: String?
    public let mergedRanges: [MergedRange]
    public var date1904: Bool { system == .date1904 }

    public init(workbook: XLSXWorkbook, sheet info: XLSXSheetInfo, name: String) throws {
        self.name = name
        do { reader = try workbook.sheet(info) } catch { throw TabularFiles.failure(name, error) }
        system = workbook.dateSystem
        sheet = info.name
        do {
            mergedRanges = try workbook.mergedRanges(info).map {
                MergedRange(rows: $0.firstRow...$0.lastRow, columns: ($0.firstColumn - 1)...($0.lastColumn - 1))
            }
        } catch { throw TabularFiles.failure(name, error) }
    }

    public func nextRow() throws -> TabularRow? {
        let next: XLSXRow?
        do { next = try reader.nextRow() } catch { throw TabularFiles.failure(name, error) }
        guard let row = next else { return nil }
        let width = row.cells.map(\.column).max() ?? 0
        var cells = [TabularCell](repeating: TabularCell(text: nil), count: width)
        for cell in row.cells {
            cells[cell.column - 1] = Self.tabular(cell.value, system: system)
        }
        return TabularRow(number: row.number, cells: cells)
    }

    /// Numbers keep their stored digits; dates become `yyyy-mm-dd` (a time of day is dropped
    /// only when it is midnight; otherwise the full date-time text is kept).
    static func tabular(_ value: XLSXCellValue, system: XLSXDateSystem) -> TabularCell {
        switch value {
        case .empty: return TabularCell(text: nil)
        case .text(let s): return TabularCell(text: s.isEmpty ? nil : s)
        case .number(let s): return TabularCell(text: s, kind: .number)
        case .bool(let b): return TabularCell(text: b ? "TRUE" : "FALSE", kind: .bool)
        case .error(let e): return TabularCell(text: e, kind: .error)
        case .date(let serial):
            guard let d = try? XLSXDate.dateTime(serial: serial, system: system) else { return TabularCell(text: serial, kind: .number) }
            return TabularCell(text: d.description, kind: .date)
        case .isoDate(let s): return TabularCell(text: s, kind: .date)
        }
    }

    public var bytesRead: Int64 { 0 }
    public func close() {}
}

extension TabularFiles {
    static func workbookSheets(path: String, name: String, requested: [String]) throws -> [SheetOpener] {
        let workbook: XLSXWorkbook
        do { workbook = try XLSXWorkbook(path: path) } catch { throw failure(name, error) }
        let chosen: [XLSXSheetInfo]
        if requested.isEmpty {
            chosen = workbook.sheets.filter { $0.kind == .worksheet && $0.visibility == .visible }
        } else {
            // A sheet by its name, or by its position (`"1"` is the first tab) when no sheet has that name.
            chosen = try requested.map { wanted in
                do { return try workbook.sheetInfo(named: wanted) } catch {
                    if let position = Int(wanted), position >= 1, let info = try? workbook.sheetInfo(at: position - 1) { return info }
                    throw failure(name, error)
                }
            }
        }
        return chosen.map { info in
            SheetOpener(name: info.name, requested: !requested.isEmpty, open: { try XLSXRowSource(workbook: workbook, sheet: info, name: name) })
        }
    }
}

extension TabularFiles {
    /// A workbook error said about the input as recorded (not the local copy's path).
    static func failure(_ name: String, _ error: any Error) -> TabularFileError {
        if let e = error as? XLSXError {
            return TabularFileError(message: "\(name)" + (e.sheet.map { ", sheet '\($0)'" } ?? "") + (e.cell.map { ", cell \($0)" } ?? "") + ": \(e.message)")
        }
        return TabularFileError(message: "\(name): \(error)")
    }
}

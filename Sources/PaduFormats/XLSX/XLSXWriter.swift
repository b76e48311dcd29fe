import Foundation
import PaduCore

/// Writes an `.xlsx` workbook that opens in Excel and LibreOffice, streaming: rows go straight into
/// deflated spool files, so memory stays flat whatever the number of rows (up to Excel's 1 048 576
/// per sheet).
///
/// Each sheet has a bold header row, frozen, with an auto-filter, and column widths. Text is always
/// written as inline strings, never formulas (`=HYPERLINK(…)`, `+1`, `@SUM` stay inert text); numbers
/// are written digit for digit with a number format chosen by the column's ``XLSXColumn/Kind``; dates
/// are Excel serials shown `dd/mm/yyyy`.
///
/// The file is written to `<path>.tmp-<pid>` (mode 0600: it holds personal data) and renamed to
/// `path` by ``close()``; on any error, or when the writer is dropped unclosed, nothing is left behind.
///
/// ```swift
/// let writer = try XLSXWriter(path: "/srv/padu/reports/penerima.xlsx")
/// try writer.addSheet(name: "Penerima", columns: [
///     XLSXColumn(title: "Nama"), XLSXColumn(title: "Nominal", kind: .decimal(scale: 2)),
///     XLSXColumn(title: "Tanggal", kind: .date),
/// ])
/// try writer.appendRow([.text("Siti Aminah"), .decimal(ExactDecimal("1500000")!), .date(day)])
/// try writer.close()
/// ```
///
/// Not thread-safe: use one writer from one task.
public final class XLSXWriter {
    /// The final path of the workbook.
    public let path: String
    /// The names of the sheets added so far, as written (sanitized and de-duplicated).
    public var sheetNames: [String] { sheets.map(\.name) }
    /// The number of data rows (header excluded) appended to the current sheet.
    public var rowCount: Int { max((sheets.last?.rowCount ?? 1) - 1, 0) }
    /// The number of text cells cut to Excel's limit of 32 767 characters, over all sheets.
    public var truncatedTextCells: Int { sheets.reduce(0) { $0 + $1.truncatedTextCells } }

    private var zip: ZipWriter?
    private var sheets: [XLSXWorksheetStream] = []
    private let created: Date

    /// Starts a workbook at `path`.
    /// - Parameter created: the creation time recorded in the document properties and the zip entries.
    /// - Throws: ``XLSXWriteError`` (``XLSXWriteError/Kind/archive``) when the file cannot be created.
    public init(path: String, created: Date = Date()) throws {
        self.path = path
        self.created = created
        do {
            zip = try ZipWriter(path: path, modificationDate: created)
        } catch let error as ZipWriteError {
            throw Self.archiveError(error, path: path)
        }
    }

    deinit { cancel() }

    /// Adds a sheet after the others and makes it the current one: the header row is written at once,
    /// and ``appendRow(_:)`` writes below it. The previous sheet is complete.
    /// - Parameters:
    ///   - name: the tab name; sanitized and made unique (see ``XLSXSheetName/sanitized(_:taken:)``).
    ///   - columns: 1 to 16 384 columns.
    /// - Returns: the name as written.
    /// - Throws: ``XLSXWriteError``.
    @discardableResult
    public func addSheet(name: String, columns: [XLSXColumn]) throws -> String {
        let zip = try openZip(sheet: name)
        guard !columns.isEmpty, columns.count <= XLSXCellReference.maxColumn else {
            throw XLSXWriteError(
                kind: .invalidColumns, path: path, sheet: name,
                message: "sheet '\(name)' must have between 1 and \(XLSXCellReference.maxColumn) columns, not \(columns.count)"
            )
        }
        let sheetName = XLSXSheetName.sanitized(name, taken: sheetNames)
        return try guarding(sheet: sheetName) {
            try sheets.last?.finish()
            let spool = try zip.makeSpool(entryName: XLSXPackageParts.worksheetPart(sheets.count + 1))
            sheets.append(try XLSXWorksheetStream(name: sheetName, columns: columns, spool: spool, selected: sheets.isEmpty))
            return sheetName
        }
    }

    /// Appends a row to the current sheet. `values[i]` goes in column `i`; a shorter row leaves the
    /// remaining cells empty.
    /// - Throws: ``XLSXWriteError`` when no sheet was added, the row is wider than the sheet, the sheet
    ///   is full, or writing fails (the workbook is then abandoned).
    public func appendRow(_ values: [XLSXWriteValue]) throws {
        _ = try openZip(sheet: nil)
        guard let sheet = sheets.last else {
            throw XLSXWriteError(kind: .noSheet, path: path, message: "add a sheet with addSheet(name:columns:) before appending rows")
        }
        guard values.count <= sheet.columns.count else {
            throw XLSXWriteError(
                kind: .rowTooWide, path: path, sheet: sheet.name,
                message: "a row of \(values.count) values was appended to sheet '\(sheet.name)', which has \(sheet.columns.count) columns"
            )
        }
        guard sheet.rowCount < XLSXCellReference.maxRow else {
            throw XLSXWriteError(
                kind: .tooManyRows, path: path, sheet: sheet.name,
                message: "sheet '\(sheet.name)' already holds \(XLSXCellReference.maxRow) rows, the most Excel can show; split the export over several sheets or files"
            )
        }
        try guarding(sheet: sheet.name) { try sheet.append(values) }
    }

    /// Finishes the workbook: writes the remaining parts, zips the sheets and moves the file into place.
    /// - Throws: ``XLSXWriteError``; nothing is left behind then.
    public func close() throws {
        let zip = try openZip(sheet: nil)
        guard !sheets.isEmpty else {
            cancel()
            throw XLSXWriteError(
                kind: .noSheet, path: path, message: "a workbook needs at least one sheet; nothing was written"
            )
        }
        try guarding(sheet: nil) {
            try sheets.last?.finish()
            let parts: [(String, String)] = [
                ("[Content_Types].xml", XLSXPackageParts.contentTypes(sheetCount: sheets.count)),
                ("_rels/.rels", XLSXPackageParts.packageRelationships),
                ("docProps/app.xml", XLSXPackageParts.appProperties),
                ("docProps/core.xml", XLSXPackageParts.coreProperties(created: created.timeIntervalSince1970)),
                ("xl/workbook.xml", XLSXPackageParts.workbook(sheets: sheets.map { ($0.name, $0.filterRange) })),
                ("xl/_rels/workbook.xml.rels", XLSXPackageParts.workbookRelationships(sheetCount: sheets.count)),
                ("xl/styles.xml", XLSXWriterStyles.part),
            ]
            for (name, content) in parts {
                try zip.addEntry(name: name, data: Array(content.utf8))
            }
            for sheet in sheets {
                try zip.addEntry(sheet.spool)
            }
            try zip.close()
            self.zip = nil
        }
    }

    /// Abandons the workbook: nothing is written and the temporary files are removed. Does nothing
    /// after ``close()``.
    public func cancel() {
        zip?.cancel()
        zip = nil
        sheets.removeAll()
    }

    // MARK: - Helpers

    private func openZip(sheet: String?) throws -> ZipWriter {
        guard let zip else {
            throw XLSXWriteError(
                kind: .closed, path: path, sheet: sheet,
                message: "the workbook was already closed or abandoned after an error; nothing more can be written to it"
            )
        }
        return zip
    }

    /// Runs `body`; on failure abandons the workbook and rethrows, zip errors wrapped.
    private func guarding<T>(sheet: String?, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as ZipWriteError {
            cancel()
            throw Self.archiveError(error, path: path, sheet: sheet)
        } catch {
            cancel()
            throw error
        }
    }

    private static func archiveError(_ error: ZipWriteError, path: String, sheet: String? = nil) -> XLSXWriteError {
        XLSXWriteError(kind: .archive, path: path, sheet: sheet, message: error.message, zipError: error)
    }
}

import PaduCore

/// One sheet of an input, opened when its turn comes.
public struct SheetOpener {
    public let name: String?
    /// Named by the pipeline: a sheet without a recognisable table then fails the input.
    public let requested: Bool
    public let open: () throws -> any TabularRowSource
}

/// A problem with a spreadsheet or text file as a whole.
public struct TabularFileError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

/// Opens spreadsheets and delimited text the same way for every tabular source.
public enum TabularFiles {
    /// The sheets of `path` to read: every sheet of a workbook (or those named in `sheets`),
    /// or the one "sheet" of a text file. `name` is the input as recorded (its extension
    /// decides the format when the local copy has none).
    /// Whether the input is a workbook (or an old binary Excel file) rather than delimited text.
    public static func isSpreadsheet(path: String, name: String) -> Bool {
        let lower = name.lowercased()
        return lower.hasSuffix(".xlsx") || lower.hasSuffix(".xlsm") || lower.hasSuffix(".xls")
            || FileSignature.isZip(path: path) || FileSignature.isOLE2(path: path)
    }

    public static func sheets(path: String, name: String, sheets requested: [String], csv: CSVOptions) throws -> [SheetOpener] {
        let lower = name.lowercased()
        if lower.hasSuffix(".xls") || FileSignature.isOLE2(path: path) {
            throw TabularFileError(message: "\(name) is an old binary Excel file (.xls); open it in Excel or LibreOffice and save it as .xlsx (Excel Workbook)")
        }
        if lower.hasSuffix(".xlsx") || lower.hasSuffix(".xlsm") || FileSignature.isZip(path: path) {
            return try workbookSheets(path: path, name: name, requested: requested)
        }
        if !requested.isEmpty {
            throw TabularFileError(message: "\(name) is delimited text, which has no sheets; remove the sheets option or give a workbook")
        }
        return [SheetOpener(name: nil, requested: false, open: { try CSVRowSource(path: path, options: csv) })]
    }
}

/// The first bytes of a file, to tell formats apart whatever the file is called.
enum FileSignature {
    static func head(_ path: String, count: Int = 8) -> [UInt8] {
        guard let fd = Optional(open(path, O_RDONLY)), fd >= 0 else { return [] }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: count)
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, count) }
        return n > 0 ? Array(buffer.prefix(n)) : []
    }

    static func isOLE2(path: String) -> Bool { head(path) == [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] }
    static func isZip(path: String) -> Bool { head(path, count: 4) == [0x50, 0x4B, 0x03, 0x04] }
}

#if canImport(Glibc)
import Glibc
#endif

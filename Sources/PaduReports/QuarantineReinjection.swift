import Foundation
import PaduCore
import PaduFormats
import PaduWarehouse

/// One row of a corrected export that names the quarantined row it fixes.
public struct ReinjectionMark: Sendable, Equatable {
    /// The sheet of the corrected file (nil for a text file) and its row as the source numbers it.
    public let sheet: String?
    public let row: Int64
    public let quarantineID: Int64
    /// `padu_input` and `padu_row` as written beside the id (checked against the quarantine row).
    public let originalInput: Int64?
    public let originalRow: Int64?

    public init(sheet: String?, row: Int64, quarantineID: Int64, originalInput: Int64?, originalRow: Int64?) {
        self.sheet = sheet
        self.row = row
        self.quarantineID = quarantineID
        self.originalInput = originalInput
        self.originalRow = originalRow
    }
}

/// What linking a re-injected input to its quarantined originals did.
public struct ReinjectionLinks: Sendable {
    /// Rows that loaded and are now linked to the row they fix.
    public var linked = 0
    /// Rows of the corrected file that were kept out again (still to fix; see `padu quarantine list`).
    public var stillQuarantined = 0
    /// Rows whose padu_quarantine_id is not in this warehouse, or whose padu_input/padu_row disagree with it.
    public var unknown: [Int64] = []
    /// Rows without a padu_quarantine_id (new rows, or the column was removed).
    public var unmarked = 0
}

/// A problem reading the lineage columns of a corrected export.
public struct ReinjectionError: Error, Sendable, CustomStringConvertible {
    public let description: String
}

/// Reads the `padu_quarantine_id`, `padu_input` and `padu_row` columns of a corrected export,
/// row by row, numbering rows as the sources do (a text file's physical line; a sheet's row).
public enum ReinjectionFile {
    public static func marks(path: String) throws -> (marks: [ReinjectionMark], unmarked: Int) {
        TabularFiles.isSpreadsheet(path: path, name: path) ? try xlsxMarks(path: path) : try csvMarks(path: path)
    }

    /// An id cell as written: `12`, `'12`, `12.0` (a spreadsheet's number).
    static func number(_ text: String?) -> Int64? {
        guard var t = text?.trimmingCharacters(in: .whitespaces), !t.isEmpty else { return nil }
        if t.hasPrefix("'") { t.removeFirst() }
        if let n = Int64(t) { return n }
        if let d = Double(t), d == d.rounded(), abs(d) < 1e15 { return Int64(d) }
        return nil
    }

    static func csvMarks(path: String) throws -> (marks: [ReinjectionMark], unmarked: Int) {
        let csv = try CSVReader(path: path)
        defer { csv.close() }
        var columns: (id: Int, input: Int?, row: Int?)?
        var marks: [ReinjectionMark] = []
        var unmarked = 0
        while let record = try csv.next() {
            let fields = record.fields.map { $0.trimmingCharacters(in: .whitespaces) }
            guard let c = columns else {
                if fields.allSatisfy(\.isEmpty) { continue }
                guard let id = fields.firstIndex(of: "padu_quarantine_id") else {
                    throw ReinjectionError(description: "\(path): the header row has no padu_quarantine_id column; "
                        + "re-inject the file `padu quarantine export` wrote, with its padu_* columns kept")
                }
                columns = (id, fields.firstIndex(of: "padu_input"), fields.firstIndex(of: "padu_row"))
                continue
            }
            let at = { (i: Int?) in i.flatMap { $0 < fields.count ? fields[$0] : nil } }
            guard let q = number(at(c.id)) else {
                if !fields.allSatisfy(\.isEmpty) { unmarked += 1 }
                continue
            }
            marks.append(ReinjectionMark(sheet: nil, row: Int64(record.line), quarantineID: q,
                                         originalInput: number(at(c.input)), originalRow: number(at(c.row))))
        }
        return (marks, unmarked)
    }

    static func xlsxMarks(path: String) throws -> (marks: [ReinjectionMark], unmarked: Int) {
        let book = try XLSXWorkbook(path: path)
        var marks: [ReinjectionMark] = []
        var unmarked = 0
        for info in book.sheets where info.visibility == .visible {
            let sheet = try book.sheet(info)
            var columns: (id: Int, input: Int?, row: Int?)?
            while let row = try sheet.nextRow() {
                func text(_ column: Int?) -> String? {
                    guard let column, let cell = row.cell(column: column) else { return nil }
                    switch cell.value {
                    case .text(let s), .number(let s): return s
                    default: return nil
                    }
                }
                guard let c = columns else {
                    let header = row.cells.compactMap { cell -> (String, Int)? in
                        if case .text(let s) = cell.value { return (s.trimmingCharacters(in: .whitespaces), cell.column) }
                        return nil
                    }
                    let find = { (name: String) in header.first { $0.0 == name }?.1 }
                    if let id = find("padu_quarantine_id") { columns = (id, find("padu_input"), find("padu_row")) }
                    continue
                }
                guard let q = number(text(c.id)) else {
                    if !row.cells.isEmpty { unmarked += 1 }
                    continue
                }
                marks.append(ReinjectionMark(sheet: info.name, row: Int64(row.number), quarantineID: q,
                                             originalInput: number(text(c.input)), originalRow: number(text(c.row))))
            }
        }
        return (marks, unmarked)
    }
}

extension Reports {
    /// Links each loaded row of `newInput` (a corrected export just loaded) to the quarantined row
    /// its `padu_quarantine_id` names, in table `reinjection`, in one transaction. Rows the new
    /// input kept out again, and ids this warehouse does not have, are counted, not linked.
    public func linkReinjection(newInput: Int64, marks: [ReinjectionMark], unmarked: Int = 0) throws -> ReinjectionLinks {
        var result = ReinjectionLinks()
        result.unmarked = unmarked
        try database.transaction {
            for m in marks {
                var original: (input: Int64, row: Int64, sheet: String?)?
                try database.query("SELECT input_id, row_number, sheet FROM quarantine WHERE id = ?", [.int(m.quarantineID)]) { r in
                    original = (r.int(0)!, r.int(1) ?? 0, r.text(2))
                }
                guard let original, m.originalInput.map({ $0 == original.input }) ?? true, m.originalRow.map({ $0 == original.row }) ?? true else {
                    result.unknown.append(m.quarantineID)
                    continue
                }
                if case .int(let n)? = try database.scalar("SELECT count(*) FROM quarantine WHERE input_id = ? AND row_number = ? AND sheet IS ?",
                                                           [.int(newInput), .int(m.row), SQLValue(m.sheet)]), n > 0 {
                    result.stillQuarantined += 1
                    continue
                }
                _ = try database.run("""
                    INSERT INTO reinjection(new_input_id, new_row, new_sheet, quarantine_id, original_input_id, original_row, original_sheet)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, [.int(newInput), .int(m.row), SQLValue(m.sheet), .int(m.quarantineID), .int(original.input), .int(original.row),
                          SQLValue(original.sheet)])
                result.linked += 1
            }
        }
        return result
    }

    /// The quarantined rows a row of a re-injected input fixes (usually one).
    func reinjectedFrom(input: Int64, row: Int64, sheet: String?) throws -> ReportTable {
        let names = try sources()
        var t = ReportTable(name: "reinjected_from", title: "Re-injected from (the quarantined row this corrected row fixes)",
                            columns: [ReportColumn("quarantine_id", "Quarantine id", .integer), ReportColumn("file", "Original file"),
                                      ReportColumn("input_id", "Input", .integer), ReportColumn("row", "Row", .integer),
                                      ReportColumn("sheet", "Sheet"), ReportColumn("reason_code", "Reason code"), ReportColumn("reason", "Reason")])
        try database.query("""
            SELECT r.quarantine_id, r.original_input_id, r.original_row, r.original_sheet, q.reason_code, q.reason
            FROM reinjection r JOIN quarantine q ON q.id = r.quarantine_id
            WHERE r.new_input_id = ? AND r.new_row = ? AND r.new_sheet IS ? ORDER BY r.id
            """, [.int(input), .int(row), SQLValue(sheet)]) { r in
            let original = r.int(1) ?? 0
            t.rows.append([.integer(r.int(0) ?? 0), .text(names[original] ?? "input \(original)"), .integer(original), .integer(r.int(2) ?? 0),
                           ReportValue(r.text(3)), ReportValue(r.text(4)), ReportValue(r.text(5))])
        }
        return t
    }
}

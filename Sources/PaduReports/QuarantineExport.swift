import Foundation
import PaduCore
import PaduFormats
import PaduWarehouse

/// Rejected rows laid out for the data producer to fix: one table per input and kind of key
/// (the file's headers for rows its source rejected, Padu's field names for rows a later stage
/// rejected), one column per original header (first-seen order), then Padu's columns.
public struct QuarantineExport: Sendable {
    /// Added after the original headers: why the row was kept out.
    public static let reasonColumns = ["padu_reason", "padu_reason_code", "padu_column"]
    /// Added last: where the row came from. Re-injection reads them; they must be kept.
    public static let lineageColumns = ["padu_quarantine_id", "padu_input", "padu_sheet", "padu_row"]

    /// One set of rows sharing their headers (one input; one XLSX sheet).
    public struct Group: Sendable {
        public let inputID: Int64
        public let file: String
        public var headers: [String]
        public var table: ReportTable
    }

    public var groups: [Group]

    /// The groups as one CSV table, or an error when their header sets differ.
    public func csvTable() throws -> ReportTable {
        guard let first = groups.first else { return Self.table(name: "quarantine", headers: [], rows: []) }
        let others = groups.dropFirst().filter { Set($0.headers) != Set(first.headers) }
        guard others.isEmpty else {
            let files = groups.map { "input \($0.inputID) (\($0.file))" }.joined(separator: ", ")
            throw ReportError("the rows come from inputs with different headers (\(files)); a CSV file has one header row: "
                + "export one input at a time with --input ID, or use --format xlsx (one sheet per input)")
        }
        var merged = Self.table(name: "quarantine", headers: first.headers, rows: [])
        for g in groups {
            let index = g.table.columns.map(\.name)
            for row in g.table.rows {
                merged.rows.append(merged.columns.map { c in index.firstIndex(of: c.name).map { row[$0] } ?? .null })
            }
        }
        return merged
    }

    /// Writes one sheet per group with XLSXWriter (text as inline strings, never formulas); owner-only.
    /// No other sheet: the workbook goes back through the source unchanged (`padu quarantine reinject`).
    public func writeXLSX(to path: String) throws {
        let writer = try XLSXWriter(path: path)
        do {
            if groups.isEmpty {
                _ = try writer.addSheet(name: "quarantine", columns: (QuarantineExport.reasonColumns + QuarantineExport.lineageColumns)
                    .map { XLSXColumn(title: $0) })
            }
            for g in groups {
                let base = (g.file as NSString).deletingPathExtension
                _ = try writer.addSheet(name: base.isEmpty ? "input \(g.inputID)" : base, columns: g.table.columns.map { c in
                    c.kind == .integer ? XLSXColumn(title: c.name, kind: .integer, width: 12)
                        : XLSXColumn(title: c.name, kind: .text, width: ReportWorkbook.width(c, g.table))
                })
                for row in g.table.rows { try writer.appendRow(row.map(ReportWorkbook.cell)) }
            }
            try writer.close()
        } catch {
            writer.cancel()
            throw error
        }
    }

    static func table(name: String, headers: [String], rows: [[ReportValue]]) -> ReportTable {
        ReportTable(name: name, title: "Rows to fix",
                    columns: headers.map { ReportColumn($0, $0) } + reasonColumns.map { ReportColumn($0, $0) }
                        + [ReportColumn("padu_quarantine_id", "padu_quarantine_id", .integer), ReportColumn("padu_input", "padu_input", .integer),
                           ReportColumn("padu_sheet", "padu_sheet"), ReportColumn("padu_row", "padu_row", .integer)],
                    rows: rows)
    }
}

extension Reports {
    /// The quarantined rows (not skipped ones, not those a re-injection resolved) matching
    /// `filter`, grouped by input and kind of key, values exactly as stored in `raw_values`.
    public func quarantineExport(_ filter: QuarantineFilter) throws -> QuarantineExport {
        let names = try sources()
        let (where_, args) = filter.sql()
        struct Row { var id: Int64; var input: Int64; var sheet: String?; var row: Int64; var column: String?
                     var code: String; var reason: String; var sourceStage: Bool; var values: [(String, String)] }
        var rows: [Row] = []
        let limit = filter.limit.map { " LIMIT \($0)" } ?? ""
        try database.query("""
            SELECT q.id, q.input_id, q.sheet, q.row_number, q.column_name, q.reason_code, q.reason, q.stage = i.plugin
            FROM quarantine q JOIN inputs i ON i.id = q.input_id
            WHERE q.disposition = 'quarantined' AND \(Self.resolvedColumn("id")) IS NULL\(where_)
            ORDER BY q.input_id, q.row_number, q.id\(limit)
            """, args) { r in
            rows.append(Row(id: r.int(0)!, input: r.int(1)!, sheet: r.text(2), row: r.int(3) ?? 0, column: r.text(4),
                            code: r.text(5) ?? "", reason: r.text(6) ?? "", sourceStage: r.int(7) == 1, values: []))
        }
        var index: [Int64: Int] = [:]
        for (i, row) in rows.enumerated() { index[row.id] = i }
        if !rows.isEmpty {
            // json_each keeps the object's order: the file's column order.
            try database.query("""
                SELECT q.id, j.key, j.value FROM quarantine q, json_each(q.raw_values) j
                WHERE q.id IN (\(rows.map { String($0.id) }.joined(separator: ","))) ORDER BY q.id, j.id
                """) { r in
                if let i = r.int(0).flatMap({ index[$0] }), let key = r.text(1) { rows[i].values.append((key, r.text(2) ?? "")) }
            }
        }
        var groups: [QuarantineExport.Group] = []
        var groupOf: [String: Int] = [:]
        for row in rows {
            let key = "\(row.input)/\(row.sourceStage)"
            if groupOf[key] == nil {
                groupOf[key] = groups.count
                groups.append(.init(inputID: row.input, file: names[row.input] ?? "input \(row.input)", headers: [],
                                    table: QuarantineExport.table(name: "", headers: [], rows: [])))
            }
            let g = groupOf[key]!
            for (k, _) in row.values where !groups[g].headers.contains(k) { groups[g].headers.append(k) }
        }
        for g in groups.indices {
            groups[g].table = QuarantineExport.table(name: groups[g].file, headers: groups[g].headers, rows: [])
        }
        for row in rows {
            let g = groupOf["\(row.input)/\(row.sourceStage)"]!
            let values = Dictionary(row.values, uniquingKeysWith: { a, _ in a })
            groups[g].table.rows.append(groups[g].headers.map { ReportValue.text(values[$0] ?? "") }
                + [.text(row.reason), .text(row.code), ReportValue(row.column),
                   .integer(row.id), .integer(row.input), ReportValue(row.sheet), .integer(row.row)])
        }
        return QuarantineExport(groups: groups)
    }
}

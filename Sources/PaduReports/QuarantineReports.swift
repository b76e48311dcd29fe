import PaduCore
import PaduWarehouse

/// Which quarantined rows a steward asks for (`padu quarantine list|export`).
public struct QuarantineFilter: Sendable {
    public var pipeline: String?
    public var runID: Int64?
    public var inputID: Int64?
    public var reasonCode: String?
    /// At most this many rows (the summary still counts them all).
    public var limit: Int?
    /// Also inputs no longer loaded (replaced, retracted, failed): the history. Default: loaded inputs only.
    public var includeHistory: Bool

    public init(pipeline: String? = nil, runID: Int64? = nil, inputID: Int64? = nil, reasonCode: String? = nil,
                limit: Int? = nil, includeHistory: Bool = false) {
        self.pipeline = pipeline
        self.runID = runID
        self.inputID = inputID
        self.reasonCode = reasonCode
        self.limit = limit
        self.includeHistory = includeHistory
    }

    /// The filter as SQL over `quarantine q JOIN inputs i`.
    func sql() -> (sql: String, args: [SQLValue]) {
        var sql = includeHistory ? "" : " AND i.status = 'loaded'"
        var args: [SQLValue] = []
        if let pipeline { sql += " AND i.pipeline = ?"; args.append(.text(pipeline)) }
        if let runID { sql += " AND q.run_id = ?"; args.append(.int(runID)) }
        if let inputID { sql += " AND q.input_id = ?"; args.append(.int(inputID)) }
        if let reasonCode { sql += " AND q.reason_code = ?"; args.append(.text(reasonCode)) }
        return (sql, args)
    }

    var parameters: [(String, String)] {
        var p: [(String, String)] = []
        if let pipeline { p.append(("pipeline", pipeline)) }
        if let runID { p.append(("run", String(runID))) }
        if let inputID { p.append(("input", String(inputID))) }
        if let reasonCode { p.append(("reason", reasonCode)) }
        if let limit { p.append(("limit", String(limit))) }
        p.append(("inputs", includeHistory ? "all" : "loaded"))
        return p
    }
}

extension Reports {
    /// SQL giving, for quarantine row `q.id`, the newest re-injected row that replaced it while its
    /// input is still loaded: `new_input_id`, `new_sheet`, `new_row` (through `reinjection`).
    static func resolvedColumn(_ column: String) -> String {
        """
        (SELECT r.\(column) FROM reinjection r JOIN inputs ni ON ni.id = r.new_input_id
         WHERE r.quarantine_id = q.id AND ni.status = 'loaded' ORDER BY r.id DESC LIMIT 1)
        """
    }

    /// The rows kept out of the warehouse, newest input first, with where each is and why, and
    /// whether a corrected re-injection resolved it; then a summary by reason.
    public func quarantineList(_ filter: QuarantineFilter) throws -> [ReportTable] {
        let names = try sources()
        let (where_, args) = filter.sql()
        var list = ReportTable(
            name: "quarantine", title: "Rows kept out of the warehouse", parameters: filter.parameters,
            columns: [ReportColumn("id", "Id", .integer), ReportColumn("pipeline", "Pipeline"), ReportColumn("run_id", "Run", .integer),
                      ReportColumn("input_id", "Input", .integer), ReportColumn("file", "File"), ReportColumn("sheet", "Sheet"),
                      ReportColumn("row", "Row", .integer), ReportColumn("column", "Column"), ReportColumn("reason_code", "Reason code"),
                      ReportColumn("disposition", "Disposition"), ReportColumn("resolved_by", "Resolved by"), ReportColumn("reason", "Reason")])
        let limit = filter.limit.map { " LIMIT \($0)" } ?? ""
        try database.query("""
            SELECT q.id, i.pipeline, q.run_id, q.input_id, q.sheet, q.row_number, q.column_name, q.reason_code, q.disposition, q.reason,
                   \(Self.resolvedColumn("new_input_id")), \(Self.resolvedColumn("new_sheet")), \(Self.resolvedColumn("new_row"))
            FROM quarantine q JOIN inputs i ON i.id = q.input_id
            WHERE 1 = 1\(where_) ORDER BY q.input_id DESC, q.row_number, q.id\(limit)
            """, args) { r in
            let input = r.int(3) ?? 0
            let resolved = r.int(10).map { "\(Self.locator(names, input: $0, sheet: r.text(11), row: r.int(12))) (input \($0))" }
            list.rows.append([.integer(r.int(0) ?? 0), ReportValue(r.text(1)), .integer(r.int(2) ?? 0), .integer(input),
                              .text(names[input] ?? ""), ReportValue(r.text(4)), .integer(r.int(5) ?? 0), ReportValue(r.text(6)),
                              ReportValue(r.text(7)), ReportValue(r.text(8)), ReportValue(resolved), ReportValue(r.text(9))])
        }
        if !filter.includeHistory { list.notes.append("Only inputs still loaded; --all adds replaced, retracted and failed inputs.") }
        list.notes.append("Resolved by: the row of a corrected file (padu quarantine reinject) that loaded in its place; the original stays listed.")

        var summary = ReportTable(name: "summary", title: "By reason", parameters: filter.parameters,
                                  columns: [ReportColumn("reason_code", "Reason code"), ReportColumn("disposition", "Disposition"),
                                            ReportColumn("rows", "Rows", .integer), ReportColumn("resolved", "Resolved", .integer),
                                            ReportColumn("example", "Example")])
        try database.query("""
            SELECT q.reason_code, q.disposition, count(*), count(\(Self.resolvedColumn("new_input_id"))), min(q.reason)
            FROM quarantine q JOIN inputs i ON i.id = q.input_id
            WHERE 1 = 1\(where_) GROUP BY 1, 2 ORDER BY 3 DESC, 1
            """, args) { r in
            summary.rows.append([ReportValue(r.text(0)), ReportValue(r.text(1)), .integer(r.int(2) ?? 0), .integer(r.int(3) ?? 0),
                                 ReportValue(r.text(4))])
        }
        return [list, summary]
    }
}

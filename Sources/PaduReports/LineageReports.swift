import PaduCore
import PaduWarehouse

/// A warehouse row a walidata officer asks about: `person:1802...`, `assistance:42`.
public struct RowReference: Sendable, CustomStringConvertible {
    public let table: String
    public let key: String

    /// The tables that can be traced, and the column that names a row in each.
    public static let keyColumns: [String: String] = [
        "person": "nik", "household": "no_kk", "region": "code", "registry_status": "id", "assistance": "id",
        "indicator": "id", "region_crosswalk": "id",
    ]

    /// Parses `TABLE:ID`.
    public init(_ text: String) throws {
        guard let colon = text.firstIndex(of: ":") else {
            throw ReportError("'\(PersonalData.maskNIKs(in: text))' is not TABLE:ID; e.g. person:1802xxxxxxxx0001, assistance:42, household:1802xxxxxxxx0001")
        }
        let table = String(text[..<colon]), key = String(text[text.index(after: colon)...])
        guard RowReference.keyColumns[table] != nil else {
            throw ReportError("no traceable table '\(table)'; tables: \(RowReference.keyColumns.keys.sorted().joined(separator: ", "))")
        }
        guard !key.isEmpty else { throw ReportError("\(table): which row? e.g. \(table):\(table == "person" ? "1802xxxxxxxx0001" : "42")") }
        self.table = table
        self.key = key
    }

    public init(table: String, key: String) {
        self.table = table
        self.key = key
    }

    var keyColumn: String { RowReference.keyColumns[table]! }
    var keyValue: SQLValue { keyColumn == "id" ? (Int64(key).map { .int($0) } ?? .text(key)) : .text(key) }
    public var description: String { "\(table):\(PersonalData.maskNIKs(in: key))" }
}

extension Reports {
    /// The chain from a warehouse row back to its sources: its values, the input (file, SHA-256,
    /// sheet, row) and run (pipeline, version, stage chain) that wrote them, the values transforms
    /// changed on the way (with the raw value), every other input that contributed to it, the
    /// records that name the same person, and how many earlier versions it had.
    public func trace(_ ref: RowReference) throws -> [ReportTable] {
        var values: [(String, String?)] = []
        var lineage: (input: Int64, run: Int64, row: Int64, sheet: String?)?
        try database.query("SELECT * FROM \(ref.table) WHERE \(ref.keyColumn) = ?", [ref.keyValue]) { r in
            var input: Int64?, run: Int64?, row: Int64?, sheet: String?
            for i in 0..<r.count {
                let name = r.name(i)
                switch name {
                case "input_id": input = r.int(i)
                case "run_id": run = r.int(i)
                case "source_row": row = r.int(i)
                case "source_sheet": sheet = r.text(i)
                default: values.append((name, r.text(i)))
                }
            }
            if let input, let run, let row { lineage = (input, run, row, sheet) }
        }
        guard let lineage else { throw ReportError("no row \(ref) in the warehouse", notFound: true) }

        var row = ReportTable(name: "row", title: "\(ref): values", columns: [ReportColumn("field", "Field"), ReportColumn("value", "Value")])
        row.rows = values.map { [.text($0.0), ReportValue($0.1)] }

        let source = try sourceTable(input: lineage.input, run: lineage.run, row: lineage.row, sheet: lineage.sheet,
                                     title: "Written by (the last input that wrote this row)")
        var cells = ReportTable(name: "cells", title: "The cells the values were read from",
                                columns: [ReportColumn("column", "Warehouse column"), ReportColumn("field", "Field"),
                                          ReportColumn("cell", "Cell"), ReportColumn("header", "Header in the file")])
        let fieldOf = Dictionary(Self.warehouseColumns.map { ($0.value, $0.key) }, uniquingKeysWith: { a, _ in a })
        var mapped: [String: (header: String, index: Int64)] = [:]
        try database.query("SELECT field, header, column_index FROM input_column WHERE input_id = ? AND sheet = ?",
                           [.int(lineage.input), .text(lineage.sheet ?? "")]) { r in
            if let f = r.text(0), let i = r.int(2) { mapped[f] = (r.text(1) ?? "", i) }
        }
        for (column, _) in values {
            let field = fieldOf[column] ?? column
            guard let m = mapped[field] else { continue }
            let cell = lineage.sheet != nil ? "\(lineage.sheet!)!\(InputColumn.letters(Int(m.index)))\(lineage.row)"
                : "line \(lineage.row), field \(m.index + 1)"
            cells.rows.append([.text(column), .text(field), .text(cell), .text(m.header)])
        }
        if cells.rows.isEmpty { cells.notes = ["The input's column mapping is not recorded (loaded before schema version 5, or a source without columns)."] }
        var corrections = try correctionTable(input: lineage.input, row: lineage.row, sheet: lineage.sheet)
        corrections.notes = corrections.rows.isEmpty ? ["No transform changed a value of this row: every value is as parsed from the file."]
            : ["Raw values are as parsed from the file, before the transform's rule."]
        var tables = [row, source, cells, corrections]
        let reinjected = try reinjectedFrom(input: lineage.input, row: lineage.row, sheet: lineage.sheet)
        if !reinjected.rows.isEmpty { tables.append(reinjected) }

        if ["person", "household", "region"].contains(ref.table) {
            let names = try sources()
            var contributions = ReportTable(name: "contributions", title: "Every input that contributed to \(ref)",
                columns: [ReportColumn("input_id", "Input", .integer), ReportColumn("source", "Source"), ReportColumn("pipeline", "Pipeline"),
                          ReportColumn("run_id", "Run", .integer), ReportColumn("status", "Input status"), ReportColumn("sha256", "SHA-256")])
            try database.query("""
                SELECT c.input_id, c.source_row, c.source_sheet, i.pipeline, c.run_id, i.status, i.sha256
                FROM contribution c JOIN inputs i ON i.id = c.input_id
                WHERE c.table_name = ? AND c.row_key = ? ORDER BY c.input_id
                """, [.text(ref.table), .text(ref.key)]) { r in
                contributions.rows.append([.integer(r.int(0) ?? 0), .text(Self.locator(names, input: r.int(0), sheet: r.text(2), row: r.int(1))),
                                           ReportValue(r.text(3)), .integer(r.int(4) ?? 0), ReportValue(r.text(5)), ReportValue(r.text(6))])
            }
            tables.append(contributions)
        }
        if ref.table == "person" || ref.table == "household" {
            let column = ref.table == "person" ? "nik" : "no_kk"
            let names = try sources()
            var records = ReportTable(name: "records", title: "Records that name \(ref) (trace each with its reference)",
                columns: [ReportColumn("reference", "Reference"), ReportColumn("what", "What"), ReportColumn("source", "Source")])
            try database.query("""
                SELECT 'registry_status:' || id, registry || coalesce(' desil ' || desil, '') || coalesce(' (' || snapshot_date || ')', ''),
                       input_id, source_row, source_sheet FROM registry_status WHERE \(column) = ?
                UNION ALL
                SELECT 'assistance:' || id, provider_kind || ' ' || provider || coalesce(' · ' || coalesce(program_code, program), ''),
                       input_id, source_row, source_sheet FROM assistance WHERE \(ref.table == "person" ? "person_nik" : "no_kk") = ?
                ORDER BY 3, 4
                """, [.text(ref.key), .text(ref.key)]) { r in
                records.rows.append([ReportValue(r.text(0)), ReportValue(r.text(1)), .text(Self.locator(names, input: r.int(2), sheet: r.text(4), row: r.int(3)))])
            }
            tables.append(records)
            if case .int(let n)? = try database.scalar("SELECT count(*) FROM row_history WHERE table_name = ? AND row_key = ?",
                                                       [.text(ref.table), .text(ref.key)]), n > 0 {
                tables[0].notes.append("\(n) earlier version\(n == 1 ? "" : "s"): padu lineage history \(ref.table):\(ref.key)")
            }
        }
        return tables
    }

    /// The input, run and pipeline behind a lineage locator.
    func sourceTable(input: Int64, run: Int64, row: Int64, sheet: String?, title: String) throws -> ReportTable {
        var t = ReportTable(name: "source", title: title, columns: [ReportColumn("item", "Item"), ReportColumn("value", "Value")])
        try database.query("""
            SELECT i.path, i.sha256, i.size_bytes, i.modified_at, i.status, i.plugin, r.pipeline, r.pipeline_version, r.pipeline_file,
                   r.stage_chain, r.started_at, r.trigger, r.padu_version
            FROM inputs i JOIN runs r ON r.id = ?
            WHERE i.id = ?
            """, [.int(run), .int(input)]) { r in
            let items: [(String, String?)] = [
                ("file", r.text(0)), ("sha256", r.text(1)), ("size_bytes", r.text(2)), ("modified_at", r.text(3)),
                ("sheet", sheet), ("row", String(row)), ("input", "\(input) (\(r.text(4) ?? ""), read by \(r.text(5) ?? ""))"),
                ("run", "\(run) (\(r.text(11) ?? ""), started \(r.text(10) ?? ""), padu \(r.text(12) ?? ""))"),
                ("pipeline", r.text(6)), ("pipeline_version", r.text(7)), ("pipeline_file", r.text(8)), ("stage_chain", r.text(9)),
            ]
            t.rows = items.filter { $0.1 != nil }.map { [.text($0.0), ReportValue($0.1)] }
        }
        return t
    }

    /// Pipeline fields and the warehouse columns the sink stores them in, where the names differ.
    static let warehouseColumns: [String: String] = [
        "nama": "name", "jenis_kelamin": "sex", "tanggal_lahir": "birth_date", "tempat_lahir": "birth_place",
        "hubungan_keluarga": "relationship", "pekerjaan": "occupation", "alamat": "address", "nilai": "amount",
        "tanggal": "date", "kegiatan": "activity", "satuan": "unit", "jenis_bantuan": "aid_kind", "keterangan": "note",
        "kode_desa": "region_code", "status_kepesertaan": "status", "value": "value",
    ]

    func correctionTable(input: Int64, row: Int64, sheet: String?) throws -> ReportTable {
        var t = ReportTable(name: "corrections", title: "Values transforms changed",
                            columns: [ReportColumn("field", "Field"), ReportColumn("column", "Warehouse column"),
                                      ReportColumn("raw_value", "Raw value"), ReportColumn("new_value", "New value"),
                                      ReportColumn("rule", "Rule"), ReportColumn("detail", "What it did")])
        try database.query("""
            SELECT field, raw_value, new_value, rule, detail FROM correction
            WHERE input_id = ? AND source_row = ? AND source_sheet IS ? ORDER BY id
            """, [.int(input), .int(row), SQLValue(sheet)]) { r in
            let field = r.text(0) ?? ""
            t.rows.append([.text(field), .text(Self.warehouseColumns[field] ?? field), ReportValue(r.text(1)), ReportValue(r.text(2)),
                           ReportValue(r.text(3)), ReportValue(r.text(4))])
        }
        return t
    }

    /// The earlier versions of a consolidated row, newest first, with what replaced each.
    public func history(_ ref: RowReference) throws -> ReportTable {
        guard ref.table == "person" || ref.table == "household" else {
            throw ReportError("history is kept for person and household rows; \(ref.table) rows are per input (see padu lineage trace \(ref.table):ID)")
        }
        let names = try sources()
        var t = ReportTable(name: "history", title: "Earlier versions of \(ref)",
                            columns: [ReportColumn("changed_at", "Changed (UTC)"), ReportColumn("change", "Change"),
                                      ReportColumn("from", "Written by"), ReportColumn("by", "Changed by"),
                                      ReportColumn("values", "Values before")])
        try database.query("""
            SELECT changed_at, change, old_values, old_input_id, old_source_row, old_source_sheet, by_action, by_input_id, by_run_id
            FROM row_history WHERE table_name = ? AND row_key = ? ORDER BY id DESC
            """, [.text(ref.table), .text(ref.key)]) { r in
            let by = [r.text(6), r.int(7).map { "input \($0) (\(names[$0] ?? ""))" }, r.int(8).map { "run \($0)" }].compactMap { $0 }.joined(separator: " ")
            t.rows.append([ReportValue(r.text(0)), ReportValue(r.text(1)),
                           .text(Self.locator(names, input: r.int(3), sheet: r.text(5), row: r.int(4))), .text(by), ReportValue(r.text(2))])
        }
        if t.rows.isEmpty { t.notes = ["No earlier version: the row has kept its values since it was first written (or the warehouse predates schema version 5)."] }
        return t
    }

    /// What an input (a file, by path or SHA-256) contributed, in which runs: rows per table,
    /// values corrected, rows kept out by reason, and lineage events such as retraction.
    public func inputContribution(path: String?, sha256: String?) throws -> [ReportTable] {
        var runs = ReportTable(name: "inputs", title: "The file in each run",
                               columns: [ReportColumn("input_id", "Input", .integer), ReportColumn("run_id", "Run", .integer),
                                         ReportColumn("pipeline", "Pipeline"), ReportColumn("status", "Status"), ReportColumn("read", "Read", .integer),
                                         ReportColumn("loaded", "Loaded", .integer), ReportColumn("quarantined", "Quarantined", .integer),
                                         ReportColumn("skipped", "Skipped", .integer), ReportColumn("finished_at", "Finished (UTC)"),
                                         ReportColumn("message", "Message")])
        var ids: [Int64] = []
        var shown: (path: String, sha: String?)?
        try database.query("""
            SELECT id, run_id, pipeline, status, rows_read, rows_loaded, rows_quarantined, rows_skipped, finished_at, message, path, sha256
            FROM inputs WHERE path = ? OR sha256 = ? ORDER BY id
            """, [SQLValue(path), SQLValue(sha256)]) { r in
            ids.append(r.int(0)!)
            if shown == nil { shown = (r.text(10) ?? "", r.text(11)) }
            runs.rows.append([.integer(r.int(0)!), .integer(r.int(1) ?? 0), ReportValue(r.text(2)), ReportValue(r.text(3)),
                              .integer(r.int(4) ?? 0), .integer(r.int(5) ?? 0), .integer(r.int(6) ?? 0), .integer(r.int(7) ?? 0),
                              ReportValue(r.text(8)), ReportValue(r.text(9))])
        }
        guard let shown else { throw ReportError("the warehouse has no input \(path ?? sha256 ?? "")", notFound: true) }
        runs.parameters = [("file", shown.path), ("sha256", shown.sha ?? "")]
        let list = ids.map(String.init).joined(separator: ",")

        var rows = ReportTable(name: "contributed", title: "Rows in the warehouse now (inputs still loaded)",
                               columns: [ReportColumn("table", "Table"), ReportColumn("rows", "Rows", .integer)])
        for (table, sql) in [
            ("registry_status", "SELECT count(*) FROM registry_status WHERE input_id IN (\(list))"),
            ("assistance", "SELECT count(*) FROM assistance WHERE input_id IN (\(list))"),
            ("indicator", "SELECT count(*) FROM indicator WHERE input_id IN (\(list))"),
            ("region_crosswalk", "SELECT count(*) FROM region_crosswalk WHERE input_id IN (\(list))"),
            ("person (contributed to)", "SELECT count(*) FROM contribution WHERE table_name = 'person' AND input_id IN (\(list))"),
            ("person (last written by it)", "SELECT count(*) FROM person WHERE input_id IN (\(list))"),
            ("household (contributed to)", "SELECT count(*) FROM contribution WHERE table_name = 'household' AND input_id IN (\(list))"),
            ("region (contributed to)", "SELECT count(*) FROM contribution WHERE table_name = 'region' AND input_id IN (\(list))"),
            ("identity_match (proposed)", "SELECT count(*) FROM identity_match WHERE input_id IN (\(list))"),
            ("correction", "SELECT count(*) FROM correction WHERE input_id IN (\(list))"),
        ] {
            if case .int(let n)? = try database.scalar(sql), n > 0 { rows.rows.append([.text(table), .integer(n)]) }
        }
        if rows.rows.isEmpty { rows.notes = ["Nothing of this file is in the warehouse now (skipped, failed, replaced or retracted)."] }

        var kept = ReportTable(name: "kept_out", title: "Rows kept out, by reason",
                               columns: [ReportColumn("stage", "Stage"), ReportColumn("disposition", "Disposition"), ReportColumn("reason_code", "Reason"),
                                         ReportColumn("rows", "Rows", .integer), ReportColumn("first_row", "First row", .integer)])
        try database.query("""
            SELECT stage, disposition, reason_code, count(*), min(row_number) FROM quarantine WHERE input_id IN (\(list))
            GROUP BY 1, 2, 3 ORDER BY 4 DESC, 3
            """) { r in
            kept.rows.append([ReportValue(r.text(0)), ReportValue(r.text(1)), ReportValue(r.text(2)), .integer(r.int(3) ?? 0), .integer(r.int(4) ?? 0)])
        }
        var events = ReportTable(name: "events", title: "Lineage events",
                                 columns: [ReportColumn("at", "At (UTC)"), ReportColumn("kind", "Event"), ReportColumn("input_id", "Input", .integer),
                                           ReportColumn("actor", "By"), ReportColumn("detail", "Detail")])
        try database.query("SELECT at, kind, input_id, actor, detail FROM lineage_event WHERE input_id IN (\(list)) ORDER BY id") { r in
            events.rows.append([ReportValue(r.text(0)), ReportValue(r.text(1)), .integer(r.int(2) ?? 0), ReportValue(r.text(3)), ReportValue(r.text(4))])
        }
        return [runs, rows, kept] + (events.rows.isEmpty ? [] : [events])
    }
}

import Foundation
import PaduCore
import PaduWarehouse

extension Reports {
    /// Column lineage of a warehouse table: for each pipeline that loaded it (as its latest run
    /// was configured), each column and the chain of stages back to the file column, with what
    /// each stage did (direct, parsed, normalised, derived, constant).
    public func columnLineage(table: String, registry: PluginRegistry, pipeline: String? = nil) throws -> ReportTable {
        var specs: [(String, String)] = []
        try database.query("""
            SELECT r.pipeline, r.spec_json FROM runs r
            WHERE r.id IN (SELECT max(i.run_id) FROM inputs i WHERE i.status = 'loaded' GROUP BY i.pipeline)
              AND (? IS NULL OR r.pipeline = ?)
            ORDER BY r.pipeline
            """, [SQLValue(pipeline), SQLValue(pipeline)]) { r in
            if let p = r.text(0), let json = r.text(1) { specs.append((p, json)) }
        }
        var t = ReportTable(name: "columns", title: "Column lineage of \(table)", parameters: [("table", table)],
                            columns: [ReportColumn("pipeline", "Pipeline"), ReportColumn("column", "Column"),
                                      ReportColumn("how", "How"), ReportColumn("lineage", "From (warehouse ← … ← file)")])
        let decoder = JSONDecoder()
        for (name, json) in specs {
            guard let spec = try? decoder.decode(PipelineSpec.self, from: Data(json.utf8)) else { continue }
            for origin in ColumnLineage.compose(spec, registry: registry) where origin.column.hasPrefix(table + ".") {
                let chain = origin.steps.map { step in
                    "\(step.inputs.joined(separator: ", ")) [\(step.stage): \(step.how.rawValue)\(step.note.map { "; \($0)" } ?? "")]"
                }.joined(separator: " ← ")
                t.rows.append([.text(name), .text(String(origin.column.dropFirst(table.count + 1))), .text(origin.lastChange.rawValue), .text(chain)])
            }
        }
        if t.rows.isEmpty {
            throw ReportError(specs.isEmpty ? "no pipeline has loaded anything yet" : "no loaded pipeline writes table '\(table)'", notFound: true)
        }
        t.notes = ["How: the last change made on the way to the warehouse (direct when none). Each step names the stage, what it did, and the columns it read."]
        return t
    }
}

import PaduCore
import PaduWarehouse

extension Reports {
    /// The registry snapshots loaded, per registry: date and households with a desil.
    public func snapshots() throws -> [(registry: String, date: String, households: Int)] {
        var out: [(String, String, Int)] = []
        try database.query("""
            SELECT s.registry, s.snapshot_date, count(DISTINCT s.no_kk)
            FROM registry_status s JOIN inputs i ON i.id = s.input_id AND i.status = 'loaded'
            WHERE s.snapshot_date IS NOT NULL AND s.desil IS NOT NULL AND s.no_kk IS NOT NULL
            GROUP BY s.registry, s.snapshot_date ORDER BY s.registry, s.snapshot_date
            """) { r in out.append((r.text(0) ?? "", r.text(1) ?? "", Int(r.int(2) ?? 0))) }
        return out
    }

    /// Graduation: households whose desil improved (rose) between two snapshots of one
    /// registry, and those who fell back. By default the registry with at least two snapshots
    /// and its two latest ones.
    public func graduation(registry: String? = nil, from: String? = nil, to: String? = nil,
                           region: ReportRegion? = nil) throws -> ReportTable {
        let all = try snapshots()
        let registries = Array(Set(all.map(\.registry))).sorted()
        let reg: String
        if let registry {
            guard registries.contains(registry.uppercased()) else {
                throw ReportError("no snapshot of registry '\(registry)' with desil is loaded; loaded: \(registries.isEmpty ? "none" : registries.joined(separator: ", "))")
            }
            reg = registry.uppercased()
        } else {
            let several = registries.filter { r in all.filter { $0.registry == r }.count >= 2 }
            guard several.count == 1 else {
                throw ReportError(several.isEmpty
                    ? "graduation compares two snapshots of one registry, and no registry has two loaded (give each export its snapshot date: the social-registry source's snapshot option)"
                    : "several registries have two or more snapshots (\(several.joined(separator: ", "))); choose one with --registry")
            }
            reg = several[0]
        }
        let dates = all.filter { $0.registry == reg }.map(\.date)
        for d in [from, to].compactMap({ $0 }) where !dates.contains(d) {
            throw ReportError("\(reg) has no snapshot dated \(d); its snapshots: \(dates.joined(separator: ", "))")
        }
        guard dates.count >= 2 || (from != nil && to != nil) else {
            throw ReportError("\(reg) has only one snapshot (\(dates.first ?? "none")); graduation needs two")
        }
        let fromDate = from ?? dates[dates.count - 2]
        let toDate = to ?? dates[dates.count - 1]
        guard fromDate < toDate else { throw ReportError("--from \(fromDate) must be earlier than --to \(toDate)") }
        let rf = Self.filters(period: nil, region: region, regionColumn: "coalesce(b.rc, a.rc)")
        let sql = """
            WITH snap AS (
                SELECT s.no_kk, s.snapshot_date, min(s.desil) AS desil, max(s.region_code) AS rc,
                       max(CASE WHEN s.is_head = 1 THEN s.name END) AS head, min(s.input_id) AS input_id, min(s.source_row) AS source_row
                FROM registry_status s JOIN inputs i ON i.id = s.input_id AND i.status = 'loaded'
                WHERE s.registry = ? AND s.snapshot_date IN (?, ?) AND s.no_kk IS NOT NULL AND s.desil IS NOT NULL
                GROUP BY s.no_kk, s.snapshot_date
            ),
            a AS (SELECT * FROM snap WHERE snapshot_date = ?),
            b AS (SELECT * FROM snap WHERE snapshot_date = ?)
            SELECT a.no_kk, coalesce(b.head, a.head), coalesce(b.rc, a.rc), a.desil, b.desil, b.input_id, b.source_row
            FROM a JOIN b ON b.no_kk = a.no_kk
            WHERE a.desil <> b.desil\(rf.sql)
            ORDER BY (b.desil > a.desil) DESC, coalesce(b.rc, a.rc), a.no_kk
            """
        let names = try sources()
        var table = ReportTable(
            name: "graduation", title: "Graduation: households whose desil changed between two \(reg) snapshots",
            parameters: [("registry", reg), ("from", fromDate), ("to", toDate)] + Self.parameters(period: nil, region: region),
            columns: [ReportColumn("outcome", "Outcome"), ReportColumn("no_kk", "No. KK"), ReportColumn("head_name", "Head of family"),
                      ReportColumn("region_code", "Region code"), ReportColumn("desa", "Desa/Kelurahan"),
                      ReportColumn("desil_from", "Desil \(fromDate)", .integer), ReportColumn("desil_to", "Desil \(toDate)", .integer),
                      ReportColumn("source", "Source (later snapshot)")])
        var improved = 0, fell = 0
        try database.query(sql, [.text(reg), .text(fromDate), .text(toDate), .text(fromDate), .text(toDate)] + rf.args) { r in
            let a = r.int(3) ?? 0, b = r.int(4) ?? 0
            let outcome = b > a ? "improved" : "fell-back"
            if b > a { improved += 1 } else { fell += 1 }
            let code = r.text(2)
            table.rows.append([.text(outcome), ReportValue(r.text(0)), ReportValue(r.text(1)), ReportValue(code),
                               ReportValue(regionName(code)), .integer(a), .integer(b),
                               .text(Self.locator(names, input: r.int(5), sheet: nil, row: r.int(6)))])
        }
        var stayed: Int64 = 0, left: Int64 = 0, joined: Int64 = 0
        try database.query("""
            WITH snap AS (
                SELECT s.no_kk, s.snapshot_date, min(s.desil) AS desil FROM registry_status s
                JOIN inputs i ON i.id = s.input_id AND i.status = 'loaded'
                WHERE s.registry = ? AND s.snapshot_date IN (?, ?) AND s.no_kk IS NOT NULL AND s.desil IS NOT NULL
                GROUP BY s.no_kk, s.snapshot_date
            )
            SELECT
              (SELECT count(*) FROM snap a JOIN snap b ON b.no_kk = a.no_kk AND b.snapshot_date = ? WHERE a.snapshot_date = ? AND a.desil = b.desil),
              (SELECT count(*) FROM snap a WHERE a.snapshot_date = ? AND NOT EXISTS (SELECT 1 FROM snap b WHERE b.no_kk = a.no_kk AND b.snapshot_date = ?)),
              (SELECT count(*) FROM snap b WHERE b.snapshot_date = ? AND NOT EXISTS (SELECT 1 FROM snap a WHERE a.no_kk = b.no_kk AND a.snapshot_date = ?))
            """, [.text(reg), .text(fromDate), .text(toDate), .text(toDate), .text(fromDate), .text(fromDate), .text(toDate),
                  .text(toDate), .text(fromDate)]) { r in
            stayed = r.int(0) ?? 0; left = r.int(1) ?? 0; joined = r.int(2) ?? 0
        }
        table.notes = [
            "improved: desil rose (better off); fell-back: desil dropped. A household's desil is the lowest of its members in that snapshot.",
            "Improved \(improved), fell back \(fell), unchanged \(stayed)\(region == nil ? "" : " (unchanged and the counts below are for all regions)"); \(left) households of \(fromDate) are not in \(toDate), \(joined) of \(toDate) were not in \(fromDate).",
        ]
        return table
    }
}

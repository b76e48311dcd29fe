import PaduCore
import PaduWarehouse

extension Reports {
    /// Exclusion error: desil-1 (extreme-poor) households, by their latest registry snapshot,
    /// that received no aid at all in the period — no aid record to the household or any
    /// member, and no program flag in any registry.
    public func exclusion(period: ReportPeriod? = nil, region: ReportRegion? = nil) throws -> ReportTable {
        let aidFilter = Self.filters(period: period, region: nil, regionColumn: "")
        let regionFilter = Self.filters(period: nil, region: region, regionColumn: "h.region_code")
        let sql = """
            WITH \(Self.aidCTE),
            assisted AS (SELECT DISTINCT kk FROM aid WHERE kk IS NOT NULL AND level <> 'activity'\(aidFilter.sql))
            SELECT d.no_kk, h.head_nik, h.head_name, h.region_code, d.registry, d.snapshot_date,
                   (SELECT count(*) FROM person p WHERE p.no_kk = d.no_kk) AS members,
                   d.input_id,
                   (SELECT min(s.source_row) FROM registry_status s WHERE s.no_kk = d.no_kk AND s.input_id = d.input_id),
                   (SELECT min(s.source_sheet) FROM registry_status s WHERE s.no_kk = d.no_kk AND s.input_id = d.input_id)
            FROM household_desil d
            LEFT JOIN household h ON h.no_kk = d.no_kk
            WHERE d.desil = 1 AND d.no_kk NOT IN (SELECT kk FROM assisted)\(regionFilter.sql)
            ORDER BY h.region_code, d.no_kk
            """
        let names = try sources()
        var table = ReportTable(
            name: "exclusion", title: "Exclusion error: desil-1 households that received no aid",
            parameters: Self.parameters(period: period, region: region),
            columns: [ReportColumn("no_kk", "No. KK"), ReportColumn("head_nik", "Head NIK"), ReportColumn("head_name", "Head of family"),
                      ReportColumn("members", "Members", .integer), ReportColumn("region_code", "Region code"),
                      ReportColumn("desa", "Desa/Kelurahan"), ReportColumn("kecamatan", "Kecamatan"),
                      ReportColumn("registry", "Registry"), ReportColumn("snapshot", "Snapshot", .date), ReportColumn("source", "Source")])
        try database.query(sql, aidFilter.args + regionFilter.args) { r in
            let code = r.text(3)
            let kecamatan = code.map { $0.split(separator: ".").prefix(3).joined(separator: ".") }
            table.rows.append([ReportValue(r.text(0)), ReportValue(r.text(1)), ReportValue(r.text(2)), .integer(r.int(6) ?? 0),
                               ReportValue(code), ReportValue(code.flatMap { $0.split(separator: ".").count == 4 ? regionName($0) : nil }),
                               ReportValue(regionName(kecamatan)), ReportValue(r.text(4)),
                               CivilDate(iso: r.text(5)).map { .date($0) } ?? .null,
                               .text(Self.locator(names, input: r.int(7), sheet: r.text(9), row: r.int(8)))])
        }
        table.notes = [
            "A household's desil is the lowest desil of its members in its latest registry snapshot (any registry).",
            "Aid counts whatever its provider: aid records to the household or a member (by valid NIK, No. KK or confirmed identity match) and the registries' program flags (PKH, BPNT, PBI-JKN, BLT)\(period.map { " in \($0.prefix)" } ?? "").",
            "Aid records without a usable NIK and without a confirmed match cannot be attributed: confirm matches (`padu matches list`) before acting on this list.",
        ]
        return table
    }
}

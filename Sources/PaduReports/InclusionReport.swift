import PaduCore
import PaduWarehouse

extension Reports {
    /// Inclusion error: aid records given to people absent from every registry, to households
    /// in a desil above `aboveDesil` (default 5: DTSEN's poorest half is desil 1–5), and to
    /// recipients who cannot be identified (no valid NIK, no No. KK, no confirmed match).
    public func inclusion(period: ReportPeriod? = nil, region: ReportRegion? = nil, aboveDesil: Int = 5) throws -> ReportTable {
        let f = Self.filters(period: period, region: region, regionColumn: "aid_region")
        let sql = """
            WITH \(Self.aidCTE)
            SELECT aid.nik, aid.kk, aid.name, aid.provider_kind, aid.provider, aid.program, aid.need, aid.date, aid.amount_sen,
                   aid.aid_region, d.desil, d.registry, d.snapshot_date,
                   (aid.nik IS NOT NULL AND EXISTS (SELECT 1 FROM registry_status s WHERE s.nik = aid.nik))
                   OR (aid.kk IS NOT NULL AND EXISTS (SELECT 1 FROM registry_status s WHERE s.no_kk = aid.kk)) AS in_registry,
                   aid.input_id, aid.source_row, aid.source_sheet
            FROM aid LEFT JOIN household_desil d ON d.no_kk = aid.kk
            WHERE aid.origin = 'assistance' AND aid.level <> 'activity'\(f.sql)
            ORDER BY aid.aid_region, aid.input_id, aid.source_sheet, aid.source_row
            """
        let names = try sources()
        var table = ReportTable(
            name: "inclusion", title: "Inclusion error: aid to people outside the registries or in a high desil",
            parameters: Self.parameters(period: period, region: region) + [("above_desil", String(aboveDesil))],
            columns: [ReportColumn("reason", "Reason"), ReportColumn("nik", "NIK"), ReportColumn("no_kk", "No. KK"),
                      ReportColumn("name", "Name"), ReportColumn("desil", "Desil", .integer), ReportColumn("registry", "Registry"),
                      ReportColumn("provider_kind", "Provider kind"), ReportColumn("provider", "Provider"),
                      ReportColumn("program", "Program"), ReportColumn("need", "Need"), ReportColumn("date", "Date", .date),
                      ReportColumn("amount", "Amount (Rp)", .rupiah), ReportColumn("region_code", "Region code"),
                      ReportColumn("desa", "Desa/Kelurahan"), ReportColumn("source", "Source")])
        var counts: [String: Int] = [:]
        try database.query(sql, f.args) { r in
            let nik = r.text(0), kk = r.text(1)
            let reason: String
            if nik == nil && kk == nil {
                reason = "unidentified"
            } else if r.int(13) != 1 {
                reason = "not-in-registry"
            } else if let desil = r.int(10), desil > aboveDesil {
                reason = "high-desil"
            } else {
                return
            }
            counts[reason, default: 0] += 1
            let region = r.text(9)
            table.rows.append([.text(reason), ReportValue(nik), ReportValue(kk), ReportValue(r.text(2)),
                               r.int(10).map { .integer($0) } ?? .null, ReportValue(r.text(11)), ReportValue(r.text(3)),
                               ReportValue(r.text(4)), ReportValue(r.text(5)), ReportValue(r.text(6)),
                               CivilDate(iso: r.text(7)).map { .date($0) } ?? .null, r.int(8).map { .sen($0) } ?? .null,
                               ReportValue(region), ReportValue(regionName(region)),
                               .text(Self.locator(names, input: r.int(14), sheet: r.text(16), row: r.int(15)))])
        }
        table.notes = [
            "not-in-registry: the recipient's NIK and No. KK appear in no loaded registry export.",
            "high-desil: the recipient's household is in desil \(aboveDesil + 1) or above in its latest registry snapshot.",
            "unidentified: the record has no valid NIK, no No. KK and no confirmed identity match; confirm or reject its possible matches with `padu matches`.",
            "Counts: " + ["not-in-registry", "high-desil", "unidentified"].map { "\($0) \(counts[$0] ?? 0)" }.joined(separator: ", ") + ".",
        ]
        return table
    }
}

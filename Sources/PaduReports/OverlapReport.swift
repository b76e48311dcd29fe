import PaduCore
import PaduWarehouse

extension Reports {
    /// Tumpang tindih: a household (or a person without a known household) receiving aid for
    /// the same need from more than one provider in one period (a year, or the month asked for).
    public func overlap(period: ReportPeriod? = nil, region: ReportRegion? = nil) throws -> ReportTable {
        let length = period?.isMonth == true ? 7 : 4
        let f = Self.filters(period: period, region: region, regionColumn: "home_region")
        let sql = """
            WITH \(Self.aidCTE),
            keyed AS (
                SELECT CASE WHEN kk IS NOT NULL THEN 'household' ELSE 'person' END AS recipient_kind,
                       coalesce(kk, nik) AS recipient, kk, nik, need, substr(period, 1, \(length)) AS per,
                       provider_kind, provider, program, amount_sen, home_region, name, input_id, source_row, source_sheet
                FROM aid
                WHERE level <> 'activity' AND need IS NOT NULL AND coalesce(kk, nik) IS NOT NULL AND period IS NOT NULL\(f.sql)
            ),
            groups AS (
                SELECT recipient, need, per FROM keyed GROUP BY recipient, need, per HAVING count(DISTINCT provider) > 1
            )
            SELECT k.per, k.recipient_kind, k.recipient, k.kk, k.nik, k.need, k.provider_kind, k.provider, k.program,
                   k.amount_sen, k.home_region, coalesce(h.head_name, pp.name, k.name), k.input_id, k.source_row, k.source_sheet
            FROM keyed k JOIN groups g ON g.recipient = k.recipient AND g.need = k.need AND g.per = k.per
            LEFT JOIN household h ON h.no_kk = k.kk
            LEFT JOIN person pp ON pp.nik = k.nik
            ORDER BY k.per, k.recipient, k.need, k.provider_kind, k.provider, k.program
            """
        struct Group {
            var period = "", recipient = "", kind = "", kk: String?, nik: String?, need = "", region: String?, name: String?
            var providers: [String] = []
            var providerNames: Set<String> = []
            var records = 0
            var amount: Int64?
            var sources: [String] = []
        }
        let names = try sources()
        var groups: [Group] = []
        try database.query(sql, f.args) { r in
            let (per, recipient, need) = (r.text(0) ?? "", r.text(2) ?? "", r.text(5) ?? "")
            if groups.last.map({ $0.period != per || $0.recipient != recipient || $0.need != need }) ?? true {
                groups.append(Group(period: per, recipient: recipient, kind: r.text(1) ?? "", kk: r.text(3),
                                    nik: r.text(1) == "person" ? r.text(4) : nil, need: need, region: r.text(10), name: r.text(11)))
            }
            var g = groups.removeLast()
            let provider = "\(r.text(6) ?? "") \(r.text(7) ?? "")" + (r.text(8).map { " (\($0))" } ?? "")
            if !g.providers.contains(provider) { g.providers.append(provider) }
            g.providerNames.insert(r.text(7) ?? "")
            g.records += 1
            if let sen = r.int(9) { g.amount = (g.amount ?? 0) + sen }
            let source = Self.locator(names, input: r.int(12), sheet: r.text(14), row: r.int(13))
            if !g.sources.contains(source) { g.sources.append(source) }
            groups.append(g)
        }
        var table = ReportTable(
            name: "overlap", title: "Overlap (tumpang tindih): the same need served by more than one provider in a period",
            parameters: Self.parameters(period: period, region: region),
            columns: [ReportColumn("period", "Period"), ReportColumn("recipient", "Recipient"), ReportColumn("no_kk", "No. KK"),
                      ReportColumn("nik", "NIK"), ReportColumn("name", "Name"), ReportColumn("region_code", "Region code"),
                      ReportColumn("desa", "Desa/Kelurahan"), ReportColumn("need", "Need"),
                      ReportColumn("providers", "Providers", .integer), ReportColumn("provider_list", "Providers (programs)"),
                      ReportColumn("records", "Records", .integer), ReportColumn("amount", "Amount (Rp)", .rupiah),
                      ReportColumn("sources", "Sources")])
        for g in groups {
            table.rows.append([.text(g.period), .text(g.kind), ReportValue(g.kk), ReportValue(g.nik), ReportValue(g.name),
                               ReportValue(g.region), ReportValue(regionName(g.region)), .text(g.need),
                               .integer(Int64(g.providerNames.count)), .text(g.providers.joined(separator: "; ")),
                               .integer(Int64(g.records)), g.amount.map { .sen($0) } ?? .null,
                               .text(g.sources.joined(separator: "; "))])
        }
        table.notes = [
            "A recipient is a household (No. KK, from the record or the person's registry household) or, without one, a person (NIK or a confirmed identity match).",
            "Aid includes aid records (CSR, Baznas...) and the programs the registries state (PKH, BPNT, PBI-JKN, BLT), in the period of the registry's snapshot.",
            "Periods are \(length == 4 ? "calendar years" : "months"); amounts are the sum of the records that state one.",
        ]
        return table
    }
}

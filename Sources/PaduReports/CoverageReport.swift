import PaduCore
import PaduReference
import PaduWarehouse

/// The region level a coverage report is broken down by.
public enum CoverageLevel: String, Sendable, CaseIterable {
    case desa, kecamatan, kabupaten

    /// Characters of a dotted code at this level (`18.02.01.2001` = 13).
    var codeLength: Int {
        switch self {
        case .desa: return 13
        case .kecamatan: return 8
        case .kabupaten: return 5
        }
    }
}

extension Reports {
    static let providerKinds = ["APBN", "APBD", "CSR", "ZAKAT"]

    /// Coverage per desa, kecamatan or kabupaten: desil-1 households registered and assisted,
    /// the share assisted, aid by provider kind, and the BPS indicators of the region (or its
    /// nearest enclosing region) where a BPS ↔ Kemendagri crosswalk has been loaded.
    public func coverage(level: CoverageLevel = .desa, period: ReportPeriod? = nil, region: ReportRegion? = nil,
                         crosswalkVersion: String? = nil) throws -> ReportTable {
        let n = level.codeLength
        let aidFilter = Self.filters(period: period, region: nil, regionColumn: "")
        let regionHousehold = Self.filters(period: nil, region: region, regionColumn: "h.region_code")
        struct Unit {
            var registered: Int64 = 0, assisted: Int64 = 0
            var recipients: [String: Int64] = [:], amounts: [String: Int64] = [:]
        }
        var units: [String: Unit] = [:]
        try database.query("""
            WITH \(Self.aidCTE),
            assisted AS (SELECT DISTINCT kk FROM aid WHERE kk IS NOT NULL AND level <> 'activity'\(aidFilter.sql))
            SELECT substr(h.region_code, 1, \(n)) AS unit, count(*), sum(d.no_kk IN (SELECT kk FROM assisted))
            FROM household_desil d JOIN household h ON h.no_kk = d.no_kk
            WHERE d.desil = 1 AND length(h.region_code) >= \(n)\(regionHousehold.sql)
            GROUP BY unit
            """, aidFilter.args + regionHousehold.args) { r in
            guard let unit = r.text(0) else { return }
            units[unit, default: Unit()].registered = r.int(1) ?? 0
            units[unit, default: Unit()].assisted = r.int(2) ?? 0
        }
        let aidRegion = Self.filters(period: period, region: region, regionColumn: "aid_region")
        try database.query("""
            WITH \(Self.aidCTE)
            SELECT substr(aid_region, 1, \(n)) AS unit, provider_kind,
                   count(DISTINCT coalesce(kk, nik, origin || ':' || origin_id)), sum(amount_sen)
            FROM aid WHERE length(aid_region) >= \(n)\(aidRegion.sql)
            GROUP BY unit, provider_kind
            """, aidRegion.args) { r in
            guard let unit = r.text(0), let kind = r.text(1) else { return }
            units[unit, default: Unit()].recipients[kind] = r.int(2) ?? 0
            if let sen = r.int(3) { units[unit, default: Unit()].amounts[kind] = sen }
        }
        let indicators = try bpsIndicators(version: crosswalkVersion)

        var columns = [ReportColumn("region_code", "Region code"), ReportColumn("region", level.rawValue.capitalized),
                       ReportColumn("parent", "In"), ReportColumn("registered_desil1", "Desil-1 households", .integer),
                       ReportColumn("assisted_desil1", "Of them assisted", .integer), ReportColumn("share_assisted", "Share assisted (%)", .percent)]
        for kind in Self.providerKinds {
            columns.append(ReportColumn("\(kind.lowercased())_recipients", "\(kind) recipients", .integer))
            columns.append(ReportColumn("\(kind.lowercased())_amount", "\(kind) amount (Rp)", .rupiah))
        }
        columns += [ReportColumn("bps_code", "BPS code"), ReportColumn("bps_indicators", "BPS indicators")]
        var table = ReportTable(name: "coverage", title: "Coverage per \(level.rawValue): desil-1 households assisted, aid by provider kind, BPS indicators",
                                parameters: Self.parameters(period: period, region: region) + [("level", level.rawValue)]
                                    + (indicators.version.map { [("crosswalk", $0)] } ?? []),
                                columns: columns)
        for code in units.keys.sorted() {
            let u = units[code]!
            let parentCode = code.split(separator: ".").dropLast().joined(separator: ".")
            var row: [ReportValue] = [.text(code), ReportValue(regionName(code)), ReportValue(regionName(parentCode)),
                                      .integer(u.registered), .integer(u.assisted),
                                      u.registered > 0 ? .fraction(u.assisted, u.registered) : .null]
            for kind in Self.providerKinds {
                row.append(.integer(u.recipients[kind] ?? 0))
                row.append(u.amounts[kind].map { .sen($0) } ?? .null)
            }
            let bps = indicators.forRegion(code)
            row += [ReportValue(bps?.code), ReportValue(bps?.text)]
            table.rows.append(row)
        }
        table.notes = [
            "Desil-1 households: by their latest registry snapshot, placed by the household's region code; assisted: any aid to the household or a member\(period.map { " in \($0.prefix)" } ?? "") (aid records or registry program flags).",
            "Recipients per provider kind count households (or persons without a known household, or activity records) by where the aid went.",
            indicators.version == nil
                ? "No BPS ↔ Kemendagri crosswalk is loaded: BPS indicators are not shown (BPS codes are never joined to Kemendagri codes directly; load one with the region-crosswalk source)."
                : "BPS indicators come through crosswalk version \(indicators.version!): the latest period of each variable, for the region or its nearest enclosing region in the crosswalk.",
        ]
        return table
    }

    /// BPS indicators by Kemendagri code, through one crosswalk version (the newest loaded by default).
    struct CrosswalkIndicators {
        let version: String?
        let byKemendagri: [String: (code: String, text: String)]

        /// The indicators of `code` or of its nearest enclosing region.
        func forRegion(_ code: String) -> (code: String, text: String)? {
            var parts = code.split(separator: ".").map(String.init)
            while !parts.isEmpty {
                if let hit = byKemendagri[parts.joined(separator: ".")] { return hit }
                parts.removeLast()
            }
            return nil
        }
    }

    func bpsIndicators(version: String?) throws -> CrosswalkIndicators {
        var chosen = version
        if chosen == nil, case .text(let v)? = try database.scalar("""
            SELECT c.version FROM region_crosswalk c JOIN inputs i ON i.id = c.input_id AND i.status = 'loaded'
            ORDER BY c.input_id DESC LIMIT 1
            """) {
            chosen = v
        }
        guard let chosen else { return CrosswalkIndicators(version: nil, byKemendagri: [:]) }
        if version != nil, try database.scalar("SELECT 1 FROM region_crosswalk WHERE version = ? LIMIT 1", [.text(chosen)]) == nil {
            throw ReportError("no crosswalk version '\(chosen)' is loaded; see `SELECT DISTINCT version FROM region_crosswalk`")
        }
        var map: [String: (code: String, text: String)] = [:]
        var latest: [String: [String: (period: String, label: String, value: String, unit: String?)]] = [:]
        try database.query("""
            SELECT c.kemendagri_code, c.bps_code, x.variable_code, coalesce(x.variable_label, x.variable_code), x.period, x.value, x.unit
            FROM region_crosswalk c
            JOIN indicator x ON x.region_code_bps = c.bps_code AND x.breakdown IS NULL
            JOIN inputs i ON i.id = x.input_id AND i.status = 'loaded'
            WHERE c.version = ?
            ORDER BY c.kemendagri_code, x.variable_code, x.period
            """, [.text(chosen)]) { r in
            guard let k = r.text(0), let b = r.text(1), let v = r.text(2), let period = r.text(4), let value = r.text(5) else { return }
            map[k] = (b, "")
            if let old = latest[k]?[v], old.period >= period { return }
            latest[k, default: [:]][v] = (period, r.text(3) ?? v, value, r.text(6))
        }
        for (k, vars) in latest {
            let text = vars.keys.sorted().map { key -> String in
                let x = vars[key]!
                return "\(x.label) (\(x.period)): \(x.value)" + (x.unit.map { " \($0)" } ?? "")
            }.joined(separator: "; ")
            map[k] = (map[k]!.code, text)
        }
        return CrosswalkIndicators(version: chosen, byKemendagri: map)
    }
}

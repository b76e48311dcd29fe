import PaduCore
import PaduReference
import PaduWarehouse

/// The questions the offices ask of the consolidated warehouse, as tables: overlap, exclusion,
/// inclusion error, coverage, graduation, and everything known of one person. Each runs on
/// the warehouse's views (`aid_received`, `household_desil`), documented in
/// `docs/warehouse-schema.md`, so an officer can reproduce any figure in SQL.
public struct Reports {
    let database: SQLiteDatabase
    /// Region names for the reports; the lineage queries need none (nil keeps them fast).
    let catalog: RegionCatalog?

    public init(warehouse: Warehouse, catalog: RegionCatalog?) {
        self.database = warehouse.database
        self.catalog = catalog
    }

    /// Each aid received with its recipient's household and regions: the warehouse view
    /// `aid_by_recipient`, under the name the report queries use.
    static let aidCTE = "aid AS (SELECT * FROM aid_by_recipient)"

    /// Filters as SQL: `period` on the `period` column, `region` on `regionColumn`.
    static func filters(period: ReportPeriod?, region: ReportRegion?, periodColumn: String = "period",
                        regionColumn: String) -> (sql: String, args: [SQLValue]) {
        var sql = ""
        var args: [SQLValue] = []
        if let period {
            sql += " AND \(periodColumn) LIKE ?"
            args.append(.text(period.prefix + "%"))
        }
        if let region {
            let c = region.condition(regionColumn)
            sql += " AND " + c.sql
            args += c.args
        }
        return (sql, args)
    }

    static func parameters(period: ReportPeriod?, region: ReportRegion?) -> [(String, String)] {
        var p: [(String, String)] = []
        if let period { p.append(("period", period.prefix)) }
        if let region { p.append(("region", "\(region.entry.code) \(region.entry.name)")) }
        return p
    }

    /// The region's name from the bundled list, or nil.
    func regionName(_ code: String?) -> String? {
        code.flatMap { catalog?.entry(code: $0)?.name }
    }

    /// `file.xlsx:Sheet1:12` for an input and row (the file's name, not its folder).
    func sources() throws -> [Int64: String] {
        var names: [Int64: String] = [:]
        try database.query("SELECT id, path FROM inputs") { row in
            if let id = row.int(0), let path = row.text(1) { names[id] = path.split(separator: "/").last.map(String.init) ?? path }
        }
        return names
    }

    static func locator(_ names: [Int64: String], input: Int64?, sheet: String?, row: Int64?) -> String {
        guard let input else { return "" }
        return [names[input] ?? "input \(input)", sheet, row.map(String.init)].compactMap { $0 }.joined(separator: ":")
    }
}

extension CivilDate {
    /// `yyyy-mm-dd` → a date, or nil.
    init?(iso: String?) {
        guard let iso else { return nil }
        let parts = iso.prefix(10).split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        self.init(year: parts[0], month: parts[1], day: parts[2])
    }
}

import PaduCore

/// One statistical observation (BPS), as published.
public struct IndicatorRecord: Sendable {
    public var source: String
    public var variableCode: String
    public var variableLabel: String?
    public var unit: String?
    public var breakdown: String?
    /// The publisher's region code (a BPS code is never a Kemendagri code).
    public var regionCode: String
    public var regionLabel: String?
    public var period: String
    /// Exact decimal text.
    public var value: String
    /// Where in the file it came from, when the format has a key (a WebAPI datacontent key).
    public var sourceKey: String?

    public init(source: String, variableCode: String, regionCode: String, period: String, value: String) {
        self.source = source
        self.variableCode = variableCode
        self.regionCode = regionCode
        self.period = period
        self.value = value
    }
}

/// The outcome of writing one observation.
public enum IndicatorWriteOutcome: Sendable, Equatable {
    case loaded
    /// The same variable, breakdown, region and period already came from this input.
    case duplicate
}

/// Writes `indicator` rows with their lineage. Use inside the input's transaction.
public final class IndicatorWriter {
    private let database: SQLiteDatabase
    private let runID: Int64

    public init(warehouse: Warehouse, runID: Int64) {
        self.database = warehouse.database
        self.runID = runID
    }

    public func write(_ r: IndicatorRecord, input: InputRef, row: Int, sheet: String?) throws -> IndicatorWriteOutcome {
        let changed = try database.run("""
            INSERT OR IGNORE INTO indicator(source, variable_code, variable_label, unit, breakdown, region_code_bps, region_label,
                                            period, value, input_id, run_id, source_row, source_sheet, source_key)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(r.source), .text(r.variableCode), SQLValue(r.variableLabel), SQLValue(r.unit), SQLValue(r.breakdown),
                  .text(r.regionCode), SQLValue(r.regionLabel), .text(r.period), .text(r.value),
                  .int(input.id), .int(runID), .int(Int64(row)), SQLValue(sheet), SQLValue(r.sourceKey)])
        return changed == 0 ? .duplicate : .loaded
    }
}

import PaduCore

/// One BPS ↔ Kemendagri code pair of a versioned crosswalk.
public struct CrosswalkRecord: Sendable {
    public var version: String
    public var bpsCode: String
    /// Dotted Kemendagri code.
    public var kemendagriCode: String
    public var name: String?

    public init(version: String, bpsCode: String, kemendagriCode: String, name: String? = nil) {
        self.version = version
        self.bpsCode = bpsCode
        self.kemendagriCode = kemendagriCode
        self.name = name
    }
}

/// Writes `region_crosswalk` rows. Use inside the input's transaction.
public final class CrosswalkWriter {
    private let database: SQLiteDatabase
    private let runID: Int64

    public init(warehouse: Warehouse, runID: Int64) {
        self.database = warehouse.database
        self.runID = runID
    }

    /// Returns false when the same pair already appears in this input (a duplicate row).
    public func write(_ r: CrosswalkRecord, input: InputRef, row: Int, sheet: String?) throws -> Bool {
        try database.run("""
            INSERT OR IGNORE INTO region_crosswalk(version, bps_code, kemendagri_code, name, input_id, run_id, source_row, source_sheet)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(r.version), .text(r.bpsCode), .text(r.kemendagriCode), SQLValue(r.name), .int(input.id), .int(runID),
                  .int(Int64(row)), SQLValue(sheet)])
        return database.changes > 0
    }
}

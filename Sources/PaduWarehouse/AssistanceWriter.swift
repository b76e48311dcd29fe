import PaduCore

/// One aid record: to a person, a household, or an activity in a desa.
public struct AssistanceRecord: Sendable {
    public var providerKind: String
    public var provider: String
    public var level: String
    public var program: String?
    public var aidKind: String?
    public var asnaf: String?
    public var nik: String?
    public var noKK: String?
    public var name: String?
    public var sex: String?
    public var activity: String?
    public var volume: ExactDecimal?
    public var unit: String?
    /// Rupiah, exact.
    public var amount: ExactDecimal?
    public var date: CivilDate?
    public var address: String?
    public var desa: String?
    public var kecamatan: String?
    public var kabupaten: String?
    public var note: String?

    public init(providerKind: String, provider: String, level: String) {
        self.providerKind = providerKind
        self.provider = provider
        self.level = level
    }
}

/// Writes `assistance` rows with their lineage. Use inside the input's transaction.
public final class AssistanceWriter {
    private let database: SQLiteDatabase
    private let runID: Int64

    public init(warehouse: Warehouse, runID: Int64) {
        self.database = warehouse.database
        self.runID = runID
    }

    public func write(_ r: AssistanceRecord, input: InputRef, row: Int, sheet: String?) throws {
        // Sen (1/100 rupiah) as an integer, for exact sums in SQL; nil when the amount has finer digits.
        let sen = r.amount?.rescaled(to: 2)?.units
        try database.run("""
            INSERT INTO assistance(provider_kind, provider, program, aid_kind, asnaf, level, nik, no_kk, name, sex, activity,
                                   volume, unit, amount, amount_sen, date, address, desa, kecamatan, kabupaten, note,
                                   input_id, run_id, source_row, source_sheet)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(r.providerKind), .text(r.provider), SQLValue(r.program), SQLValue(r.aidKind), SQLValue(r.asnaf),
                  .text(r.level), SQLValue(r.nik), SQLValue(r.noKK), SQLValue(r.name), SQLValue(r.sex), SQLValue(r.activity),
                  SQLValue(r.volume?.description), SQLValue(r.unit), SQLValue(r.amount?.description), SQLValue(sen),
                  SQLValue(r.date?.iso), SQLValue(r.address), SQLValue(r.desa), SQLValue(r.kecamatan), SQLValue(r.kabupaten),
                  SQLValue(r.note), .int(input.id), .int(runID), .int(Int64(row)), SQLValue(sheet)])
    }
}

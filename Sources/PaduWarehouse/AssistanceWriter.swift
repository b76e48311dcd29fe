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
    /// Program catalog code and need category (from `map-program`).
    public var programCode: String?
    public var need: String?
    /// `yyyy-mm` the aid is for; defaults to the month of `date`.
    public var period: String?
    /// Kemendagri code of where the aid went (from `resolve-region`), dotted.
    public var regionCode: String?
    /// The recipient's identity: a valid NIK given in the row (from `match-identity`).
    public var personNIK: String?
    /// Fingerprint of the record for identity matches (stable across reloads of the same row).
    public var matchKey: String?
    public var nameRaw: String?
    public var nameKey: String?
    public var birthDate: CivilDate?
    public var nikStatus: String?
    public var nikNotes: String?
    public var regionStatus: String?
    public var regionNotes: String?

    public init(providerKind: String, provider: String, level: String) {
        self.providerKind = providerKind
        self.provider = provider
        self.level = level
    }
}

/// A program of the catalog `map-program` used (code, provider kind, provider, need).
public struct ProgramEntry: Sendable, Hashable {
    public var code: String
    public var name: String
    public var providerKind: String
    public var provider: String?
    public var need: String?
    /// Where the entry comes from: `bundled` or the catalog file's name.
    public var catalog: String

    public init(code: String, name: String, providerKind: String, provider: String?, need: String?, catalog: String) {
        self.code = code
        self.name = name
        self.providerKind = providerKind
        self.provider = provider
        self.need = need
        self.catalog = catalog
    }
}

/// Writes `assistance` rows with their lineage, the programs they name, and the identity
/// matches proposed for them. Use inside the input's transaction.
public final class AssistanceWriter {
    private let warehouse: Warehouse
    private let database: SQLiteDatabase
    private let runID: Int64
    private var programsWritten: Set<String> = []

    public init(warehouse: Warehouse, runID: Int64) {
        self.warehouse = warehouse
        self.database = warehouse.database
        self.runID = runID
    }

    /// Records a catalog program (once per input): the latest input that uses it describes it.
    public func writeProgram(_ p: ProgramEntry, input: InputRef) throws {
        guard programsWritten.insert(p.code).inserted else { return }
        try database.run("""
            INSERT INTO program(code, name, provider_kind, provider, need, catalog, input_id, run_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(code) DO UPDATE SET name = excluded.name, provider_kind = excluded.provider_kind,
                provider = excluded.provider, need = excluded.need, catalog = excluded.catalog,
                input_id = excluded.input_id, run_id = excluded.run_id, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')
            """, [.text(p.code), .text(p.name), .text(p.providerKind), SQLValue(p.provider), SQLValue(p.need), .text(p.catalog),
                  .int(input.id), .int(runID)])
    }

    /// Writes one record and the identity matches proposed for it (`candidates`, keyed by its `matchKey`).
    public func write(_ r: AssistanceRecord, input: InputRef, row: Int, sheet: String?, candidates: [IdentityCandidate] = []) throws {
        // Sen (1/100 rupiah) as an integer, for exact sums in SQL; nil when the amount has finer digits.
        let sen = r.amount?.rescaled(to: 2)?.units
        try database.run("""
            INSERT INTO assistance(provider_kind, provider, program, aid_kind, asnaf, level, nik, no_kk, name, sex, activity,
                                   volume, unit, amount, amount_sen, date, address, desa, kecamatan, kabupaten, note,
                                   program_code, need, period, region_code, person_nik, match_key, name_raw, name_key,
                                   birth_date, nik_status, nik_notes, region_status, region_notes,
                                   input_id, run_id, source_row, source_sheet)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
                    ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(r.providerKind), .text(r.provider), SQLValue(r.program), SQLValue(r.aidKind), SQLValue(r.asnaf),
                  .text(r.level), SQLValue(r.nik), SQLValue(r.noKK), SQLValue(r.name), SQLValue(r.sex), SQLValue(r.activity),
                  SQLValue(r.volume?.description), SQLValue(r.unit), SQLValue(r.amount?.description), SQLValue(sen),
                  SQLValue(r.date?.iso), SQLValue(r.address), SQLValue(r.desa), SQLValue(r.kecamatan), SQLValue(r.kabupaten),
                  SQLValue(r.note), SQLValue(r.programCode), SQLValue(r.need), SQLValue(r.period ?? r.date.map { String($0.iso.prefix(7)) }),
                  SQLValue(r.regionCode), SQLValue(r.personNIK), SQLValue(r.matchKey), SQLValue(r.nameRaw), SQLValue(r.nameKey),
                  SQLValue(r.birthDate?.iso), SQLValue(r.nikStatus), SQLValue(r.nikNotes), SQLValue(r.regionStatus),
                  SQLValue(r.regionNotes), .int(input.id), .int(runID), .int(Int64(row)), SQLValue(sheet)])
        if let key = r.matchKey, r.personNIK == nil {
            for c in candidates {
                try warehouse.recordCandidate(c, subjectTable: "assistance", subjectKey: key,
                                              lineage: [.int(input.id), .int(runID), .int(Int64(row)), SQLValue(sheet)])
            }
        }
    }
}

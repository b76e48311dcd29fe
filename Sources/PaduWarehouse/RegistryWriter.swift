import PaduCore

/// One family member from a social-registry export, ready for the consolidated tables.
public struct RegistryRecord: Sendable {
    public var registry: String
    public var registryID: String?
    public var nik: String
    public var noKK: String?
    public var name: String?
    /// `L` or `P`.
    public var sex: String?
    public var birthDate: CivilDate?
    public var birthPlace: String?
    public var relationship: String?
    public var occupation: String?
    public var address: String?
    public var rt: String?
    public var rw: String?
    /// Region names as written in the export.
    public var provinsi: String?
    public var kabupaten: String?
    public var kecamatan: String?
    public var desa: String?
    /// Kemendagri codes, dotted (`18`, `18.02`, `18.02.01`, `18.02.01.2001`) when known.
    public var regionCodes: [RegionLevel: String] = [:]
    public var desil: Int?
    public var pkh: Bool?
    public var bpnt: Bool?
    public var pbiJKN: Bool?
    public var blt: Bool?
    /// The registry's reference date (the date its data describes), when the pipeline gives one.
    public var snapshotDate: CivilDate?
    /// Enrolment status as the registry states it (`AKTIF`, `MENINGGAL`, `PINDAH`...).
    public var status: String?
    /// The name as written, when `normalize-name` changed it, and its matching key.
    public var nameRaw: String?
    public var nameKey: String?
    /// Quality marks from `validate-nik`, `validate-kk` and `resolve-region` (nil when not run).
    public var nikStatus: String?
    public var nikNotes: String?
    public var kkStatus: String?
    public var kkNotes: String?
    public var regionStatus: String?
    public var regionNotes: String?

    public init(registry: String, nik: String) {
        self.registry = registry
        self.nik = nik
    }

    /// True when the member is the head of the family (`Kepala Keluarga`).
    public var isHeadOfFamily: Bool {
        guard let r = relationship?.uppercased() else { return false }
        return r.contains("KEPALA") || r == "KK" || r == "1"
    }
}

/// The levels of a Kemendagri region code.
public enum RegionLevel: String, Sendable, CaseIterable, Comparable {
    case provinsi, kabupaten, kecamatan, desa
    public static func < (a: RegionLevel, b: RegionLevel) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// The outcome of writing one record.
public enum RegistryWriteOutcome: Sendable, Equatable {
    case loaded
    /// The same NIK already appeared in this input, at `firstRow`.
    case duplicateNIK(firstRow: Int)
}

/// Writes registry records into person, household, registry_status and region, with their
/// lineage columns and contribution links. Use inside the input's transaction.
///
/// `registry_status` keeps each member as each export states it; `person` and `household` are
/// the merge of those rows (for every field, the latest input that gives a value). `write` adds
/// the member's `registry_status` row; `finish` then merges the input's rows into `person` and
/// `household` in row order, inside SQLite (one statement each, instead of three per row), with
/// exactly the result of applying them one by one. `RegistryTables.rebuild` redoes the merge when
/// an input is removed.
public final class RegistryWriter {
    private let database: SQLiteDatabase
    private let runID: Int64
    private var regionsSeen: Set<String> = []
    private var inputID: Int64?
    /// The `registry_status` ids this input wrote: one range, as nothing else writes during the input's transaction.
    private var firstStatusID: Int64 = .max
    private var lastStatusID: Int64 = 0

    private let rowLineage: Bool

    public init(warehouse: Warehouse, runID: Int64) {
        self.database = warehouse.database
        self.runID = runID
        self.rowLineage = warehouse.recordsRowLineage
    }

    private static let insertStatus = """
        INSERT INTO registry_status(registry, registry_id, nik, no_kk, desil, pkh, bpnt, pbi_jkn, blt,
                                    name, sex, birth_date, birth_place, relationship, is_head, occupation,
                                    address, rt, rw, region_code, desa, kecamatan, kabupaten, provinsi,
                                    snapshot_date, status, name_raw, name_key, nik_status, nik_notes, kk_status, kk_notes,
                                    region_status, region_notes,
                                    input_id, run_id, source_row, source_sheet)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
                ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT(input_id, nik) DO NOTHING
        """

    /// Writes one record from row `row` (sheet `sheet`) of `input`.
    public func write(_ r: RegistryRecord, input: InputRef, row: Int, sheet: String?) throws -> RegistryWriteOutcome {
        if let inputID, inputID != input.id {
            throw SQLiteError(code: 0, message: "a registry writer serves one input; finish input \(inputID) first", sql: nil)
        }
        inputID = input.id
        let lineage: [SQLValue] = [.int(input.id), .int(runID), .int(Int64(row)), SQLValue(sheet)]
        let regionCode = r.regionCodes.max(by: { $0.key < $1.key })?.value
        // UNIQUE(input_id, nik) doubles as the duplicate check within one input.
        let changed = try database.run(Self.insertStatus,
                  [.text(r.registry), SQLValue(r.registryID), .text(r.nik), SQLValue(r.noKK), SQLValue(r.desil),
                  SQLValue(r.pkh), SQLValue(r.bpnt), SQLValue(r.pbiJKN), SQLValue(r.blt),
                  SQLValue(r.name), SQLValue(r.sex), SQLValue(r.birthDate?.iso), SQLValue(r.birthPlace), SQLValue(r.relationship),
                  SQLValue(r.isHeadOfFamily), SQLValue(r.occupation), SQLValue(r.address), SQLValue(r.rt), SQLValue(r.rw),
                  SQLValue(regionCode), SQLValue(r.desa), SQLValue(r.kecamatan), SQLValue(r.kabupaten), SQLValue(r.provinsi),
                  SQLValue(r.snapshotDate?.iso), SQLValue(r.status), SQLValue(r.nameRaw), SQLValue(r.nameKey),
                  SQLValue(r.nikStatus), SQLValue(r.nikNotes), SQLValue(r.kkStatus), SQLValue(r.kkNotes),
                  SQLValue(r.regionStatus), SQLValue(r.regionNotes)]
                + lineage)
        if changed == 0 {
            let first = try database.scalar("SELECT source_row FROM registry_status WHERE input_id = ? AND nik = ?",
                                            [.int(input.id), .text(r.nik)])
            guard case .int(let firstRow)? = first else {
                throw SQLiteError(code: 0, message: "registry_status refused row \(row) without saying why", sql: Self.insertStatus)
            }
            return .duplicateNIK(firstRow: Int(firstRow))
        }
        let id = database.lastInsertRowID
        firstStatusID = min(firstStatusID, id)
        lastStatusID = max(lastStatusID, id)
        try writeRegions(r, lineage: lineage)
        return .loaded
    }

    /// Merges the input's `registry_status` rows into `person` and `household` (in the order the
    /// rows were read) and links them as the input's contributions. Call once, after the last
    /// `write` of the input.
    public func finish() throws {
        guard let inputID else { return }
        // Scanned by rowid in read order; the range makes it a range scan with no sorting (the `+` on
        // input_id keeps SQLite from choosing the (input_id, nik) index and sorting in memory).
        let input: [SQLValue] = [.int(firstStatusID), .int(lastStatusID), .int(inputID)]
        // Every member contributes to its person; the first member of a family to its household.
        if rowLineage {
            try database.run("""
                INSERT OR IGNORE INTO contribution(table_name, row_key, input_id, run_id, source_row, source_sheet)
                SELECT 'person', nik, input_id, run_id, source_row, source_sheet
                FROM registry_status WHERE id BETWEEN ? AND ? AND +input_id = ? ORDER BY id
                """, input)
        }
        try database.run("""
            INSERT INTO person(nik, no_kk, name, sex, birth_date, birth_place, relationship, occupation, region_code,
                               name_key, nik_status, input_id, run_id, source_row, source_sheet)
            SELECT nik, no_kk, name, sex, birth_date, birth_place, relationship, occupation, region_code,
                   name_key, nik_status, input_id, run_id, source_row, source_sheet
            FROM registry_status WHERE id BETWEEN ? AND ? AND +input_id = ? ORDER BY id
            ON CONFLICT(nik) DO UPDATE SET
                no_kk = coalesce(excluded.no_kk, no_kk), name = coalesce(excluded.name, name),
                sex = coalesce(excluded.sex, sex), birth_date = coalesce(excluded.birth_date, birth_date),
                birth_place = coalesce(excluded.birth_place, birth_place),
                relationship = coalesce(excluded.relationship, relationship),
                occupation = coalesce(excluded.occupation, occupation),
                region_code = coalesce(excluded.region_code, region_code),
                name_key = coalesce(excluded.name_key, name_key), nik_status = coalesce(excluded.nik_status, nik_status),
                input_id = excluded.input_id, run_id = excluded.run_id, source_row = excluded.source_row,
                source_sheet = excluded.source_sheet, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')
            """, input)
        if rowLineage {
            try database.run("""
                INSERT OR IGNORE INTO contribution(table_name, row_key, input_id, run_id, source_row, source_sheet)
                SELECT 'household', no_kk, input_id, run_id, source_row, source_sheet
                FROM registry_status WHERE id BETWEEN ? AND ? AND +input_id = ? AND no_kk IS NOT NULL ORDER BY id
                """, input)
        }
        // Every member row refreshes the address; the head's row also names the head.
        try database.run("""
            INSERT INTO household(no_kk, head_nik, head_name, address, rt, rw, region_code, desa, kecamatan, kabupaten, provinsi,
                                  input_id, run_id, source_row, source_sheet)
            SELECT no_kk, CASE WHEN is_head = 1 THEN nik END, CASE WHEN is_head = 1 THEN name END, address, rt, rw,
                   region_code, desa, kecamatan, kabupaten, provinsi, input_id, run_id, source_row, source_sheet
            FROM registry_status WHERE id BETWEEN ? AND ? AND +input_id = ? AND no_kk IS NOT NULL ORDER BY id
            ON CONFLICT(no_kk) DO UPDATE SET
                head_nik = coalesce(excluded.head_nik, head_nik), head_name = coalesce(excluded.head_name, head_name),
                address = coalesce(excluded.address, address), rt = coalesce(excluded.rt, rt), rw = coalesce(excluded.rw, rw),
                region_code = coalesce(excluded.region_code, region_code), desa = coalesce(excluded.desa, desa),
                kecamatan = coalesce(excluded.kecamatan, kecamatan), kabupaten = coalesce(excluded.kabupaten, kabupaten),
                provinsi = coalesce(excluded.provinsi, provinsi),
                input_id = excluded.input_id, run_id = excluded.run_id, source_row = excluded.source_row,
                source_sheet = excluded.source_sheet, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')
            """, input)
        self.inputID = nil
        regionsSeen = []
        firstStatusID = .max
        lastStatusID = 0
    }

    private func writeRegions(_ r: RegistryRecord, lineage: [SQLValue]) throws {
        for (level, code) in r.regionCodes.sorted(by: { $0.key < $1.key }) where regionsSeen.insert(code).inserted {
            let name: String?
            switch level {
            case .provinsi: name = r.provinsi
            case .kabupaten: name = r.kabupaten
            case .kecamatan: name = r.kecamatan
            case .desa: name = r.desa
            }
            let parent = code.split(separator: ".").dropLast().joined(separator: ".")
            try database.run("""
                INSERT INTO region(code, level, name, parent_code, input_id, run_id, source_row, source_sheet)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(code) DO UPDATE SET name = coalesce(excluded.name, name),
                    input_id = excluded.input_id, run_id = excluded.run_id, source_row = excluded.source_row,
                    source_sheet = excluded.source_sheet, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')
                """, [.text(code), .text(level.rawValue), SQLValue(name), SQLValue(parent.isEmpty ? nil : parent)] + lineage)
            guard rowLineage else { continue }
            try database.run("""
                INSERT OR IGNORE INTO contribution(table_name, row_key, input_id, run_id, source_row, source_sheet)
                VALUES ('region', ?, ?, ?, ?, ?)
                """, [.text(code)] + lineage)
        }
    }
}

/// Rebuilding consolidated registry rows after an input's contribution was removed.
enum RegistryTables {
    /// Person and household columns that are merged from `registry_status` (latest non-null wins).
    static let personFields = ["no_kk", "name", "sex", "birth_date", "birth_place", "relationship", "occupation", "region_code",
                               "name_key", "nik_status"]
    static let householdFields = ["address", "rt", "rw", "region_code", "desa", "kecamatan", "kabupaten", "provinsi"]

    /// Rebuilds the rows listed in `temp.affected` that still exist from the registry rows of the
    /// inputs still loaded, so their values and lineage never point at a removed input.
    static func rebuild(_ database: SQLiteDatabase) throws {
        func latest(_ column: String, key: String, keyColumn: String, extra: String = "") -> String {
            "(SELECT r.\(column) FROM registry_status r WHERE r.\(keyColumn) = \(key)\(extra) ORDER BY r.input_id DESC, r.id DESC LIMIT 1)"
        }
        func merged(_ field: String, key: String, keyColumn: String) -> String {
            "\(field) = " + latest(field, key: key, keyColumn: keyColumn, extra: " AND r.\(field) IS NOT NULL")
        }
        let lineage = ["input_id", "run_id", "source_row", "source_sheet"]
        let personSets = personFields.map { merged($0, key: "person.nik", keyColumn: "nik") }
            + lineage.map { "\($0) = " + latest($0, key: "person.nik", keyColumn: "nik") }
        try database.run("""
            UPDATE person SET \(personSets.joined(separator: ", ")), updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')
            WHERE nik IN (SELECT row_key FROM temp.affected WHERE table_name = 'person')
            """)
        let head = " AND r.is_head = 1"
        let householdSets = householdFields.map { merged($0, key: "household.no_kk", keyColumn: "no_kk") }
            + ["head_nik = " + latest("nik", key: "household.no_kk", keyColumn: "no_kk", extra: head),
               "head_name = " + latest("name", key: "household.no_kk", keyColumn: "no_kk", extra: head)]
            + lineage.map { "\($0) = " + latest($0, key: "household.no_kk", keyColumn: "no_kk") }
        try database.run("""
            UPDATE household SET \(householdSets.joined(separator: ", ")), updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')
            WHERE no_kk IN (SELECT row_key FROM temp.affected WHERE table_name = 'household')
            """)
        // Region rows carry the lineage of their latest remaining contributor.
        let regionSets = lineage.map {
            "\($0) = (SELECT c.\($0) FROM contribution c WHERE c.table_name = 'region' AND c.row_key = region.code ORDER BY c.input_id DESC LIMIT 1)"
        }
        try database.run("""
            UPDATE region SET \(regionSets.joined(separator: ", ")), updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')
            WHERE code IN (SELECT row_key FROM temp.affected WHERE table_name = 'region')
            """)
    }
}

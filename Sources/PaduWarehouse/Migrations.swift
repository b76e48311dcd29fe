/// One step of the warehouse schema. Applied in order, each in its own transaction, and
/// recorded in `schema_migrations`. Never edit a migration that has shipped: add one.
public struct Migration: Sendable {
    public let version: Int
    public let name: String
    public let sql: String
}

/// The schema's history. The schema itself is documented in `docs/warehouse-schema.md`.
public enum WarehouseSchema {
    public static let migrations: [Migration] = [
        Migration(version: 1, name: "runs, inputs, quarantine, registry tables", sql: """
        CREATE TABLE runs (
            id               INTEGER PRIMARY KEY,
            pipeline         TEXT    NOT NULL,
            pipeline_version TEXT    NOT NULL,
            pipeline_file    TEXT,
            trigger          TEXT    NOT NULL,
            stage_chain      TEXT    NOT NULL,
            spec_json        TEXT    NOT NULL,
            padu_version     TEXT    NOT NULL,
            host             TEXT,
            pid              INTEGER,
            status           TEXT    NOT NULL CHECK (status IN ('running','succeeded','partial','failed','interrupted')),
            started_at       TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
            finished_at      TEXT,
            rows_read        INTEGER NOT NULL DEFAULT 0,
            rows_loaded      INTEGER NOT NULL DEFAULT 0,
            rows_quarantined INTEGER NOT NULL DEFAULT 0,
            rows_skipped     INTEGER NOT NULL DEFAULT 0,
            message          TEXT
        );
        CREATE INDEX runs_pipeline ON runs(pipeline, id);

        CREATE TABLE inputs (
            id               INTEGER PRIMARY KEY,
            run_id           INTEGER NOT NULL REFERENCES runs(id),
            pipeline         TEXT    NOT NULL,
            pipeline_version TEXT    NOT NULL,
            plugin           TEXT    NOT NULL,
            path             TEXT    NOT NULL,
            sha256           TEXT,
            size_bytes       INTEGER,
            modified_at      TEXT,
            status           TEXT    NOT NULL CHECK (status IN ('loading','loaded','failed','skipped','replaced')),
            rows_read        INTEGER NOT NULL DEFAULT 0,
            rows_loaded      INTEGER NOT NULL DEFAULT 0,
            rows_quarantined INTEGER NOT NULL DEFAULT 0,
            rows_skipped     INTEGER NOT NULL DEFAULT 0,
            message          TEXT,
            replaced_by      INTEGER REFERENCES inputs(id),
            started_at       TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
            finished_at      TEXT
        );
        CREATE INDEX inputs_by_sha  ON inputs(pipeline, sha256, status);
        CREATE INDEX inputs_by_path ON inputs(pipeline, path, status);
        CREATE INDEX inputs_by_run  ON inputs(run_id);

        CREATE TABLE quarantine (
            id           INTEGER PRIMARY KEY,
            run_id       INTEGER NOT NULL REFERENCES runs(id),
            input_id     INTEGER NOT NULL REFERENCES inputs(id),
            stage        TEXT    NOT NULL,
            disposition  TEXT    NOT NULL CHECK (disposition IN ('quarantined','skipped')),
            sheet        TEXT,
            row_number   INTEGER NOT NULL,
            byte_offset  INTEGER,
            column_name  TEXT,
            reason_code  TEXT    NOT NULL,
            reason       TEXT    NOT NULL,
            raw_values   TEXT    NOT NULL
        );
        CREATE INDEX quarantine_by_input  ON quarantine(input_id, row_number);
        CREATE INDEX quarantine_by_reason ON quarantine(reason_code);

        CREATE TABLE region (
            code        TEXT PRIMARY KEY,
            level       TEXT NOT NULL CHECK (level IN ('provinsi','kabupaten','kecamatan','desa')),
            name        TEXT,
            parent_code TEXT,
            input_id    INTEGER NOT NULL REFERENCES inputs(id),
            run_id      INTEGER NOT NULL REFERENCES runs(id),
            source_row  INTEGER NOT NULL,
            source_sheet TEXT,
            updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
        );

        CREATE TABLE household (
            no_kk       TEXT PRIMARY KEY,
            head_nik    TEXT,
            head_name   TEXT,
            address     TEXT,
            rt          TEXT,
            rw          TEXT,
            region_code TEXT,
            desa        TEXT,
            kecamatan   TEXT,
            kabupaten   TEXT,
            provinsi    TEXT,
            input_id    INTEGER NOT NULL REFERENCES inputs(id),
            run_id      INTEGER NOT NULL REFERENCES runs(id),
            source_row  INTEGER NOT NULL,
            source_sheet TEXT,
            updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
        );
        CREATE INDEX household_by_region ON household(region_code);

        CREATE TABLE person (
            nik          TEXT PRIMARY KEY,
            no_kk        TEXT,
            name         TEXT,
            sex          TEXT CHECK (sex IN ('L','P')),
            birth_date   TEXT,
            birth_place  TEXT,
            relationship TEXT,
            occupation   TEXT,
            region_code  TEXT,
            input_id     INTEGER NOT NULL REFERENCES inputs(id),
            run_id       INTEGER NOT NULL REFERENCES runs(id),
            source_row   INTEGER NOT NULL,
            source_sheet TEXT,
            updated_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
        );
        CREATE INDEX person_by_kk ON person(no_kk);

        CREATE TABLE registry_status (
            id           INTEGER PRIMARY KEY,
            registry     TEXT    NOT NULL,
            registry_id  TEXT,
            nik          TEXT    NOT NULL,
            no_kk        TEXT,
            desil        INTEGER CHECK (desil BETWEEN 1 AND 10),
            pkh          INTEGER CHECK (pkh IN (0,1)),
            bpnt         INTEGER CHECK (bpnt IN (0,1)),
            pbi_jkn      INTEGER CHECK (pbi_jkn IN (0,1)),
            blt          INTEGER CHECK (blt IN (0,1)),
            -- The member as this registry export states it; person and household are built from these.
            name         TEXT,
            sex          TEXT CHECK (sex IN ('L','P')),
            birth_date   TEXT,
            birth_place  TEXT,
            relationship TEXT,
            is_head      INTEGER NOT NULL DEFAULT 0 CHECK (is_head IN (0,1)),
            occupation   TEXT,
            address      TEXT,
            rt           TEXT,
            rw           TEXT,
            region_code  TEXT,
            desa         TEXT,
            kecamatan    TEXT,
            kabupaten    TEXT,
            provinsi     TEXT,
            input_id     INTEGER NOT NULL REFERENCES inputs(id),
            run_id       INTEGER NOT NULL REFERENCES runs(id),
            source_row   INTEGER NOT NULL,
            source_sheet TEXT,
            UNIQUE (input_id, nik)
        );
        CREATE INDEX registry_status_by_nik ON registry_status(nik, input_id);
        CREATE INDEX registry_status_by_kk  ON registry_status(no_kk, input_id);

        CREATE TABLE contribution (
            table_name   TEXT    NOT NULL,
            row_key      TEXT    NOT NULL,
            input_id     INTEGER NOT NULL REFERENCES inputs(id),
            run_id       INTEGER NOT NULL REFERENCES runs(id),
            source_row   INTEGER NOT NULL,
            source_sheet TEXT,
            PRIMARY KEY (table_name, row_key, input_id)
        ) WITHOUT ROWID;
        CREATE INDEX contribution_by_input ON contribution(input_id);
        """),
        Migration(version: 2, name: "statistical indicators", sql: """
        CREATE TABLE indicator (
            id              INTEGER PRIMARY KEY,
            source          TEXT NOT NULL,
            variable_code   TEXT NOT NULL,
            variable_label  TEXT,
            unit            TEXT,
            breakdown       TEXT,
            region_code_bps TEXT NOT NULL,
            region_label    TEXT,
            period          TEXT NOT NULL,
            value           TEXT NOT NULL,
            input_id        INTEGER NOT NULL REFERENCES inputs(id),
            run_id          INTEGER NOT NULL REFERENCES runs(id),
            source_row      INTEGER NOT NULL,
            source_sheet    TEXT,
            source_key      TEXT
        );
        CREATE UNIQUE INDEX indicator_one_per_input
            ON indicator(input_id, source, variable_code, coalesce(breakdown, ''), region_code_bps, period);
        CREATE INDEX indicator_by_region ON indicator(region_code_bps, variable_code, period);
        """),
        Migration(version: 3, name: "aid records", sql: """
        CREATE TABLE assistance (
            id            INTEGER PRIMARY KEY,
            provider_kind TEXT NOT NULL CHECK (provider_kind IN ('APBN','APBD','CSR','ZAKAT')),
            provider      TEXT NOT NULL,
            program       TEXT,
            aid_kind      TEXT,
            asnaf         TEXT,
            level         TEXT NOT NULL CHECK (level IN ('person','household','activity')),
            nik           TEXT,
            no_kk         TEXT,
            name          TEXT,
            sex           TEXT CHECK (sex IN ('L','P')),
            activity      TEXT,
            volume        TEXT,
            unit          TEXT,
            amount        TEXT,
            amount_sen    INTEGER,
            date          TEXT,
            address       TEXT,
            desa          TEXT,
            kecamatan     TEXT,
            kabupaten     TEXT,
            note          TEXT,
            input_id      INTEGER NOT NULL REFERENCES inputs(id),
            run_id        INTEGER NOT NULL REFERENCES runs(id),
            source_row    INTEGER NOT NULL,
            source_sheet  TEXT
        );
        CREATE INDEX assistance_by_nik   ON assistance(nik);
        CREATE INDEX assistance_by_kk    ON assistance(no_kk);
        CREATE INDEX assistance_by_input ON assistance(input_id);
        """),
    ]

    /// The newest schema version this build knows.
    public static var latestVersion: Int { migrations.last!.version }
}

/// A warehouse whose schema is newer than this build.
public struct SchemaTooNewError: Error, CustomStringConvertible {
    public let found: Int
    public let known: Int
    public var description: String {
        "the warehouse has schema version \(found), but this padu only knows up to \(known); upgrade padu"
    }
}

extension SQLiteDatabase {
    /// Applies the migrations not yet applied; returns their versions.
    @discardableResult
    func migrate(_ migrations: [Migration]) throws -> [Int] {
        try execute("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    INTEGER PRIMARY KEY,
                name       TEXT NOT NULL,
                applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
            )
            """)
        var current = 0
        if case .int(let n)? = try scalar("SELECT coalesce(max(version), 0) FROM schema_migrations") { current = Int(n) }
        let known = migrations.last?.version ?? 0
        guard current <= known else { throw SchemaTooNewError(found: current, known: known) }
        var applied: [Int] = []
        for m in migrations where m.version > current {
            try transaction {
                try execute(m.sql)
                try run("INSERT INTO schema_migrations(version, name) VALUES (?, ?)", [.int(Int64(m.version)), .text(m.name)])
            }
            applied.append(m.version)
        }
        return applied
    }
}

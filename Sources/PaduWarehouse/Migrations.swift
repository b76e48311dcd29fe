/// One step of the warehouse schema. Applied in order, each in its own transaction, and
/// recorded in `schema_migrations`. Never edit a migration that has shipped: add one.
public struct Migration: Sendable {
    public let version: Int
    public let name: String
    public let sql: String
    /// Steps SQL alone cannot express, run after `sql` in the same transaction.
    public let apply: (@Sendable (SQLiteDatabase) throws -> Void)?

    public init(version: Int, name: String, sql: String, apply: (@Sendable (SQLiteDatabase) throws -> Void)? = nil) {
        self.version = version
        self.name = name
        self.sql = sql
        self.apply = apply
    }
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
        Migration(version: 4, name: "consolidation: quality marks, programs, identity matches, crosswalk, report views", sql: """
        -- Quality marks of the validate-nik / validate-kk / resolve-region / normalize-name transforms.
        ALTER TABLE registry_status ADD COLUMN snapshot_date TEXT;
        ALTER TABLE registry_status ADD COLUMN status        TEXT;
        ALTER TABLE registry_status ADD COLUMN name_raw      TEXT;
        ALTER TABLE registry_status ADD COLUMN name_key      TEXT;
        ALTER TABLE registry_status ADD COLUMN nik_status    TEXT;
        ALTER TABLE registry_status ADD COLUMN nik_notes     TEXT;
        ALTER TABLE registry_status ADD COLUMN kk_status     TEXT;
        ALTER TABLE registry_status ADD COLUMN kk_notes      TEXT;
        ALTER TABLE registry_status ADD COLUMN region_status TEXT;
        ALTER TABLE registry_status ADD COLUMN region_notes  TEXT;
        CREATE INDEX registry_status_by_snapshot ON registry_status(registry, snapshot_date);

        ALTER TABLE person ADD COLUMN name_key   TEXT;
        ALTER TABLE person ADD COLUMN nik_status TEXT;
        CREATE INDEX person_by_name ON person(name_key, region_code);

        ALTER TABLE assistance ADD COLUMN program_code  TEXT;
        ALTER TABLE assistance ADD COLUMN need          TEXT;
        ALTER TABLE assistance ADD COLUMN period        TEXT;
        ALTER TABLE assistance ADD COLUMN region_code   TEXT;
        ALTER TABLE assistance ADD COLUMN person_nik    TEXT;
        ALTER TABLE assistance ADD COLUMN match_key     TEXT;
        ALTER TABLE assistance ADD COLUMN name_raw      TEXT;
        ALTER TABLE assistance ADD COLUMN name_key      TEXT;
        ALTER TABLE assistance ADD COLUMN birth_date    TEXT;
        ALTER TABLE assistance ADD COLUMN nik_status    TEXT;
        ALTER TABLE assistance ADD COLUMN nik_notes     TEXT;
        ALTER TABLE assistance ADD COLUMN region_status TEXT;
        ALTER TABLE assistance ADD COLUMN region_notes  TEXT;
        CREATE INDEX assistance_by_person ON assistance(person_nik);
        CREATE INDEX assistance_by_match  ON assistance(match_key);
        CREATE INDEX assistance_by_region ON assistance(region_code);

        CREATE TABLE program (
            code          TEXT PRIMARY KEY,
            name          TEXT NOT NULL,
            provider_kind TEXT NOT NULL CHECK (provider_kind IN ('APBN','APBD','CSR','ZAKAT')),
            provider      TEXT,
            need          TEXT CHECK (need IN ('food','cash','health','education','housing','livelihood','other')),
            catalog       TEXT NOT NULL,
            input_id      INTEGER REFERENCES inputs(id),
            run_id        INTEGER REFERENCES runs(id),
            updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
        );

        CREATE TABLE identity_match (
            id            INTEGER PRIMARY KEY,
            subject_table TEXT NOT NULL,
            subject_key   TEXT NOT NULL,
            candidate_nik TEXT NOT NULL,
            score         INTEGER NOT NULL CHECK (score BETWEEN 0 AND 100),
            basis         TEXT NOT NULL,
            status        TEXT NOT NULL DEFAULT 'possible' CHECK (status IN ('possible','confirmed','rejected')),
            decided_by    TEXT,
            decided_at    TEXT,
            note          TEXT,
            input_id      INTEGER NOT NULL REFERENCES inputs(id),
            run_id        INTEGER NOT NULL REFERENCES runs(id),
            source_row    INTEGER NOT NULL,
            source_sheet  TEXT,
            created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
            UNIQUE (subject_key, candidate_nik)
        );
        CREATE INDEX identity_match_by_status ON identity_match(status, subject_key);
        CREATE INDEX identity_match_by_nik    ON identity_match(candidate_nik);

        CREATE TABLE region_crosswalk (
            id              INTEGER PRIMARY KEY,
            version         TEXT NOT NULL,
            bps_code        TEXT NOT NULL,
            kemendagri_code TEXT NOT NULL,
            name            TEXT,
            input_id        INTEGER NOT NULL REFERENCES inputs(id),
            run_id          INTEGER NOT NULL REFERENCES runs(id),
            source_row      INTEGER NOT NULL,
            source_sheet    TEXT,
            UNIQUE (input_id, bps_code, kemendagri_code)
        );
        CREATE INDEX region_crosswalk_by_kemendagri ON region_crosswalk(kemendagri_code, version);

        -- Each person's current household: the person row's merged No. KK.
        CREATE VIEW household_member AS
        SELECT p.no_kk, p.nik, p.name, p.relationship,
               CASE WHEN h.head_nik = p.nik THEN 1 ELSE 0 END AS is_head,
               p.input_id, p.run_id, p.source_row, p.source_sheet
        FROM person p LEFT JOIN household h ON h.no_kk = p.no_kk
        WHERE p.no_kk IS NOT NULL;

        -- Every aid a person or household received, from aid records and from the program flags
        -- the registries state (PKH, BPNT, PBI JKN, BLT), with the recipient identified by a valid
        -- NIK or a confirmed identity match.
        CREATE VIEW aid_received AS
        SELECT 'assistance' AS origin, a.id AS origin_id,
               coalesce(a.person_nik, (SELECT m.candidate_nik FROM identity_match m
                                       WHERE m.subject_key = a.match_key AND m.status = 'confirmed' LIMIT 1)) AS nik,
               a.no_kk AS no_kk_given, a.level, a.provider_kind, a.provider, coalesce(a.program_code, a.program) AS program,
               a.need, a.amount_sen, a.date, coalesce(a.period, substr(a.date, 1, 7)) AS period,
               a.region_code, a.name, a.input_id, a.run_id, a.source_row, a.source_sheet
        FROM assistance a
        UNION ALL
        SELECT 'registry:' || f.flag, s.id, s.nik, s.no_kk, 'household', 'APBN', f.provider, f.program, f.need, NULL,
               s.snapshot_date, substr(s.snapshot_date, 1, 7), s.region_code, s.name,
               s.input_id, s.run_id, s.source_row, s.source_sheet
        FROM registry_status s
        JOIN (SELECT 'pkh' AS flag, 'PKH' AS program, 'Kemensos' AS provider, 'cash' AS need
              UNION ALL SELECT 'bpnt', 'BPNT', 'Kemensos', 'food'
              UNION ALL SELECT 'pbi_jkn', 'PBI-JKN', 'Kemenkes/BPJS Kesehatan', 'health'
              UNION ALL SELECT 'blt', 'BLT', 'Kemensos', 'cash') f
          ON (f.flag = 'pkh' AND s.pkh = 1) OR (f.flag = 'bpnt' AND s.bpnt = 1)
          OR (f.flag = 'pbi_jkn' AND s.pbi_jkn = 1) OR (f.flag = 'blt' AND s.blt = 1)
        JOIN inputs i ON i.id = s.input_id AND i.status = 'loaded';

        -- aid_received with each recipient's household (the No. KK the row gives, else the person's)
        -- and two regions: where the aid went, and where the recipient lives.
        CREATE VIEW aid_by_recipient AS
        SELECT r.origin, r.origin_id, r.nik, coalesce(r.no_kk_given, p.no_kk) AS kk, r.level, r.provider_kind,
               r.provider, r.program, r.need, r.amount_sen, r.date, r.period, r.name,
               coalesce(r.region_code, h.region_code, p.region_code) AS aid_region,
               coalesce(h.region_code, p.region_code, r.region_code) AS home_region,
               r.input_id, r.run_id, r.source_row, r.source_sheet
        FROM aid_received r
        LEFT JOIN person p ON p.nik = r.nik
        LEFT JOIN household h ON h.no_kk = coalesce(r.no_kk_given, p.no_kk);

        -- Each household's latest registry snapshot: the newest snapshot date (then the newest
        -- input) of any registry, with the household's desil there (the lowest of its members).
        CREATE VIEW household_desil AS
        WITH ranked AS (
            SELECT s.no_kk, s.registry, s.snapshot_date, s.input_id, min(s.desil) AS desil,
                   row_number() OVER (PARTITION BY s.no_kk ORDER BY s.snapshot_date DESC, s.input_id DESC) AS rn
            FROM registry_status s JOIN inputs i ON i.id = s.input_id AND i.status = 'loaded'
            WHERE s.no_kk IS NOT NULL AND s.desil IS NOT NULL
            GROUP BY s.no_kk, s.registry, s.snapshot_date, s.input_id
        )
        SELECT no_kk, registry, snapshot_date, input_id, desil FROM ranked WHERE rn = 1;

        -- padu report overlap, by calendar year: a recipient served for one need by more than one provider.
        CREATE VIEW report_overlap AS
        SELECT substr(period, 1, 4) AS year,
               CASE WHEN kk IS NOT NULL THEN 'household' ELSE 'person' END AS recipient_kind,
               coalesce(kk, nik) AS recipient, need,
               count(DISTINCT provider) AS providers, group_concat(DISTINCT provider_kind || ' ' || provider) AS provider_list,
               count(*) AS records, sum(amount_sen) AS amount_sen, max(home_region) AS region_code
        FROM aid_by_recipient
        WHERE level <> 'activity' AND need IS NOT NULL AND coalesce(kk, nik) IS NOT NULL AND period IS NOT NULL
        GROUP BY year, recipient, need
        HAVING count(DISTINCT provider) > 1;

        -- padu report exclusion, over all periods: desil-1 households that received no aid at all.
        CREATE VIEW report_exclusion AS
        SELECT d.no_kk, h.head_nik, h.head_name, h.region_code, d.registry, d.snapshot_date, d.input_id
        FROM household_desil d LEFT JOIN household h ON h.no_kk = d.no_kk
        WHERE d.desil = 1
          AND d.no_kk NOT IN (SELECT kk FROM aid_by_recipient WHERE kk IS NOT NULL AND level <> 'activity');

        -- padu report inclusion, with its threshold of 5: aid records outside the registries, in a
        -- high desil, or to no identifiable recipient.
        CREATE VIEW report_inclusion AS
        SELECT CASE WHEN a.nik IS NULL AND a.kk IS NULL THEN 'unidentified'
                    WHEN NOT ((a.nik IS NOT NULL AND EXISTS (SELECT 1 FROM registry_status s WHERE s.nik = a.nik))
                           OR (a.kk IS NOT NULL AND EXISTS (SELECT 1 FROM registry_status s WHERE s.no_kk = a.kk))) THEN 'not-in-registry'
                    ELSE 'high-desil' END AS reason,
               a.origin_id AS assistance_id, a.nik, a.kk AS no_kk, a.name, d.desil, d.registry, a.provider_kind, a.provider,
               a.program, a.need, a.date, a.amount_sen, a.aid_region AS region_code, a.input_id, a.source_row, a.source_sheet
        FROM aid_by_recipient a LEFT JOIN household_desil d ON d.no_kk = a.kk
        WHERE a.origin = 'assistance' AND a.level <> 'activity'
          AND ((a.nik IS NULL AND a.kk IS NULL)
               OR NOT ((a.nik IS NOT NULL AND EXISTS (SELECT 1 FROM registry_status s WHERE s.nik = a.nik))
                    OR (a.kk IS NOT NULL AND EXISTS (SELECT 1 FROM registry_status s WHERE s.no_kk = a.kk)))
               OR d.desil > 5);
        """),
        Migration(version: 5, name: "lineage: corrections, row history, retraction events", sql: """
        -- Values a transform changed, one row per changed value (unchanged values cost nothing).
        CREATE TABLE correction (
            id           INTEGER PRIMARY KEY,
            input_id     INTEGER NOT NULL REFERENCES inputs(id),
            run_id       INTEGER NOT NULL REFERENCES runs(id),
            source_row   INTEGER NOT NULL,
            source_sheet TEXT,
            field        TEXT NOT NULL,
            raw_value    TEXT,
            new_value    TEXT,
            rule         TEXT NOT NULL,
            detail       TEXT
        );
        CREATE INDEX correction_by_row ON correction(input_id, source_row, field);

        -- Who is writing now (set at the start of each input's transaction, and by retraction), so
        -- the history triggers can say which run and input replaced a value.
        CREATE TABLE lineage_context (
            id       INTEGER PRIMARY KEY CHECK (id = 1),
            input_id INTEGER,
            run_id   INTEGER,
            action   TEXT
        );
        INSERT INTO lineage_context(id, action) VALUES (1, 'none');

        -- Earlier versions of consolidated rows.
        CREATE TABLE row_history (
            id               INTEGER PRIMARY KEY,
            table_name       TEXT NOT NULL,
            row_key          TEXT NOT NULL,
            change           TEXT NOT NULL CHECK (change IN ('update','delete')),
            old_values       TEXT NOT NULL,
            old_input_id     INTEGER,
            old_run_id       INTEGER,
            old_source_row   INTEGER,
            old_source_sheet TEXT,
            old_updated_at   TEXT,
            changed_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
            by_input_id      INTEGER,
            by_run_id        INTEGER,
            by_action        TEXT
        );
        CREATE INDEX row_history_by_row ON row_history(table_name, row_key, id);

        CREATE TRIGGER person_history_update AFTER UPDATE ON person
        WHEN OLD.no_kk IS NOT NEW.no_kk OR OLD.name IS NOT NEW.name OR OLD.sex IS NOT NEW.sex OR OLD.birth_date IS NOT NEW.birth_date OR OLD.birth_place IS NOT NEW.birth_place OR OLD.relationship IS NOT NEW.relationship OR OLD.occupation IS NOT NEW.occupation OR OLD.region_code IS NOT NEW.region_code OR OLD.name_key IS NOT NEW.name_key OR OLD.nik_status IS NOT NEW.nik_status
        BEGIN
            INSERT INTO row_history(table_name, row_key, change, old_values, old_input_id, old_run_id, old_source_row,
                                    old_source_sheet, old_updated_at, by_input_id, by_run_id, by_action)
            SELECT 'person', OLD.nik, 'update', json_object('no_kk', OLD.no_kk, 'name', OLD.name, 'sex', OLD.sex, 'birth_date', OLD.birth_date, 'birth_place', OLD.birth_place, 'relationship', OLD.relationship, 'occupation', OLD.occupation, 'region_code', OLD.region_code, 'name_key', OLD.name_key, 'nik_status', OLD.nik_status), OLD.input_id, OLD.run_id, OLD.source_row,
                   OLD.source_sheet, OLD.updated_at, c.input_id, c.run_id, c.action
            FROM lineage_context c WHERE c.id = 1;
        END;
        CREATE TRIGGER person_history_delete AFTER DELETE ON person
        BEGIN
            INSERT INTO row_history(table_name, row_key, change, old_values, old_input_id, old_run_id, old_source_row,
                                    old_source_sheet, old_updated_at, by_input_id, by_run_id, by_action)
            SELECT 'person', OLD.nik, 'delete', json_object('no_kk', OLD.no_kk, 'name', OLD.name, 'sex', OLD.sex, 'birth_date', OLD.birth_date, 'birth_place', OLD.birth_place, 'relationship', OLD.relationship, 'occupation', OLD.occupation, 'region_code', OLD.region_code, 'name_key', OLD.name_key, 'nik_status', OLD.nik_status), OLD.input_id, OLD.run_id, OLD.source_row,
                   OLD.source_sheet, OLD.updated_at, c.input_id, c.run_id, c.action
            FROM lineage_context c WHERE c.id = 1;
        END;
        CREATE TRIGGER household_history_update AFTER UPDATE ON household
        WHEN OLD.head_nik IS NOT NEW.head_nik OR OLD.head_name IS NOT NEW.head_name OR OLD.address IS NOT NEW.address OR OLD.rt IS NOT NEW.rt OR OLD.rw IS NOT NEW.rw OR OLD.region_code IS NOT NEW.region_code OR OLD.desa IS NOT NEW.desa OR OLD.kecamatan IS NOT NEW.kecamatan OR OLD.kabupaten IS NOT NEW.kabupaten OR OLD.provinsi IS NOT NEW.provinsi
        BEGIN
            INSERT INTO row_history(table_name, row_key, change, old_values, old_input_id, old_run_id, old_source_row,
                                    old_source_sheet, old_updated_at, by_input_id, by_run_id, by_action)
            SELECT 'household', OLD.no_kk, 'update', json_object('head_nik', OLD.head_nik, 'head_name', OLD.head_name, 'address', OLD.address, 'rt', OLD.rt, 'rw', OLD.rw, 'region_code', OLD.region_code, 'desa', OLD.desa, 'kecamatan', OLD.kecamatan, 'kabupaten', OLD.kabupaten, 'provinsi', OLD.provinsi), OLD.input_id, OLD.run_id, OLD.source_row,
                   OLD.source_sheet, OLD.updated_at, c.input_id, c.run_id, c.action
            FROM lineage_context c WHERE c.id = 1;
        END;
        CREATE TRIGGER household_history_delete AFTER DELETE ON household
        BEGIN
            INSERT INTO row_history(table_name, row_key, change, old_values, old_input_id, old_run_id, old_source_row,
                                    old_source_sheet, old_updated_at, by_input_id, by_run_id, by_action)
            SELECT 'household', OLD.no_kk, 'delete', json_object('head_nik', OLD.head_nik, 'head_name', OLD.head_name, 'address', OLD.address, 'rt', OLD.rt, 'rw', OLD.rw, 'region_code', OLD.region_code, 'desa', OLD.desa, 'kecamatan', OLD.kecamatan, 'kabupaten', OLD.kabupaten, 'provinsi', OLD.provinsi), OLD.input_id, OLD.run_id, OLD.source_row,
                   OLD.source_sheet, OLD.updated_at, c.input_id, c.run_id, c.action
            FROM lineage_context c WHERE c.id = 1;
        END;

        -- The OpenLineage run id of each run, so a run found interrupted can be reported as ABORT.
        ALTER TABLE runs ADD COLUMN lineage_run_id TEXT;

        -- Which file column each field of an input was read from (with a row: the cell).
        CREATE TABLE input_column (
            input_id     INTEGER NOT NULL REFERENCES inputs(id),
            sheet        TEXT NOT NULL DEFAULT '',
            field        TEXT NOT NULL,
            header       TEXT,
            column_index INTEGER NOT NULL,
            PRIMARY KEY (input_id, sheet, field)
        ) WITHOUT ROWID;

        -- Events of the lineage itself (retraction).
        CREATE TABLE lineage_event (
            id       INTEGER PRIMARY KEY,
            kind     TEXT NOT NULL,
            input_id INTEGER REFERENCES inputs(id),
            sha256   TEXT,
            path     TEXT,
            detail   TEXT,
            actor    TEXT,
            at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
        );
        CREATE INDEX contribution_by_row ON contribution(input_id, source_row);
        CREATE INDEX registry_status_by_row ON registry_status(input_id, source_row);
        CREATE INDEX assistance_by_row ON assistance(input_id, source_row);
        """, apply: { db in
            // Inputs gain the status `retracted`. Widening a CHECK constraint leaves the stored data
            // as it is, so the table's definition is edited in place (SQLite's documented way for
            // such changes) rather than the table rebuilt.
            guard case .int(let version)? = try db.scalar("PRAGMA schema_version") else { return }
            try db.execute("PRAGMA writable_schema = ON")
            try db.run("UPDATE sqlite_schema SET sql = replace(sql, ?, ?) WHERE type = 'table' AND name = 'inputs'",
                       [.text("'replaced'))"), .text("'replaced','retracted'))")])
            try db.execute("PRAGMA schema_version = \(version + 1)")
            try db.execute("PRAGMA writable_schema = OFF")
        }),
        Migration(version: 6, name: "re-injection: corrected quarantined rows linked to their originals", sql: """
        -- A row of a corrected export (`padu quarantine reinject`) that loaded, and the quarantined row it
        -- replaces. The quarantined row is kept; the link marks it resolved while the new input is loaded.
        CREATE TABLE reinjection (
            id                INTEGER PRIMARY KEY,
            new_input_id      INTEGER NOT NULL REFERENCES inputs(id),
            new_row           INTEGER NOT NULL,
            new_sheet         TEXT,
            quarantine_id     INTEGER NOT NULL REFERENCES quarantine(id),
            original_input_id INTEGER NOT NULL REFERENCES inputs(id),
            original_row      INTEGER NOT NULL,
            original_sheet    TEXT,
            linked_at         TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
        );
        CREATE INDEX reinjection_by_new_row ON reinjection(new_input_id, new_row);
        CREATE INDEX reinjection_by_quarantine ON reinjection(quarantine_id);
        """),
        Migration(version: 7, name: "data-quality expectation results", sql: """
        CREATE TABLE expectation_result (
            id        INTEGER PRIMARY KEY,
            run_id    INTEGER NOT NULL REFERENCES runs(id),
            input_id  INTEGER NOT NULL REFERENCES inputs(id),
            name      TEXT NOT NULL,
            severity  TEXT NOT NULL CHECK (severity IN ('warn','error')),
            passed    INTEGER NOT NULL CHECK (passed IN (0,1)),
            observed  TEXT NOT NULL,
            expected  TEXT NOT NULL,
            field     TEXT
        );
        CREATE INDEX expectation_result_by_run ON expectation_result(run_id, input_id);
        """),
        Migration(version: 8, name: "per-stage timings", sql: """
        -- Time each stage spent on each input, kept whether the input loaded or was rolled back.
        CREATE TABLE stage_timing (
            run_id    INTEGER NOT NULL REFERENCES runs(id),
            input_id  INTEGER NOT NULL REFERENCES inputs(id),
            position  INTEGER NOT NULL,
            stage     TEXT NOT NULL,
            seconds   REAL NOT NULL,
            rows_in   INTEGER NOT NULL,
            rows_out  INTEGER NOT NULL,
            PRIMARY KEY (input_id, position)
        );
        CREATE INDEX stage_timing_by_run ON stage_timing(run_id);
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
    public func migrate(_ migrations: [Migration]) throws -> [Int] {
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
                try m.apply?(self)
                try run("INSERT INTO schema_migrations(version, name) VALUES (?, ?)", [.int(Int64(m.version)), .text(m.name)])
            }
            applied.append(m.version)
        }
        return applied
    }
}

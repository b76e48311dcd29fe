// Typed factories for the plugins that ship with Padu, in the spirit of PackageDescription's
// `.target(...)`. Each one is only a convenience for `.plugin(name, options:)`: the plugin's
// name and option names here must match the plugin's own declaration (`padu plugins NAME`).

/// A social registry that exports delimited text.
public enum SocialRegistry: String, Sendable {
    /// Kemenko PMK extreme-poverty targeting data (families in desil 1–4).
    case p3ke = "P3KE"
    /// Kemensos Data Terpadu Kesejahteraan Sosial.
    case dtks = "DTKS"
    /// Data Tunggal Sosial dan Ekonomi Nasional (2025 single registry).
    case dtsen = "DTSEN"
    /// BPS Registrasi Sosial Ekonomi 2022.
    case regsosek = "REGSOSEK"
}

/// The field delimiter of a text export.
public enum Delimiter: String, Sendable {
    case auto, semicolon = ";", comma = ",", pipe = "|", tab = "\t"
}

/// The character encoding of a text export.
public enum TextEncoding: String, Sendable {
    case auto, utf8, utf16, windows1252
}

/// What a stage does with a row that fails its check. Never silent.
public enum RowPolicy: String, Sendable {
    /// Keep the row out of the warehouse, in quarantine with the reason.
    case quarantine
    /// Leave the row out and count it as skipped, with the reason.
    case skip
}

/// Which consolidated tables the warehouse sink loads.
public enum WarehouseDataset: String, Sendable {
    /// person, household, registry_status and region, from a social-registry source.
    case registry
    /// indicator: statistical observations from a bps-table source.
    case indicators
    /// assistance: aid records from csr-spreadsheet or baznas-export sources.
    case assistance
    /// region_crosswalk: BPS ↔ Kemendagri code pairs from a region-crosswalk source.
    case crosswalk
}

/// What `validate-nik` / `validate-kk` do with an identifier that fails a check. Never silent.
public enum InvalidIdentifierPolicy: String, Sendable {
    /// Keep the row out of the warehouse, in quarantine with the reason.
    case quarantine
    /// Load the row with the identifier removed (kept as written in `nik_raw`) and marked
    /// invalid, so it is never used as an identity.
    case flag
    /// Load the row with the identifier as written, marked invalid.
    case keep
}

/// How `validate-nik` treats a NIK whose sex or birth date contradicts the row's own columns.
public enum IdentifierMismatch: String, Sendable {
    /// A note on the row (status `noted`).
    case note
    /// The NIK counts as invalid.
    case invalid
}

/// What `resolve-region` does with a row whose region is ambiguous or unknown.
public enum UnresolvedRegionPolicy: String, Sendable {
    /// Load the row without codes, with the status and a note.
    case flag
    /// Keep the row out, in quarantine with the candidates.
    case quarantine
}

/// What `map-program` does with a row whose need cannot be decided.
public enum UnmappedProgramPolicy: String, Sendable {
    case flag, quarantine
}

extension Source {
    /// DTKS, P3KE, DTSEN or Regsosek exports: delimited text (`;`, `|`, `,` or tab; UTF-8 with
    /// or without BOM, UTF-16 with BOM, Windows-1252 — detected unless `encoding` says) or raw
    /// XLSX workbooks with a title block above the header. Headers are matched through Padu's alias vocabulary (`NIK`, `No KK`,
    /// `Nama`, `DESA/KELUARAHAN`...); `columns` maps a field to a header explicitly
    /// (`["nik": "NOMOR INDUK"]`).
    ///
    /// - Parameter path: a file or glob read when the run names no input, relative to the
    ///   pipeline file's folder.
    /// - Parameter snapshot: the date the export describes (`yyyy-mm-dd`); default the file's
    ///   modification date. Graduation compares snapshots.
    public static func socialRegistry(
        _ registry: SocialRegistry,
        path: String? = nil,
        delimiter: Delimiter = .auto,
        encoding: TextEncoding = .auto,
        columns: [String: String] = [:],
        snapshot: String? = nil,
        file: StaticString = #filePath, line: UInt = #line, column: UInt = #column
    ) -> Source {
        var options: [String: OptionValue] = ["registry": .string(registry.rawValue)]
        if let snapshot { options["snapshot"] = .string(snapshot) }
        if let path { options["path"] = .string(path) }
        if delimiter != .auto { options["delimiter"] = .string(delimiter.rawValue) }
        if encoding != .auto { options["encoding"] = .string(encoding.rawValue) }
        if !columns.isEmpty { options["columns"] = .stringMap(columns) }
        return .plugin("social-registry", options: options, file: file, line: line, column: column)
    }
}

extension Source {
    /// BPS statistical tables (SDMX-ML 2.1, WebAPI dynamic-table JSON, static HTML tables) as
    /// observations: region (BPS code), variable, period, value. Load them with
    /// `.warehouse(.indicators)`.
    public static func bpsTable(
        path: String? = nil, publisher: String = "BPS",
        file: StaticString = #filePath, line: UInt = #line, column: UInt = #column
    ) -> Source {
        var options: [String: OptionValue] = [:]
        if let path { options["path"] = .string(path) }
        if publisher != "BPS" { options["publisher"] = .string(publisher) }
        return .plugin("bps-table", options: options, file: file, line: line, column: column)
    }
}

extension Source {
    /// Companies' CSR aid reports: XLSX (every visible sheet, or `sheets`) or delimited text,
    /// per person or per activity; title blocks, merged cells, totals rows and Indonesian
    /// amounts and dates handled. Load them with `.warehouse(.assistance)`.
    public static func csrSpreadsheet(
        path: String? = nil, provider: String? = nil, sheets: [String] = [], columns: [String: String] = [:],
        file: StaticString = #filePath, line: UInt = #line, column: UInt = #column
    ) -> Source {
        .plugin("csr-spreadsheet", options: aidOptions(path: path, provider: provider, sheets: sheets, columns: columns),
                file: file, line: line, column: column)
    }

    /// Baznas zakat distribution exports (XLSX or `;`-text); asnaf and programs normalised.
    /// Load them with `.warehouse(.assistance)`.
    public static func baznasExport(
        path: String? = nil, provider: String? = nil, sheets: [String] = [], columns: [String: String] = [:],
        file: StaticString = #filePath, line: UInt = #line, column: UInt = #column
    ) -> Source {
        .plugin("baznas-export", options: aidOptions(path: path, provider: provider, sheets: sheets, columns: columns),
                file: file, line: line, column: column)
    }

    static func aidOptions(path: String?, provider: String?, sheets: [String], columns: [String: String]) -> [String: OptionValue] {
        var options: [String: OptionValue] = [:]
        if let path { options["path"] = .string(path) }
        if let provider { options["provider"] = .string(provider) }
        if !sheets.isEmpty { options["sheets"] = .strings(sheets) }
        if !columns.isEmpty { options["columns"] = .stringMap(columns) }
        return options
    }
}

extension Transform {
    /// Rows where any of `fields` is empty are quarantined (or skipped) with the field's name.
    public static func requireFields(
        _ fields: [String], onMissing policy: RowPolicy = .quarantine,
        file: StaticString = #filePath, line: UInt = #line, column: UInt = #column
    ) -> Transform {
        .plugin("require-fields", options: ["fields": .strings(fields), "onMissing": .string(policy.rawValue)],
                file: file, line: line, column: column)
    }
}

extension Sink {
    /// Loads the consolidated warehouse tables of `dataset`, one transaction per input.
    public static func warehouse(
        _ dataset: WarehouseDataset,
        file: StaticString = #filePath, line: UInt = #line, column: UInt = #column
    ) -> Sink {
        .plugin("warehouse", options: ["dataset": .string(dataset.rawValue)], file: file, line: line, column: column)
    }
}

extension Source {
    /// A BPS ↔ Kemendagri region-code crosswalk (CSV or XLSX with `Kode BPS` and `Kode Kemendagri`
    /// columns) as one named version. Load it with `.warehouse(.crosswalk)`.
    public static func regionCrosswalk(
        version: String, path: String? = nil,
        file: StaticString = #filePath, line: UInt = #line, column: UInt = #column
    ) -> Source {
        var options: [String: OptionValue] = ["version": .string(version)]
        if let path { options["path"] = .string(path) }
        return .plugin("region-crosswalk", options: options, file: file, line: line, column: column)
    }
}

extension Transform {
    /// Checks NIKs: 16 digits, a region prefix from the Kemendagri lists (an older code is valid
    /// with a note), a birth date that exists (day + 40 for women), serial not 0000, no
    /// placeholder, no spreadsheet damage; sex and birth date compared with the row's columns.
    public static func validateNIK(
        field: String = "nik", onInvalid: InvalidIdentifierPolicy = .quarantine, mismatch: IdentifierMismatch = .note,
        file: StaticString = #filePath, line: UInt = #line, column: UInt = #column
    ) -> Transform {
        var options: [String: OptionValue] = ["onInvalid": .string(onInvalid.rawValue), "mismatch": .string(mismatch.rawValue)]
        if field != "nik" { options["field"] = .string(field) }
        return .plugin("validate-nik", options: options, file: file, line: line, column: column)
    }

    /// Checks family-card numbers (No. KK) like NIKs, the date part being the card's issue date.
    public static func validateKK(
        field: String = "no_kk", onInvalid: InvalidIdentifierPolicy = .quarantine,
        file: StaticString = #filePath, line: UInt = #line, column: UInt = #column
    ) -> Transform {
        var options: [String: OptionValue] = ["onInvalid": .string(onInvalid.rawValue)]
        if field != "no_kk" { options["field"] = .string(field) }
        return .plugin("validate-kk", options: options, file: file, line: line, column: column)
    }

    /// Normalises person names (case, titles, punctuation, spacing); the name as written is kept
    /// in `<field>_raw` and a matching key in `<field>_key`.
    public static func normalizeName(
        _ fields: [String] = ["nama"],
        file: StaticString = #filePath, line: UInt = #line, column: UInt = #column
    ) -> Transform {
        .plugin("normalize-name", options: ["fields": .strings(fields)], file: file, line: line, column: column)
    }

    /// Resolves region names and codes to Kemendagri 2025 codes (`kode_*`, `region_code`);
    /// ambiguity is reported, never guessed. `within` limits names to a region (e.g. `"18.02"`).
    public static func resolveRegion(
        within: String? = nil, onUnresolved: UnresolvedRegionPolicy = .flag,
        file: StaticString = #filePath, line: UInt = #line, column: UInt = #column
    ) -> Transform {
        var options: [String: OptionValue] = ["onUnresolved": .string(onUnresolved.rawValue)]
        if let within { options["within"] = .string(within) }
        return .plugin("resolve-region", options: options, file: file, line: line, column: column)
    }

    /// Maps aid rows to a program catalog (code, APBN/APBD/CSR/ZAKAT, provider, need) and sets
    /// the need the aid serves. `catalog` is a file relative to the pipeline file.
    public static func mapProgram(
        catalog: String? = nil, bundled: Bool = true, onUnmapped: UnmappedProgramPolicy = .flag,
        file: StaticString = #filePath, line: UInt = #line, column: UInt = #column
    ) -> Transform {
        var options: [String: OptionValue] = ["onUnmapped": .string(onUnmapped.rawValue)]
        if let catalog { options["catalog"] = .string(catalog) }
        if !bundled { options["bundled"] = .bool(false) }
        return .plugin("map-program", options: options, file: file, line: line, column: column)
    }

    /// Links aid rows to people: exact on a valid NIK, else possible matches by normalised name,
    /// birth date and desa for a steward to confirm (`padu matches`). Never merges by itself.
    public static func matchIdentity(
        minScore: Int = 60,
        file: StaticString = #filePath, line: UInt = #line, column: UInt = #column
    ) -> Transform {
        .plugin("match-identity", options: minScore == 60 ? [:] : ["minScore": .int(minScore)], file: file, line: line, column: column)
    }
}

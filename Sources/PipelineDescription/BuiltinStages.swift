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
    public static func socialRegistry(
        _ registry: SocialRegistry,
        path: String? = nil,
        delimiter: Delimiter = .auto,
        encoding: TextEncoding = .auto,
        columns: [String: String] = [:],
        file: StaticString = #filePath, line: UInt = #line, column: UInt = #column
    ) -> Source {
        var options: [String: OptionValue] = ["registry": .string(registry.rawValue)]
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

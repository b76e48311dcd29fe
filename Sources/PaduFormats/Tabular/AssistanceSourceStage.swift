import PaduCore

/// The source stage shared by aid plugins (`csr-spreadsheet`, `baznas-export`): XLSX
/// workbooks (every visible sheet, or those named) or delimited text, shaped into aid rows.
public final class AssistanceSourceStage: SourceStage {
    public let profile: AssistanceProfile
    let path: String?
    let sheets: [String]
    let csv: CSVOptions

    /// The options every aid source accepts (plugins add their own).
    public static let commonOptions: [OptionSpec] = [
        OptionSpec("path", .string, "file or glob (or URL) read when a run names no input, relative to the pipeline file"),
        OptionSpec("sheets", .stringList, default: "every visible sheet",
                   "the sheets to read, by name or by position (\"1\" is the first tab); a named sheet without a table fails the input"),
        OptionSpec("columns", .stringMap, "field → header as written, overriding the alias vocabulary"),
        OptionSpec("delimiter", .oneOf([";", ",", "|", "\t"]), default: "detected", "text files: field delimiter"),
        OptionSpec("encoding", .oneOf(["utf8", "utf16", "windows1252"]), default: "detected", "text files: character encoding"),
    ]

    /// Column lineage of an aid source: fields from the sheet's columns; provider kind and
    /// provider from the plugin, its option or the title block; the level from what the row names.
    public static func columnLineage(_ options: PluginOptions, providerKind: String) -> [ColumnDerivation] {
        ColumnVocabulary.assistance.columnLineage(AssistanceSchema.schema, explicit: options.stringMap("columns") ?? [:], constants: [
            "provider_kind": providerKind + " (the plugin)",
            "provider": "the provider option, else the organisation named in the title block",
        ], derived: ["level": (["nik", "no_kk", "nama", "kegiatan"], "person with a name or NIK, household with only a No. KK, activity otherwise")])
    }

    /// Rejects `columns` entries naming fields aid rows do not have.
    public static func validate(_ options: PluginOptions) throws(PluginConfigurationError) {
        if let columns = options.stringMap("columns") {
            let known = ColumnVocabulary.assistance.fields
            let unknown = columns.keys.filter { !known.contains($0) }.sorted()
            if !unknown.isEmpty {
                throw PluginConfigurationError("columns maps unknown field(s) \(unknown.joined(separator: ", ")); fields are: "
                    + ColumnVocabulary.assistance.fields.sorted().joined(separator: ", "))
            }
        }
    }

    public init(options: PluginOptions, profile: AssistanceProfile) {
        var profile = profile
        profile.columns = options.stringMap("columns") ?? [:]
        self.profile = profile
        path = options.string("path")
        sheets = options.stringList("sheets") ?? []
        var csv = CSVOptions()
        csv.delimiter = options.string("delimiter").flatMap { $0.utf8.first }
        switch options.string("encoding") {
        case "utf8": csv.encoding = .utf8
        case "windows1252": csv.encoding = .windows1252
        case "utf16": csv.encoding = .utf16LE
        default: csv.encoding = nil
        }
        self.csv = csv
    }

    public func defaultInputs(context: StageContext) throws -> [String] {
        guard let path else { return [] }
        return FileGlob.expand(path, relativeTo: context.baseDirectory)
    }

    public func open(_ input: InputRef, file: InputFile, context: StageContext) throws -> any BatchReader {
        let openers = try TabularFiles.sheets(path: file.path, name: input.path, sheets: sheets, csv: csv)
        return SheetSequenceReader(sheets: openers, input: input, converter: AssistanceConverter(profile: profile))
    }
}

import PaduCore
import PaduFormats
import PaduReference

/// The `region-crosswalk` source: a table mapping BPS region codes to Kemendagri codes, loaded
/// as one version of the crosswalk (`.warehouse(.crosswalk)`). BPS and Kemendagri codes differ
/// even at kabupaten level (BPS 1805 is Kemendagri 18.02): reports join BPS indicators to
/// regions only through a crosswalk loaded this way.
public enum RegionCrosswalkSource {
    public static let schema = Schema([
        Field("version", .string, "the crosswalk's version (from the pipeline)"),
        Field("kode_bps", .string, "BPS region code, digits as published"),
        Field("kode_kemendagri", .string, "Kemendagri code, dotted"),
        Field("nama", .string, "region name, as written"),
    ])

    static let vocabulary = ColumnVocabulary([
        "kode_bps": ["Kode BPS", "kode_bps", "BPS", "Kode Wilayah BPS", "kd_bps", "id_bps"],
        "kode_kemendagri": ["Kode Kemendagri", "kode_kemendagri", "Kode Kemdagri", "kode_kemdagri", "Kode Dagri",
                            "Kode Permendagri", "Kode Wilayah Kemendagri", "kd_kemendagri"],
        "nama": ["Nama", "Nama Wilayah", "Wilayah", "Nama Kabupaten/Kota", "Kabupaten/Kota", "Nama Kecamatan"],
    ])

    public static let descriptor = PluginDescriptor(
        name: "region-crosswalk",
        kind: .source,
        version: "1.0",
        summary: "a BPS ↔ Kemendagri region-code crosswalk (CSV or XLSX: Kode BPS, Kode Kemendagri, Nama), as one named version",
        options: [
            OptionSpec("version", .string, required: true, "the crosswalk's version, e.g. \"BPS-Kemendagri 2024\"; reports name it"),
            OptionSpec("path", .string, "file or glob read when a run names no input, relative to the pipeline file"),
            OptionSpec("sheets", .stringList, default: "every visible sheet", "workbooks: the sheets to read"),
            OptionSpec("columns", .stringMap, "field (kode_bps, kode_kemendagri, nama) → header as written"),
        ],
        outputSchema: schema,
        sample: """
            source: .regionCrosswalk(version: "BPS-Kemendagri 2024", path: "reference/crosswalk-bps-kemendagri.csv"),
            sink: .warehouse(.crosswalk)
            """,
        validate: { options throws(PluginConfigurationError) in
            if options.string("version")?.trimmingWhitespace().isEmpty ?? true {
                throw PluginConfigurationError("version must name the crosswalk's version, e.g. \"BPS-Kemendagri 2024\"")
            }
            if let columns = options.stringMap("columns") {
                let unknown = columns.keys.filter { !vocabulary.fields.contains($0) }.sorted()
                if !unknown.isEmpty {
                    throw PluginConfigurationError("columns maps unknown field(s) \(unknown.joined(separator: ", ")); fields are: kode_bps, kode_kemendagri, nama")
                }
            }
        },
        columnLineage: { options in
            vocabulary.columnLineage(schema, explicit: options.stringMap("columns") ?? [:], constants: ["version": "the version option"])
        },
        make: { options in .source(RegionCrosswalkStage(options: options)) }
    )
}

final class RegionCrosswalkStage: SourceStage {
    let version: String
    let path: String?
    let sheets: [String]
    let columns: [String: String]

    init(options: PluginOptions) {
        version = options.string("version") ?? ""
        path = options.string("path")
        sheets = options.stringList("sheets") ?? []
        columns = options.stringMap("columns") ?? [:]
    }

    func defaultInputs(context: StageContext) throws -> [String] {
        guard let path else { return [] }
        return FileGlob.expand(path, relativeTo: context.baseDirectory)
    }

    func open(_ input: InputRef, file: InputFile, context: StageContext) throws -> any BatchReader {
        let catalog = try RegionCatalog.bundled()
        let openers = try TabularFiles.sheets(path: file.path, name: input.path, sheets: sheets, csv: CSVOptions())
        return SheetSequenceReader(sheets: openers, input: input,
                                   converter: CrosswalkConverter(version: version, explicitColumns: columns, catalog: catalog))
    }
}

/// One crosswalk row: both codes present, the BPS code digits only, the Kemendagri code in the list.
struct CrosswalkConverter: SheetRecordConverter {
    let version: String
    let explicitColumns: [String: String]
    let catalog: RegionCatalog

    var schema: Schema { RegionCrosswalkSource.schema }
    var vocabulary: ColumnVocabulary { RegionCrosswalkSource.vocabulary }
    var identifyingFields: Set<String> { ["kode_bps", "kode_kemendagri"] }
    var decimalFields: [String] { [] }
    var requiredFields: [String] { ["kode_bps", "kode_kemendagri"] }

    func convert(_ record: ShapedRecord, _ context: SheetRecordContext) -> Result<[Value], SheetRecordProblem> {
        let bps = (record.fields["kode_bps"] ?? "").trimmingWhitespace().replacingOccurrences(of: ".", with: "")
        let dagri = (record.fields["kode_kemendagri"] ?? "").trimmingWhitespace()
        guard !bps.isEmpty, bps.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            return .failure(SheetRecordProblem(field: "kode_bps", code: "bad-bps-code",
                message: "\(context.label("kode_bps")) '\(bps)' is not a BPS region code; expected digits such as 1805 (kabupaten) or 1805010 (kecamatan)"))
        }
        guard let entry = catalog.entry(code: dagri) else {
            return .failure(SheetRecordProblem(field: "kode_kemendagri", code: "unknown-region-code",
                message: "\(context.label("kode_kemendagri")) '\(dagri)' is not a code of the \(catalog.listName) list; expected a Kemendagri code such as 18.02"))
        }
        let name = record.fields["nama"].flatMap { $0.isEmpty ? nil : $0 }
        return .success([.string(version), .string(bps), .string(entry.code), name.map(Value.string) ?? .null])
    }
}

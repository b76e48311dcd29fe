import Foundation
import PaduCore
import PaduFormats

/// The `bps-table` source: BPS statistical tables as observations (region, variable, period, value).
public enum BPSTableSource {
    public static let schema = Schema([
        Field("source", .string, "publisher (BPS)"),
        Field("variable_code", .string, "BPS variable id"),
        Field("variable_label", .string, "variable name"),
        Field("unit", .string, "unit of the values"),
        Field("breakdown", .string, "derived-variable breakdown (turvar), if any"),
        Field("region_code", .string, "BPS region code (not a Kemendagri code)"),
        Field("region_label", .string, "region name"),
        Field("period", .string, "year, with sub-period when the table has one"),
        Field("value", .string, "the value as published, exact decimal text"),
        Field("source_key", .string, "the key of the value in the file"),
    ])

    public static let descriptor = PluginDescriptor(
        name: "bps-table",
        kind: .source,
        version: "1.0",
        summary: "BPS statistical tables: SDMX-ML 2.1 (GenericData, StructureSpecificData), WebAPI dynamic-table JSON, static HTML tables",
        options: [
            OptionSpec("path", .string, "file or glob read when a run names no input, relative to the pipeline file"),
            OptionSpec("format", .oneOf(["auto", "sdmx", "webapi-json", "html"]), default: "auto",
                       "the table's format; auto: by extension (.xml, .json, .html/.htm), else by the content"),
            OptionSpec("regionColumn", .string, "HTML tables: the header of the region column when it is not the first"),
            OptionSpec("publisher", .string, default: "BPS", "recorded as the indicator's source"),
            OptionSpec("regionDimension", .string, default: "REF_AREA", "SDMX: the dimension holding the region code"),
            OptionSpec("periodDimension", .string, default: "TIME_PERIOD", "SDMX: the dimension holding the period"),
            OptionSpec("variableDimension", .string, default: "INDICATOR", "SDMX: the dimension naming the variable"),
            OptionSpec("unitAttribute", .string, default: "UNIT_MEASURE", "SDMX: the attribute holding the unit"),
        ],
        outputSchema: schema,
        sample: """
            source: .bpsTable(path: "inbox/bps/*.json"), sink: .warehouse(.indicators)
            """,
        columnLineage: { options in
            schema.fields.map { f in
                f.name == "source"
                    ? ColumnDerivation(f.name, from: [], .constant, "the publisher option (BPS)")
                    : ColumnDerivation(f.name, from: ["the table's \(f.name.replacingOccurrences(of: "_", with: " ")) (SDMX dimension or attribute, WebAPI var/vervar/tahun/turvar, HTML table heading)"],
                                       f.name == "value" ? .direct : .parsed, f.name == "value" ? "exact decimal text as published" : nil)
            }
        },
        make: { options in .source(BPSTableStage(options: options)) }
    )
}

final class BPSTableStage: SourceStage {
    let path: String?
    let publisher: String
    let format: String
    let mapping: SDMXMapping
    let regionColumn: String?

    init(options: PluginOptions) {
        path = options.string("path")
        publisher = options.string("publisher") ?? "BPS"
        format = options.string("format") ?? "auto"
        regionColumn = options.string("regionColumn")
        mapping = SDMXMapping(region: options.string("regionDimension") ?? "REF_AREA",
                              period: options.string("periodDimension") ?? "TIME_PERIOD",
                              variable: options.string("variableDimension") ?? "INDICATOR",
                              unit: options.string("unitAttribute") ?? "UNIT_MEASURE")
    }

    /// The format: the option, else the extension of the input's name (a path or URL), else the
    /// content of the local file (`{` JSON; HTML markup; otherwise XML).
    func detectFormat(name: String, local: String) -> String {
        if format != "auto" { return format }
        let lower = name.lowercased()
        if lower.hasSuffix(".json") { return "webapi-json" }
        if lower.hasSuffix(".html") || lower.hasSuffix(".htm") { return "html" }
        if lower.hasSuffix(".xml") { return "sdmx" }
        guard let handle = FileHandle(forReadingAtPath: local) else { return "sdmx" }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 2048)) ?? Data()
        let first = head.first { ![0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) }
        if first == UInt8(ascii: "{") { return "webapi-json" }
        let text = String(decoding: head, as: UTF8.self).lowercased()
        // Excel's "web page" tables (often saved as .xls) are HTML.
        return text.contains("<html") || text.contains("<table") || text.contains("<!doctype html") ? "html" : "sdmx"
    }

    func defaultInputs(context: StageContext) throws -> [String] {
        guard let path else { return [] }
        return FileGlob.expand(path, relativeTo: context.baseDirectory)
    }

    func open(_ input: InputRef, file: InputFile, context: StageContext) throws -> any BatchReader {
        switch detectFormat(name: input.path, local: file.path) {
        case "webapi-json":
            let table = try BPSWebAPITable(path: file.path)
            // Entries are numbered in key order: observations first, then the unmatched keys.
            let unmatched = table.unmatched.enumerated().map { i, u in
                Rejection(.quarantined, locator: Locator(input: input, sheet: nil, row: table.observations.count + i + 1, column: u.key),
                          reason: RejectReason(code: "unknown-key", message: u.reason), values: [("datacontent key", u.key)])
            }
            return BPSTableReader(input: input, observations: table.observations, problems: unmatched, publisher: publisher)
        case "html":
            let table = try BPSStaticTable(path: file.path, regionColumnHeader: regionColumn)
            // Cells without a value are skipped; cells that are not numbers are quarantined.
            let problems = table.missing.map { m in
                let noValue = m.reason.contains("no value") || m.reason.contains("empty cell")
                return Rejection(noValue ? .skipped : .quarantined, locator: Locator(input: input, sheet: nil, row: m.row, column: m.column),
                                 reason: RejectReason(code: noValue ? "no-value" : "bad-value", message: m.reason), values: [])
            }
            return BPSTableReader(input: input, observations: table.observations, problems: problems, publisher: publisher)
        default:
            return SDMXTableReader(input: input, reader: try SDMXDataReader(path: file.path), publisher: publisher, mapping: mapping)
        }
    }
}

/// Which SDMX concepts carry the region, period, variable and unit.
struct SDMXMapping {
    let region, period, variable, unit: String
}

/// Streams SDMX observations as indicator rows; every other dimension becomes the breakdown.
final class SDMXTableReader: BatchReader {
    private let input: InputRef
    private let reader: SDMXDataReader
    private let publisher: String
    private let mapping: SDMXMapping
    private let batchSize = 4096

    init(input: InputRef, reader: SDMXDataReader, publisher: String, mapping: SDMXMapping) {
        self.input = input
        self.reader = reader
        self.publisher = publisher
        self.mapping = mapping
    }

    var bytesRead: Int64 { 0 }

    func next(rejections: inout Rejections) throws -> Batch? {
        var batch = Batch(schema: BPSTableSource.schema, input: input)
        var sawAny = false
        while batch.count < batchSize, let o = try reader.next() {
            sawAny = true
            var f = o.fields
            let region = f.removeValue(forKey: mapping.region)
            let period = f.removeValue(forKey: mapping.period)
            let variable = f.removeValue(forKey: mapping.variable)
            let unit = f.removeValue(forKey: mapping.unit)
            f["FREQ"] = nil
            // Observation status and notes are attributes, not a breakdown.
            for key in f.keys where key.hasPrefix("OBS_") || key.hasSuffix("_NOTE") || key == "DECIMALS" { f[key] = nil }
            let breakdown = f.isEmpty ? nil : f.keys.sorted().map { "\($0)=\(f[$0]!)" }.joined(separator: ", ")
            func v(_ s: String?) -> Value { s.map { .string($0) } ?? .null }
            batch.append([.string(publisher), v(variable), v(variable), v(unit), v(breakdown), v(region), .null, v(period),
                          v(o.value), .string("dataset \(o.dataSet), line \(o.line)")],
                         origin: RowOrigin(row: o.line))
        }
        return sawAny ? batch : nil
    }
}

/// Emits a parsed table's observations in batches, after the table's own rejections (cells
/// or keys that gave no observation).
final class BPSTableReader: BatchReader {
    private let input: InputRef
    private let observations: [BPSObservation]
    private var problems: [Rejection]
    private let publisher: String
    private var next = 0
    private let batchSize = 4096

    init(input: InputRef, observations: [BPSObservation], problems: [Rejection], publisher: String) {
        self.input = input
        self.observations = observations
        self.problems = problems
        self.publisher = publisher
    }

    var bytesRead: Int64 { 0 }

    func next(rejections: inout Rejections) throws -> Batch? {
        for p in problems { rejections.reject(p) }
        problems = []
        guard next < observations.count else { return rejections.isEmpty ? nil : Batch(schema: BPSTableSource.schema, input: input) }
        var batch = Batch(schema: BPSTableSource.schema, input: input)
        let end = min(next + batchSize, observations.count)
        batch.reserveCapacity(end - next)
        for i in next..<end {
            let o = observations[i]
            func opt(_ s: String?) -> Value { s.map { .string($0) } ?? .null }
            batch.append([.string(publisher), .string(o.variableCode), .string(o.variableLabel), opt(o.unit), opt(o.breakdown),
                          .string(o.regionCode), .string(o.regionLabel), .string(o.period), .string(o.value), .string(o.key)],
                         origin: RowOrigin(row: Self.row(of: o, ordinal: i)))
        }
        next = end
        return batch
    }

    /// The grid row of an HTML cell key (`R9C3`), else the observation's position.
    static func row(of o: BPSObservation, ordinal: Int) -> Int {
        if o.key.hasPrefix("R"), let c = o.key.firstIndex(of: "C"), let r = Int(o.key[o.key.index(after: o.key.startIndex)..<c]) { return r }
        return ordinal + 1
    }
}

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
        summary: "BPS statistical tables: WebAPI dynamic-table JSON (var/turvar/vervar/tahun/turtahun + datacontent)",
        options: [
            OptionSpec("path", .string, "file or glob read when a run names no input, relative to the pipeline file"),
            OptionSpec("format", .oneOf(["webapi-json"]), default: "webapi-json", "the table's format"),
            OptionSpec("publisher", .string, default: "BPS", "recorded as the indicator's source"),
        ],
        outputSchema: schema,
        sample: """
            source: .bpsTable(path: "inbox/bps/*.json"), sink: .warehouse(.indicators)
            """,
        make: { options in .source(BPSTableStage(options: options)) }
    )
}

final class BPSTableStage: SourceStage {
    let path: String?
    let publisher: String

    init(options: PluginOptions) {
        path = options.string("path")
        publisher = options.string("publisher") ?? "BPS"
    }

    func defaultInputs(context: StageContext) throws -> [String] {
        guard let path else { return [] }
        return FileGlob.expand(path, relativeTo: context.baseDirectory)
    }

    func open(_ input: InputRef, file: InputFile, context: StageContext) throws -> any BatchReader {
        let table = try BPSWebAPITable(path: input.path)
        return BPSTableReader(input: input, table: table, publisher: publisher)
    }
}

/// Emits a WebAPI table's observations in batches; unmatched keys are quarantined.
final class BPSTableReader: BatchReader {
    private let input: InputRef
    private let observations: [BPSObservation]
    private var unmatched: [(key: String, reason: String)]
    private let publisher: String
    private var next = 0
    private let batchSize = 4096

    init(input: InputRef, table: BPSWebAPITable, publisher: String) {
        self.input = input
        self.observations = table.observations
        self.unmatched = table.unmatched
        self.publisher = publisher
    }

    var bytesRead: Int64 { 0 }

    func next(rejections: inout Rejections) throws -> Batch? {
        // Entries are numbered in key order: observations first, then the unmatched keys.
        for (i, u) in unmatched.enumerated() {
            rejections.reject(Rejection(.quarantined,
                                        locator: Locator(input: input, sheet: nil, row: observations.count + i + 1, column: u.key),
                                        reason: RejectReason(code: "unknown-key", message: u.reason), values: [("datacontent key", u.key)]))
        }
        unmatched = []
        guard next < observations.count else { return rejections.isEmpty ? nil : Batch(schema: BPSTableSource.schema, input: input) }
        var batch = Batch(schema: BPSTableSource.schema, input: input)
        let end = min(next + batchSize, observations.count)
        batch.reserveCapacity(end - next)
        for i in next..<end {
            let o = observations[i]
            func opt(_ s: String?) -> Value { s.map { .string($0) } ?? .null }
            batch.append([.string(publisher), .string(o.variableCode), .string(o.variableLabel), opt(o.unit), opt(o.breakdown),
                          .string(o.regionCode), .string(o.regionLabel), .string(o.period), .string(o.value), .string(o.key)],
                         origin: RowOrigin(row: i + 1))
        }
        next = end
        return batch
    }
}

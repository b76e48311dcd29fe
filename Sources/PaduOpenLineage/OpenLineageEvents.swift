import Foundation
import PaduCore

/// A dataset as OpenLineage names it: a namespace (where) and a name (what).
///
/// Padu's naming: a local file is `file://<host>` + its absolute path (the path as the
/// warehouse records it); a remote input is its URL's `scheme://host[:port]` + path; a warehouse
/// table is `sqlite://<host><absolute path of warehouse.sqlite>` + the table name.
public struct LineageDataset: Sendable, Hashable {
    public let namespace: String
    public let name: String

    public init(namespace: String, name: String) {
        self.namespace = namespace
        self.name = name
    }

    /// The dataset of an input path or URL.
    public static func input(_ path: String, host: String) -> LineageDataset {
        if let url = URL(string: path), let scheme = url.scheme, scheme != "file", let h = url.host {
            return LineageDataset(namespace: "\(scheme)://\(h)" + (url.port.map { ":\($0)" } ?? ""), name: url.path.isEmpty ? "/" : url.path)
        }
        return LineageDataset(namespace: "file://\(host)", name: path)
    }

    /// A warehouse table.
    public static func table(_ table: String, warehousePath: String, host: String) -> LineageDataset {
        LineageDataset(namespace: "sqlite://\(host)\(warehousePath)", name: table)
    }
}

/// What one run read and wrote, for its OpenLineage events.
public struct LineageRun: Sendable {
    public var runUUID: UUID
    public var pipeline: String
    public var description: String?
    public var pipelineFile: String?
    public var pipelineVersion: String
    public var stageChain: [String]
    public var nominalStart: Date?
    /// Padu's own run number, once the warehouse has given one.
    public var runID: Int64?
    public var inputs: [(dataset: LineageDataset, rowsRead: Int, fields: [String])] = []
    public var outputs: [(dataset: LineageDataset, rowsWritten: Int, columns: [String])] = []
    /// Data-quality assertions checked on each input (name, success, column, severity).
    public var assertions: [LineageDataset: [(assertion: String, success: Bool, column: String?, severity: String)]] = [:]
    /// For each output dataset's columns: the input fields each comes from, and how.
    public var columnLineage: [LineageDataset: [String: [(field: String, how: ColumnTransformation, note: String?)]]] = [:]

    public init(runUUID: UUID = UUID(), pipeline: String, description: String?, pipelineFile: String?, pipelineVersion: String,
                stageChain: [String], nominalStart: Date? = nil) {
        self.runUUID = runUUID
        self.pipeline = pipeline
        self.description = description
        self.pipelineFile = pipelineFile
        self.pipelineVersion = pipelineVersion
        self.stageChain = stageChain
        self.nominalStart = nominalStart
    }
}

/// The OpenLineage event types Padu emits.
public enum LineageEventType: String, Sendable {
    case start = "START", complete = "COMPLETE", fail = "FAIL", abort = "ABORT"
}

/// Builds OpenLineage 2-0-2 RunEvents (one JSON object per line in the outbox).
public struct OpenLineageEventBuilder: Sendable {
    /// The job namespace (default `padu`); several Padu installations use their own.
    public let namespace: String
    public static let producer = "https://github.com/padu-etl/padu/tree/v\(Padu.version)"
    static let schemaURL = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent"
    /// Where Padu documents its own facet.
    static let paduFacetSchema = "https://github.com/padu-etl/padu/blob/main/docs/lineage.md#the-padu-run-facet"

    public init(namespace: String = "padu") {
        self.namespace = namespace
    }

    /// One event as a single line of JSON (keys sorted, no line breaks).
    public func event(_ type: LineageEventType, run: LineageRun, at time: Date = Date(), error: String? = nil) -> String {
        var runFacets: [String: Any] = [:]
        if let nominal = run.nominalStart {
            runFacets["nominalTime"] = facet("https://openlineage.io/spec/facets/1-0-1/NominalTimeRunFacet.json#/$defs/NominalTimeRunFacet",
                                             ["nominalStartTime": Self.iso(nominal)])
        }
        runFacets["processing_engine"] = facet("https://openlineage.io/spec/facets/1-1-1/ProcessingEngineRunFacet.json#/$defs/ProcessingEngineRunFacet",
                                               ["version": Padu.version, "name": "padu"])
        var padu: [String: Any] = ["pipelineVersion": run.pipelineVersion, "stageChain": run.stageChain]
        if let id = run.runID { padu["runId"] = id }
        if let file = run.pipelineFile { padu["pipelineFile"] = file }
        runFacets["padu"] = facet(Self.paduFacetSchema, padu)
        if let error, type == .fail || type == .abort {
            runFacets["errorMessage"] = facet("https://openlineage.io/spec/facets/1-0-1/ErrorMessageRunFacet.json#/$defs/ErrorMessageRunFacet",
                                              ["message": PersonalData.maskNIKs(in: error), "programmingLanguage": "Swift"])
        }
        var jobFacets: [String: Any] = [
            "jobType": facet("https://openlineage.io/spec/facets/2-0-4/JobTypeJobFacet.json#/$defs/JobTypeJobFacet",
                             ["processingType": "BATCH", "integration": "PADU", "jobType": "PIPELINE"]),
        ]
        if let d = run.description {
            jobFacets["documentation"] = facet("https://openlineage.io/spec/facets/1-1-0/DocumentationJobFacet.json#/$defs/DocumentationJobFacet",
                                               ["description": d])
        }
        var event: [String: Any] = [
            "eventType": type.rawValue,
            "eventTime": Self.iso(time),
            "producer": Self.producer,
            "schemaURL": Self.schemaURL,
            "run": ["runId": run.runUUID.uuidString.lowercased(), "facets": runFacets],
            "job": ["namespace": namespace, "name": run.pipeline, "facets": jobFacets],
        ]
        let complete = type != .start
        event["inputs"] = run.inputs.map { input -> [String: Any] in
            var d: [String: Any] = ["namespace": input.dataset.namespace, "name": input.dataset.name]
            if !input.fields.isEmpty { d["facets"] = ["schema": schema(input.fields)] }
            if complete {
                var inputFacets: [String: Any] = ["dataQualityMetrics": facet(
                    "https://openlineage.io/spec/facets/1-0-3/DataQualityMetricsInputDatasetFacet.json#/$defs/DataQualityMetricsInputDatasetFacet",
                    ["rowCount": input.rowsRead, "columnMetrics": [String: Any]()])]
                if let checks = run.assertions[input.dataset], !checks.isEmpty {
                    inputFacets["dataQualityAssertions"] = facet(
                        "https://openlineage.io/spec/facets/1-1-0/DataQualityAssertionsDatasetFacet.json#/$defs/DataQualityAssertionsDatasetFacet",
                        ["assertions": checks.map { c -> [String: Any] in
                            var a: [String: Any] = ["assertion": c.assertion, "success": c.success, "severity": c.severity]
                            if let column = c.column { a["column"] = column }
                            return a
                        }])
                }
                d["inputFacets"] = inputFacets
            }
            return d
        }
        event["outputs"] = complete ? run.outputs.map { output -> [String: Any] in
            var d: [String: Any] = ["namespace": output.dataset.namespace, "name": output.dataset.name,
                                    "outputFacets": ["outputStatistics": facet(
                                        "https://openlineage.io/spec/facets/1-0-2/OutputStatisticsOutputDatasetFacet.json#/$defs/OutputStatisticsOutputDatasetFacet",
                                        ["rowCount": output.rowsWritten])]]
            var facets: [String: Any] = [:]
            if !output.columns.isEmpty { facets["schema"] = schema(output.columns) }
            if let lineage = run.columnLineage[output.dataset], !lineage.isEmpty {
                facets["columnLineage"] = columnLineage(lineage, inputs: run.inputs.map(\.dataset))
            }
            if !facets.isEmpty { d["facets"] = facets }
            return d
        } : [[String: Any]]()
        let data = (try? JSONSerialization.data(withJSONObject: event, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    private func facet(_ schemaURL: String, _ fields: [String: Any]) -> [String: Any] {
        fields.merging(["_producer": Self.producer, "_schemaURL": schemaURL]) { a, _ in a }
    }

    private func columnLineage(_ lineage: [String: [(field: String, how: ColumnTransformation, note: String?)]],
                               inputs: [LineageDataset]) -> [String: Any] {
        var fields: [String: Any] = [:]
        for (column, sources) in lineage {
            fields[column] = ["inputFields": inputs.flatMap { input in
                sources.map { s -> [String: Any] in
                    var t: [String: Any] = ["type": "DIRECT", "subtype": s.how == .direct ? "IDENTITY" : "TRANSFORMATION"]
                    t["description"] = s.how.rawValue + (s.note.map { ": \($0)" } ?? "")
                    return ["namespace": input.namespace, "name": input.name, "field": s.field, "transformations": [t]]
                }
            }]
        }
        return facet("https://openlineage.io/spec/facets/1-2-0/ColumnLineageDatasetFacet.json#/$defs/ColumnLineageDatasetFacet", ["fields": fields])
    }

    private func schema(_ fields: [String]) -> [String: Any] {
        facet("https://openlineage.io/spec/facets/1-2-0/SchemaDatasetFacet.json#/$defs/SchemaDatasetFacet",
              ["fields": fields.map { ["name": $0] }])
    }

    static func iso(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: date)
    }
}

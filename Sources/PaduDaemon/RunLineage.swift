import Foundation
import PaduCore
import PaduOpenLineage
import PaduRemote
import PaduWarehouse

/// Where a run's OpenLineage events go: always the outbox in the home folder; also a
/// Marquez-compatible collector when one is configured.
public struct OpenLineageSettings: Sendable {
    public var home: String
    /// The job namespace (`$PADU_OPENLINEAGE_NAMESPACE`, default `padu`).
    public var namespace: String
    /// The collector's endpoint, e.g. `http://marquez:5000/api/v1/lineage` (`$PADU_OPENLINEAGE_URL`).
    public var collectorURL: String?
    /// Bearer token for the collector (`$PADU_OPENLINEAGE_TOKEN`); never logged.
    public var token: String?

    public init(home: String, namespace: String = "padu", collectorURL: String? = nil, token: String? = nil) {
        self.home = home
        self.namespace = namespace
        self.collectorURL = collectorURL
        self.token = token
    }

    /// From the environment variables above.
    public static func from(environment: [String: String], home: String) -> OpenLineageSettings {
        OpenLineageSettings(home: home, namespace: environment["PADU_OPENLINEAGE_NAMESPACE"].flatMap { $0.isEmpty ? nil : $0 } ?? "padu",
                            collectorURL: environment["PADU_OPENLINEAGE_URL"].flatMap { $0.isEmpty ? nil : $0 },
                            token: environment["PADU_OPENLINEAGE_TOKEN"].flatMap { $0.isEmpty ? nil : $0 })
    }
}

/// Emits a run's START and COMPLETE / FAIL events from what the run did.
struct RunLineage {
    let settings: OpenLineageSettings
    let warehouse: Warehouse
    let registry: PluginRegistry
    let logger: Logger
    let host = ProcessInfo.processInfo.hostName

    /// The tables each warehouse dataset writes.
    static let tables: [String: [String]] = [
        "registry": ["registry_status", "person", "household", "region"],
        "assistance": ["assistance"], "indicators": ["indicator"], "crosswalk": ["region_crosswalk"],
    ]

    func start(_ spec: PipelineSpec, nominalStart: Date? = nil) -> LineageRun {
        let chain = ([spec.source] + spec.transforms + [spec.sink]).map { s in "\(s.plugin)@\(registry.plugin(named: s.plugin)?.version ?? "?")" }
        let run = LineageRun(pipeline: spec.name, description: spec.description, pipelineFile: spec.file,
                             pipelineVersion: spec.versionHash, stageChain: chain, nominalStart: nominalStart)
        emit(.start, run)
        return run
    }

    func finish(_ spec: PipelineSpec, _ started: LineageRun, result: RunResult?, error: Error?) {
        var run = started
        run.runID = result?.runID
        if let result {
            let fields = registry.plugin(named: spec.source.plugin)?.outputSchema?.names ?? []
            run.inputs = result.inputs.map { (LineageDataset.input($0.path, host: host), $0.counts.read, fields) }
            for input in result.inputs where !input.expectations.isEmpty {
                run.assertions[LineageDataset.input(input.path, host: host)] = input.expectations.map { ($0.name, $0.passed, $0.field, $0.severity) }
            }
            var loadedInputs: [Int64] = result.inputs.compactMap { $0.status == .loaded ? $0.inputID : nil }
            if loadedInputs.isEmpty { loadedInputs = [-1] }
            let list = loadedInputs.map(String.init).joined(separator: ",")
            let dataset: String
            if case .string(let d)? = spec.sink.options["dataset"] { dataset = d } else { dataset = "" }
            let origins = ColumnLineage.compose(spec, registry: registry)
            for table in Self.tables[dataset] ?? [] {
                let sql = ["person", "household", "region"].contains(table)
                    ? "SELECT count(*) FROM contribution WHERE table_name = '\(table)' AND input_id IN (\(list))"
                    : "SELECT count(*) FROM \(table) WHERE input_id IN (\(list))"
                var rows = 0
                if case .int(let n)? = try? warehouse.database.scalar(sql) { rows = Int(n) }
                var columns: [String] = []
                try? warehouse.database.query("SELECT name FROM pragma_table_info(?)", [.text(table)]) { r in
                    if let n = r.text(0) { columns.append(n) }
                }
                let output = LineageDataset.table(table, warehousePath: warehouse.path, host: host)
                run.outputs.append((output, rows, columns))
                var lineage: [String: [(field: String, how: ColumnTransformation, note: String?)]] = [:]
                for origin in origins where origin.column.hasPrefix(table + ".") {
                    let note = origin.steps.first { $0.how != .direct }?.note
                    lineage[String(origin.column.dropFirst(table.count + 1))] = origin.sourceFields.map { ($0, origin.lastChange, note) }
                }
                run.columnLineage[output] = lineage
            }
        }
        switch (result?.status, error) {
        case (.succeeded?, nil), (.partial?, nil): emit(.complete, run)
        case (.interrupted?, nil): emit(.abort, run, error: result?.message ?? "stopped")
        case (_, let error?): emit(.fail, run, error: "\(error)")
        default:
            let inputs = result?.inputs.filter { $0.status == .failed }.map(\.message) ?? []
            emit(.fail, run, error: ([result?.message ?? "the run failed"] + inputs).joined(separator: "; "))
        }
        ship()
    }

    /// ABORT for runs a crash interrupted (found at the next start), under their START's run id.
    func aborted(runIDs: [Int64]) {
        for id in runIDs {
            var found: (String, String, String?, String?, String)?
            try? warehouse.database.query("SELECT lineage_run_id, pipeline, pipeline_file, stage_chain, pipeline_version FROM runs WHERE id = ?",
                                          [.int(id)]) { r in
                if let uuid = r.text(0), let p = r.text(1) { found = (uuid, p, r.text(2), r.text(3), r.text(4) ?? "") }
            }
            guard let (uuid, pipeline, file, chainJSON, version) = found, let runUUID = UUID(uuidString: uuid) else { continue }
            let chain = (chainJSON.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String] }) ?? []
            var run = LineageRun(runUUID: runUUID, pipeline: pipeline, description: nil, pipelineFile: file, pipelineVersion: version, stageChain: chain)
            run.runID = id
            emit(.abort, run, error: "the process running it stopped before it finished; its unfinished input left nothing behind")
        }
        if !runIDs.isEmpty { ship() }
    }

    private func emit(_ type: LineageEventType, _ run: LineageRun, error: String? = nil) {
        let line = OpenLineageEventBuilder(namespace: settings.namespace).event(type, run: run, error: error)
        do {
            try OpenLineageOutbox(home: settings.home).append(line)
        } catch {
            logger.warning("OpenLineage event not written", ["pipeline": run.pipeline, "error": "\(error)"])
        }
    }

    /// Sends what waits in the outbox when a collector is configured; a failure is logged and
    /// retried with the next run (or `padu lineage ship`).
    func ship() {
        guard let url = settings.collectorURL else { return }
        do {
            let result = try OpenLineageOutbox(home: settings.home).ship(to: url, token: settings.token)
            if let failure = result.failure {
                logger.warning("OpenLineage collector did not accept events; they stay in the outbox",
                               ["delivered": String(result.delivered), "error": Redaction.redactText(failure.description, secrets: [settings.token].compactMap { $0 })])
            }
        } catch {
            logger.warning("OpenLineage outbox unreadable", ["error": "\(error)"])
        }
    }
}

import Foundation
import PaduCore
import PaduFormats
import PaduWarehouse

/// Runs pipelines of a catalog against the warehouse: chooses their inputs, orders
/// `after` dependencies, and hands each run to the engine.
public final class RunService {
    public let warehouse: Warehouse
    private let registry: PluginRegistry
    private let logger: Logger

    private let resolver: (any InputResolver)?
    private let openLineage: OpenLineageSettings?

    /// - Parameter resolver: fetches remote inputs; `nil` refuses URLs.
    /// - Parameter openLineage: where the runs' OpenLineage events go; `nil` emits none.
    public init(warehouse: Warehouse, registry: PluginRegistry, logger: Logger, resolver: (any InputResolver)? = nil,
                openLineage: OpenLineageSettings? = nil) {
        self.warehouse = warehouse
        self.registry = registry
        self.logger = logger
        self.resolver = resolver
        self.openLineage = openLineage
    }

    /// Runs `spec` once. Without explicit inputs, the source's `path` option decides; a
    /// file-arrival pipeline without one reads the files now waiting in its folder.
    public func run(_ spec: PipelineSpec, inputs: [String] = [], force: Bool = false, trigger: String = "manual",
                    cancellation: RunCancellation? = nil, nominalStart: Date? = nil,
                    progress: (@Sendable (RunProgress) -> Void)? = nil) throws -> RunResult {
        var files = inputs
        if files.isEmpty, spec.source.options["path"] == nil, spec.schedule.kind == "fileArrival",
           let folder = spec.schedule.folder {
            files = FileGlob.expand(folder + "/" + (spec.schedule.pattern ?? "*"), relativeTo: spec.baseDirectory)
        }
        let deadline = spec.timeoutSeconds.map { Date().addingTimeInterval(Double($0)) }
        let runner = PipelineRunner(spec: spec, registry: registry, store: warehouse, logger: logger)
        let lineage = openLineage.map { RunLineage(settings: $0, warehouse: warehouse, registry: registry, logger: logger) }
        let started = lineage?.start(spec, nominalStart: nominalStart)
        do {
            var options = RunOptions(inputs: files, force: force, trigger: trigger, deadline: deadline, resolver: resolver,
                                     lineageRunID: started?.runUUID.uuidString.lowercased())
            options.cancellation = cancellation
            options.progress = progress
            let result = try runner.run(options)
            if let lineage, let started { lineage.finish(spec, started, result: result, error: nil) }
            return result
        } catch {
            if let lineage, let started { lineage.finish(spec, started, result: nil, error: error) }
            throw error
        }
    }

    /// Marks runs whose process is gone as `interrupted` (their unfinished input was rolled back)
    /// and reports them to OpenLineage as ABORT. Returns their ids.
    @discardableResult
    public func markInterruptedRuns() throws -> [Int64] {
        let ids = try warehouse.markInterruptedRuns()
        openLineage.map { RunLineage(settings: $0, warehouse: warehouse, registry: registry, logger: logger) }?.aborted(runIDs: ids)
        return ids
    }

    /// `pipelines` ordered so that each comes after the pipeline its `after` schedule names.
    public static func dependencyOrder(_ pipelines: [PipelineSpec]) -> [PipelineSpec] {
        var placed = Set<String>()
        var ordered: [PipelineSpec] = []
        var remaining = pipelines
        let names = Set(pipelines.map(\.name))
        while !remaining.isEmpty {
            let ready = remaining.filter { p in
                guard p.schedule.kind == "after", let upstream = p.schedule.pipeline, names.contains(upstream) else { return true }
                return placed.contains(upstream)
            }
            // A cycle cannot reach here (the validator removes it); stay safe regardless.
            let next = ready.isEmpty ? remaining : ready
            for p in next { placed.insert(p.name); ordered.append(p) }
            remaining.removeAll { placed.contains($0.name) }
        }
        return ordered
    }
}

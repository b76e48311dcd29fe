import PaduCore
import PaduWarehouse

/// The `warehouse` sink: loads the consolidated tables, joining the input's transaction.
public enum WarehouseSink {
    public static let descriptor = PluginDescriptor(
        name: "warehouse",
        kind: .sink,
        version: "1.0",
        summary: "loads the warehouse: registry (person, household, registry_status, region), indicators (indicator), assistance, or crosswalk (region_crosswalk)",
        options: [
            OptionSpec("dataset", .oneOf(["registry", "indicators", "assistance", "crosswalk"]), required: true, "which warehouse tables the rows feed"),
        ],
        sample: """
            sink: .warehouse(.registry)
            """,
        columnLineage: { options in WarehouseColumns.lineage(dataset: options.string("dataset") ?? "") },
        make: { options in
            switch options.string("dataset") {
            case "indicators": return .sink(IndicatorSinkStage())
            case "assistance": return .sink(AssistanceSinkStage())
            case "crosswalk": return .sink(CrosswalkSinkStage())
            default: return .sink(RegistrySinkStage())
            }
        }
    )

    /// The SQLite warehouse the run records into: the sink joins the input's transaction.
    static func warehouse(_ context: StageContext) throws -> Warehouse {
        guard let warehouse = context.store as? Warehouse else {
            throw WarehouseSinkError(description: "the warehouse sink needs the SQLite warehouse as the run's store")
        }
        return warehouse
    }
}

/// A sink problem concerning the whole input.
struct WarehouseSinkError: Error, CustomStringConvertible {
    let description: String
}


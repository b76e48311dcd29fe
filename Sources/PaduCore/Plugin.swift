/// The three kinds of stage.
public enum PluginKind: String, Sendable, Codable, CaseIterable {
    case source, transform, sink
}

/// A stage instance made by a plugin for one run.
public enum StageInstance {
    case source(any SourceStage)
    case transform(any TransformStage)
    case sink(any SinkStage)
}

/// A plugin problem detected from its options before any run (shown with the pipeline
/// file's line).
public struct PluginConfigurationError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Everything Padu knows about a registered plugin: its name, kind, options, what it
/// produces, and how to make a stage.
public struct PluginDescriptor: Sendable {
    public let name: String
    public let kind: PluginKind
    /// Bumped when the plugin's behaviour changes (recorded with every run).
    public let version: String
    public let summary: String
    public let options: [OptionSpec]
    /// For sources: the fields of the batches it emits.
    public let outputSchema: Schema?
    /// A pipeline-file snippet using the plugin.
    public let sample: String
    /// Checks option combinations the option types cannot express.
    public let validate: @Sendable (PluginOptions) throws(PluginConfigurationError) -> Void
    /// The fields this stage reads from its rows, given its options (checked against the
    /// source's fields before any run).
    public let fieldsRead: @Sendable (PluginOptions) -> [String]
    /// Which output columns come from which input columns, and how (column lineage).
    public let columnLineage: @Sendable (PluginOptions) -> [ColumnDerivation]
    public let make: @Sendable (PluginOptions) throws -> StageInstance

    public init(
        name: String, kind: PluginKind, version: String, summary: String, options: [OptionSpec],
        outputSchema: Schema? = nil, sample: String,
        validate: @escaping @Sendable (PluginOptions) throws(PluginConfigurationError) -> Void = { _ throws(PluginConfigurationError) in },
        fieldsRead: @escaping @Sendable (PluginOptions) -> [String] = { _ in [] },
        columnLineage: @escaping @Sendable (PluginOptions) -> [ColumnDerivation] = { _ in [] },
        make: @escaping @Sendable (PluginOptions) throws -> StageInstance
    ) {
        self.fieldsRead = fieldsRead
        self.columnLineage = columnLineage
        self.name = name
        self.kind = kind
        self.version = version
        self.summary = summary
        self.options = options
        self.outputSchema = outputSchema
        self.sample = sample
        self.validate = validate
        self.make = make
    }

    /// Problems with `options` (unknown, ill-typed, missing), each a full sentence.
    public func problems(with options: [String: OptionValue]) -> [String] {
        var problems: [String] = []
        let known = Dictionary(uniqueKeysWithValues: self.options.map { ($0.name, $0) })
        for key in options.keys.sorted() {
            guard let spec = known[key] else {
                let names = self.options.map(\.name).joined(separator: ", ")
                problems.append("\(kind) plugin '\(name)' has no option '\(key)'" + (names.isEmpty ? "" : "; its options are: \(names)"))
                continue
            }
            if let mismatch = spec.type.mismatch(options[key]!) {
                problems.append("option '\(key)' of '\(name)': \(mismatch)")
            }
        }
        for spec in self.options where spec.required && options[spec.name] == nil {
            problems.append("\(kind) plugin '\(name)' needs option '\(spec.name)' (\(spec.type)): \(spec.summary)")
        }
        if problems.isEmpty {
            do { try validate(PluginOptions(options)) } catch { problems.append("'\(name)': \(error.message)") }
        }
        return problems
    }
}

/// The plugins a Padu process knows, by name. Built once at start from the built-in list
/// (and, in tests, extra plugins); read-only afterwards.
public struct PluginRegistry: Sendable {
    private var byName: [String: PluginDescriptor] = [:]

    public init(_ plugins: [PluginDescriptor] = []) {
        for p in plugins { register(p) }
    }

    /// Adds a plugin; a second plugin with the same name is a programming error.
    public mutating func register(_ plugin: PluginDescriptor) {
        precondition(byName[plugin.name] == nil, "plugin '\(plugin.name)' registered twice")
        byName[plugin.name] = plugin
    }

    public func plugin(named name: String) -> PluginDescriptor? { byName[name] }

    /// All plugins, sources first, then transforms, then sinks, by name.
    public var all: [PluginDescriptor] {
        byName.values.sorted { a, b in
            let order = PluginKind.allCases
            return (order.firstIndex(of: a.kind)!, a.name) < (order.firstIndex(of: b.kind)!, b.name)
        }
    }

    /// Names of plugins of `kind`, for suggestions.
    public func names(of kind: PluginKind) -> [String] { all.filter { $0.kind == kind }.map(\.name) }
}

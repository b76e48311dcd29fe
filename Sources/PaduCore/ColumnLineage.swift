/// How a stage makes an output column from its input columns.
public enum ColumnTransformation: String, Sendable, Codable, CaseIterable {
    /// Copied unchanged.
    case direct
    /// Read from the file's text into a typed value (a date, an amount, a flag).
    case parsed
    /// The same value in a canonical form (case, titles, dotted codes, trimmed digits).
    case normalised
    /// Computed from other values (a status, a code resolved from names, a need).
    case derived
    /// Set by the pipeline, not read from the data (the registry's name, a version).
    case constant
}

/// One output column of a stage and where it comes from: declared by each plugin
/// (`PluginDescriptor.columnLineage`), composed along a pipeline by `ColumnLineage.compose`.
public struct ColumnDerivation: Sendable, Hashable {
    public let output: String
    /// The stage's input columns (for a source: a description of the file column, such as
    /// `column NIK (or No. NIK, Nomor NIK...)`).
    public let inputs: [String]
    public let how: ColumnTransformation
    public let note: String?

    public init(_ output: String, from inputs: [String], _ how: ColumnTransformation, _ note: String? = nil) {
        self.output = output
        self.inputs = inputs
        self.how = how
        self.note = note
    }
}

/// The chain from a warehouse column back to the file.
public struct ColumnOrigin: Sendable, Hashable {
    /// One step: the stage, what it did, and the columns it read.
    public struct Step: Sendable, Hashable {
        public let stage: String
        public let how: ColumnTransformation
        public let inputs: [String]
        public let note: String?
    }
    /// `table.column` in the warehouse.
    public let column: String
    /// From the sink back to the source.
    public let steps: [Step]
    /// The source fields the column ultimately comes from.
    public let sourceFields: [String]
    /// The file columns (as the source describes them).
    public let fileColumns: [String]

    /// The change nearest the warehouse (the first step that is not a plain copy), or `direct`.
    public var lastChange: ColumnTransformation {
        steps.first { $0.how != .direct }?.how ?? .direct
    }
}

public enum ColumnLineage {
    /// Composes the stages' declarations along `spec`: for each column the sink writes, the
    /// steps back through the transforms to the source and the file. Stages that declare
    /// nothing for a field pass it through unchanged.
    public static func compose(_ spec: PipelineSpec, registry: PluginRegistry) -> [ColumnOrigin] {
        func declared(_ stage: StageSpec) -> [String: ColumnDerivation] {
            guard let d = registry.plugin(named: stage.plugin) else { return [:] }
            return Dictionary(d.columnLineage(PluginOptions(stage.options)).map { ($0.output, $0) }, uniquingKeysWith: { a, _ in a })
        }
        let sink = declared(spec.sink)
        let transforms = spec.transforms.map { ($0.plugin, declared($0)) }
        let source = declared(spec.source)
        var out: [ColumnOrigin] = []
        for column in sink.keys.sorted() {
            let top = sink[column]!
            var steps = [ColumnOrigin.Step(stage: spec.sink.plugin, how: top.how, inputs: top.inputs, note: top.note)]
            var fields = Set(top.inputs)
            for (name, map) in transforms.reversed() {
                var next: Set<String> = []
                for f in fields.sorted() {
                    if let d = map[f] {
                        steps.append(.init(stage: name, how: d.how, inputs: d.inputs, note: d.note))
                        next.formUnion(d.inputs)
                    } else {
                        next.insert(f)
                    }
                }
                fields = next
            }
            var files: [String] = []
            for f in fields.sorted() {
                if let d = source[f] {
                    steps.append(.init(stage: spec.source.plugin, how: d.how, inputs: d.inputs, note: d.note))
                    files += d.inputs
                }
            }
            out.append(ColumnOrigin(column: column, steps: steps, sourceFields: fields.sorted(), fileColumns: files))
        }
        return out
    }
}

import PaduCore

/// The `require-fields` transform: rows with an empty required field are quarantined (or
/// skipped) with the field's name.
public enum RequireFieldsTransform {
    public static let descriptor = PluginDescriptor(
        name: "require-fields",
        kind: .transform,
        version: "1.0",
        summary: "quarantines (or skips) rows where any of the listed fields is empty",
        options: [
            OptionSpec("fields", .stringList, required: true, "the fields that must not be empty"),
            OptionSpec("onMissing", .oneOf(["quarantine", "skip"]), default: "quarantine", "what to do with such a row"),
        ],
        sample: """
            transforms: [.requireFields(["nik", "nama"], onMissing: .quarantine)]
            """,
        validate: { options throws(PluginConfigurationError) in
            if options.stringList("fields")?.isEmpty ?? true {
                throw PluginConfigurationError("fields must name at least one field")
            }
        },
        fieldsRead: { options in options.stringList("fields") ?? [] },
        make: { options in
            .transform(RequireFieldsStage(fields: options.stringList("fields") ?? [],
                                          policy: options.string("onMissing") == "skip" ? .skipped : .quarantined))
        }
    )
}

final class RequireFieldsStage: TransformStage {
    let fields: [String]
    let policy: Disposition

    init(fields: [String], policy: Disposition) {
        self.fields = fields
        self.policy = policy
    }

    func process(_ batch: Batch, rejections: inout Rejections, context: StageContext) throws -> Batch {
        let columns = try fields.map { name -> Int in
            guard let c = batch.schema.index(of: name) else {
                throw PluginConfigurationError("require-fields: the rows have no field '\(name)'; they have: \(batch.schema.names.joined(separator: ", "))")
            }
            return c
        }
        for row in 0..<batch.count {
            for (k, c) in columns.enumerated() where batch[row: row, column: c].isEmpty {
                rejections.reject(policy, row: row, of: batch, column: fields[k], code: "missing-field",
                                  message: "\(fields[k]) is empty; the row needs it to be loaded")
                break
            }
        }
        return batch.removing(rows: rejections.rows)
    }
}

import PaduCore
import PaduReference

/// The `normalize-name` transform: each listed name field becomes its normalised form (see
/// `NameNormalizer`), the value as written moves to `<field>_raw` and a matching key goes to
/// `<field>_key`.
public enum NormalizeNameTransform {
    public static let descriptor = PluginDescriptor(
        name: "normalize-name",
        kind: .transform,
        version: "1.0",
        summary: "normalises personal names (upper case, titles stripped) keeping the value as written in <field>_raw and a spelling-insensitive key in <field>_key",
        options: [
            OptionSpec("fields", .stringList, default: "[\"nama\"]", "the name fields to normalise"),
        ],
        sample: """
            transforms: [.normalizeName(["nama", "nama_kepala_keluarga"])]
            """,
        validate: { options throws(PluginConfigurationError) in
            if let fields = options.stringList("fields") {
                if fields.isEmpty { throw PluginConfigurationError("fields must name at least one field; leave it out for [\"nama\"]") }
                if let blank = fields.first(where: { $0.trimmingWhitespace().isEmpty }) {
                    throw PluginConfigurationError("fields has an empty name (\"\(blank)\")")
                }
            }
        },
        fieldsRead: { options in options.stringList("fields") ?? ["nama"] },
        make: { options in .transform(NormalizeNameStage(fields: options.stringList("fields") ?? ["nama"])) }
    )
}

final class NormalizeNameStage: TransformStage {
    let fields: [String]

    init(fields: [String]) { self.fields = fields }

    func process(_ batch: Batch, rejections: inout Rejections, context: StageContext) throws -> Batch {
        let schema = batch.schema
        var extended = schema.fields
        func column(_ name: String, _ summary: String) -> Int {
            if let c = extended.firstIndex(where: { $0.name == name }) { return c }
            extended.append(Field(name, .string, summary))
            return extended.count - 1
        }
        let plan = try fields.map { name -> (name: Int, raw: Int, key: Int) in
            guard let c = schema.index(of: name) else {
                throw PluginConfigurationError("normalize-name: the rows have no field '\(name)'; they have: \(schema.names.joined(separator: ", "))")
            }
            return (c, column("\(name)_raw", "\(name) as written"), column("\(name)_key", "\(name) as a matching key (old spellings folded)"))
        }

        var out = Batch(schema: Schema(extended), input: batch.input, sheet: batch.sheet)
        out.reserveCapacity(batch.count)
        for row in 0..<batch.count {
            var values = (0..<schema.count).map { batch[row: row, column: $0] }
            values += Array(repeating: Value.null, count: extended.count - schema.count)
            for p in plan {
                let original = batch[row: row, column: p.name]
                values[p.raw] = original
                guard !original.isEmpty, let text = original.text else {
                    values[p.key] = .null
                    continue
                }
                let (display, key) = NameNormalizer.normalize(text)
                values[p.name] = .string(display)
                values[p.key] = .string(key)
            }
            out.append(values, origin: batch.origins[row])
        }
        return out
    }
}

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
        columnLineage: { options in
            (options.stringList("fields") ?? ["nama"]).flatMap { f in [
                ColumnDerivation(f, from: [f], .normalised, "upper case, titles and honorifics removed, punctuation and spacing"),
                ColumnDerivation("\(f)_raw", from: [f], .direct, "as written"),
                ColumnDerivation("\(f)_key", from: [f], .derived, "matching key: the normalised name with old spellings folded"),
            ] }
        },
        make: { options in .transform(NormalizeNameStage(fields: options.stringList("fields") ?? ["nama"])) }
    )
}

final class NormalizeNameStage: TransformStage {
    let fields: [String]

    init(fields: [String]) { self.fields = fields }

    func process(_ batch: Batch, rejections: inout Rejections, context: StageContext) throws -> Batch {
        let schema = batch.schema
        for name in fields where schema.index(of: name) == nil {
            throw PluginConfigurationError("normalize-name: the rows have no field '\(name)'; they have: \(schema.names.joined(separator: ", "))")
        }
        var out = Batch.extending(batch, with: fields.flatMap { name in
            [Field("\(name)_raw", .string, "\(name) as written"), Field("\(name)_key", .string, "\(name) as a matching key (old spellings folded)")]
        })
        for name in fields {
            let (c, raw, key) = (out.schema.index(of: name)!, out.schema.index(of: "\(name)_raw")!, out.schema.index(of: "\(name)_key")!)
            for row in 0..<out.count {
                let original = out[row: row, column: c]
                out.set(original, row: row, column: raw)
                guard !original.isEmpty, let text = original.text else {
                    out.set(.null, row: row, column: key)
                    continue
                }
                let (display, matchKey) = NameNormalizer.normalize(text)
                rejections.correct(row: row, of: batch, field: name, from: original, to: .string(display), detail: "case, titles, punctuation, spacing")
                out.set(.string(display), row: row, column: c)
                out.set(.string(matchKey), row: row, column: key)
            }
        }
        return out
    }
}

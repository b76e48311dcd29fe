import PaduCore
import PaduReference

/// Resolves every row of a batch and writes the codes, status and notes fields.
final class ResolveRegionStage: TransformStage {
    let resolver: RegionResolver
    let within: String?
    /// Field name by role (`desa` → `kelurahan`, …).
    let fields: [String: String]
    /// Whether ambiguous and unresolved rows are quarantined (else flagged and kept).
    let quarantine: Bool

    init(resolver: RegionResolver, within: String?, fields: [String: String], quarantine: Bool) {
        self.resolver = resolver
        self.within = within
        self.fields = fields
        self.quarantine = quarantine
    }

    func process(_ batch: Batch, rejections: inout Rejections, context: StageContext) throws -> Batch {
        let schema = Self.extended(batch.schema)
        let output = ResolveRegionTransform.outputFields.map { schema.index(of: $0.name)! }
        let levels = AdministrativeLevel.allCases
        let nameColumns = levels.map { fields[$0.rawValue].flatMap(batch.schema.index(of:)) }
        let codeColumns = levels.map { fields["kode_" + $0.rawValue].flatMap(batch.schema.index(of:)) }

        var out = Batch.reshaped(batch, to: schema)
        for row in 0..<batch.count {
            var query = RegionQuery(within: within)
            for (k, level) in levels.enumerated() {
                if let c = nameColumns[k], let text = batch[row: row, column: c].text { query.names[level] = text }
                if let c = codeColumns[k], let text = batch[row: row, column: c].text { query.codes[level] = text }
            }
            let resolution = resolver.resolve(query)

            if quarantine, let (code, field) = Self.rejection(resolution) {
                rejections.quarantine(row: row, of: batch, column: column(for: field), code: code, message: resolution.notes.joined(separator: "; "))
                continue
            }
            var codes: [Value] = Array(repeating: .null, count: 4)
            if let entry = resolution.entry {
                for level in levels where level <= entry.level {
                    codes[level.depth] = resolver.catalog.ancestor(of: entry, at: level).map { .string($0.code) } ?? .null
                }
            }
            for k in 0..<4 {
                // A code the file gave that the list replaced or could not confirm is a correction. The same
                // code only written with dots (1802122012 → 18.02.12.2012) is notation, not a change of value:
                // recording it for every row would triple what a registry load writes.
                if output[k] < batch.schema.count, case let given = batch[row: row, column: output[k]], !given.isEmpty,
                   !Self.sameDigits(given.text, codes[k].text) {
                    rejections.correct(row: row, of: batch, field: schema.fields[output[k]].name, from: given,
                                       to: codes[k], detail: codes[k] == .null ? "not confirmed by the \(resolver.catalog.listName) list" : "replaced by the Kemendagri code")
                }
                out.set(codes[k], row: row, column: output[k])
            }
            out.set(resolution.entry.map { .string($0.code) } ?? .null, row: row, column: output[4])
            out.set(.string(resolution.status), row: row, column: output[5])
            out.set(.string(resolution.notes.joined(separator: "; ")), row: row, column: output[6])
        }
        return out.removing(rows: rejections.rows)
    }

    /// Whether two codes have the same digits in the same order (they differ only in dots or spacing).
    static func sameDigits(_ a: String?, _ b: String?) -> Bool {
        guard let a, let b else { return false }
        return a.utf8.lazy.filter { $0 >= 48 && $0 <= 57 }.elementsEqual(b.utf8.lazy.filter { $0 >= 48 && $0 <= 57 })
    }

    /// `schema` with the output fields it lacks appended; output fields it has become strings.
    static func extended(_ schema: Schema) -> Schema {
        var fields = schema.fields
        for field in ResolveRegionTransform.outputFields {
            if let i = schema.index(of: field.name) {
                if fields[i].type != .string { fields[i] = Field(field.name, .string, fields[i].summary.isEmpty ? field.summary : fields[i].summary) }
            } else {
                fields.append(field)
            }
        }
        return Schema(fields)
    }

    /// The reject code and the field concerned, for a row that is not resolved.
    static func rejection(_ resolution: RegionResolution) -> (String, RegionInputField?)? {
        switch resolution {
        case .ambiguous(_, _, let field): return ("region-ambiguous", field)
        case .unresolved(_, let field): return ("region-unresolved", field)
        case .resolved, .none: return nil
        }
    }

    /// The batch field a problem concerns (nil for the pipeline's `within`).
    func column(for field: RegionInputField?) -> String? {
        switch field {
        case .name(let level)?: return fields[level.rawValue]
        case .code(let level)?: return fields["kode_" + level.rawValue]
        case .within?, nil: return nil
        }
    }
}

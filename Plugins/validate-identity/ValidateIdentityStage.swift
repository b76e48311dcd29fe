import PaduCore
import PaduReference

/// An optional field a check reads: one named in the options (must exist), the first present
/// of some defaults, or none.
enum FieldChoice {
    case explicit(String)
    case firstPresent([String])
    case none

    init(_ option: String?, defaults: [String]) {
        self = option.map { .explicit($0) } ?? .firstPresent(defaults)
    }

    /// The field's column in `schema`; throws when an explicitly named field is missing.
    func column(in schema: Schema, stage: String, option: String) throws -> Int? {
        switch self {
        case .none: return nil
        case .firstPresent(let names): return names.lazy.compactMap(schema.index(of:)).first
        case .explicit(let name):
            guard let c = schema.index(of: name) else {
                throw PluginConfigurationError("\(stage): \(option) names '\(name)', but the rows have no such field; "
                    + "they have: \(schema.names.joined(separator: ", "))")
            }
            return c
        }
    }
}

/// Checks one identifier field of every row and applies the policy for invalid ones.
final class ValidateIdentityStage: TransformStage {
    let validator: IdentityNumberValidator
    let field: String
    let policy: InvalidIdentityPolicy
    let sexField: FieldChoice
    let birthDateField: FieldChoice
    let domicileField: FieldChoice

    init(validator: IdentityNumberValidator, field: String, policy: InvalidIdentityPolicy,
         sexField: FieldChoice, birthDateField: FieldChoice, domicileField: FieldChoice) {
        self.validator = validator
        self.field = field
        self.policy = policy
        self.sexField = sexField
        self.birthDateField = birthDateField
        self.domicileField = domicileField
    }

    private var stageName: String { validator.kind == .nik ? "validate-nik" : "validate-kk" }

    func process(_ batch: Batch, rejections: inout Rejections, context: StageContext) throws -> Batch {
        let schema = batch.schema
        guard let idColumn = schema.index(of: field) else {
            throw PluginConfigurationError("\(stageName): the rows have no field '\(field)'; they have: \(schema.names.joined(separator: ", "))")
        }
        let sexColumn = try sexField.column(in: schema, stage: stageName, option: "sexField")
        let birthColumn = try birthDateField.column(in: schema, stage: stageName, option: "birthDateField")
        let domicileColumn = try domicileField.column(in: schema, stage: stageName, option: "domicileField")

        // The extended schema: added fields are appended, or overwritten when already there.
        let p = validator.kind.codePrefix
        var fields = schema.fields
        func column(_ name: String, _ summary: String) -> Int {
            if let c = schema.index(of: name) { return c }
            fields.append(Field(name, .string, summary))
            return fields.count - 1
        }
        let statusColumn = column("\(p)_status", "valid, noted, invalid or missing: the check of \(field)")
        let notesColumn = column("\(p)_notes", "what the check of \(field) found, as 'code: message; ...'")
        let rawColumn = policy == .flag ? column("\(p)_raw", "an invalid \(field) as written (the field itself is emptied)") : nil

        // The rows as they are, with the added fields; only what the check decides is set.
        var out = Batch.reshaped(batch, to: Schema(fields))
        for row in 0..<batch.count {
            if let rawColumn { out.set(.null, row: row, column: rawColumn) }

            let cell = batch[row: row, column: idColumn]
            guard let raw = cell.text, !Self.isBlank(raw) else {
                out.set(.string("missing"), row: row, column: statusColumn)
                out.set(.string(""), row: row, column: notesColumn)
                continue
            }
            let check = validator.check(
                raw,
                sex: sexColumn.flatMap { batch[row: row, column: $0].text },
                birthDate: birthColumn.flatMap { if case .date(let d) = batch[row: row, column: $0] { return d } else { return nil } },
                domicileCode: domicileColumn.flatMap { batch[row: row, column: $0].text })
            out.set(.string(check.status.rawValue), row: row, column: statusColumn)
            out.set(.string(check.notes), row: row, column: notesColumn)

            if let invalid = check.firstInvalid {
                switch policy {
                case .quarantine:
                    rejections.quarantine(row: row, of: batch, column: field, code: invalid.code,
                                          message: "\(validator.kind.displayName) is invalid — \(check.notes)")
                case .flag:
                    out.set(.null, row: row, column: idColumn)
                    out.set(cell, row: row, column: rawColumn!)
                    rejections.correct(row: row, of: batch, field: field, from: cell, to: .null,
                                       detail: "\(invalid.code): removed as an identity (kept in \(validator.kind.codePrefix)_raw)")
                case .keep:
                    break
                }
            } else if let digits = check.identifier {
                // Usable: stored as its 16 digits (trimmed, without Excel's leading ').
                if cell.text != digits { out.set(.string(digits), row: row, column: idColumn) }
                rejections.correct(row: row, of: batch, field: field, from: cell, to: .string(digits), detail: "the 16 digits as written, without spaces or Excel's '")
            }
        }
        return out.removing(rows: rejections.rows)
    }

    /// Empty, white space, or only Excel's text mark `'`.
    private static func isBlank(_ text: String) -> Bool {
        let t = text.trimmingWhitespace()
        return t.isEmpty || t == "'"
    }
}

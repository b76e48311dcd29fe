import PaduCore
import PaduFormats

/// Registry members from a workbook (a raw P3KE or DTKS Excel file with its title block) as
/// `SocialRegistrySource.schema` rows: the same fields and rules as the text exports.
struct RegistrySheetConverter: SheetRecordConverter {
    let registry: String
    let explicitColumns: [String: String]
    let snapshot: Value

    var schema: Schema { SocialRegistrySource.schema }
    var vocabulary: ColumnVocabulary { .registry }
    var identifyingFields: Set<String> { ["nik", "no_kk", "nama"] }
    var decimalFields: [String] { [] }
    var requiredFields: [String] { SocialRegistrySource.requiredFields }

    func convert(_ record: ShapedRecord, _ context: SheetRecordContext) -> Result<[Value], SheetRecordProblem> {
        var values: [Value] = []
        values.reserveCapacity(schema.count)
        for field in schema.fields {
            if field.name == "registry" { values.append(.string(registry)); continue }
            if field.name == "snapshot_date" { values.append(snapshot); continue }
            guard var text = record.fields[field.name], !text.isEmpty, text != "-" else { values.append(.null); continue }
            let label = context.label(field.name)
            switch field.name {
            case "nik", "no_kk":
                switch context.identifier(field.name, text) {
                case .success(let id): values.append(.string(id))
                case .failure(let p): return .failure(p)
                }
                continue
            case "jenis_kelamin":
                guard let sex = IndonesianValues.parseSex(text) else {
                    return .failure(SheetRecordProblem(field: field.name, code: "bad-sex", message: "\(label) '\(text)' is not a sex; expected L/P or LAKI-LAKI/PEREMPUAN"))
                }
                values.append(.string(sex))
                continue
            default:
                break
            }
            if text.hasPrefix("'"), SocialRegistrySource.identifierFields.contains(field.name) { text.removeFirst() }
            switch field.type {
            case .date:
                switch context.date(field.name, text) {
                case .success(let d): values.append(.date(d))
                case .failure(let p): return .failure(p)
                }
            case .int where context.cellKind(field.name) == .number:
                // A number cell: `1`, or `1.0` from some writers; anything fractional is not a whole number.
                guard case .success(let d) = IndonesianNumbers.parseNumericCell(text), let whole = d.rescaled(to: 0) else {
                    return .failure(SheetRecordProblem(field: field.name, code: "bad-number", message: "\(label) '\(text)' is not a whole number"))
                }
                values.append(.int(whole.units))
            case .string where context.cellKind(field.name) == .number:
                // Codes typed as numbers keep their digits as written.
                values.append(.string(text))
            default:
                switch TextValueParser.parse(text, as: field.type, header: label) {
                case .success(let v): values.append(v)
                case .failure(let p): return .failure(SheetRecordProblem(field: field.name, code: p.code, message: p.message))
                }
            }
        }
        return .success(values)
    }
}

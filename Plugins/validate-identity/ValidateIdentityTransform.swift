import PaduCore
import PaduReference

/// The `validate-nik` transform: checks each row's NIK (text form, region prefix, birth date,
/// serial, and agreement with the row's sex, birth date and region) and quarantines, flags or
/// keeps rows whose NIK is invalid. Adds `nik_status` and `nik_notes` (and `nik_raw` with
/// `onInvalid: "flag"`).
public enum ValidateNIKTransform {
    /// The descriptor, given where kecamatan codes are looked up and what day it is. Both are
    /// called when a run makes the stage; an error from `directory` fails the run's setup.
    public static func descriptor(directory: @escaping @Sendable () throws -> any KecamatanCodeDirectory,
                                  today: @escaping @Sendable () -> CivilDate) -> PluginDescriptor {
        ValidateIdentityDescriptor.make(kind: .nik, directory: directory, today: today)
    }
}

/// The `validate-kk` transform: checks each row's No. KK (text form, region prefix, issue
/// date, serial, and the row's region) and quarantines, flags or keeps rows whose No. KK is
/// invalid. Adds `kk_status` and `kk_notes` (and `kk_raw` with `onInvalid: "flag"`).
public enum ValidateKKTransform {
    /// The descriptor, given where kecamatan codes are looked up and what day it is. Both are
    /// called when a run makes the stage; an error from `directory` fails the run's setup.
    public static func descriptor(directory: @escaping @Sendable () throws -> any KecamatanCodeDirectory,
                                  today: @escaping @Sendable () -> CivilDate) -> PluginDescriptor {
        ValidateIdentityDescriptor.make(kind: .kk, directory: directory, today: today)
    }
}

/// What happens to a row whose identifier is invalid.
enum InvalidIdentityPolicy: String, CaseIterable {
    /// The row goes to quarantine under the first invalid issue's code.
    case quarantine
    /// The row is kept; the identifier is emptied and the value as written moves to `<p>_raw`.
    case flag
    /// The row is kept as it is, marked invalid.
    case keep
}

/// The fields the row's region code is looked for in, when `domicileField` is not given.
let defaultDomicileFields = ["region_code", "kode_desa", "kode_kecamatan", "kode_kabupaten"]

enum ValidateIdentityDescriptor {
    static func make(kind: IdentityNumberKind, directory: @escaping @Sendable () throws -> any KecamatanCodeDirectory,
                     today: @escaping @Sendable () -> CivilDate) -> PluginDescriptor {
        let isNIK = kind == .nik
        let defaultField = isNIK ? "nik" : "no_kk"
        let p = kind.codePrefix
        var options = [
            OptionSpec("field", .string, default: defaultField, "the field holding the \(kind.displayName)"),
            OptionSpec("onInvalid", .oneOf(InvalidIdentityPolicy.allCases.map(\.rawValue)), default: "quarantine",
                       "quarantine rows with an invalid \(kind.displayName); or flag them (\(p)_status invalid, the field emptied, "
                       + "the value as written in \(p)_raw); or keep them unchanged, marked invalid"),
        ]
        if isNIK {
            options += [
                OptionSpec("mismatch", .oneOf(["note", "invalid"]), default: "note",
                           "whether a NIK that disagrees with the row's sex or birth date is only noted or invalid"),
                OptionSpec("sexField", .string, default: "jenis_kelamin", "the row's sex (L/P), compared with the NIK when present"),
                OptionSpec("birthDateField", .string, default: "tanggal_lahir", "the row's birth date, compared with the NIK when present"),
            ]
        }
        options.append(OptionSpec("domicileField", .string, default: "region_code",
                                  "the row's Kemendagri region code (any level); when absent kode_desa, kode_kecamatan or kode_kabupaten, "
                                  + "if present. A \(kind.displayName) registered in another kabupaten is only noted"))
        let optionalFields = isNIK ? ["sexField", "birthDateField", "domicileField"] : ["domicileField"]

        return PluginDescriptor(
            name: isNIK ? "validate-nik" : "validate-kk",
            kind: .transform,
            version: "1.0",
            summary: "checks each row's \(kind.displayName) (Excel damage, placeholders, region prefix, "
                + (isNIK ? "birth date, sex" : "issue date") + ") and quarantines, flags or keeps invalid rows; adds \(p)_status and \(p)_notes",
            options: options,
            sample: isNIK
                ? "transforms: [.validateNIK(onInvalid: .quarantine)]"
                : "transforms: [.validateKK(onInvalid: .flag)]",
            validate: { options throws(PluginConfigurationError) in
                for name in ["field"] + optionalFields {
                    if let value = options.string(name), value.trimmingWhitespace().isEmpty {
                        throw PluginConfigurationError("\(name) must name a field; leave it out to use the default")
                    }
                }
            },
            fieldsRead: { options in
                [options.string("field") ?? defaultField] + optionalFields.compactMap { options.string($0) }
            },
            columnLineage: { options in
                let field = options.string("field") ?? defaultField
                let checked = [field] + (isNIK ? ["jenis_kelamin", "tanggal_lahir"] : []) + ["region_code"]
                return [
                    ColumnDerivation(field, from: [field], .normalised, "its 16 digits as written (trimmed, without Excel's '); removed when invalid with onInvalid: flag"),
                    ColumnDerivation("\(p)_status", from: checked, .derived, "valid, noted, invalid or missing"),
                    ColumnDerivation("\(p)_notes", from: checked, .derived, "the findings of the checks"),
                    ColumnDerivation("\(p)_raw", from: [field], .direct, "an invalid value as written (onInvalid: flag)"),
                ]
            },
            make: { options in
                let validator = IdentityNumberValidator(
                    kind: kind, directory: try directory(), today: today(),
                    mismatchSeverity: options.string("mismatch") == "invalid" ? .invalid : .note)
                return .transform(ValidateIdentityStage(
                    validator: validator,
                    field: options.string("field") ?? defaultField,
                    policy: InvalidIdentityPolicy(rawValue: options.string("onInvalid") ?? "") ?? .quarantine,
                    sexField: isNIK ? FieldChoice(options.string("sexField"), defaults: ["jenis_kelamin"]) : .none,
                    birthDateField: isNIK ? FieldChoice(options.string("birthDateField"), defaults: ["tanggal_lahir"]) : .none,
                    domicileField: FieldChoice(options.string("domicileField"), defaults: defaultDomicileFields)))
            }
        )
    }
}

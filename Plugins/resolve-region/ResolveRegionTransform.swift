import PaduCore
import PaduReference

/// The `resolve-region` transform: reads a row's region names and codes (provinsi,
/// kabupaten/kota, kecamatan, desa/kelurahan) and writes the Kemendagri codes they
/// designate, with a status, never guessing (see `RegionResolver`).
///
/// It reads no field that the source must produce (a source may give only names, or only
/// codes), so `fieldsRead` is empty; absent fields count as empty.
public enum ResolveRegionTransform {
    /// The roles a field can play, with the default field name of each (the same word).
    public static let roles = ["provinsi", "kabupaten", "kecamatan", "desa",
                               "kode_provinsi", "kode_kabupaten", "kode_kecamatan", "kode_desa"]

    /// The fields the transform writes (added to the schema when missing).
    public static let outputFields: [Field] = [
        Field("kode_provinsi", .string, "Kemendagri provinsi code (PP), when resolved"),
        Field("kode_kabupaten", .string, "Kemendagri kabupaten/kota code (PP.KK), when resolved to that level"),
        Field("kode_kecamatan", .string, "Kemendagri kecamatan code (PP.KK.CC), when resolved to that level"),
        Field("kode_desa", .string, "Kemendagri desa/kelurahan code (PP.KK.CC.DDDD), when resolved to that level"),
        Field("region_code", .string, "the most detailed Kemendagri code resolved"),
        Field("region_status", .string, "resolved, ambiguous, unresolved or none"),
        Field("region_notes", .string, "how names were read, or why the region is not resolved"),
    ]

    public static let descriptor = PluginDescriptor(
        name: "resolve-region",
        kind: .transform,
        version: "1.0",
        summary: "resolves region names and codes to Kemendagri codes (Kepmendagri 300.2.2-2138/2025); flags or quarantines ambiguous and unknown regions",
        options: [
            OptionSpec("within", .string, "the Kemendagri code of the area every row lies in (e.g. \"18.02\"); names are looked for inside it"),
            OptionSpec("onUnresolved", .oneOf(["flag", "quarantine"]), default: "flag",
                       "an ambiguous or unresolved row is kept with its status (flag) or quarantined"),
            OptionSpec("columns", .stringMap, "field names by role when they differ from the role (roles: \(roles.joined(separator: ", ")))"),
        ],
        sample: """
            transforms: [.plugin("resolve-region", options: ["within": "18.02", "onUnresolved": "quarantine"])]
            """,
        validate: { options throws(PluginConfigurationError) in
            if let within = options.string("within") {
                let catalog: RegionCatalog
                do throws(ReferenceDataError) { catalog = try RegionCatalog.bundled() } catch { throw PluginConfigurationError(error.message) }
                guard let entry = catalog.entry(code: within) else {
                    throw PluginConfigurationError("within: '\(within)' is not a code of the \(catalog.listName) list; write a Kemendagri code such as \"18.02\" (Kabupaten Lampung Tengah)")
                }
                _ = entry
            }
            for (role, field) in options.stringMap("columns") ?? [:] {
                guard roles.contains(role) else {
                    throw PluginConfigurationError("columns: '\(role)' is not a role; the roles are: \(roles.joined(separator: ", "))")
                }
                if field.trimmingWhitespace().isEmpty {
                    throw PluginConfigurationError("columns: the field for '\(role)' is empty")
                }
            }
        },
        fieldsRead: { _ in [] },
        columnLineage: { _ in
            let given = ["provinsi", "kabupaten", "kecamatan", "desa", "kode_provinsi", "kode_kabupaten", "kode_kecamatan", "kode_desa"]
            return ["kode_provinsi", "kode_kabupaten", "kode_kecamatan", "kode_desa", "region_code"].map {
                ColumnDerivation($0, from: given, .derived, "the Kemendagri code resolved from the row's names and codes (Kepmendagri 2025 list)")
            } + ["region_status", "region_notes"].map { ColumnDerivation($0, from: given, .derived, "how the region was resolved") }
        },
        make: { options in
            let catalog = try RegionCatalog.bundled()
            let history = try? HistoricalKecamatanCodes.bundled()
            let within = options.string("within")
            if let within, catalog.entry(code: within) == nil {
                throw PluginConfigurationError("within: '\(within)' is not a code of the \(catalog.listName) list")
            }
            var fields = Dictionary(uniqueKeysWithValues: roles.map { ($0, $0) })
            for (role, field) in options.stringMap("columns") ?? [:] where roles.contains(role) { fields[role] = field }
            return .transform(ResolveRegionStage(
                resolver: RegionResolver(catalog: catalog, history: history), within: within, fields: fields,
                quarantine: options.string("onUnresolved") == "quarantine"))
        }
    )
}

import PaduCore
import PaduFormats

/// The `map-program` transform: names each aid row's program in a catalog (code, provider
/// kind, provider, need) and sets the need the aid serves, so reports can tell when one
/// household gets the same kind of help from several providers.
public enum MapProgramTransform {
    /// Fields the transform adds (or fills).
    static let addedFields = [
        Field("program_code", .string, "catalog code of the program (empty when the catalog has none)"),
        Field("program_name", .string, "the catalog's name of the program"),
        Field("program_catalog", .string, "bundled, or the catalog file"),
        Field("program_provider", .string, "the catalog's provider of the program"),
        Field("need", .string, "food, cash, health, education, housing, livelihood or other"),
        Field("program_notes", .string, "how the program and need were decided, when not by the catalog"),
    ]

    public static let descriptor = PluginDescriptor(
        name: "map-program",
        kind: .transform,
        version: "1.0",
        summary: "maps aid rows to a program catalog (code, APBN/APBD/CSR/ZAKAT, provider, need) and sets the need category",
        options: [
            OptionSpec("catalog", .string, "a program catalog file (kode;nama;jenis_penyedia;penyedia;kebutuhan;alias), relative to the pipeline file"),
            OptionSpec("bundled", .bool, default: "true", "also use Padu's catalog of national (PKH, BPNT, PBI-JKN...) and Baznas programs"),
            OptionSpec("onUnmapped", .oneOf(["flag", "quarantine"]), default: "flag",
                       "a row whose need cannot be decided: keep it with need empty and a note (flag), or quarantine it"),
        ],
        sample: """
            transforms: [.mapProgram(catalog: "reference/program-catalog.csv")]
            """,
        validate: { options throws(PluginConfigurationError) in
            if options.bool("bundled") == false && options.string("catalog") == nil {
                throw PluginConfigurationError("with bundled: false a catalog file is needed")
            }
        },
        fieldsRead: { _ in ["provider_kind"] },
        columnLineage: { _ in
            addedFields.map { ColumnDerivation($0.name, from: ["program", "jenis_bantuan", "kegiatan", "provider_kind"], .derived,
                                               "the program catalog, else the words of the aid") }
        },
        make: { options in
            .transform(MapProgramStage(catalogPath: options.string("catalog"), bundled: options.bool("bundled") ?? true,
                                       quarantineUnmapped: options.string("onUnmapped") == "quarantine"))
        }
    )
}

final class MapProgramStage: TransformStage {
    let catalogPath: String?
    let bundled: Bool
    let quarantineUnmapped: Bool
    private var catalog: ProgramCatalog?

    init(catalogPath: String?, bundled: Bool, quarantineUnmapped: Bool) {
        self.catalogPath = catalogPath
        self.bundled = bundled
        self.quarantineUnmapped = quarantineUnmapped
    }

    private func loadCatalog(_ context: StageContext) throws -> ProgramCatalog {
        if let catalog { return catalog }
        var c = bundled ? ProgramCatalog.bundled : ProgramCatalog([])
        if let catalogPath {
            let path = context.resolve(catalogPath)
            c = c.adding(try ProgramCatalog.load(path: path, name: catalogPath))
        }
        catalog = c
        return c
    }

    func process(_ batch: Batch, rejections: inout Rejections, context: StageContext) throws -> Batch {
        let catalog = try loadCatalog(context)
        var out = Batch.extending(batch, with: MapProgramTransform.addedFields)
        let s = out.schema
        let (code, source, provider, need, notes) = (s.index(of: "program_code")!, s.index(of: "program_catalog")!,
                                                      s.index(of: "program_provider")!, s.index(of: "need")!, s.index(of: "program_notes")!)
        func text(_ field: String, _ row: Int) -> String? {
            guard let c = s.index(of: field), let t = out[row: row, column: c].text, !t.isEmpty else { return nil }
            return t
        }
        for row in 0..<out.count {
            let kind = text("provider_kind", row) ?? ""
            let program = text("program", row)
            let aid = text("jenis_bantuan", row)
            let activity = text("kegiatan", row)
            let entry = program.flatMap { catalog.program(named: $0, providerKind: kind) }
                ?? aid.flatMap { catalog.program(named: $0, providerKind: kind) }
            var decided = entry?.need
            var note: String?
            if let entry {
                out.set(.string(entry.code), row: row, column: code)
                out.set(.string(entry.name), row: row, column: s.index(of: "program_name")!)
                out.set(.string(entry.catalog), row: row, column: source)
                if let p = entry.provider { out.set(.string(p), row: row, column: provider) }
            }
            if decided == nil, let existing = text("need", row).flatMap(Need.parse) {
                decided = existing
            }
            if decided == nil, let byWords = NeedKeywords.need(in: [aid, program, activity].compactMap { $0 }) {
                decided = byWords
                let what = [aid, program, activity].compactMap { $0 }.joined(separator: " / ")
                note = (entry == nil ? "program not in the catalog; " : "") + "need '\(byWords.rawValue)' read from '\(what)'"
            }
            guard let decided else {
                let what = [program, aid, activity].compactMap { $0 }
                let message = what.isEmpty
                    ? "the row names no program, kind of aid or activity; the need it serves cannot be decided"
                    : "'\(what.joined(separator: " / "))' is not a program of the catalog and names no known need; "
                        + "add it to the program catalog (kode;nama;jenis_penyedia;penyedia;kebutuhan;alias)"
                if quarantineUnmapped {
                    rejections.quarantine(row: row, of: out, column: "program", code: "unmapped-program", message: message)
                } else {
                    out.set(.string(message), row: row, column: notes)
                }
                continue
            }
            out.set(.string(decided.rawValue), row: row, column: need)
            if let note { out.set(.string(note), row: row, column: notes) }
        }
        return out.removing(rows: rejections.rows)
    }
}

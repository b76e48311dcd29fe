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
    /// Decisions by the texts they depend on: aid rows repeat a few programs many times.
    private var decisions: [DecisionKey: Decision] = [:]

    struct DecisionKey: Hashable {
        let kind: String
        let program, aid, activity, need: String?
    }

    struct Decision {
        let entry: CatalogProgram?
        let need: Need?
        let note: String?
        /// Why no need could be decided (when `need` is nil).
        let unmapped: String?
    }

    /// The program and need of a row with these texts: the catalog by program, then by aid; a
    /// need the row states; else the need its words name.
    static func decide(_ k: DecisionKey, catalog: ProgramCatalog) -> Decision {
        let entry = k.program.flatMap { catalog.program(named: $0, providerKind: k.kind) }
            ?? k.aid.flatMap { catalog.program(named: $0, providerKind: k.kind) }
        var decided = entry?.need
        var note: String?
        if decided == nil, let existing = k.need.flatMap(Need.parse) {
            decided = existing
        }
        let texts = [k.aid, k.program, k.activity].compactMap { $0 }
        if decided == nil, let byWords = NeedKeywords.need(in: texts) {
            decided = byWords
            note = (entry == nil ? "program not in the catalog; " : "") + "need '\(byWords.rawValue)' read from '\(texts.joined(separator: " / "))'"
        }
        guard decided == nil else { return Decision(entry: entry, need: decided, note: note, unmapped: nil) }
        let what = [k.program, k.aid, k.activity].compactMap { $0 }
        let message = what.isEmpty
            ? "the row names no program, kind of aid or activity; the need it serves cannot be decided"
            : "'\(what.joined(separator: " / "))' is not a program of the catalog and names no known need; "
                + "add it to the program catalog (kode;nama;jenis_penyedia;penyedia;kebutuhan;alias)"
        return Decision(entry: entry, need: nil, note: nil, unmapped: message)
    }

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
            let key = DecisionKey(kind: text("provider_kind", row) ?? "", program: text("program", row), aid: text("jenis_bantuan", row),
                                  activity: text("kegiatan", row), need: text("need", row))
            let decision: Decision
            if let known = decisions[key] {
                decision = known
            } else {
                decision = Self.decide(key, catalog: catalog)
                if decisions.count > 50_000 { decisions.removeAll(keepingCapacity: true) }
                decisions[key] = decision
            }
            if let entry = decision.entry {
                out.set(.string(entry.code), row: row, column: code)
                out.set(.string(entry.name), row: row, column: s.index(of: "program_name")!)
                out.set(.string(entry.catalog), row: row, column: source)
                if let p = entry.provider { out.set(.string(p), row: row, column: provider) }
            }
            guard let decided = decision.need else {
                let message = decision.unmapped ?? ""
                if quarantineUnmapped {
                    rejections.quarantine(row: row, of: out, column: "program", code: "unmapped-program", message: message)
                } else {
                    out.set(.string(message), row: row, column: notes)
                }
                continue
            }
            out.set(.string(decided.rawValue), row: row, column: need)
            if let note = decision.note { out.set(.string(note), row: row, column: notes) }
        }
        return out.removing(rows: rejections.rows)
    }
}

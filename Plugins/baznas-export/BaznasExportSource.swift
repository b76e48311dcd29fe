import PaduCore
import PaduFormats

/// The `baznas-export` source: Baznas zakat distribution exports.
public enum BaznasExportSource {
    public static let descriptor = PluginDescriptor(
        name: "baznas-export",
        kind: .source,
        version: "1.0",
        summary: "Baznas zakat distributions (XLSX or ;-text): mustahik, NIK, asnaf, program, aid, amount, date, region",
        options: AssistanceSourceStage.commonOptions + [
            OptionSpec("provider", .string, default: "\"BAZNAS\", or the title block", "the Baznas office, e.g. \"BAZNAS Kabupaten Lampung Tengah\""),
        ],
        outputSchema: AssistanceSchema.schema,
        sample: """
            source: .baznasExport(path: "inbox/baznas/*.csv", provider: "BAZNAS Kabupaten Lampung Tengah"),
            sink: .warehouse(.assistance)
            """,
        validate: { options throws(PluginConfigurationError) in try AssistanceSourceStage.validate(options) },
        columnLineage: { options in AssistanceSourceStage.columnLineage(options, providerKind: "ZAKAT") },
        make: { options in
            .source(AssistanceSourceStage(options: options, profile: AssistanceProfile(
                providerKind: "ZAKAT", provider: options.string("provider") ?? "BAZNAS",
                asnaf: Zakat.asnaf, program: Zakat.program)))
        }
    )
}

/// The closed vocabularies of zakat distribution.
public enum Zakat {
    /// The asnaf who are household recipients. `amil` (the zakat agency itself) is not one.
    public static let asnafNames = ["fakir", "miskin", "riqab", "gharimin", "fisabilillah", "ibnu sabil", "mualaf"]

    static let asnafSpellings: [String: String] = {
        var map: [String: String] = [:]
        let variants: [String: [String]] = [
            "fakir": ["fakir", "faqir", "fuqara", "fuqaha", "fakir miskin"],
            "miskin": ["miskin", "masakin"],
            "riqab": ["riqab", "riqob", "hamba sahaya"],
            "gharimin": ["gharimin", "gharim", "garim", "ghorimin", "gharimin (berhutang)", "orang berhutang"],
            "fisabilillah": ["fisabilillah", "fi sabilillah", "sabilillah", "fii sabilillah"],
            "ibnu sabil": ["ibnu sabil", "ibnusabil", "ibnussabil", "ibn sabil", "ibnu sabiil", "musafir"],
            "mualaf": ["mualaf", "muallaf", "mu'allaf", "muallafah", "mualaf (orang yang baru masuk islam)"],
        ]
        for (name, list) in variants { for v in list { map[ColumnVocabulary.normalize(v)] = name } }
        return map
    }()

    /// A cell of the asnaf column as one of `asnafNames`.
    @Sendable public static func asnaf(_ text: String) -> Result<String, ValueProblem> {
        let key = ColumnVocabulary.normalize(text)
        if key == "AMIL" || key == "AMILIN" {
            return .failure(ValueProblem(column: "asnaf", code: "amil-not-recipient",
                message: "asnaf '\(text)' is the zakat agency itself (amil), not a household recipient; such rows do not belong in a distribution list"))
        }
        guard let name = asnafSpellings[key] else {
            return .failure(ValueProblem(column: "asnaf", code: "bad-asnaf",
                message: "asnaf '\(text)' is not one of \(asnafNames.joined(separator: ", "))"))
        }
        return .success(name)
    }

    /// Baznas's five national programs by their names; other program names are kept as written.
    static let programs: [(key: String, name: String)] = [
        ("SEHAT", "Indonesia Sehat"), ("CERDAS", "Indonesia Cerdas"), ("MAKMUR", "Indonesia Makmur"),
        ("PEDULI", "Indonesia Peduli"), ("TAQWA", "Indonesia Taqwa"), ("TAKWA", "Indonesia Taqwa"),
    ]

    /// `Indonesia Sehat`, `INDONESIA SEHAT`, `Program Indonesia Sehat`, `Sehat` → `Indonesia Sehat`.
    @Sendable public static func program(_ text: String) -> Result<String, ValueProblem> {
        var key = ColumnVocabulary.normalize(text)
        for prefix in ["PROGRAM", "BAZNAS"] where key.hasPrefix(prefix) { key.removeFirst(prefix.count) }
        if key.hasPrefix("INDONESIA") { key.removeFirst("INDONESIA".count) }
        if let match = programs.first(where: { $0.key == key }) { return .success(match.name) }
        return .success(text)
    }
}

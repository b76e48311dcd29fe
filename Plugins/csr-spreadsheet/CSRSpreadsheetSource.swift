import PaduCore
import PaduFormats

/// The `csr-spreadsheet` source: companies' CSR (TJSL) aid reports, per person or per activity.
public enum CSRSpreadsheetSource {
    public static let descriptor = PluginDescriptor(
        name: "csr-spreadsheet",
        kind: .source,
        version: "1.0",
        summary: "companies' CSR aid reports (XLSX or delimited text): per-person rows (NIK, name, aid, amount, date, desa) or per-activity rows",
        options: AssistanceSourceStage.commonOptions + [
            OptionSpec("provider", .string, default: "the sheet's provider column, else the title block",
                       "the company, e.g. \"PT Sumber Agro Lestari\""),
        ],
        outputSchema: AssistanceSchema.schema,
        sample: """
            source: .csrSpreadsheet(path: "inbox/csr/*.xlsx", provider: "PT Sumber Agro Lestari"),
            sink: .warehouse(.assistance)
            """,
        validate: { options throws(PluginConfigurationError) in try AssistanceSourceStage.validate(options) },
        columnLineage: { options in AssistanceSourceStage.columnLineage(options, providerKind: "CSR") },
        make: { options in
            .source(AssistanceSourceStage(options: options,
                                          profile: AssistanceProfile(providerKind: "CSR", provider: options.string("provider"))))
        }
    )
}

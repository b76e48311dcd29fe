// The scenario's aid: a company's CSR workbook and a Baznas export, matched to the registries.
import PipelineDescription

let aidChecks: [Transform] = [
    .validateNIK(onInvalid: .flag),
    .normalizeName(),
    .resolveRegion(within: "18.02"),
    .mapProgram(catalog: "../data/program-catalog.csv"),
    .matchIdentity(),
]

let csr = Pipeline(
    name: "csr-sal",
    schedule: .after("dtsen-2025"),
    source: .csrSpreadsheet(path: "../data/csr-*.xlsx", provider: "PT Sumber Agro Lestari"),
    transforms: aidChecks,
    sink: .warehouse(.assistance)
)

let baznas = Pipeline(
    name: "baznas",
    schedule: .after("dtsen-2025"),
    source: .baznasExport(path: "../data/baznas-*.csv", provider: "BAZNAS Kabupaten Lampung Tengah"),
    transforms: aidChecks,
    sink: .warehouse(.assistance)
)

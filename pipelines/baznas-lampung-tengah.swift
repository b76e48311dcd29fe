// Zakat distributions of BAZNAS Kabupaten Lampung Tengah, from its monthly `;` export.
//
// The sample export in sample-data/ is synthetic; its `Amil` row is rejected (the agency is
// not a household recipient).
import PipelineDescription

let baznas = Pipeline(
    name: "baznas-lampung-tengah",
    description: "Penyaluran zakat BAZNAS Kabupaten Lampung Tengah",
    owner: "BAZNAS Kabupaten Lampung Tengah",
    // Matched against the registries, so it runs once they are refreshed.
    schedule: .after("dtks-lampung-tengah"),
    source: .baznasExport(path: "sample-data/baznas-*.csv", provider: "BAZNAS Kabupaten Lampung Tengah"),
    transforms: [
        .validateNIK(onInvalid: .flag),
        .normalizeName(),
        .resolveRegion(within: "18.02"),
        .mapProgram(),
        .matchIdentity(),
    ],
    sink: .warehouse(.assistance)
)

// Benchmark: a Baznas `;` export (scripts/bench/generate.py) into the assistance tables.
import PipelineDescription

let baznas = Pipeline(
    name: "bench-baznas",
    description: "Benchmark: zakat distributions of BAZNAS Kabupaten Lampung Tengah",
    owner: "Padu benchmark",
    source: .baznasExport(path: "../../../.build/bench-data/baznas-*.csv", provider: "BAZNAS Kabupaten Lampung Tengah"),
    transforms: [
        .validateNIK(onInvalid: .flag),
        .normalizeName(),
        .resolveRegion(within: "18.02"),
        .mapProgram(),
    ],
    sink: .warehouse(.assistance)
)

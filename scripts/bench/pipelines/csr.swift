// Benchmark: a company's CSR workbook (scripts/bench/generate.py: numeric NIK cells, amounts
// as text) into the assistance tables.
import PipelineDescription

let csr = Pipeline(
    name: "bench-csr",
    description: "Benchmark: bantuan TJSL PT Sumber Agro Lestari di Kabupaten Lampung Tengah",
    owner: "Padu benchmark",
    source: .csrSpreadsheet(path: "../../../.build/bench-data/csr-*.xlsx", provider: "PT Sumber Agro Lestari"),
    transforms: [
        .validateNIK(onInvalid: .flag),
        .normalizeName(),
        .resolveRegion(within: "18.02"),
        .mapProgram(),
    ],
    sink: .warehouse(.assistance)
)

// CSR (TJSL) aid reported by a company to the Pemda, from the workbook it sends each quarter.
//
// The sample workbook in sample-data/ is synthetic, written with xlsxwriter: a title block,
// recipients (one NIK damaged by Excel), an activity sheet and a summary sheet.
import PipelineDescription

let csr = Pipeline(
    name: "csr-sumber-agro-lestari",
    description: "Bantuan TJSL PT Sumber Agro Lestari di Kabupaten Lampung Tengah",
    owner: "Bappeda Kabupaten Lampung Tengah",
    schedule: .fileArrival(in: "inbox/csr", matching: "*.xlsx"),
    source: .csrSpreadsheet(path: "sample-data/csr-*.xlsx", provider: "PT Sumber Agro Lestari"),
    transforms: [
        .validateNIK(onInvalid: .flag),
        .normalizeName(),
        .resolveRegion(within: "18.02"),
        .mapProgram(),
        .matchIdentity(),
    ],
    sink: .warehouse(.assistance),
    expectations: [.maxQuarantineRate(0.2)]
)

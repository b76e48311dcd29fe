// P3KE (extreme-poverty targeting data) for Kabupaten Lampung Tengah, loaded every night.
//
// The sample export in sample-data/ is synthetic; point `path` at the folder where the
// Dinas Sosial drops the real export.
import PipelineDescription

let p3ke = Pipeline(
    name: "p3ke-lampung-tengah",
    description: "P3KE family members of Kabupaten Lampung Tengah into the registry tables",
    owner: "Dinas Sosial Kabupaten Lampung Tengah",
    schedule: .cron("0 2 * * *", timeZone: "Asia/Jakarta"),
    source: .socialRegistry(.p3ke, path: "sample-data/p3ke-*.csv", snapshot: "2025-06-30"),
    transforms: [
        .requireFields(["nik", "nama", "no_kk"]),
        .validateNIK(onInvalid: .quarantine),
        .validateKK(onInvalid: .keep),
        .normalizeName(),
        .resolveRegion(within: "18.02", onUnresolved: .flag),
    ],
    sink: .warehouse(.registry),
    retries: 2,
    timeout: .minutes(30),
    expectations: [.minRowsLoaded(100), .maxQuarantineRate(0.10)]
)

// DTKS (Kemensos social-welfare registry) for Kabupaten Lampung Tengah. Runs after the
// P3KE load, so the two registries meet in the same person and household rows.
import PipelineDescription

let dtks = Pipeline(
    name: "dtks-lampung-tengah",
    description: "DTKS members of Kabupaten Lampung Tengah (pipe-separated export)",
    owner: "Dinas Sosial Kabupaten Lampung Tengah",
    schedule: .after("p3ke-lampung-tengah"),
    source: .socialRegistry(.dtks, path: "sample-data/dtks-*.txt", delimiter: .pipe, snapshot: "2025-09-30"),
    transforms: [
        .requireFields(["nik", "nama"]),
        .validateNIK(onInvalid: .quarantine),
        .normalizeName(),
        .resolveRegion(within: "18.02"),
    ],
    sink: .warehouse(.registry),
    expectations: [.maxQuarantineRate(0.10)]
)

// Benchmark: a P3KE registry export (scripts/bench/generate.py) into the registry tables.
// `make bench` passes the file with --input; `path` is only the default.
import PipelineDescription

let registry = Pipeline(
    name: "bench-registry",
    description: "Benchmark: P3KE family members of Lampung Tengah into the registry tables",
    owner: "Padu benchmark",
    source: .socialRegistry(.p3ke, path: "../../../.build/bench-data/registry-*.csv", snapshot: "2025-06-30"),
    transforms: [
        .requireFields(["nik", "nama", "no_kk"]),
        .validateNIK(onInvalid: .quarantine),
        .validateKK(onInvalid: .keep),
        .normalizeName(),
        .resolveRegion(within: "18.02", onUnresolved: .flag),
    ],
    sink: .warehouse(.registry),
    expectations: [.maxQuarantineRate(0.05)]
)

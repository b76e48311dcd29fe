// The scenario's registries: two P3KE snapshots and a DTSEN extract of Kabupaten Lampung Tengah.
import PipelineDescription

let registryChecks: [Transform] = [
    .validateNIK(onInvalid: .quarantine),
    .validateKK(onInvalid: .keep),
    .normalizeName(),
    .resolveRegion(within: "18.02", onUnresolved: .quarantine),
]

let p3ke2024 = Pipeline(
    name: "p3ke-2024",
    schedule: .manual,
    source: .socialRegistry(.p3ke, path: "../data/p3ke-lamteng-2024-06.csv", snapshot: "2024-06-30"),
    transforms: registryChecks,
    sink: .warehouse(.registry)
)

let p3ke2025 = Pipeline(
    name: "p3ke-2025",
    schedule: .after("p3ke-2024"),
    source: .socialRegistry(.p3ke, path: "../data/p3ke-lamteng-2025-06.csv", snapshot: "2025-06-30"),
    transforms: registryChecks,
    sink: .warehouse(.registry)
)

let dtsen = Pipeline(
    name: "dtsen-2025",
    schedule: .after("p3ke-2025"),
    source: .socialRegistry(.dtsen, path: "../data/dtsen-lamteng-2025-09.txt", snapshot: "2025-09-30"),
    transforms: registryChecks,
    sink: .warehouse(.registry)
)

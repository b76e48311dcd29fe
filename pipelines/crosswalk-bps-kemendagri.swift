// The crosswalk from BPS region codes to Kemendagri codes for Lampung, so the coverage report can
// show BPS poverty figures beside the registries (BPS 1805 is Kemendagri 18.02, Lampung Tengah).
import PipelineDescription

let crosswalk = Pipeline(
    name: "crosswalk-bps-kemendagri",
    description: "BPS ↔ Kemendagri region codes, Provinsi Lampung",
    owner: "Bappeda Provinsi Lampung",
    schedule: .manual,
    source: .regionCrosswalk(version: "BPS 2020 - Kepmendagri 2025", path: "sample-data/crosswalk-*.csv"),
    sink: .warehouse(.crosswalk)
)

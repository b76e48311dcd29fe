// BPS poverty figures and the crosswalk that places them on Kemendagri regions.
import PipelineDescription

let bps = Pipeline(
    name: "bps-p0",
    schedule: .manual,
    source: .bpsTable(path: "../data/bps-*.json"),
    sink: .warehouse(.indicators)
)

let crosswalk = Pipeline(
    name: "crosswalk",
    schedule: .manual,
    source: .regionCrosswalk(version: "BPS-Kemendagri 2024", path: "../data/crosswalk-bps-kemendagri.csv"),
    sink: .warehouse(.crosswalk)
)

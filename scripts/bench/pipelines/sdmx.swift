// Benchmark: an SDMX-ML 2.1 GenericData message of poverty indicators by desa (scripts/bench/
// generate.py) into the indicator table.
import PipelineDescription

let sdmx = Pipeline(
    name: "bench-sdmx",
    description: "Benchmark: BPS-style poverty indicators by desa of Lampung and year (SDMX)",
    owner: "Padu benchmark",
    source: .bpsTable(path: "../../../.build/bench-data/sdmx-*.xml"),
    sink: .warehouse(.indicators)
)

// BPS poverty headcount (P0) per kabupaten/kota in Lampung, from the BPS WebAPI.
//
// The sample answer in sample-data/ has the WebAPI's documented shape with synthetic
// values; it is not a BPS publication. Region codes stay BPS codes (1805 is Lampung Tengah
// for BPS, 18.02 for Kemendagri): the warehouse never joins them directly.
import PipelineDescription

let p0 = Pipeline(
    name: "bps-kemiskinan-lampung",
    description: "Persentase penduduk miskin (P0) menurut kabupaten/kota, Provinsi Lampung",
    owner: "Bappeda Provinsi Lampung",
    schedule: .cron("0 6 1 * *", timeZone: "WIB"),
    source: .bpsTable(path: "sample-data/bps-*.json"),
    sink: .warehouse(.indicators),
    expectations: [.maxQuarantineRate(0.2)]
)

import PaduCore

/// Which warehouse column each dataset fills from which field (the sink's column lineage).
enum WarehouseColumns {
    static let regionCode = ColumnDerivation("region_code", from: ["kode_desa", "kode_kecamatan", "kode_kabupaten", "kode_provinsi"], .derived,
                                             "the most detailed Kemendagri code of the row, dotted")

    static func lineage(dataset: String) -> [ColumnDerivation] {
        func direct(_ table: String, _ pairs: [(String, String)], note: String? = nil) -> [ColumnDerivation] {
            pairs.map { ColumnDerivation("\(table).\($0.0)", from: [$0.1], .direct, note) }
        }
        switch dataset {
        case "registry":
            let member: [(String, String)] = [("nik", "nik"), ("no_kk", "no_kk"), ("name", "nama"), ("sex", "jenis_kelamin"),
                                              ("birth_date", "tanggal_lahir"), ("birth_place", "tempat_lahir"),
                                              ("relationship", "hubungan_keluarga"), ("occupation", "pekerjaan")]
            let place: [(String, String)] = [("address", "alamat"), ("rt", "rt"), ("rw", "rw"), ("desa", "desa"), ("kecamatan", "kecamatan"),
                                             ("kabupaten", "kabupaten"), ("provinsi", "provinsi")]
            let merged = "merged: the latest loaded input that gives a value"
            return direct("registry_status", member + place + [
                ("registry", "registry"), ("registry_id", "registry_id"), ("desil", "desil"), ("pkh", "pkh"), ("bpnt", "bpnt"),
                ("pbi_jkn", "pbi_jkn"), ("blt", "blt"), ("snapshot_date", "snapshot_date"), ("status", "status_kepesertaan"),
                ("name_raw", "nama_raw"), ("name_key", "nama_key"), ("nik_status", "nik_status"), ("nik_notes", "nik_notes"),
                ("kk_status", "kk_status"), ("kk_notes", "kk_notes"), ("region_status", "region_status"), ("region_notes", "region_notes"),
            ]) + [prefixed("registry_status", regionCode)]
                + direct("person", member + [("name_key", "nama_key"), ("nik_status", "nik_status")], note: merged)
                + [prefixed("person", regionCode)]
                + direct("household", [("no_kk", "no_kk")] + place, note: merged)
                + [ColumnDerivation("household.head_nik", from: ["nik", "hubungan_keluarga"], .derived, "the member whose relationship is head of family"),
                   ColumnDerivation("household.head_name", from: ["nama", "hubungan_keluarga"], .derived, "the member whose relationship is head of family"),
                   prefixed("household", regionCode),
                   ColumnDerivation("region.code", from: ["kode_provinsi", "kode_kabupaten", "kode_kecamatan", "kode_desa"], .normalised, "dotted"),
                   ColumnDerivation("region.name", from: ["provinsi", "kabupaten", "kecamatan", "desa"], .direct, "the name beside the code")]
        case "assistance":
            return direct("assistance", [
                ("provider_kind", "provider_kind"), ("provider", "provider"), ("program", "program"), ("aid_kind", "jenis_bantuan"),
                ("asnaf", "asnaf"), ("level", "level"), ("nik", "nik"), ("no_kk", "no_kk"), ("name", "nama"), ("sex", "jenis_kelamin"),
                ("activity", "kegiatan"), ("volume", "volume"), ("unit", "satuan"), ("amount", "nilai"), ("date", "tanggal"),
                ("address", "alamat"), ("desa", "desa"), ("kecamatan", "kecamatan"), ("kabupaten", "kabupaten"), ("note", "keterangan"),
                ("program_code", "program_code"), ("need", "need"), ("region_code", "region_code"), ("name_raw", "nama_raw"),
                ("name_key", "nama_key"), ("birth_date", "tanggal_lahir"), ("nik_status", "nik_status"), ("nik_notes", "nik_notes"),
                ("region_status", "region_status"), ("region_notes", "region_notes"),
            ]) + [
                ColumnDerivation("assistance.amount_sen", from: ["nilai"], .derived, "the amount in 1/100 rupiah"),
                ColumnDerivation("assistance.period", from: ["tanggal"], .derived, "yyyy-mm of the date"),
                ColumnDerivation("assistance.person_nik", from: ["nik", "nik_status"], .derived, "the NIK when not marked invalid"),
                ColumnDerivation("assistance.match_key", from: ["provider_kind", "provider", "program", "jenis_bantuan", "nama_key", "region_code",
                                                                "tanggal_lahir", "tanggal", "nilai"], .derived, "a fingerprint of the record"),
            ]
        case "indicators":
            return direct("indicator", [("source", "source"), ("variable_code", "variable_code"), ("variable_label", "variable_label"),
                                        ("unit", "unit"), ("breakdown", "breakdown"), ("region_code_bps", "region_code"),
                                        ("region_label", "region_label"), ("period", "period"), ("value", "value"), ("source_key", "source_key")])
        case "crosswalk":
            return direct("region_crosswalk", [("version", "version"), ("bps_code", "kode_bps"), ("kemendagri_code", "kode_kemendagri"), ("name", "nama")])
        default:
            return []
        }
    }

    private static func prefixed(_ table: String, _ d: ColumnDerivation) -> ColumnDerivation {
        ColumnDerivation("\(table).\(d.output)", from: d.inputs, d.how, d.note)
    }
}

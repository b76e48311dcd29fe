import PaduCore
import PaduWarehouse

extension Reports {
    /// Everything known about one person: the consolidated row, every registry statement, the
    /// household and its members, every aid received, and possible identity matches waiting
    /// for a steward — each fact with the file and row it comes from.
    public func person(nik: String) throws -> [ReportTable] {
        let names = try sources()
        func src(_ r: SQLRow, _ input: Int, _ row: Int, _ sheet: Int) -> ReportValue {
            .text(Self.locator(names, input: r.int(input), sheet: r.text(sheet), row: r.int(row)))
        }
        var person = ReportTable(name: "person", title: "Person",
                                 columns: [ReportColumn("field", "Field"), ReportColumn("value", "Value"), ReportColumn("source", "Source")])
        var kk: String?
        try database.query("""
            SELECT nik, name, sex, birth_date, birth_place, no_kk, relationship, occupation, region_code, nik_status,
                   input_id, source_row, source_sheet FROM person WHERE nik = ?
            """, [.text(nik)]) { r in
            kk = r.text(5)
            let fields = [("NIK", r.text(0)), ("Name", r.text(1)), ("Sex", r.text(2)), ("Birth date", r.text(3)),
                          ("Birth place", r.text(4)), ("No. KK", r.text(5)), ("Relationship", r.text(6)), ("Occupation", r.text(7)),
                          ("Region", r.text(8).map { code in [code, regionName(code)].compactMap { $0 }.joined(separator: " ") }),
                          ("NIK check", r.text(9))]
            for (name, value) in fields where value != nil {
                person.rows.append([.text(name), ReportValue(value), src(r, 10, 11, 12)])
            }
        }
        let inAid = try database.scalar("SELECT 1 FROM assistance WHERE nik = ? OR person_nik = ? LIMIT 1", [.text(nik), .text(nik)]) != nil
        guard !person.rows.isEmpty || inAid else {
            throw ReportError("no person with NIK \(PersonalData.maskNIK(nik)) in the warehouse (neither in a registry nor in an aid record)")
        }
        person.notes = ["Values are the latest each input gives; the source is the row that last wrote the person."]

        var registries = ReportTable(name: "registries", title: "Registry statements",
            columns: [ReportColumn("registry", "Registry"), ReportColumn("snapshot", "Snapshot", .date), ReportColumn("desil", "Desil", .integer),
                      ReportColumn("status", "Status"), ReportColumn("programs", "Programs"), ReportColumn("no_kk", "No. KK"),
                      ReportColumn("name", "Name as written"), ReportColumn("source", "Source")])
        try database.query("""
            SELECT registry, snapshot_date, desil, status, pkh, bpnt, pbi_jkn, blt, no_kk, coalesce(name_raw, name), input_id, source_row, source_sheet
            FROM registry_status WHERE nik = ? ORDER BY snapshot_date, input_id
            """, [.text(nik)]) { r in
            let programs = [("PKH", 4), ("BPNT", 5), ("PBI-JKN", 6), ("BLT", 7)].filter { r.int($0.1) == 1 }.map(\.0)
            registries.rows.append([ReportValue(r.text(0)), CivilDate(iso: r.text(1)).map { .date($0) } ?? .null,
                                    r.int(2).map { .integer($0) } ?? .null, ReportValue(r.text(3)),
                                    .text(programs.joined(separator: ", ")), ReportValue(r.text(8)), ReportValue(r.text(9)), src(r, 10, 11, 12)])
        }

        var household = ReportTable(name: "household", title: "Household\(kk.map { " \($0)" } ?? "")",
            columns: [ReportColumn("nik", "NIK"), ReportColumn("name", "Name"), ReportColumn("relationship", "Relationship"),
                      ReportColumn("head", "Head"), ReportColumn("source", "Source")])
        if let kk {
            try database.query("""
                SELECT nik, name, relationship, is_head, input_id, source_row, source_sheet FROM household_member WHERE no_kk = ? ORDER BY is_head DESC, nik
                """, [.text(kk)]) { r in
                household.rows.append([ReportValue(r.text(0)), ReportValue(r.text(1)), ReportValue(r.text(2)),
                                       .text(r.int(3) == 1 ? "yes" : ""), src(r, 4, 5, 6)])
            }
            if case .int(let desil)? = try database.scalar("SELECT desil FROM household_desil WHERE no_kk = ?", [.text(kk)]) {
                household.notes.append("Household desil (latest snapshot): \(desil).")
            }
        }

        var aid = ReportTable(name: "aid", title: "Aid received (the person, or their household)",
            columns: [ReportColumn("date", "Date", .date), ReportColumn("recipient", "To"), ReportColumn("provider_kind", "Provider kind"),
                      ReportColumn("provider", "Provider"), ReportColumn("program", "Program"), ReportColumn("need", "Need"),
                      ReportColumn("amount", "Amount (Rp)", .rupiah), ReportColumn("identified_by", "Identified by"), ReportColumn("source", "Source")])
        try database.query("""
            SELECT r.date, CASE WHEN r.nik = ? THEN 'person' ELSE 'household' END, r.provider_kind, r.provider, r.program, r.need, r.amount_sen,
                   CASE WHEN r.origin <> 'assistance' THEN 'registry flag'
                        WHEN a.person_nik IS NOT NULL THEN 'NIK'
                        WHEN r.nik IS NOT NULL THEN 'confirmed match'
                        ELSE 'No. KK' END,
                   r.input_id, r.source_row, r.source_sheet
            FROM aid_received r LEFT JOIN assistance a ON r.origin = 'assistance' AND a.id = r.origin_id
            WHERE r.nik = ? OR (? IS NOT NULL AND r.no_kk_given = ? AND r.level = 'household')
            ORDER BY r.date, r.input_id, r.source_row
            """, [.text(nik), .text(nik), SQLValue(kk), SQLValue(kk)]) { r in
            aid.rows.append([CivilDate(iso: r.text(0)).map { .date($0) } ?? .null, ReportValue(r.text(1)), ReportValue(r.text(2)),
                             ReportValue(r.text(3)), ReportValue(r.text(4)), ReportValue(r.text(5)), r.int(6).map { .sen($0) } ?? .null,
                             ReportValue(r.text(7)), src(r, 8, 9, 10)])
        }

        var matches = ReportTable(name: "possible_matches", title: "Aid records that may be this person (waiting for a steward)",
            columns: [ReportColumn("match_id", "Match", .integer), ReportColumn("score", "Score", .integer), ReportColumn("basis", "Basis"),
                      ReportColumn("name", "Name in the record"), ReportColumn("provider", "Provider"), ReportColumn("date", "Date", .date),
                      ReportColumn("source", "Source")])
        try database.query("""
            SELECT m.id, m.score, m.basis, a.name, a.provider, a.date, a.input_id, a.source_row, a.source_sheet
            FROM identity_match m JOIN assistance a ON a.match_key = m.subject_key
            WHERE m.candidate_nik = ? AND m.status = 'possible' ORDER BY m.score DESC, m.id
            """, [.text(nik)]) { r in
            matches.rows.append([.integer(r.int(0) ?? 0), .integer(r.int(1) ?? 0), ReportValue(r.text(2)), ReportValue(r.text(3)),
                                 ReportValue(r.text(4)), CivilDate(iso: r.text(5)).map { .date($0) } ?? .null, src(r, 6, 7, 8)])
        }
        if !matches.rows.isEmpty { matches.notes = ["Confirm with `padu matches confirm ID`, or reject with `padu matches reject ID`."] }
        return [person, registries, household, aid, matches]
    }
}

import Foundation
import PaduCLI
import PaduReference
import PaduReports
import PaduWarehouse
import XCTest

/// A small piece of Kabupaten Lampung Tengah whose overlaps, exclusions, inclusion errors,
/// coverage and graduations are known by construction (the story is in
/// `scripts/make-scenario.py`), loaded from the real formats — `;` CSV with BOM, `|` text,
/// an XLSX written by xlsxwriter, a Baznas export, BPS WebAPI JSON, a crosswalk CSV — through
/// real pipeline files, then every report row checked.
final class ScenarioTests: PaduHarness {
    func load() throws -> Reports {
        let run = padu("run", "--all", "--pipelines", Self.scenario + "/pipelines")
        XCTAssertEqual(run.code, 0, run.err + run.out)
        return Reports(warehouse: try Warehouse(path: home + "/warehouse.sqlite"), catalog: try RegionCatalog.bundled())
    }

    /// The rows of `table` as text, one array per row, for the columns named.
    func rows(_ table: ReportTable, _ columns: [String]) -> [[String]] {
        (0..<table.rows.count).map { r in columns.map { table.value($0, row: r).plain } }
    }

    func testEveryReportRowIsKnownByConstruction() throws {
        let reports = try load()
        let y2025 = try ReportPeriod("2025")

        // Overlap: H1 gets food from Kemensos (BPNT flag in DTSEN) and the company, and health from
        // BPJS (PBI-JKN flag) and Baznas.
        let overlap = try reports.overlap(period: y2025)
        XCTAssertEqual(rows(overlap, ["period", "recipient", "no_kk", "name", "region_code", "need", "providers", "provider_list", "amount"]), [
            ["2025", "household", "1802010101150001", "BUDI SANTOSO", "18.02.01.2001", "food", "2",
             "APBN Kemensos (BPNT); CSR PT Sumber Agro Lestari (CSR-SAL-SEMBAKO)", "350000.00"],
            ["2025", "household", "1802010101150001", "BUDI SANTOSO", "18.02.01.2001", "health", "2",
             "APBN Kemenkes/BPJS Kesehatan (PBI-JKN); ZAKAT BAZNAS Kabupaten Lampung Tengah (BAZNAS-SEHAT)", "750000.00"],
        ])
        XCTAssertTrue(overlap.value("sources", row: 0).plain.contains("csr-sumber-agro-lestari-2025.xlsx:Penerima:5"))
        XCTAssertEqual(try reports.overlap(period: ReportPeriod("2024")).rows.count, 0)

        // Exclusion: desil-1 households with nothing; H5's aid is not attributed until a steward confirms it.
        let exclusion = try reports.exclusion(period: y2025)
        XCTAssertEqual(rows(exclusion, ["no_kk", "head_name", "desa", "kecamatan", "registry", "snapshot"]), [
            ["1802010202160002", "SUTRISNO", "Wayakrui", "Kalirejo", "P3KE", "2025-06-30"],
            ["1802020404180004", "AHMAD FAUZI", "Purwodadi", "Bangun Rejo", "P3KE", "2025-06-30"],
            ["1802020505190005", "SUPARMI", "Sido Dadi", "Bangun Rejo", "P3KE", "2025-06-30"],
        ])
        let kalirejo = try ReportRegion("1802.01", catalog: RegionCatalog.bundled())
        XCTAssertEqual(rows(try reports.exclusion(period: y2025, region: kalirejo), ["no_kk"]), [["1802010202160002"]])

        // Inclusion: aid outside the registries, in a high desil, or to nobody identifiable.
        let inclusion = try reports.inclusion(period: y2025)
        XCTAssertEqual(rows(inclusion, ["reason", "nik", "name", "desil", "provider", "need", "amount", "region_code"]), [
            ["not-in-registry", "1802014304900008", "DEWI LESTARI", "", "BAZNAS Kabupaten Lampung Tengah", "cash", "500000.00", "18.02.01.2005"],
            ["unidentified", "", "SUPARMI", "", "PT Sumber Agro Lestari", "food", "350000.00", "18.02.02.2002"],
            ["high-desil", "1802021505780009", "HENDRA WIJAYA", "8", "PT Sumber Agro Lestari", "cash", "1000000.00", "18.02.02.2003"],
            ["unidentified", "", "JOKO SUSILO", "", "PT Sumber Agro Lestari", "food", "350000.00", "18.02.02.2004"],
        ])

        // Coverage per kecamatan, with BPS P0 through the crosswalk (BPS 1805 = Kemendagri 18.02).
        let coverage = try reports.coverage(level: .kecamatan, period: y2025)
        XCTAssertEqual(rows(coverage, ["region_code", "region", "registered_desil1", "assisted_desil1", "share_assisted",
                                       "apbn_recipients", "csr_recipients", "csr_amount", "zakat_recipients", "zakat_amount", "bps_code"]), [
            ["18.02.01", "Kalirejo", "2", "1", "50.0", "1", "1", "350000.00", "3", "2250000.00", "1805"],
            ["18.02.02", "Bangun Rejo", "2", "0", "0.0", "0", "4", "26700000.00", "0", "", "1805"],
        ])
        XCTAssertEqual(coverage.value("bps_indicators", row: 0).plain, "Persentase Penduduk Miskin (P0) (2024): 10.32 Persen")
        let byDesa = try reports.coverage(level: .desa, period: y2025)
        XCTAssertEqual(rows(byDesa, ["region_code", "region", "registered_desil1", "assisted_desil1"]), [
            ["18.02.01.2001", "Sri Way Langsep", "1", "1"], ["18.02.01.2002", "Wayakrui", "1", "0"],
            ["18.02.01.2003", "Kalirejo", "0", "0"], ["18.02.01.2005", "Watu Agung", "0", "0"],
            ["18.02.02.2001", "Purwodadi", "1", "0"], ["18.02.02.2002", "Sido Dadi", "1", "0"],
            ["18.02.02.2003", "Sido Rejo", "0", "0"], ["18.02.02.2004", "Cimarias", "0", "0"],
        ])

        // Graduation between the two P3KE snapshots.
        let graduation = try reports.graduation()
        XCTAssertEqual(graduation.parameters.map(\.1), ["P3KE", "2024-06-30", "2025-06-30"])
        XCTAssertEqual(rows(graduation, ["outcome", "no_kk", "head_name", "desil_from", "desil_to"]), [
            ["improved", "1802010303170003", "I WAYAN SUDARTA", "1", "3"],
            ["fell-back", "1802020404180004", "AHMAD FAUZI", "2", "1"],
        ])
        XCTAssertTrue(graduation.notes[1].contains("unchanged 3"), graduation.notes[1])

        // The NIK with day 32 was kept out, with its reason.
        let w = try Warehouse(path: home + "/warehouse.sqlite")
        XCTAssertEqual(try w.database.scalar("SELECT reason_code FROM quarantine WHERE stage = 'validate-nik'"), .text("nik-bad-date"))
    }

    func testTheSQLViewsGiveTheReportsAnswers() throws {
        let reports = try load()
        let db = try Warehouse(path: home + "/warehouse.sqlite").database
        func column(_ sql: String) throws -> [String] {
            var out: [String] = []
            try db.query(sql) { row in out.append((0..<row.count).map { row.text($0) ?? "" }.joined(separator: "|")) }
            return out
        }
        XCTAssertEqual(try column("SELECT year, recipient, need, providers, amount_sen FROM report_overlap ORDER BY year, recipient, need"),
                       ["2025|1802010101150001|food|2|35000000", "2025|1802010101150001|health|2|75000000"])
        XCTAssertEqual(try column("SELECT no_kk FROM report_exclusion ORDER BY region_code, no_kk"),
                       rows(try reports.exclusion(), ["no_kk"]).map { $0[0] })
        XCTAssertEqual(try column("SELECT reason || ' ' || coalesce(name, '') FROM report_inclusion ORDER BY region_code, input_id, source_sheet, source_row"),
                       rows(try reports.inclusion(), ["reason", "name"]).map { $0.joined(separator: " ") })
    }

    func testAStewardConfirmsAMatchAndTheReportsFollow() throws {
        _ = try load()
        let list = padu("matches", "list", "--format", "json")
        XCTAssertEqual(list.code, 0, list.err)
        XCTAssertTrue(list.out.contains("\"candidate_nik\":\"1802025010600007\""), list.out)
        XCTAssertTrue(list.out.contains("\"basis\":\"name+desa\""), list.out)
        XCTAssertEqual(padu("matches", "confirm", "1", "--note", "checked with the desa office").code, 0)
        XCTAssertEqual(padu("matches", "confirm", "99").code, 4)

        let reports = Reports(warehouse: try Warehouse(path: home + "/warehouse.sqlite"), catalog: try RegionCatalog.bundled())
        let y2025 = try ReportPeriod("2025")
        XCTAssertEqual(rows(try reports.exclusion(period: y2025), ["no_kk"]), [["1802010202160002"], ["1802020404180004"]])
        XCTAssertEqual(rows(try reports.inclusion(period: y2025), ["reason", "name"]),
                       [["not-in-registry", "DEWI LESTARI"], ["high-desil", "HENDRA WIJAYA"], ["unidentified", "JOKO SUSILO"]])

        // The decision survives loading the same workbook again.
        let again = padu("run", "csr-sal", "--force", "--pipelines", Self.scenario + "/pipelines")
        XCTAssertEqual(again.code, 0, again.err)
        XCTAssertEqual(rows(try reports.exclusion(period: y2025), ["no_kk"]).count, 2)
        let confirmed = padu("matches", "list", "--status", "confirmed", "--format", "csv")
        XCTAssertTrue(confirmed.out.contains("checked with the desa office"), confirmed.out)
        XCTAssertTrue(confirmed.out.contains("walidata"), confirmed.out)
    }

    func testPersonAndTheOutputFormats() throws {
        _ = try load()
        let person = padu("person", "1802011203800001")
        XCTAssertEqual(person.code, 0, person.err)
        for expected in ["BUDI SANTOSO", "p3ke-lamteng-2024-06.csv:2", "p3ke-lamteng-2025-06.csv:2", "dtsen-lamteng-2025-09.txt:2",
                         "BPNT", "SITI AMINAH", "CSR-SAL-SEMBAKO", "csr-sumber-agro-lestari-2025.xlsx:Penerima:5", "Sri Way Langsep"] {
            XCTAssertTrue(person.out.contains(expected), "\(expected) missing in:\n\(person.out)")
        }
        XCTAssertEqual(padu("person", "1802019999990001").code, 4)
        XCTAssertEqual(padu("person", "12345").code, 2)

        let json = padu("report", "coverage", "--level", "kecamatan", "--period", "2025", "--format", "json")
        XCTAssertEqual(json.code, 0, json.err)
        let doc = try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any]
        let rows = doc?["rows"] as? [[String: Any]]
        XCTAssertEqual(rows?.count, 2)
        XCTAssertEqual(rows?.first?["zakat_amount"] as? String, "2250000.00")

        let csv = padu("report", "overlap", "--format", "csv")
        XCTAssertTrue(csv.out.hasPrefix("\u{FEFF}period,recipient,no_kk"), csv.out)

        let out = home + "/exclusion.xlsx"
        let xlsx = padu("report", "exclusion", "--period", "2025", "--format", "xlsx", "--out", out)
        XCTAssertEqual(xlsx.code, 0, xlsx.err)
        let mode = try FileManager.default.attributesOfItem(atPath: out)[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o600)
        XCTAssertEqual(padu("report", "exclusion", "--format", "xlsx").code, 2)
        XCTAssertEqual(padu("report", "coverage", "--region", "99.99").code, 2)
        XCTAssertEqual(padu("report", "overlap", "--period", "2025-13").code, 2)
        XCTAssertTrue(padu("report", "overlp").err.contains("did you mean overlap"))
    }
}

import Foundation
import PaduCLI
import PaduCore
import PaduFormats
import PaduReference
import PaduReports
import PaduWarehouse
import XCTest

/// Walidata questions: where did this value come from, what did this file change. Values are
/// sampled from the warehouse, traced, and the traced file opened at the traced place to find
/// the raw value there — a CSV line, an XLSX cell row, an SDMX-ML observation.
final class LineageTests: PaduHarness {
    var extra: String!

    override func setUpWithError() throws {
        try super.setUpWithError()
        extra = home + "-pipelines"
        try FileManager.default.createDirectory(atPath: extra, withIntermediateDirectories: true)
    }

    override func tearDown() {
        super.tearDown()
        try? FileManager.default.removeItem(atPath: extra)
    }

    /// The scenario's pipelines, and an SDMX-ML pipeline on the readers' GenericData fixture.
    func load() throws -> (Reports, Warehouse) {
        let sdmx = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().path
            + "/PaduFormatsTests/Fixtures/sdmx/generic-p0-lampung.xml"
        try """
            import PipelineDescription
            let sdmx = Pipeline(name: "bps-sdmx", schedule: .manual, source: .bpsTable(path: "\(sdmx)"), sink: .warehouse(.indicators))
            """.write(toFile: extra + "/sdmx.swift", atomically: true, encoding: .utf8)
        for args: [String] in [["run", "--all", "--pipelines", Self.scenario + "/pipelines"], ["run", "--all", "--pipelines", extra!]] {
            let run = padu(args)
            XCTAssertEqual(run.code, 0, run.err + run.out)
        }
        let warehouse = try Warehouse(path: home + "/warehouse.sqlite")
        return (Reports(warehouse: warehouse, catalog: try RegionCatalog.bundled()), warehouse)
    }

    /// The file's lines as a text editor numbers them (split at LF bytes; CRLF stays one line end).
    func physicalLines(_ path: String) throws -> [String] {
        try Data(contentsOf: URL(fileURLWithPath: path)).split(separator: 0x0A, omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) }
    }

    /// `item → value` of a trace's `source` table.
    func source(_ tables: [ReportTable]) -> [String: String] {
        guard let t = tables.first(where: { $0.name == "source" }) else { return [:] }
        return Dictionary(uniqueKeysWithValues: (0..<t.rows.count).map { (t.value("item", row: $0).plain, t.value("value", row: $0).plain) })
    }

    /// The value of `field` as it was in the file: the raw value of its correction, else the value itself.
    func raw(_ tables: [ReportTable], field: String) -> String? {
        if let c = tables.first(where: { $0.name == "corrections" }),
           let r = (0..<c.rows.count).first(where: { c.value("column", row: $0).plain == field }) {
            return c.value("raw_value", row: r).plain
        }
        guard let row = tables.first(where: { $0.name == "row" }),
              let r = (0..<row.rows.count).first(where: { row.value("field", row: $0).plain == field }) else { return nil }
        return row.value("value", row: r).plain
    }

    func testSampledValuesTraceBackToTheirCellInCSVXLSXAndXML() throws {
        let (reports, warehouse) = try load()
        var sampled = 0

        // CSV: every person's name and NIK, from the registry line that last wrote it.
        var people: [String] = []
        try warehouse.database.query("SELECT nik FROM person ORDER BY nik") { people.append($0.text(0)!) }
        XCTAssertEqual(people.count, 8)
        for nik in people {
            let trace = try reports.trace(RowReference(table: "person", key: nik))
            let src = source(trace)
            // Physical lines, as the locator counts them (CRLF is one line end).
            let lines = try physicalLines(src["file"]!)
            let line = String(lines[Int(src["row"]!)! - 1])
            XCTAssertTrue(line.contains(nik), "\(src["file"]!):\(src["row"]!) lacks the NIK: \(line)")
            XCTAssertTrue(line.contains(raw(trace, field: "name")!), "\(line)")
            XCTAssertEqual(try SHA256.hash(fileAt: src["file"]!).hex, src["sha256"])
            sampled += 1
        }

        // XLSX: each aid record of the company's workbook, in its sheet and row, where the name as
        // written (before normalize-name) and the amount are cells.
        var aid: [Int64] = []
        try warehouse.database.query("SELECT a.id FROM assistance a JOIN inputs i ON i.id = a.input_id WHERE i.path LIKE '%.xlsx' ORDER BY a.id") {
            aid.append($0.int(0)!)
        }
        XCTAssertEqual(aid.count, 5)
        for id in aid {
            let trace = try reports.trace(RowReference(table: "assistance", key: String(id)))
            let src = source(trace)
            let sheet = try XLSXWorkbook(path: src["file"]!).sheet(named: src["sheet"]!)
            var cells: [String] = []
            var byColumn: [Int: String] = [:]
            while let row = try sheet.nextRow() {
                if row.number == Int(src["row"]!)! {
                    cells = row.cells.map { "\($0.value)" }
                    for c in row.cells { byColumn[c.column - 1] = "\(c.value)" }  // XLSXCell.column is 1-based
                    break
                }
            }
            // The cell the trace names for the amount holds the amount.
            let cellTable = try XCTUnwrap(trace.first { $0.name == "cells" })
            if let r = (0..<cellTable.rows.count).first(where: { cellTable.value("column", row: $0).plain == "amount" }) {
                let ref = cellTable.value("cell", row: r).plain            // e.g. Penerima!E7
                let letters = ref.split(separator: "!").last!.prefix { $0.isLetter }
                let index = letters.unicodeScalars.reduce(0) { $0 * 26 + Int($1.value) - 64 } - 1
                let amount = raw(trace, field: "amount")!.replacingOccurrences(of: ".00", with: "")
                let value = byColumn[index] ?? ""
                XCTAssertTrue(value.contains(amount) || value.contains("1.000.000"), "\(ref): \(value) vs \(amount)")
            } else {
                XCTFail("no cell for the amount of assistance:\(id)")
            }
            let joined = cells.joined(separator: " | ")
            let name = raw(trace, field: "name") ?? ""
            let expected = name.isEmpty ? raw(trace, field: "activity")! : name
            XCTAssertTrue(joined.contains(expected), "\(src["sheet"]!)!\(src["row"]!): \(joined) lacks \(expected)")
            let amount = raw(trace, field: "amount")!.replacingOccurrences(of: ".00", with: "")
            XCTAssertTrue(joined.contains(amount) || joined.contains(amount.replacingOccurrences(of: "000000", with: ".000.000")), joined)
            sampled += 1
        }

        // XML: each SDMX observation, at the line of its <Obs> element.
        var obs: [Int64] = []
        try warehouse.database.query("SELECT x.id FROM indicator x JOIN inputs i ON i.id = x.input_id WHERE i.path LIKE '%.xml' ORDER BY x.id") {
            obs.append($0.int(0)!)
        }
        XCTAssertGreaterThan(obs.count, 0)
        for id in obs {
            let trace = try reports.trace(RowReference(table: "indicator", key: String(id)))
            let src = source(trace)
            let lines = try physicalLines(src["file"]!)
            let start = Int(src["row"]!)! - 1
            XCTAssertTrue(lines[start].contains("Obs"), String(lines[start]))
            let element = lines[start...].prefix { !$0.contains("</generic:Obs>") }.joined(separator: "\n")
            XCTAssertTrue(element.contains("value=\"\(raw(trace, field: "value")!)\""), element)
            XCTAssertTrue(element.contains(raw(trace, field: "period")!), element)
            sampled += 1
        }
        XCTAssertGreaterThan(sampled, 15)

        // The JSON form carries the same chain.
        let json = padu("lineage", "trace", "--nik", "1802011203800001", "--json")
        XCTAssertEqual(json.code, 0, json.err)
        let docs = try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [[String: Any]]
        XCTAssertEqual(docs?.map { $0["report"] as? String }, ["row", "source", "cells", "corrections", "contributions", "records"])
        XCTAssertEqual((docs?[4]["rows"] as? [Any])?.count, 3)  // P3KE 2024, P3KE 2025, DTSEN
        XCTAssertEqual(padu("lineage", "trace", "person:1802019999990001").code, 4)
        XCTAssertEqual(padu("lineage", "trace", "nosuch:1").code, 2)
    }

    func testCorrectionsKeepTheRawValueAndTheRule() throws {
        let (reports, _) = try load()
        // The company wrote "Ibu Suparmi"; normalize-name made it SUPARMI.
        let trace = try reports.trace(RowReference(table: "assistance", key: "2"))
        let c = trace.first { $0.name == "corrections" }!
        let names = (0..<c.rows.count).filter { c.value("field", row: $0).plain == "nama" }
        XCTAssertEqual(names.map { c.value("column", row: $0).plain }, ["name"])
        XCTAssertEqual(names.count, 1)
        XCTAssertEqual(c.value("raw_value", row: names[0]).plain, "Ibu Suparmi")
        XCTAssertEqual(c.value("new_value", row: names[0]).plain, "SUPARMI")
        XCTAssertEqual(c.value("rule", row: names[0]).plain, "normalize-name@1.0")
        // DTSEN gave its desa code undotted; resolve-region dotted it: notation, not a correction. The trace
        // names the cell holding the code as written.
        let person = try reports.trace(RowReference(table: "registry_status", key: "15"))
        let corrections = person.first { $0.name == "corrections" }
        XCTAssertFalse((0..<(corrections?.rows.count ?? 0)).contains { corrections?.value("column", row: $0).plain == "region_code" })
        let cells = try XCTUnwrap(person.first { $0.name == "cells" })
        XCTAssertTrue((0..<cells.rows.count).contains { cells.value("column", row: $0).plain == "region_code" }, "\(cells.rows)")
    }

    func testRetractRemovesExactlyWhatTheFileContributed() throws {
        let (reports, warehouse) = try load()
        let y2025 = try ReportPeriod("2025")
        XCTAssertEqual(try reports.overlap(period: y2025).rows.count, 2)
        let before = try warehouse.database.scalar("SELECT count(*) FROM registry_status")

        // The DTSEN extract carried H1's BPNT and PBI-JKN flags and H7's desil 8.
        let dtsen = Self.scenario + "/data/dtsen-lamteng-2025-09.txt"
        let retract = padu("retract", dtsen, "--note", "sent by mistake")
        XCTAssertEqual(retract.code, 0, retract.err)
        XCTAssertTrue(retract.out.contains("3 registry_status"), retract.out)
        XCTAssertTrue(retract.out.contains("1 person"), retract.out)   // Hendra Wijaya: only in DTSEN
        XCTAssertEqual(try warehouse.database.scalar("SELECT count(*) FROM registry_status"), before.map { if case .int(let n) = $0 { return .int(n - 3) }; return $0 })
        XCTAssertEqual(try warehouse.database.scalar("SELECT status FROM inputs WHERE path = ?", [.text(dtsen)]), .text("retracted"))
        XCTAssertNil(try warehouse.database.scalar("SELECT 1 FROM person WHERE nik = '1802021505780009'"))
        // Budi stays (P3KE has him), his lineage now points at P3KE 2025.
        let budi = try reports.trace(RowReference(table: "person", key: "1802011203800001"))
        XCTAssertTrue(source(budi)["file"]!.hasSuffix("p3ke-lamteng-2025-06.csv"))
        // Reports follow: no more overlap (the flags were DTSEN's); Hendra's aid is now outside every registry.
        XCTAssertEqual(try reports.overlap(period: y2025).rows.count, 0)
        let inclusion = try reports.inclusion(period: y2025)
        XCTAssertTrue((0..<inclusion.rows.count).contains {
            inclusion.value("name", row: $0).plain == "HENDRA WIJAYA" && inclusion.value("reason", row: $0).plain == "not-in-registry"
        })
        // The event is recorded, and the file's history says so.
        let input = padu("lineage", "input", dtsen)
        XCTAssertTrue(input.out.contains("retract") && input.out.contains("sent by mistake") && input.out.contains("walidata"), input.out)
        XCTAssertEqual(padu("retract", dtsen).code, 4)
        // Loading it again brings it back.
        XCTAssertEqual(padu("run", "dtsen-2025", "--force", "--pipelines", Self.scenario + "/pipelines").code, 0)
        XCTAssertEqual(try reports.overlap(period: y2025).rows.count, 2)
    }

    func testHistoryKeepsTheEarlierVersionOfAChangedPerson() throws {
        let (reports, _) = try load()
        // A corrected DTSEN extract spells Budi's name differently and moves him to Wayakrui.
        let folder = home + "-fix"
        try FileManager.default.createDirectory(atPath: folder + "/data", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try """
            ID DTSEN|NIK|NOKK|NAMA|JK|TGL LAHIR|SHDK|KODE WILAYAH|DESIL NASIONAL
            DT-0001|1802011203800001|1802010101150001|BUDI SANTOSA|L|12/03/1980|KEPALA KELUARGA|1802012002|1

            """.write(toFile: folder + "/data/dtsen-fix.txt", atomically: true, encoding: .utf8)
        try """
            import PipelineDescription
            let fix = Pipeline(name: "dtsen-fix", schedule: .manual,
                               source: .socialRegistry(.dtsen, path: "../data/dtsen-fix.txt", snapshot: "2025-10-31"),
                               transforms: [.normalizeName(), .resolveRegion(within: "18.02")], sink: .warehouse(.registry))
            """.write(toFile: folder + "/pipelines.swift", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: folder + "/p", withIntermediateDirectories: true)
        try FileManager.default.moveItem(atPath: folder + "/pipelines.swift", toPath: folder + "/p/fix.swift")
        XCTAssertEqual(padu("run", "dtsen-fix", "--pipelines", folder + "/p").code, 0)

        let history = try reports.history(RowReference(table: "person", key: "1802011203800001"))
        XCTAssertEqual(history.rows.count, 1)
        XCTAssertTrue(history.value("values", row: 0).plain.contains("\"name\":\"BUDI SANTOSO\""), history.value("values", row: 0).plain)
        XCTAssertTrue(history.value("values", row: 0).plain.contains("18.02.01.2001"))
        XCTAssertTrue(history.value("by", row: 0).plain.contains("dtsen-fix.txt"), history.value("by", row: 0).plain)
        XCTAssertEqual(history.value("change", row: 0).plain, "update")
        let cli = padu("lineage", "history", "person:1802011203800001")
        XCTAssertEqual(cli.code, 0, cli.err)
        XCTAssertTrue(cli.out.contains("BUDI SANTOSO"), cli.out)
    }

    func testTheGraphLinksFilesPipelinesTablesAndReports() throws {
        _ = try load()
        let dot = padu("lineage", "graph")
        XCTAssertEqual(dot.code, 0, dot.err)
        XCTAssertTrue(dot.out.hasPrefix("digraph padu_lineage {"), dot.out)
        XCTAssertTrue(dot.out.contains("\"file:1\" -> \"pipeline:p3ke-2024\""), dot.out)
        XCTAssertTrue(dot.out.contains("\"pipeline:csr-sal\" -> \"table:assistance\""), dot.out)
        XCTAssertTrue(dot.out.contains("\"table:region_crosswalk\" -> \"report:coverage\""), dot.out)
        let mermaid = padu("lineage", "graph", "--pipeline", "baznas", "--format", "mermaid")
        XCTAssertTrue(mermaid.out.hasPrefix("flowchart LR"), mermaid.out)
        XCTAssertFalse(mermaid.out.contains("p3ke"), mermaid.out)
        XCTAssertEqual(padu("lineage", "graph", "--pipeline", "nope").code, 4)
        let svg = padu("lineage", "graph", "--format", "svg")
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/dot") {
            XCTAssertTrue(svg.out.contains("<svg"), svg.out)
        } else {
            XCTAssertEqual(svg.code, 1)
            XCTAssertTrue(svg.err.contains("apt-get install graphviz"), svg.err)
        }
    }

    func testEveryRunEmitsOpenLineageEventsThatValidateAgainstTheSchema() throws {
        _ = try load()
        // A run whose only input fails emits FAIL with the error.
        let folder = home + "-broken"
        try FileManager.default.createDirectory(atPath: folder + "/data", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "NAMA;NO KK\r\nBUDI;1802010101150001\r\n".write(toFile: folder + "/data/p3ke.csv", atomically: true, encoding: .utf8)
        try """
            import PipelineDescription
            let broken = Pipeline(name: "p3ke-broken", schedule: .manual, source: .socialRegistry(.p3ke, path: "data/p3ke.csv"), sink: .warehouse(.registry))
            """.write(toFile: folder + "/broken.swift", atomically: true, encoding: .utf8)
        XCTAssertEqual(padu("run", "p3ke-broken", "--pipelines", folder).code, 1)

        let outbox = home + "/openlineage/outbox.jsonl"
        let lines = try String(contentsOfFile: outbox, encoding: .utf8).split(separator: "\n").map(String.init)
        let events = lines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        XCTAssertEqual(events.count, lines.count)
        // The scenario's 7 runs and the SDMX one, then the broken one: a START and an end each.
        XCTAssertEqual(events.count, 18)
        let ends = events.filter { ($0["eventType"] as? String) != "START" }
        XCTAssertEqual(ends.map { $0["eventType"] as? String }.filter { $0 == "COMPLETE" }.count, 8)
        let failed = try XCTUnwrap(ends.last)
        XCTAssertEqual(failed["eventType"] as? String, "FAIL")
        let runFacets = (failed["run"] as? [String: Any])?["facets"] as? [String: Any]
        XCTAssertTrue(((runFacets?["errorMessage"] as? [String: Any])?["message"] as? String)?.contains("no column for nik") ?? false)
        // Inputs as file://host/path, outputs as warehouse tables with their row counts.
        let csr = try XCTUnwrap(ends.first { ($0["job"] as? [String: Any])?["name"] as? String == "csr-sal" })
        let input = try XCTUnwrap((csr["inputs"] as? [[String: Any]])?.first)
        XCTAssertEqual(input["namespace"] as? String, "file://" + ProcessInfo.processInfo.hostName)
        XCTAssertTrue((input["name"] as? String)?.hasSuffix("csr-sumber-agro-lestari-2025.xlsx") ?? false)
        let output = try XCTUnwrap((csr["outputs"] as? [[String: Any]])?.first)
        XCTAssertEqual(output["name"] as? String, "assistance")
        XCTAssertEqual(((output["outputFacets"] as? [String: Any])?["outputStatistics"] as? [String: Any])?["rowCount"] as? Int, 5)
        // Column lineage: assistance.name comes from the source field nama, normalised.
        let lineage = ((output["facets"] as? [String: Any])?["columnLineage"] as? [String: Any])?["fields"] as? [String: Any]
        let name = ((lineage?["name"] as? [String: Any])?["inputFields"] as? [[String: Any]])?.first
        XCTAssertEqual(name?["field"] as? String, "nama")
        XCTAssertEqual(((name?["transformations"] as? [[String: Any]])?.first)?["subtype"] as? String, "TRANSFORMATION")
        // START and its end share the run id; Padu's run number is in the padu facet.
        let runIDs = events.map { ($0["run"] as? [String: Any])?["runId"] as? String ?? "" }
        XCTAssertEqual(Set(runIDs).count, 9)

        // The OpenLineage 2-0-2 schemas (RunEvent and every standard facet), with jsonschema.
        let validator = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
            + "/scripts/validate-openlineage.py"
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        check.arguments = ["python3", "-c", "import jsonschema, referencing"]
        try check.run()
        check.waitUntilExit()
        if check.terminationStatus != 0 {
            if ProcessInfo.processInfo.environment["CI"] != nil {
                XCTFail("python3 with jsonschema is needed to validate the events (.ci/run installs it)")
            }
            throw XCTSkip("python3 with jsonschema is not installed: pip install jsonschema")
        }
        let validate = Process()
        validate.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        validate.arguments = ["python3", validator, outbox]
        let pipe = Pipe()
        validate.standardOutput = pipe
        try validate.run()
        let report = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        validate.waitUntilExit()
        XCTAssertEqual(validate.terminationStatus, 0, report)
        XCTAssertTrue(report.contains("18 events, 0 errors"), report)
    }

    func testColumnLineageNamesTheStagesBackToTheFileColumn() throws {
        _ = try load()
        let columns = padu("lineage", "columns", "assistance", "--pipeline", "csr-sal", "--json")
        XCTAssertEqual(columns.code, 0, columns.err)
        let doc = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(columns.out.utf8)) as? [String: Any])
        let rows = try XCTUnwrap(doc["rows"] as? [[String: Any]])
        func row(_ column: String) -> [String: Any]? { rows.first { $0["column"] as? String == column } }
        XCTAssertEqual(row("name")?["how"] as? String, "normalised")
        XCTAssertTrue((row("name")?["lineage"] as? String)?.contains("[normalize-name: normalised") ?? false)
        XCTAssertTrue((row("name")?["lineage"] as? String)?.contains("column Nama") ?? false)
        XCTAssertEqual(row("amount")?["how"] as? String, "parsed")
        XCTAssertEqual(row("provider_kind")?["how"] as? String, "constant")
        XCTAssertEqual(row("need")?["how"] as? String, "derived")
        XCTAssertEqual(padu("lineage", "columns", "no_such_table").code, 4)
    }

    func testNoLogLineCarriesAWholeNIK() throws {
        // Everything this suite's commands logged to the home folder: runs, lineage, retraction,
        // a failing run whose messages quote NIKs.
        _ = try load()
        padu("lineage", "trace", "--nik", "1802011203800001")
        padu("retract", Self.scenario + "/data/dtsen-lamteng-2025-09.txt")
        padu("run", "dtsen-2025", "--force", "--pipelines", Self.scenario + "/pipelines", "--log-level", "debug")
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: home + "/logs")) ?? []).map { home + "/logs/" + $0 }
        XCTAssertFalse(files.isEmpty)
        var lines = 0
        for file in files {
            for line in try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n") {
                lines += 1
                XCTAssertNil(line.range(of: "[0-9]{16}", options: .regularExpression), String(line))
            }
        }
        XCTAssertGreaterThan(lines, 20)
    }
}

import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import PaduCLI
import PaduReports
import PaduWarehouse
import XCTest

/// `padu report html --out DIR`: a static page for stewards with the pipelines' last runs, recent
/// runs, rows kept out and the lineage graph as inline SVG — offline, escaped, no whole NIK.
final class HTMLReportTests: PaduHarness {
    func load() throws -> Warehouse {
        let run = padu("run", "--all", "--pipelines", Self.scenario + "/pipelines")
        XCTAssertEqual(run.code, 0, run.err + run.out)
        return try Warehouse(path: home + "/warehouse.sqlite")
    }

    func write() throws -> (html: String, svg: String) {
        let out = home + "/html"
        let r = padu("report", "html", "--out", out)
        XCTAssertEqual(r.code, 0, r.err + r.out)
        XCTAssertTrue(r.err.contains("index.html"), r.err)
        let attributes = try FileManager.default.attributesOfItem(atPath: out + "/index.html")
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o600)
        return (try String(contentsOfFile: out + "/index.html", encoding: .utf8),
                try String(contentsOfFile: out + "/graph.svg", encoding: .utf8))
    }

    /// Parses `xml`; the error, or nil when it is well-formed.
    func xmlError(_ xml: String) -> String? {
        let parser = XMLParser(data: Data(xml.utf8))
        return parser.parse() ? nil : "\(parser.parserError.map { "\($0)" } ?? "not well-formed") at line \(parser.lineNumber)"
    }

    func matches(_ pattern: String, _ text: String) throws -> [String] {
        let re = try NSRegularExpression(pattern: pattern, options: [.caseInsensitive])
        return re.matches(in: text, range: NSRange(text.startIndex..., in: text)).map { String(text[Range($0.range, in: text)!]) }
    }

    func testThePageHasThePipelinesRunsRowsKeptOutAndTheGraph() throws {
        let warehouse = try load()
        var pipelines: [String] = []
        try warehouse.database.query("SELECT DISTINCT pipeline FROM runs ORDER BY 1") { pipelines.append($0.text(0)!) }
        XCTAssertGreaterThanOrEqual(pipelines.count, 5)
        let (html, svg) = try write()

        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>"))
        XCTAssertTrue(html.contains("<meta charset=\"utf-8\">"))
        for id in ["pipelines", "runs", "quarantine", "lineage"] { XCTAssertTrue(html.contains("<section id=\"\(id)\">"), id) }
        let pipelineSection = String(html[html.range(of: "<section id=\"pipelines\">")!.lowerBound..<html.range(of: "<section id=\"runs\">")!.lowerBound])
        for p in pipelines {
            XCTAssertTrue(pipelineSection.contains("<th scope=\"row\">\(p)</th>"), p)
            XCTAssertTrue(svg.contains(">\(p)</text>"), "graph lacks \(p)")
        }
        var runCount = 0
        try warehouse.database.query("SELECT count(*) FROM runs") { runCount = Int($0.int(0)!) }
        let runSection = String(html[html.range(of: "<section id=\"runs\">")!.lowerBound..<html.range(of: "<section id=\"quarantine\">")!.lowerBound])
        XCTAssertEqual(try matches("<tr><td class=\"num\">\\d+</td>", runSection).count, min(runCount, 50))
        XCTAssertTrue(runSection.contains("succeeded"))

        // The graph: well-formed XML inline and as a file, a box per node, a path per edge.
        let start = html.range(of: "<svg ")!.lowerBound, end = html.range(of: "</svg>")!.upperBound
        let inline = String(html[start..<end])
        XCTAssertNil(xmlError(inline))
        XCTAssertNil(xmlError(svg))
        let graph = try Reports(warehouse: warehouse, catalog: nil).lineageGraph()
        XCTAssertGreaterThan(graph.nodes.count, 10)
        XCTAssertEqual(inline.components(separatedBy: "<g class=\"node ").count - 1, graph.nodes.count)
        XCTAssertEqual(inline.components(separatedBy: "marker-end=\"url(#arrow)\"").count - 1, graph.edges.count)
        for kind in ["file", "pipeline", "table", "report"] { XCTAssertTrue(inline.contains("<g class=\"node \(kind)\">"), kind) }

        // Offline: nothing fetched from anywhere; no scripts at all.
        XCTAssertEqual(try matches("(src|href)\\s*=\\s*[\"']?\\s*(https?:|//|ftp:|file:)", html), [])
        XCTAssertEqual(try matches("<script|<link|<img|<iframe|@import|url\\(\\s*[\"']?(https?:|//)", html), [])
        // No whole NIK (nor any 16-digit number) anywhere.
        XCTAssertEqual(try matches("(?<![0-9])[0-9]{16}(?![0-9])", html + svg), [])
        // The scenario keeps rows out: they are summarised by pipeline and reason.
        var kept = 0
        try warehouse.database.query("SELECT count(*) FROM quarantine q JOIN inputs i ON i.id = q.input_id AND i.status = 'loaded'") { kept = Int($0.int(0)!) }
        if kept > 0 { XCTAssertFalse(html.contains("No row kept out."), "rows kept out but none shown") }
    }

    func testTextFromTheWarehouseIsEscapedAndNIKsMasked() throws {
        let warehouse = try load()
        let evil = "<script>alert('x')</script>"
        let db = warehouse.database
        var run: Int64 = 0, input: Int64 = 0
        try db.query("SELECT id FROM runs ORDER BY id DESC LIMIT 1") { run = $0.int(0)! }
        try db.query("SELECT id FROM inputs WHERE status = 'loaded' ORDER BY id LIMIT 1") { input = $0.int(0)! }
        _ = try db.run("UPDATE runs SET pipeline = ?, message = ? WHERE id = ?",
                       [.text("p" + evil), .text("failed on 1802011501900001 & \"" + evil + "\""), .int(run)])
        _ = try db.run("UPDATE inputs SET pipeline = ? WHERE id = ?", [.text("p" + evil), .int(input)])
        _ = try db.run("""
            INSERT INTO quarantine(run_id, input_id, stage, disposition, sheet, row_number, column_name, reason_code, reason, raw_values)
            VALUES (?, ?, 'read', 'quarantined', NULL, 7, 'nama', ?, ?, '{}')
            """, [.int(run), .int(input), .text("bad-" + evil), .text("NIK 1802011501900001 of 'SITI AMINAH' is damaged " + evil)])
        let (html, svg) = try write()

        XCTAssertFalse(html.contains(evil))
        XCTAssertFalse(svg.contains(evil))
        XCTAssertEqual(try matches("<script", html + svg), [])
        XCTAssertTrue(html.contains("p&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"))
        XCTAssertTrue(html.contains("failed on 1802********0001 &amp; &quot;&lt;script&gt;"))
        XCTAssertTrue(html.contains("<code>bad-&lt;script&gt;"))
        XCTAssertTrue(html.contains("NIK 1802********0001 of &#39;…&#39; is damaged"))
        XCTAssertFalse(html.contains("SITI"), "a name quoted in a reason is left out")
        XCTAssertFalse(html.contains("1802011501900001"))
        XCTAssertNil(xmlError(svg))
        XCTAssertNil(xmlError(String(html[html.range(of: "<svg ")!.lowerBound..<html.range(of: "</svg>")!.upperBound])))
    }

    func testTheEscaper() {
        XCTAssertEqual(HTMLText.escape("<a href=\"x\">Tom & 'Jerry'</a>"),
                       "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;")
        XCTAssertEqual(HTMLText.escape("Sri Way Langsep — ok\u{1}"), "Sri Way Langsep — ok\u{FFFD}")
        XCTAssertEqual(HTMLText.masked("3201234567890123 <b>"), "3201********0123 &lt;b&gt;")
    }

    /// 60 nodes drawn: boxes inside the drawing, none overlapping another, every edge drawn
    /// left to right, files next to their pipeline.
    func testALargeGraphIsLaidOutReadably() throws {
        var graph = LineageGraph()
        let tables = ["registry_status", "person", "household", "assistance", "indicator", "region_crosswalk"]
        for t in tables { graph.nodes.append(.init(id: "table:" + t, label: t, kind: "table")) }
        for p in 0..<6 {
            let pipeline = "pipeline:p\(p)"
            graph.nodes.append(.init(id: pipeline, label: "pipeline-number-\(p)", kind: "pipeline"))
            for f in 0..<7 {
                let id = "file:\(p)-\(f)"
                graph.nodes.append(.init(id: id, label: "a-rather-long-file-name-from-the-office-\(p)-\(f)-2025.xlsx", kind: "file"))
                graph.edges.append((id, pipeline))
            }
            graph.edges.append((pipeline, "table:" + tables[p]))
            graph.edges.append((pipeline, "table:assistance"))
        }
        for (i, r) in ["overlap", "exclusion", "coverage"].enumerated() {
            graph.nodes.append(.init(id: "report:" + r, label: "report " + r, kind: "report"))
            graph.edges.append(("table:" + tables[i], "report:" + r))
            graph.edges.append(("table:assistance", "report:" + r))
        }
        XCTAssertEqual(graph.nodes.count, 57)
        let drawing = LineageGraphSVG(graph)
        XCTAssertEqual(drawing.boxes.count, graph.nodes.count)
        let byKind = Dictionary(grouping: drawing.boxes, by: { $0.node.kind })
        var lastRight = -1000.0
        for kind in ["file", "pipeline", "table", "report"] {
            let column = byKind[kind]!.sorted { $0.y < $1.y }
            XCTAssertEqual(Set(column.map(\.x)).count, 1, "\(kind) boxes in one column")
            XCTAssertGreaterThan(column[0].x, lastRight + 60, "room for the edges before \(kind)")
            lastRight = column[0].x + column[0].width
            for (a, b) in zip(column, column.dropFirst()) { XCTAssertGreaterThanOrEqual(b.y - a.y, 26 + 8, "\(a.label) / \(b.label)") }
            for box in column {
                XCTAssertGreaterThanOrEqual(box.y, 0)
                XCTAssertLessThanOrEqual(box.y + 26, drawing.height)
                XCTAssertLessThanOrEqual(box.x + box.width, drawing.width)
                XCTAssertLessThanOrEqual(box.label.count, 44)
            }
        }
        XCTAssertLessThanOrEqual(drawing.width, 1400, "fits a screen")
        // Each pipeline sits within the span of its files.
        for p in 0..<6 {
            let files = drawing.boxes.filter { $0.node.id.hasPrefix("file:\(p)-") }.map(\.y)
            let y = drawing.boxes.first { $0.node.id == "pipeline:p\(p)" }!.y
            XCTAssertTrue(files.min()! <= y && y <= files.max()!, "pipeline \(p) at \(y), files \(files)")
        }
        XCTAssertNil(xmlError(drawing.svg))
    }
}

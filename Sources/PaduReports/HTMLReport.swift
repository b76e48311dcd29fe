import PaduCore
import PaduWarehouse

/// A static page for stewards: the pipelines' last runs, recent runs, why rows were kept out,
/// and the lineage graph drawn inline. Everything is in the one file (styles, SVG): it opens
/// from a file share with no network. It holds summaries only: no names, and every NIK-like
/// number masked (`1802********0001`).
public struct HTMLReport: Sendable {
    /// The page (`index.html`).
    public let html: String
    /// The lineage graph alone (`graph.svg`).
    public let svg: String
    public let pipelineCount: Int
    public let runCount: Int

    static let recentRuns = 50
}

extension Reports {
    /// The steward's page. `generatedAt` is shown as given (e.g. `2025-10-01 08:00 UTC`).
    public func htmlReport(generatedAt: String, warehouseName: String = "warehouse.sqlite") throws -> HTMLReport {
        let e = HTMLText.masked
        var body = ""

        // Pipelines: each one's latest run.
        var pipelines: [[String]] = []
        try database.query("""
            SELECT r.pipeline, r.status, r.started_at, r.finished_at, r.rows_read, r.rows_loaded, r.rows_quarantined,
                   r.rows_skipped, r.id, r.trigger, (SELECT count(*) FROM runs x WHERE x.pipeline = r.pipeline)
            FROM runs r WHERE r.id IN (SELECT max(id) FROM runs GROUP BY pipeline) ORDER BY r.pipeline
            """) { r in
            pipelines.append([r.text(0) ?? "", r.text(1) ?? "", Self.when(r.text(3) ?? r.text(2)), String(r.int(4) ?? 0),
                              String(r.int(5) ?? 0), String(r.int(6) ?? 0), String(r.int(7) ?? 0), String(r.int(8) ?? 0),
                              r.text(9) ?? "", String(r.int(10) ?? 0)])
        }
        body += "<section id=\"pipelines\">\n<h2>Pipelines</h2>\n"
        body += "<p class=\"note\">Each pipeline's last run in the warehouse.</p>\n"
        if pipelines.isEmpty {
            body += "<p>No run yet.</p>\n"
        } else {
            body += "<table>\n<thead><tr><th scope=\"col\">Pipeline</th><th scope=\"col\">Last run</th><th scope=\"col\">Status</th>"
                + "<th scope=\"col\">When (UTC)</th><th scope=\"col\">Trigger</th><th scope=\"col\" class=\"num\">Read</th>"
                + "<th scope=\"col\" class=\"num\">Loaded</th><th scope=\"col\" class=\"num\">Quarantined</th>"
                + "<th scope=\"col\" class=\"num\">Skipped</th><th scope=\"col\" class=\"num\">Runs</th></tr></thead>\n<tbody>\n"
            for p in pipelines {
                body += "<tr><th scope=\"row\">\(e(p[0]))</th><td class=\"num\">\(p[7])</td><td>\(Self.status(p[1]))</td><td>\(e(p[2]))</td>"
                    + "<td>\(e(p[8]))</td><td class=\"num\">\(Self.count(p[3]))</td><td class=\"num\">\(Self.count(p[4]))</td>"
                    + "<td class=\"num\">\(Self.count(p[5]))</td><td class=\"num\">\(Self.count(p[6]))</td><td class=\"num\">\(p[9])</td></tr>\n"
            }
            body += "</tbody>\n</table>\n"
        }
        body += "</section>\n"

        // Recent runs.
        var runs = 0
        body += "<section id=\"runs\">\n<h2>Recent runs</h2>\n<p class=\"note\">The last \(HTMLReport.recentRuns), newest first.</p>\n"
        var rows = ""
        try database.query("""
            SELECT id, pipeline, status, trigger, started_at, finished_at, rows_read, rows_loaded, rows_quarantined, rows_skipped, message
            FROM runs ORDER BY id DESC LIMIT \(HTMLReport.recentRuns)
            """) { r in
            runs += 1
            rows += "<tr><td class=\"num\">\(r.int(0) ?? 0)</td><td>\(e(r.text(1) ?? ""))</td><td>\(Self.status(r.text(2) ?? ""))</td>"
                + "<td>\(e(r.text(3) ?? ""))</td><td>\(e(Self.when(r.text(4))))</td><td>\(e(Self.duration(r.text(4), r.text(5))))</td>"
                + "<td class=\"num\">\(Self.count(String(r.int(6) ?? 0)))</td><td class=\"num\">\(Self.count(String(r.int(7) ?? 0)))</td>"
                + "<td class=\"num\">\(Self.count(String(r.int(8) ?? 0)))</td><td class=\"num\">\(Self.count(String(r.int(9) ?? 0)))</td>"
                + "<td class=\"message\">\(e(r.text(10) ?? ""))</td></tr>\n"
        }
        if runs == 0 {
            body += "<p>No run yet.</p>\n"
        } else {
            body += "<table>\n<thead><tr><th scope=\"col\" class=\"num\">Run</th><th scope=\"col\">Pipeline</th><th scope=\"col\">Status</th>"
                + "<th scope=\"col\">Trigger</th><th scope=\"col\">Started (UTC)</th><th scope=\"col\">Took</th>"
                + "<th scope=\"col\" class=\"num\">Read</th><th scope=\"col\" class=\"num\">Loaded</th>"
                + "<th scope=\"col\" class=\"num\">Quarantined</th><th scope=\"col\" class=\"num\">Skipped</th>"
                + "<th scope=\"col\">Message</th></tr></thead>\n<tbody>\n" + rows + "</tbody>\n</table>\n"
        }
        body += "</section>\n"

        // Rows kept out, by pipeline and reason, of the inputs loaded now.
        let names = try sources()
        var reasons = ""
        var reasonRows = 0
        try database.query("""
            SELECT i.pipeline, q.disposition, q.stage, q.reason_code, count(*), e.input_id, e.sheet, e.row_number, e.column_name, e.reason
            FROM quarantine q
            JOIN inputs i ON i.id = q.input_id AND i.status = 'loaded'
            JOIN quarantine e ON e.id = (SELECT min(x.id) FROM quarantine x JOIN inputs xi ON xi.id = x.input_id
                                         WHERE xi.pipeline = i.pipeline AND xi.status = 'loaded' AND x.reason_code = q.reason_code
                                           AND x.disposition = q.disposition AND x.stage = q.stage)
            GROUP BY i.pipeline, q.disposition, q.stage, q.reason_code
            ORDER BY i.pipeline, q.disposition, count(*) DESC, q.reason_code
            """) { r in
            reasonRows += 1
            var place = Self.locator(names, input: r.int(5), sheet: r.text(6), row: r.int(7))
            if let column = r.text(8), !column.isEmpty { place += " (\(column))" }
            reasons += "<tr><td>\(e(r.text(0) ?? ""))</td><td>\(e(r.text(1) ?? ""))</td><td>\(e(r.text(2) ?? ""))</td>"
                + "<td><code>\(e(r.text(3) ?? ""))</code></td><td class=\"num\">\(Self.count(String(r.int(4) ?? 0)))</td>"
                + "<td>\(e(place))</td><td class=\"message\">\(e(Self.withoutQuotedValues(r.text(9) ?? "")))</td></tr>\n"
        }
        body += "<section id=\"quarantine\">\n<h2>Rows kept out</h2>\n"
        body += "<p class=\"note\">Rows of the files loaded now that were quarantined (for the producer to fix) or skipped "
            + "(blank or totals rows), by pipeline and reason, with the first example's place. Values quoted in a reason are "
            + "left out here; <code>padu runs show RUN</code> and <code>padu lineage input FILE</code> give them.</p>\n"
        if reasonRows == 0 {
            body += "<p>No row kept out.</p>\n"
        } else {
            body += "<table>\n<thead><tr><th scope=\"col\">Pipeline</th><th scope=\"col\">Kept out as</th><th scope=\"col\">Stage</th>"
                + "<th scope=\"col\">Reason</th><th scope=\"col\" class=\"num\">Rows</th><th scope=\"col\">Example (file:sheet:row)</th>"
                + "<th scope=\"col\">What the example says</th></tr></thead>\n<tbody>\n" + reasons + "</tbody>\n</table>\n"
        }
        body += "</section>\n"

        // Lineage.
        let graph = try lineageGraph()
        let drawing = LineageGraphSVG(graph)
        let svg = drawing.svg
        body += "<section id=\"lineage\">\n<h2>Lineage</h2>\n"
        body += "<p class=\"note\">What is loaded now: files → the pipelines that read them → the warehouse tables their rows are in "
            + "→ the reports that read those tables (at most 12 files per pipeline are drawn). Hover a box for its full name.</p>\n"
        body += "<div class=\"graph\">\n" + svg + "</div>\n</section>\n"

        let html = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="generator" content="padu">
            <title>Padu report</title>
            <style>
            \(Self.css)
            </style>
            </head>
            <body>
            <header>
            <h1>Padu report</h1>
            <p class="note">From \(e(warehouseName)), written \(e(generatedAt)). \(pipelines.count) pipeline\(pipelines.count == 1 ? "" : "s"), \
            \(runs) recent run\(runs == 1 ? "" : "s") shown. Summaries only: no names, NIKs masked.</p>
            <nav><a href="#pipelines">Pipelines</a> · <a href="#runs">Recent runs</a> · <a href="#quarantine">Rows kept out</a> · <a href="#lineage">Lineage</a></nav>
            </header>
            <main>
            \(body)</main>
            </body>
            </html>

            """
        return HTMLReport(html: html, svg: "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + svg, pipelineCount: pipelines.count, runCount: runs)
    }

    static let css = """
        body { font-family: "DejaVu Sans", Verdana, Arial, sans-serif; font-size: 14px; color: #1d232b; margin: 0; background: #f7f8fa; }
        header { background: #24425e; color: #ffffff; padding: 14px 24px; }
        header h1 { margin: 0 0 4px 0; font-size: 22px; }
        header .note { color: #dfe7ef; margin: 0 0 6px 0; }
        header a { color: #ffffff; }
        main { padding: 8px 24px 32px 24px; }
        section { margin-top: 22px; }
        h2 { font-size: 18px; border-bottom: 2px solid #24425e; padding-bottom: 3px; }
        .note { color: #555f6b; }
        table { border-collapse: collapse; background: #ffffff; font-size: 13px; }
        th, td { border: 1px solid #d5dae1; padding: 4px 8px; text-align: left; vertical-align: top; }
        thead th { background: #e9edf2; }
        tbody tr:nth-child(even) { background: #f8f9fb; }
        .num { text-align: right; font-variant-numeric: tabular-nums; }
        td.message { max-width: 520px; overflow-wrap: anywhere; }
        .status { font-weight: bold; }
        .status.succeeded { color: #2b7a3a; }
        .status.partial { color: #a86400; }
        .status.failed, .status.interrupted { color: #b3261e; }
        .status.running { color: #1f5fa8; }
        .graph { overflow-x: auto; background: #ffffff; border: 1px solid #d5dae1; padding: 4px; }
        .graph svg { display: block; }
        .graph g.node:hover rect { stroke-width: 2.5; }
        code { font-size: 12px; }
        @media print { header { background: none; color: #000000; } header .note, header a { color: #000000; } }
        """

    static func status(_ s: String) -> String {
        "<span class=\"status \(HTMLText.escape(s))\">\(HTMLText.escape(s))</span>"
    }

    /// `2025-10-01T08:00:12.345Z` → `2025-10-01 08:00:12`.
    static func when(_ iso: String?) -> String {
        guard let iso else { return "" }
        return String(iso.replacingOccurrences(of: "T", with: " ").prefix(19))
    }

    /// Seconds between two ISO timestamps of the same day or later (`12 s`, `3 min 4 s`), or "".
    static func duration(_ start: String?, _ end: String?) -> String {
        func seconds(_ s: String?) -> Double? {
            guard let s, s.count >= 19, let date = CivilDate(iso: s) else { return nil }
            let time = s.dropFirst(11).prefix(while: { $0 != "Z" && $0 != "+" })
            let parts = time.split(separator: ":")
            guard parts.count == 3, let h = Double(parts[0]), let m = Double(parts[1]), let sec = Double(parts[2]) else { return nil }
            return Double(date.daysSince1970) * 86400 + h * 3600 + m * 60 + sec
        }
        guard let a = seconds(start), let b = seconds(end), b >= a else { return "" }
        let total = Int((b - a).rounded())
        if total < 60 { return b - a < 1 ? "<1 s" : "\(total) s" }
        if total < 3600 { return "\(total / 60) min \(total % 60) s" }
        return "\(total / 3600) h \(total % 3600 / 60) min"
    }

    /// `1234567` → `1 234 567` (thin spaces read in every language).
    static func count(_ digits: String) -> String {
        guard digits.count > 3, digits.allSatisfy(\.isNumber) else { return digits }
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += "\u{2009}" }
            out.append(c)
        }
        return out
    }

    /// A reason with the values it quotes (`'…'`, `"…"`, `“…”`) replaced by `…`: a value in a
    /// rejected row could be a name.
    static func withoutQuotedValues(_ text: String) -> String {
        var out = ""
        var closing: Character?
        for c in text {
            if let close = closing {
                if c == close { out.append(c); closing = nil }
                continue
            }
            out.append(c)
            switch c {
            case "\"": closing = "\""; out += "…"
            case "“": closing = "”"; out += "…"
            case "'":
                // An apostrophe inside a word (the pipeline's) is not a quote.
                if let prev = out.dropLast().last, prev.isLetter { continue }
                closing = "'"; out += "…"
            default: break
            }
        }
        return out
    }
}

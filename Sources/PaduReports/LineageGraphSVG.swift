import PaduCore

/// Text for HTML and XML: `&`, `<`, `>`, `"` and `'` escaped, so it is safe in element content
/// and in quoted attribute values alike.
public enum HTMLText {
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            // Control characters other than tab and line ends are not allowed in XML 1.0.
            case "\u{0}"..."\u{8}", "\u{B}", "\u{C}", "\u{E}"..."\u{1F}", "\u{7F}": out += "\u{FFFD}"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// Text from the warehouse, for a report that holds no personal data: NIK-like numbers masked, then escaped.
    public static func masked(_ text: String) -> String { escape(PersonalData.maskNIKs(in: text)) }
}

/// The lineage graph as a standalone SVG drawn by Padu itself (no Graphviz): four columns —
/// files, pipelines, warehouse tables, reports — with each node placed near the nodes it is
/// joined to, so the edges (curves, left to right) cross little.
public struct LineageGraphSVG: Sendable {
    public static let columns: [(kind: String, title: String)] = [
        ("file", "Files"), ("pipeline", "Pipelines"), ("table", "Warehouse tables"), ("report", "Reports"),
    ]

    static let nodeHeight = 26.0
    static let gap = 10.0
    static let margin = 20.0
    static let headerHeight = 34.0
    static let columnGap = 110.0
    static let charWidth = 7.1
    static let maxLabel = 44

    public struct Box: Sendable {
        public let node: LineageGraph.Node
        public var x: Double
        public var y: Double
        public var width: Double
        public let label: String
    }

    public let boxes: [Box]
    public let width: Double
    public let height: Double
    let edges: [(from: String, to: String)]

    public init(_ graph: LineageGraph) {
        let h = Self.nodeHeight, step = Self.nodeHeight + Self.gap
        var byID: [String: Box] = [:]
        var columnNodes: [[LineageGraph.Node]] = Self.columns.map { c in graph.nodes.filter { $0.kind == c.kind } }
        // Nodes of an unknown kind go with the pipelines rather than vanish.
        let known = Set(Self.columns.map(\.kind))
        columnNodes[1] += graph.nodes.filter { !known.contains($0.kind) }
        var neighbours: [String: [String]] = [:]
        for e in graph.edges {
            neighbours[e.from, default: []].append(e.to)
            neighbours[e.to, default: []].append(e.from)
        }

        // Files grouped by their pipeline (pipelines in the graph's order, by name); the other
        // columns are ordered by where their neighbours are, below.
        var pipelineRank: [String: Int] = [:]
        for (i, n) in columnNodes[1].enumerated() { pipelineRank[n.id] = i }
        columnNodes[0] = columnNodes[0].enumerated().sorted { a, b in
            let ra = (neighbours[a.element.id] ?? []).compactMap { pipelineRank[$0] }.min() ?? Int.max
            let rb = (neighbours[b.element.id] ?? []).compactMap { pipelineRank[$0] }.min() ?? Int.max
            return (ra, a.offset) < (rb, b.offset)
        }.map(\.element)

        // Widths: each column as wide as its longest label (shortened past maxLabel characters).
        var x = Self.margin
        var columnX: [Double] = [], columnW: [Double] = []
        for nodes in columnNodes {
            let longest = nodes.map { Self.shorten($0.label).count }.max() ?? 8
            let w = max(90, Double(longest) * Self.charWidth + 24)
            columnX.append(x); columnW.append(w)
            x += w + Self.columnGap
        }
        let width = x - Self.columnGap + Self.margin
        let tallest = columnNodes.map(\.count).max() ?? 0
        let top = Self.margin + Self.headerHeight
        let contentHeight = max(step * Double(tallest) - Self.gap, h)

        // Vertical places: the tallest column stacked; the others near the centre of their
        // neighbours already placed, pushed apart so no two overlap, kept inside the drawing.
        var centre: [String: Double] = [:]
        func place(_ c: Int, wanted: [Double]) {
            var ys = wanted.map { $0 - h / 2 }
            for i in ys.indices where i > 0 { ys[i] = max(ys[i], ys[i - 1] + step) }
            let bottom = top + contentHeight - h
            for i in ys.indices.reversed() {
                ys[i] = min(ys[i], i == ys.count - 1 ? bottom : ys[i + 1] - step)
            }
            for i in ys.indices { ys[i] = max(ys[i], i == 0 ? top : ys[i - 1] + step) }
            for (i, n) in columnNodes[c].enumerated() {
                centre[n.id] = ys[i] + h / 2
                byID[n.id] = Box(node: n, x: columnX[c], y: ys[i], width: columnW[c], label: Self.shorten(n.label))
            }
        }
        func evenly(_ count: Int) -> [Double] {
            guard count > 0 else { return [] }
            let used = step * Double(count) - Self.gap
            let start = top + (contentHeight - used) / 2
            return (0..<count).map { start + Double($0) * step + h / 2 }
        }
        /// The column ordered by, and placed near, the mean height of its neighbours already placed.
        func placeNearNeighbours(_ c: Int) {
            let fallback = evenly(columnNodes[c].count)
            let wanted = columnNodes[c].enumerated().map { i, n in
                let ys = (neighbours[n.id] ?? []).compactMap { centre[$0] }
                return (node: n, y: ys.isEmpty ? fallback[i] : ys.reduce(0, +) / Double(ys.count), i: i)
            }.sorted { ($0.y, $0.i) < ($1.y, $1.i) }
            columnNodes[c] = wanted.map(\.node)
            place(c, wanted: wanted.map(\.y))
        }
        if columnNodes[0].isEmpty {
            place(1, wanted: evenly(columnNodes[1].count))
        } else {
            place(0, wanted: evenly(columnNodes[0].count))
            placeNearNeighbours(1)
        }
        placeNearNeighbours(2)
        placeNearNeighbours(3)
        self.boxes = columnNodes.flatMap { $0.compactMap { byID[$0.id] } }
        self.width = width.rounded(.up)
        self.height = (top + contentHeight + Self.margin).rounded(.up)
        self.edges = graph.edges
    }

    /// A label of at most `maxLabel` characters: long ones keep their start and end (a file's extension).
    static func shorten(_ label: String) -> String {
        let chars = Array(label)
        guard chars.count > maxLabel else { return label }
        let tail = 14
        return String(chars.prefix(maxLabel - tail - 1)) + "…" + String(chars.suffix(tail))
    }

    static let styles: [String: (fill: String, stroke: String, radius: Int)] = [
        "file": ("#eef4fb", "#5b7fa6", 2),
        "pipeline": ("#fff3dc", "#b8740b", 8),
        "table": ("#e8f5ea", "#3d8a4c", 2),
        "report": ("#f2ebfa", "#7a55a5", 13),
    ]

    static func number(_ v: Double) -> String {
        let r = (v * 10).rounded() / 10
        return r == r.rounded() ? String(Int(r)) : String(r)
    }

    /// The drawing as an `<svg>` element (with the XML namespace; valid inline in HTML and as a file).
    public var svg: String {
        let n = Self.number
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"lineage\" role=\"img\" aria-labelledby=\"lineage-title\" "
            + "width=\"\(n(width))\" height=\"\(n(height))\" viewBox=\"0 0 \(n(width)) \(n(height))\" "
            + "font-family=\"DejaVu Sans, Verdana, Arial, sans-serif\" font-size=\"12\">\n"
        out += "<title id=\"lineage-title\">Lineage: files → pipelines → warehouse tables → reports</title>\n"
        out += "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\">"
            + "<path d=\"M0,0 L10,5 L0,10 z\" fill=\"#7b8595\"/></marker></defs>\n"
        out += "<rect x=\"0\" y=\"0\" width=\"\(n(width))\" height=\"\(n(height))\" fill=\"#ffffff\"/>\n"
        // Column headings, over the column they name (also where a column is empty).
        var x = Self.margin
        let byKind = Dictionary(grouping: boxes, by: { $0.node.kind })
        var headingX: [String: Double] = [:]
        for c in Self.columns {
            if let b = byKind[c.kind]?.first { x = b.x }
            headingX[c.kind] = x
            let w = byKind[c.kind]?.first?.width ?? 90
            out += "<text x=\"\(n(x))\" y=\"\(n(Self.margin + 14))\" font-weight=\"bold\" font-size=\"13\" fill=\"#333333\">"
                + HTMLText.escape(c.title) + " (\(byKind[c.kind]?.count ?? 0))</text>\n"
            x += w + Self.columnGap
        }
        if boxes.isEmpty {
            out += "<text x=\"\(n(Self.margin))\" y=\"\(n(Self.margin + Self.headerHeight + 16))\" fill=\"#666666\">Nothing is loaded yet.</text>\n"
        }
        let at = Dictionary(boxes.map { ($0.node.id, $0) }, uniquingKeysWith: { a, _ in a })
        out += "<g fill=\"none\" stroke=\"#7b8595\" stroke-width=\"1.2\" stroke-opacity=\"0.75\">\n"
        for e in edges {
            guard let a = at[e.from], let b = at[e.to] else { continue }
            let x1 = a.x + a.width, y1 = a.y + Self.nodeHeight / 2
            let x2 = b.x - 1, y2 = b.y + Self.nodeHeight / 2
            let dx = (x2 - x1) / 2
            out += "<path d=\"M\(n(x1)),\(n(y1)) C\(n(x1 + dx)),\(n(y1)) \(n(x2 - dx)),\(n(y2)) \(n(x2)),\(n(y2))\" marker-end=\"url(#arrow)\">"
                + "<title>\(HTMLText.masked(a.node.label)) → \(HTMLText.masked(b.node.label))</title></path>\n"
        }
        out += "</g>\n"
        for b in boxes {
            let s = Self.styles[b.node.kind] ?? Self.styles["pipeline"]!
            out += "<g class=\"node \(HTMLText.escape(b.node.kind))\"><title>\(HTMLText.escape(b.node.kind)): \(HTMLText.masked(b.node.label))</title>"
            out += "<rect x=\"\(n(b.x))\" y=\"\(n(b.y))\" width=\"\(n(b.width))\" height=\"\(n(Self.nodeHeight))\" rx=\"\(s.radius)\" "
                + "fill=\"\(s.fill)\" stroke=\"\(s.stroke)\" stroke-width=\"1.3\"/>"
            if b.node.kind == "table" {
                // A database's band at the top of the box.
                out += "<path d=\"M\(n(b.x)),\(n(b.y + 5)) H\(n(b.x + b.width))\" stroke=\"\(s.stroke)\" stroke-width=\"1\"/>"
            } else if b.node.kind == "file" {
                // A page's folded corner.
                let fx = b.x + b.width - 8
                out += "<path d=\"M\(n(fx)),\(n(b.y)) L\(n(b.x + b.width)),\(n(b.y + 8))\" stroke=\"\(s.stroke)\" stroke-width=\"1\"/>"
            }
            out += "<text x=\"\(n(b.x + 12))\" y=\"\(n(b.y + Self.nodeHeight / 2 + 4))\" fill=\"#1d232b\">\(HTMLText.masked(b.label))</text></g>\n"
        }
        return out + "</svg>\n"
    }
}

extension LineageGraph {
    /// The graph drawn by Padu as SVG, for a page or a file: no Graphviz needed.
    public var inlineSVG: String { LineageGraphSVG(self).svg }
}

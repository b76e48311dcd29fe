import PaduCore
import PaduWarehouse

/// The dataset-level lineage graph: files → pipelines → warehouse tables → reports.
public struct LineageGraph: Sendable {
    public struct Node: Sendable, Hashable {
        public let id: String
        public let label: String
        /// `file`, `pipeline`, `table` or `report`.
        public let kind: String

        public init(id: String, label: String, kind: String) {
            self.id = id
            self.label = label
            self.kind = kind
        }
    }
    public var nodes: [Node] = []
    public var edges: [(from: String, to: String)] = []

    public init(nodes: [Node] = [], edges: [(from: String, to: String)] = []) {
        self.nodes = nodes
        self.edges = edges
    }

    /// Which warehouse tables each report reads.
    static let reportInputs: [(report: String, tables: [String])] = [
        ("overlap", ["assistance", "registry_status", "person", "household"]),
        ("exclusion", ["registry_status", "assistance", "household"]),
        ("inclusion", ["assistance", "registry_status"]),
        ("coverage", ["registry_status", "household", "assistance", "indicator", "region_crosswalk"]),
        ("graduation", ["registry_status"]),
    ]

    /// Graphviz DOT.
    public var dot: String {
        var out = "digraph padu_lineage {\n  rankdir=LR;\n  node [fontname=\"Helvetica\", fontsize=10];\n"
        let shapes = ["file": "note", "pipeline": "box", "table": "cylinder", "report": "component"]
        for n in nodes {
            out += "  \(quote(n.id)) [label=\(quote(n.label)), shape=\(shapes[n.kind] ?? "box")];\n"
        }
        for e in edges { out += "  \(quote(e.from)) -> \(quote(e.to));\n" }
        return out + "}\n"
    }

    /// Mermaid `flowchart` text (renders in GitLab, GitHub and most wikis).
    public var mermaid: String {
        var ids: [String: String] = [:]
        for (i, n) in nodes.enumerated() { ids[n.id] = "n\(i)" }
        var out = "flowchart LR\n"
        for n in nodes {
            let label = n.label.replacingOccurrences(of: "\"", with: "'")
            let id = ids[n.id]!
            switch n.kind {
            case "file": out += "  \(id)[/\"\(label)\"/]\n"
            case "table": out += "  \(id)[(\"\(label)\")]\n"
            case "report": out += "  \(id){{\"\(label)\"}}\n"
            default: out += "  \(id)[\"\(label)\"]\n"
            }
        }
        for e in edges { out += "  \(ids[e.from]!) --> \(ids[e.to]!)\n" }
        return out
    }

    private func quote(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
}

extension Reports {
    /// The graph of what is loaded now: each loaded file, the pipeline that read it, the tables
    /// its rows are in, and the reports that read those tables. `pipeline` limits it to one.
    public func lineageGraph(pipeline: String? = nil, maxFilesPerPipeline: Int = 12) throws -> LineageGraph {
        var graph = LineageGraph()
        var seen: Set<String> = []
        func node(_ id: String, _ label: String, _ kind: String) {
            if seen.insert(id).inserted { graph.nodes.append(.init(id: id, label: label, kind: kind)) }
        }
        var edgeSet: Set<String> = []
        func edge(_ a: String, _ b: String) {
            if edgeSet.insert(a + "\u{1}" + b).inserted { graph.edges.append((a, b)) }
        }
        var pipelines: [String: [(id: Int64, path: String)]] = [:]
        try database.query("SELECT id, pipeline, path FROM inputs WHERE status = 'loaded' AND (? IS NULL OR pipeline = ?) ORDER BY pipeline, id",
                           [SQLValue(pipeline), SQLValue(pipeline)]) { r in
            pipelines[r.text(1) ?? "", default: []].append((r.int(0)!, r.text(2) ?? ""))
        }
        if let pipeline, pipelines[pipeline] == nil {
            throw ReportError("no loaded input of pipeline '\(pipeline)' in the warehouse", notFound: true)
        }
        var tablesUsed: Set<String> = []
        for (name, inputs) in pipelines.sorted(by: { $0.key < $1.key }) {
            let p = "pipeline:" + name
            node(p, name, "pipeline")
            for (k, input) in inputs.enumerated() {
                if k == maxFilesPerPipeline {
                    node("files:" + name, "\(inputs.count - k) more files", "file")
                    edge("files:" + name, p)
                    break
                }
                let f = "file:\(input.id)"
                node(f, input.path.split(separator: "/").last.map(String.init) ?? input.path, "file")
                edge(f, p)
            }
            let list = inputs.map { String($0.id) }.joined(separator: ",")
            for (table, sql) in [
                ("registry_status", "SELECT 1 FROM registry_status WHERE input_id IN (\(list)) LIMIT 1"),
                ("person", "SELECT 1 FROM contribution WHERE table_name = 'person' AND input_id IN (\(list)) LIMIT 1"),
                ("household", "SELECT 1 FROM contribution WHERE table_name = 'household' AND input_id IN (\(list)) LIMIT 1"),
                ("region", "SELECT 1 FROM contribution WHERE table_name = 'region' AND input_id IN (\(list)) LIMIT 1"),
                ("assistance", "SELECT 1 FROM assistance WHERE input_id IN (\(list)) LIMIT 1"),
                ("identity_match", "SELECT 1 FROM identity_match WHERE input_id IN (\(list)) LIMIT 1"),
                ("indicator", "SELECT 1 FROM indicator WHERE input_id IN (\(list)) LIMIT 1"),
                ("region_crosswalk", "SELECT 1 FROM region_crosswalk WHERE input_id IN (\(list)) LIMIT 1"),
            ] where try database.scalar(sql) != nil {
                node("table:" + table, table, "table")
                edge(p, "table:" + table)
                tablesUsed.insert(table)
            }
        }
        for (report, tables) in LineageGraph.reportInputs {
            let used = tables.filter(tablesUsed.contains)
            guard !used.isEmpty else { continue }
            node("report:" + report, "report " + report, "report")
            for t in used { edge("table:" + t, "report:" + report) }
        }
        return graph
    }
}

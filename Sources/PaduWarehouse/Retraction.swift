import PaduCore

/// What a retraction removed.
public struct RetractionResult: Sendable {
    public let inputIDs: [Int64]
    /// Rows removed, by table (`registry_status`, `assistance`, `person`...).
    public let removed: [(table: String, rows: Int)]
}

/// A retraction that cannot be done.
public struct RetractionError: Error, Sendable, CustomStringConvertible {
    public let description: String
}

extension Warehouse {
    /// The loaded inputs that are `file` (an absolute path as recorded) or have SHA-256 `sha256`.
    public func loadedInputs(path: String?, sha256: String?) throws -> [Int64] {
        var ids: [Int64] = []
        try database.query("""
            SELECT id FROM inputs WHERE status = 'loaded' AND (path = ? OR sha256 = ?) ORDER BY id
            """, [SQLValue(path), SQLValue(sha256)]) { r in ids.append(r.int(0)!) }
        return ids
    }

    /// Removes exactly what the loaded inputs named by `path` or `sha256` contributed, in one
    /// transaction: their registry, aid, indicator and crosswalk rows, their contribution links,
    /// the consolidated rows no other input contributes to; the consolidated rows other inputs
    /// share are rebuilt from those (values, lineage, and a history entry for what changed).
    /// The inputs get status `retracted`, and a `lineage_event` records who and why.
    public func retract(path: String?, sha256: String?, actor: String, reason: String?) throws -> RetractionResult {
        try database.transaction {
            let ids = try loadedInputs(path: path, sha256: sha256)
            guard !ids.isEmpty else {
                throw RetractionError(description: "no loaded input is \(path ?? sha256 ?? "that file"); see `padu lineage input` for what it is")
            }
            let tables = ["registry_status", "assistance", "indicator", "region_crosswalk"]
            var removed: [String: Int] = [:]
            for id in ids {
                for t in tables {
                    if case .int(let n)? = try database.scalar("SELECT count(*) FROM \(t) WHERE input_id = ?", [.int(id)]) { removed[t, default: 0] += Int(n) }
                }
                let before = try consolidatedCounts()
                try database.run("UPDATE lineage_context SET input_id = ?, run_id = NULL, action = 'retract' WHERE id = 1", [.int(id)])
                try removeContribution(of: id)
                let after = try consolidatedCounts()
                for (t, n) in before { removed[t, default: 0] += n - (after[t] ?? 0) }
                try database.run("UPDATE inputs SET status = 'retracted', finished_at = coalesce(finished_at, strftime('%Y-%m-%dT%H:%M:%fZ','now')), message = ? WHERE id = ?",
                                 [.text("retracted by \(actor)" + (reason.map { ": \($0)" } ?? "")), .int(id)])
                var sha: SQLValue = .null, file: SQLValue = .null
                try database.query("SELECT sha256, path FROM inputs WHERE id = ?", [.int(id)]) { r in sha = r[0]; file = r[1] }
                let detail = "{" + removed.keys.sorted().map { "\(TextUtilities.jsonQuoted($0)):\(removed[$0]!)" }.joined(separator: ",") + "}"
                try database.run("INSERT INTO lineage_event(kind, input_id, sha256, path, detail, actor) VALUES ('retract', ?, ?, ?, ?, ?)",
                                 [.int(id), sha, file, .text(reason.map { "\(detail) \($0)" } ?? detail), .text(actor)])
            }
            try database.run("UPDATE lineage_context SET input_id = NULL, run_id = NULL, action = 'none' WHERE id = 1")
            return RetractionResult(inputIDs: ids, removed: removed.keys.sorted().map { ($0, removed[$0]!) })
        }
    }

    private func consolidatedCounts() throws -> [String: Int] {
        var out: [String: Int] = [:]
        for t in ["person", "household", "region"] {
            if case .int(let n)? = try database.scalar("SELECT count(*) FROM \(t)") { out[t] = Int(n) }
        }
        return out
    }
}

import PaduCore

/// A person in the warehouse who may be the recipient of a record that names no valid NIK.
public struct IdentityCandidate: Sendable, Hashable {
    public let nik: String
    /// 0–100: how much of the identifying data agrees.
    public let score: Int
    /// What agreed, e.g. `name+birth date+desa`.
    public let basis: String

    public init(nik: String, score: Int, basis: String) {
        self.nik = nik
        self.score = score
        self.basis = basis
    }

    /// `nik|score|basis` items joined by `;` — how candidates travel in a batch field.
    public static func encode(_ candidates: [IdentityCandidate]) -> String {
        candidates.map { "\($0.nik)|\($0.score)|\($0.basis)" }.joined(separator: ";")
    }

    public static func decode(_ text: String) -> [IdentityCandidate] {
        text.split(separator: ";").compactMap { item in
            let parts = item.split(separator: "|", maxSplits: 2).map(String.init)
            guard parts.count == 3, let score = Int(parts[1]) else { return nil }
            return IdentityCandidate(nik: parts[0], score: score, basis: parts[2])
        }
    }
}

/// What is known of a recipient that has no usable NIK.
public struct IdentityQuery: Sendable, Hashable {
    /// The normalised name key (`normalize-name`'s `nama_key`).
    public var nameKey: String
    public var birthDate: CivilDate?
    /// Dotted Kemendagri desa code of where the record places the recipient.
    public var desaCode: String?

    public init(nameKey: String, birthDate: CivilDate? = nil, desaCode: String? = nil) {
        self.nameKey = nameKey
        self.birthDate = birthDate
        self.desaCode = desaCode
    }
}

/// Finds possible persons for a record without a valid NIK: the same normalised name and
/// birth date and desa, or fewer of them. It proposes; a steward confirms or rejects
/// (`padu matches`). Nothing is merged automatically.
///
/// Scores: name + birth date + desa 100; name + desa 80 (the record gives no birth date);
/// name + birth date 70 (no desa, or another one); a name one letter apart + desa (and the same
/// birth date when given) 60. At most `limit` candidates, best first.
public final class IdentityMatcher {
    private let database: SQLiteDatabase
    private let limit: Int
    private var desaPeople: [String: [(nik: String, key: String, birth: String?)]] = [:]

    public init(warehouse: Warehouse, limit: Int = 5) {
        self.database = warehouse.database
        self.limit = limit
    }

    public func candidates(for q: IdentityQuery) throws -> [IdentityCandidate] {
        guard !q.nameKey.isEmpty else { return [] }
        var found: [String: IdentityCandidate] = [:]
        func offer(_ c: IdentityCandidate) {
            if (found[c.nik]?.score ?? -1) < c.score { found[c.nik] = c }
        }
        let birth = q.birthDate?.iso
        try database.query("SELECT nik, birth_date, region_code FROM person WHERE name_key = ?", [.text(q.nameKey)]) { row in
            guard let nik = row.text(0) else { return }
            let sameBirth = birth != nil && row.text(1) == birth
            let otherBirth = birth != nil && row.text(1) != nil && row.text(1) != birth
            let sameDesa = q.desaCode != nil && row.text(2) == q.desaCode
            if sameDesa && sameBirth { offer(IdentityCandidate(nik: nik, score: 100, basis: "name+birth date+desa")) }
            else if sameDesa && !otherBirth { offer(IdentityCandidate(nik: nik, score: 80, basis: "name+desa")) }
            else if sameBirth { offer(IdentityCandidate(nik: nik, score: 70, basis: "name+birth date")) }
        }
        if let desa = q.desaCode, q.nameKey.count >= 6 {
            for p in try people(in: desa) where p.key != q.nameKey && found[p.nik] == nil {
                guard abs(p.key.count - q.nameKey.count) <= 1, TextUtilities.editDistance(p.key, q.nameKey) == 1 else { continue }
                if let birth, let other = p.birth, other != birth { continue }
                offer(IdentityCandidate(nik: p.nik, score: 60, basis: "similar name+desa"))
            }
        }
        return found.values.sorted { ($0.score, $1.nik) > ($1.score, $0.nik) }.prefix(limit).map { $0 }
    }

    private func people(in desa: String) throws -> [(nik: String, key: String, birth: String?)] {
        if let cached = desaPeople[desa] { return cached }
        var list: [(nik: String, key: String, birth: String?)] = []
        try database.query("SELECT nik, name_key, birth_date FROM person WHERE region_code = ? AND name_key IS NOT NULL", [.text(desa)]) { row in
            if let nik = row.text(0), let key = row.text(1) { list.append((nik, key, row.text(2))) }
        }
        if desaPeople.count > 256 { desaPeople.removeAll() }
        desaPeople[desa] = list
        return list
    }
}

/// A proposed or decided identity match, as `padu matches` shows it.
public struct IdentityMatch: Sendable {
    public let id: Int64
    public let subjectTable: String
    public let subjectKey: String
    public let candidateNIK: String
    public let score: Int
    public let basis: String
    public let status: String
    public let decidedBy: String?
    public let decidedAt: String?
    public let note: String?
    public let inputID: Int64
    public let sourceRow: Int
    public let sourceSheet: String?
}

/// A steward's decision that cannot be applied.
public struct IdentityMatchError: Error, Sendable, CustomStringConvertible {
    public let description: String
}

extension Warehouse {
    /// Records (or refreshes) a proposed match; a decision already taken on the same subject
    /// and candidate is kept.
    func recordCandidate(_ c: IdentityCandidate, subjectTable: String, subjectKey: String, lineage: [SQLValue]) throws {
        try database.run("""
            INSERT INTO identity_match(subject_table, subject_key, candidate_nik, score, basis, input_id, run_id, source_row, source_sheet)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(subject_key, candidate_nik) DO UPDATE SET score = excluded.score, basis = excluded.basis,
                input_id = excluded.input_id, run_id = excluded.run_id, source_row = excluded.source_row,
                source_sheet = excluded.source_sheet
            """, [.text(subjectTable), .text(subjectKey), .text(c.nik), .int(Int64(c.score)), .text(c.basis)] + lineage)
    }

    /// Matches whose subject is still in the warehouse, filtered by status (nil: all).
    public func identityMatches(status: String? = nil, id: Int64? = nil) throws -> [IdentityMatch] {
        var sql = """
            SELECT m.id, m.subject_table, m.subject_key, m.candidate_nik, m.score, m.basis, m.status, m.decided_by,
                   m.decided_at, m.note, a.input_id, a.source_row, a.source_sheet
            FROM identity_match m
            JOIN assistance a ON a.id = (SELECT min(a2.id) FROM assistance a2 WHERE a2.match_key = m.subject_key)
            WHERE 1 = 1
            """
        var args: [SQLValue] = []
        if let status { sql += " AND m.status = ?"; args.append(.text(status)) }
        if let id { sql += " AND m.id = ?"; args.append(.int(id)) }
        sql += " ORDER BY m.status, m.subject_key, m.score DESC, m.id"
        var out: [IdentityMatch] = []
        try database.query(sql, args) { r in
            out.append(IdentityMatch(id: r.int(0)!, subjectTable: r.text(1) ?? "", subjectKey: r.text(2) ?? "",
                                     candidateNIK: r.text(3) ?? "", score: Int(r.int(4) ?? 0), basis: r.text(5) ?? "",
                                     status: r.text(6) ?? "", decidedBy: r.text(7), decidedAt: r.text(8), note: r.text(9),
                                     inputID: r.int(10) ?? 0, sourceRow: Int(r.int(11) ?? 0), sourceSheet: r.text(12)))
        }
        return out
    }

    /// Confirms or rejects match `id`. A subject has at most one confirmed match: confirming a
    /// second one is refused until the first is rejected.
    public func decideIdentityMatch(id: Int64, confirm: Bool, by steward: String, note: String?) throws {
        try database.transaction {
            guard let match = try identityMatches(id: id).first else {
                throw IdentityMatchError(description: "no identity match \(id) (or its record is no longer in the warehouse); see `padu matches list`")
            }
            if confirm, case .int(let other)? = try database.scalar("""
                SELECT id FROM identity_match WHERE subject_key = ? AND status = 'confirmed' AND id <> ?
                """, [.text(match.subjectKey), .int(id)]) {
                throw IdentityMatchError(description: "the record of match \(id) is already matched to another person by match \(other); "
                    + "reject \(other) first (`padu matches reject \(other)`)")
            }
            try database.run("""
                UPDATE identity_match SET status = ?, decided_by = ?, decided_at = strftime('%Y-%m-%dT%H:%M:%fZ','now'), note = ?
                WHERE id = ?
                """, [.text(confirm ? "confirmed" : "rejected"), .text(steward), SQLValue(note), .int(id)])
        }
    }

    /// Proposes matches for every aid record without a usable NIK against the persons now in
    /// the warehouse (for records loaded before the registry that names their recipient).
    /// Returns the number of proposals added.
    public func scanIdentityMatches() throws -> Int {
        let matcher = IdentityMatcher(warehouse: self)
        var subjects: [(key: String, query: IdentityQuery, lineage: [SQLValue])] = []
        try database.query("""
            SELECT match_key, name_key, birth_date, region_code, input_id, run_id, source_row, source_sheet, min(id)
            FROM assistance WHERE person_nik IS NULL AND match_key IS NOT NULL AND name_key IS NOT NULL
            GROUP BY match_key
            """) { r in
            let birth = r.text(2).flatMap { t -> CivilDate? in
                let p = t.split(separator: "-").compactMap { Int($0) }
                return p.count == 3 ? CivilDate(year: p[0], month: p[1], day: p[2]) : nil
            }
            let region = r.text(3).flatMap { $0.split(separator: ".").count == 4 ? $0 : nil }
            subjects.append((r.text(0)!, IdentityQuery(nameKey: r.text(1)!, birthDate: birth, desaCode: region),
                             [r[4], r[5], r[6], r[7]]))
        }
        let before = try database.scalar("SELECT count(*) FROM identity_match")
        try database.transaction {
            for s in subjects {
                for c in try matcher.candidates(for: s.query) {
                    try recordCandidate(c, subjectTable: "assistance", subjectKey: s.key, lineage: s.lineage)
                }
            }
        }
        let after = try database.scalar("SELECT count(*) FROM identity_match")
        if case .int(let a)? = after, case .int(let b)? = before { return Int(a - b) }
        return 0
    }
}

import PaduCore
import PaduReference
import PaduWarehouse

/// The `match-identity` transform: links aid rows to people. A row with a valid NIK is that
/// person (exact); a row without one gets the warehouse's possible matches by normalised name,
/// birth date and desa, which the sink records for a steward to confirm or reject
/// (`padu matches`). Nothing is merged automatically.
public enum MatchIdentityTransform {
    static let addedFields = [
        Field("match_candidates", .string, "possible persons: nik|score|basis;… (rows without a valid NIK)"),
    ]

    public static let descriptor = PluginDescriptor(
        name: "match-identity",
        kind: .transform,
        version: "1.0",
        summary: "exact identity on a valid NIK; otherwise possible matches by name + birth date + desa, for a steward to confirm",
        options: [
            OptionSpec("minScore", .int, default: "60", "lowest score proposed (name+birth date+desa 100, name+desa 80, name+birth date 70, similar name+desa 60)"),
            OptionSpec("limit", .int, default: "5", "most candidates proposed per row"),
        ],
        sample: """
            transforms: [.validateNIK(onInvalid: .flag), .normalizeName(), .resolveRegion(within: "18.02"), .matchIdentity()]
            """,
        validate: { options throws(PluginConfigurationError) in
            if let s = options.int("minScore"), !(1...100).contains(s) { throw PluginConfigurationError("minScore must be 1–100, got \(s)") }
            if let l = options.int("limit"), !(1...50).contains(l) { throw PluginConfigurationError("limit must be 1–50, got \(l)") }
        },
        fieldsRead: { _ in ["nama"] },
        columnLineage: { _ in
            [ColumnDerivation("match_candidates", from: ["nama", "nama_key", "tanggal_lahir", "region_code", "nik", "nik_status"], .derived,
                              "persons in the warehouse with the same name key, birth date and desa")]
        },
        make: { options in .transform(MatchIdentityStage(minScore: options.int("minScore") ?? 60, limit: options.int("limit") ?? 5)) }
    )
}

final class MatchIdentityStage: TransformStage {
    let minScore: Int
    let limit: Int
    private var matcher: IdentityMatcher?

    init(minScore: Int, limit: Int) {
        self.minScore = minScore
        self.limit = limit
    }

    func process(_ batch: Batch, rejections: inout Rejections, context: StageContext) throws -> Batch {
        if matcher == nil {
            guard let warehouse = context.store as? Warehouse else {
                throw PluginConfigurationError("match-identity needs the SQLite warehouse as the run's store")
            }
            matcher = IdentityMatcher(warehouse: warehouse, limit: limit)
        }
        var out = Batch.extending(batch, with: MatchIdentityTransform.addedFields)
        let s = out.schema
        let target = s.index(of: "match_candidates")!
        func text(_ field: String, _ row: Int) -> String? {
            guard let c = s.index(of: field), let t = out[row: row, column: c].text, !t.isEmpty else { return nil }
            return t
        }
        for row in 0..<out.count {
            if text("level", row) == "activity" { continue }
            // Exact: a NIK that passed the checks identifies the person; the sink links it.
            if text("nik", row) != nil && text("nik_status", row) != "invalid" { continue }
            guard let name = text("nama", row) else { continue }
            let key = text("nama_key", row) ?? NameKey.key(name)
            var birth: CivilDate?
            if let c = s.index(of: "tanggal_lahir"), case .date(let d) = out[row: row, column: c] { birth = d }
            let desa = text("region_code", row).flatMap { $0.split(separator: ".").count == 4 ? $0 : nil }
            let found = try matcher!.candidates(for: IdentityQuery(nameKey: key, birthDate: birth, desaCode: desa))
                .filter { $0.score >= minScore }
            if !found.isEmpty { out.set(.string(IdentityCandidate.encode(found)), row: row, column: target) }
        }
        return out
    }
}

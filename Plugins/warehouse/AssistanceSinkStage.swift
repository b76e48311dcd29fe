import PaduCore
import PaduReference
import PaduWarehouse

/// The `assistance` dataset: aid records (`csr-spreadsheet`, `baznas-export` rows) into `assistance`.
final class AssistanceSinkStage: SinkStage {
    private var writer: AssistanceWriter?

    func beginInput(_ input: InputRef, file: InputFile, context: StageContext) throws {
        writer = AssistanceWriter(warehouse: try WarehouseSink.warehouse(context), runID: context.runID)
    }

    func finishInput(_ input: InputRef, context: StageContext) throws {
        writer = nil
    }

    func write(_ batch: Batch, rejections: inout Rejections, context: StageContext) throws -> Int {
        guard let writer else { throw WarehouseSinkError(description: "write before beginInput") }
        let s = batch.schema
        let missing = ["provider_kind", "provider", "level"].filter { s.index(of: $0) == nil }
        guard missing.isEmpty else {
            throw WarehouseSinkError(description: "the rows have no \(missing.joined(separator: ", ")) field; the assistance dataset needs an aid source such as csr-spreadsheet or baznas-export")
        }
        func text(_ field: String, _ row: Int) -> String? {
            guard let c = s.index(of: field) else { return nil }
            let t = batch[row: row, column: c].text
            return t?.isEmpty == true ? nil : t
        }
        func decimal(_ field: String, _ row: Int) -> ExactDecimal? {
            guard let c = s.index(of: field), case .decimal(let d) = batch[row: row, column: c] else { return nil }
            return d
        }
        var loaded = 0
        for row in 0..<batch.count {
            var r = AssistanceRecord(providerKind: text("provider_kind", row) ?? "", provider: text("provider", row) ?? "",
                                     level: text("level", row) ?? "")
            if let nik = text("nik", row), let problem = RegistrySinkStage.identifierProblem(nik, name: "NIK") {
                rejections.quarantine(row: row, of: batch, column: "nik", code: "bad-nik", message: problem)
                continue
            }
            if let amount = decimal("nilai", row), amount.isNegative {
                rejections.quarantine(row: row, of: batch, column: "nilai", code: "negative-amount",
                                      message: "amount \(amount) is negative; an aid record gives a positive amount (a correction belongs in a corrected file)")
                continue
            }
            r.program = text("program", row)
            r.aidKind = text("jenis_bantuan", row)
            r.asnaf = text("asnaf", row)
            r.nik = text("nik", row)
            r.noKK = text("no_kk", row)
            r.name = text("nama", row)
            r.sex = text("jenis_kelamin", row)
            r.activity = text("kegiatan", row)
            r.volume = decimal("volume", row)
            r.unit = text("satuan", row)
            r.amount = decimal("nilai", row)
            if let c = s.index(of: "tanggal"), case .date(let d) = batch[row: row, column: c] { r.date = d }
            r.address = text("alamat", row)
            r.desa = text("desa", row)
            r.kecamatan = text("kecamatan", row)
            r.kabupaten = text("kabupaten", row)
            r.note = text("keterangan", row)
            r.need = text("need", row)
            r.nameRaw = text("nama_raw", row)
            r.nameKey = text("nama_key", row) ?? r.name.map(NameKey.key)
            if let c = s.index(of: "tanggal_lahir"), case .date(let d) = batch[row: row, column: c] { r.birthDate = d }
            r.nikStatus = text("nik_status", row)
            r.nikNotes = text("nik_notes", row)
            r.regionCode = text("region_code", row)
            r.regionStatus = text("region_status", row)
            r.regionNotes = text("region_notes", row)
            if let code = text("program_code", row) {
                r.programCode = code
                try writer.writeProgram(ProgramEntry(code: code, name: text("program_name", row) ?? r.program ?? code, providerKind: r.providerKind,
                                                     provider: text("program_provider", row), need: r.need,
                                                     catalog: text("program_catalog", row) ?? "bundled"), input: batch.input)
            }
            // The recipient's identity: a NIK that passed the checks (validate-nik's status, when the
            // pipeline runs it). Without one, the record is matched by name, birth date and desa.
            if let nik = r.nik, r.nikStatus != "invalid" { r.personNIK = nik }
            var candidates: [IdentityCandidate] = []
            if r.personNIK == nil, r.level != "activity" {
                r.matchKey = Self.matchKey(r)
                candidates = text("match_candidates", row).map(IdentityCandidate.decode) ?? []
            }
            try writer.write(r, input: batch.input, row: batch.origins[row].row, sheet: batch.sheet, candidates: candidates)
            loaded += 1
        }
        return loaded
    }

    /// A fingerprint of what identifies an aid record without a NIK, so a steward's decision on
    /// its identity survives reloading the same file (and a corrected version of it).
    static func matchKey(_ r: AssistanceRecord) -> String {
        let parts = [r.providerKind, r.provider, r.program ?? "", r.aidKind ?? "", r.nameKey ?? r.name ?? "",
                     r.regionCode ?? r.desa ?? "", r.birthDate?.iso ?? "", r.date?.iso ?? "", r.amount?.description ?? ""]
        return String(SHA256.hash(parts.joined(separator: "\u{1F}")).hex.prefix(24))
    }
}

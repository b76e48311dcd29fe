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
        let c = Columns(s)  // positions looked up once per batch, not per row
        func text(_ column: Int?, _ row: Int) -> String? {
            guard let column else { return nil }
            let t = batch[row: row, column: column].text
            return t?.isEmpty == true ? nil : t
        }
        func decimal(_ column: Int?, _ row: Int) -> ExactDecimal? {
            guard let column, case .decimal(let d) = batch[row: row, column: column] else { return nil }
            return d
        }
        var loaded = 0
        for row in 0..<batch.count {
            var r = AssistanceRecord(providerKind: text(c.providerKind, row) ?? "", provider: text(c.provider, row) ?? "",
                                     level: text(c.level, row) ?? "")
            if let nik = text(c.nik, row), let problem = RegistrySinkStage.identifierProblem(nik, name: "NIK") {
                rejections.quarantine(row: row, of: batch, column: "nik", code: "bad-nik", message: problem)
                continue
            }
            if let amount = decimal(c.nilai, row), amount.isNegative {
                rejections.quarantine(row: row, of: batch, column: "nilai", code: "negative-amount",
                                      message: "amount \(amount) is negative; an aid record gives a positive amount (a correction belongs in a corrected file)")
                continue
            }
            r.program = text(c.program, row)
            r.aidKind = text(c.aid, row)
            r.asnaf = text(c.asnaf, row)
            r.nik = text(c.nik, row)
            r.noKK = text(c.noKK, row)
            r.name = text(c.nama, row)
            r.sex = text(c.sex, row)
            r.activity = text(c.activity, row)
            r.volume = decimal(c.volume, row)
            r.unit = text(c.unit, row)
            r.amount = decimal(c.nilai, row)
            if let col = c.date, case .date(let d) = batch[row: row, column: col] { r.date = d }
            r.address = text(c.address, row)
            r.desa = text(c.desa, row)
            r.kecamatan = text(c.kecamatan, row)
            r.kabupaten = text(c.kabupaten, row)
            r.note = text(c.note, row)
            r.need = text(c.need, row)
            r.nameRaw = text(c.nameRaw, row)
            r.nameKey = text(c.nameKey, row) ?? r.name.map(NameKey.key)
            if let col = c.birthDate, case .date(let d) = batch[row: row, column: col] { r.birthDate = d }
            r.nikStatus = text(c.nikStatus, row)
            r.nikNotes = text(c.nikNotes, row)
            r.regionCode = text(c.regionCode, row)
            r.regionStatus = text(c.regionStatus, row)
            r.regionNotes = text(c.regionNotes, row)
            if let code = text(c.programCode, row) {
                r.programCode = code
                try writer.writeProgram(ProgramEntry(code: code, name: text(c.programName, row) ?? r.program ?? code, providerKind: r.providerKind,
                                                     provider: text(c.programProvider, row), need: r.need,
                                                     catalog: text(c.programCatalog, row) ?? "bundled"), input: batch.input)
            }
            // The recipient's identity: a NIK that passed the checks (validate-nik's status, when the
            // pipeline runs it). Without one, the record is matched by name, birth date and desa.
            if let nik = r.nik, r.nikStatus != "invalid" { r.personNIK = nik }
            var candidates: [IdentityCandidate] = []
            if r.personNIK == nil, r.level != "activity" {
                r.matchKey = Self.matchKey(r)
                candidates = text(c.matchCandidates, row).map(IdentityCandidate.decode) ?? []
            }
            try writer.write(r, input: batch.input, row: batch.origins[row].row, sheet: batch.sheet, candidates: candidates)
            loaded += 1
        }
        return loaded
    }

    /// Column positions of the aid fields in a batch's schema.
    struct Columns {
        let providerKind, provider, level, nik, nilai, program, aid, asnaf, noKK, nama, sex, activity, volume, unit, date, address, desa, kecamatan, kabupaten, note, need, nameRaw, nameKey, birthDate, nikStatus, nikNotes, regionCode, regionStatus, regionNotes, programCode, programName, programProvider, programCatalog, matchCandidates: Int?

        init(_ s: Schema) {
            providerKind = s.index(of: "provider_kind")
            provider = s.index(of: "provider")
            level = s.index(of: "level")
            nik = s.index(of: "nik")
            nilai = s.index(of: "nilai")
            program = s.index(of: "program")
            aid = s.index(of: "jenis_bantuan")
            asnaf = s.index(of: "asnaf")
            noKK = s.index(of: "no_kk")
            nama = s.index(of: "nama")
            sex = s.index(of: "jenis_kelamin")
            activity = s.index(of: "kegiatan")
            volume = s.index(of: "volume")
            unit = s.index(of: "satuan")
            date = s.index(of: "tanggal")
            address = s.index(of: "alamat")
            desa = s.index(of: "desa")
            kecamatan = s.index(of: "kecamatan")
            kabupaten = s.index(of: "kabupaten")
            note = s.index(of: "keterangan")
            need = s.index(of: "need")
            nameRaw = s.index(of: "nama_raw")
            nameKey = s.index(of: "nama_key")
            birthDate = s.index(of: "tanggal_lahir")
            nikStatus = s.index(of: "nik_status")
            nikNotes = s.index(of: "nik_notes")
            regionCode = s.index(of: "region_code")
            regionStatus = s.index(of: "region_status")
            regionNotes = s.index(of: "region_notes")
            programCode = s.index(of: "program_code")
            programName = s.index(of: "program_name")
            programProvider = s.index(of: "program_provider")
            programCatalog = s.index(of: "program_catalog")
            matchCandidates = s.index(of: "match_candidates")
        }
    }

    /// A fingerprint of what identifies an aid record without a NIK, so a steward's decision on
    /// its identity survives reloading the same file (and a corrected version of it).
    static func matchKey(_ r: AssistanceRecord) -> String {
        let parts = [r.providerKind, r.provider, r.program ?? "", r.aidKind ?? "", r.nameKey ?? r.name ?? "",
                     r.regionCode ?? r.desa ?? "", r.birthDate?.iso ?? "", r.date?.iso ?? "", r.amount?.description ?? ""]
        return String(SHA256.hash(parts.joined(separator: "\u{1F}")).hex.prefix(24))
    }
}

import PaduCore
import PaduReference
import PaduWarehouse

/// The `registry` dataset: social-registry rows into person, household, registry_status, region.
final class RegistrySinkStage: SinkStage {
    private var writer: RegistryWriter?
    /// Region codes parsed per distinct (provinsi, kabupaten, kecamatan, desa) code text: rows repeat them.
    private var regionCache: [[String?]: Result<[RegionLevel: String], CodeProblem>] = [:]

    func beginInput(_ input: InputRef, file: InputFile, context: StageContext) throws {
        writer = RegistryWriter(warehouse: try WarehouseSink.warehouse(context), runID: context.runID)
    }

    func finishInput(_ input: InputRef, context: StageContext) throws {
        try writer?.finish()
        writer = nil
    }

    func write(_ batch: Batch, rejections: inout Rejections, context: StageContext) throws -> Int {
        guard let writer else { throw WarehouseSinkError(description: "write before beginInput") }
        let c = Columns(batch.schema)
        guard let nikColumn = c.nik else {
            throw WarehouseSinkError(description: "the rows have no 'nik' field; the registry dataset needs a registry source")
        }
        var loaded = 0
        for row in 0..<batch.count {
            let nik = batch[row: row, column: nikColumn].text ?? ""
            if nik.isEmpty, let notes = c.text(batch, row, c.nikNotes), !notes.isEmpty {
                // validate-nik flagged the NIK and emptied the field: a registry row cannot be kept without one.
                rejections.quarantine(row: row, of: batch, column: "nik", code: "bad-nik",
                                      message: "the NIK was flagged invalid (\(notes)); a registry row needs the member's valid NIK")
                continue
            }
            if let problem = Self.identifierProblem(nik, name: "NIK") {
                rejections.quarantine(row: row, of: batch, column: "nik", code: "bad-nik",
                                      message: problem + "; a registry row needs the member's 16-digit NIK")
                continue
            }
            var record = RegistryRecord(registry: c.text(batch, row, c.registry) ?? "", nik: nik)
            record.noKK = c.text(batch, row, c.noKK)
            if let kk = record.noKK, let problem = Self.identifierProblem(kk, name: "No. KK") {
                rejections.quarantine(row: row, of: batch, column: "no_kk", code: "bad-kk", message: problem)
                continue
            }
            record.registryID = c.text(batch, row, c.registryID)
            record.name = c.text(batch, row, c.name)
            record.sex = c.text(batch, row, c.sex)
            if let d = c.date, case .date(let date) = batch[row: row, column: d] { record.birthDate = date }
            record.birthPlace = c.text(batch, row, c.birthPlace)
            record.relationship = c.text(batch, row, c.relationship)
            record.occupation = c.text(batch, row, c.occupation)
            record.address = c.text(batch, row, c.address)
            record.rt = c.text(batch, row, c.rt)
            record.rw = c.text(batch, row, c.rw)
            record.provinsi = c.text(batch, row, c.provinsi)
            record.kabupaten = c.text(batch, row, c.kabupaten)
            record.kecamatan = c.text(batch, row, c.kecamatan)
            record.desa = c.text(batch, row, c.desa)
            let codeTexts = [c.kodeProvinsi, c.kodeKabupaten, c.kodeKecamatan, c.kodeDesa].map { $0.flatMap { batch[row: row, column: $0].text } }
            let parsed: Result<[RegionLevel: String], CodeProblem>
            if let known = regionCache[codeTexts] {
                parsed = known
            } else {
                parsed = Self.regionCodes(batch, row, c)
                if regionCache.count > 20_000 { regionCache.removeAll(keepingCapacity: true) }
                regionCache[codeTexts] = parsed
            }
            switch parsed {
            case .success(let codes): record.regionCodes = codes
            case .failure(let problem):
                rejections.quarantine(row: row, of: batch, column: problem.field, code: "bad-region-code", message: problem.message)
                continue
            }
            if let d = c.desil, case .int(let n) = batch[row: row, column: d] {
                guard (1...10).contains(n) else {
                    rejections.quarantine(row: row, of: batch, column: "desil", code: "bad-desil",
                                          message: "desil \(n) is out of range; expected 1 (poorest) to 10")
                    continue
                }
                record.desil = Int(n)
            }
            record.pkh = c.flag(batch, row, c.pkh)
            record.bpnt = c.flag(batch, row, c.bpnt)
            record.pbiJKN = c.flag(batch, row, c.pbiJKN)
            record.blt = c.flag(batch, row, c.blt)
            if let d = c.snapshot, case .date(let date) = batch[row: row, column: d] { record.snapshotDate = date }
            record.status = c.text(batch, row, c.status)
            record.nameRaw = c.text(batch, row, c.nameRaw)
            record.nameKey = c.text(batch, row, c.nameKey) ?? record.name.map(NameKey.key)
            record.nikStatus = c.text(batch, row, c.nikStatus)
            record.nikNotes = c.text(batch, row, c.nikNotes)
            record.kkStatus = c.text(batch, row, c.kkStatus)
            record.kkNotes = c.text(batch, row, c.kkNotes)
            record.regionStatus = c.text(batch, row, c.regionStatus)
            record.regionNotes = c.text(batch, row, c.regionNotes)

            switch try writer.write(record, input: batch.input, row: batch.origins[row].row, sheet: batch.sheet) {
            case .loaded:
                loaded += 1
            case .duplicateNIK(let firstRow):
                rejections.quarantine(row: row, of: batch, column: "nik", code: "duplicate-nik",
                                      message: "NIK \(PersonalData.maskNIK(nik)) appears again in this input (first at row \(firstRow)); one person, one row")
            }
        }
        return loaded
    }

    /// Why `value` cannot key a person or household, or nil: the shared identifier rules
    /// (`IdentifierText`: 16 digits as text, no spreadsheet damage, no placeholder) plus a
    /// serial of 0000, which no NIK or KK has. Full validation is the `validate-nik` transform's job.
    static func identifierProblem(_ value: String, name: String) -> String? {
        if value.isEmpty { return "\(name) is empty" }
        switch IdentifierText.classify(value, fromNumericCell: false) {
        case .damaged(let reason), .notAnIdentifier(let reason):
            return "\(name) \(PersonalData.maskNIK(value)): \(reason)"
        case .text(let digits):
            if digits.hasSuffix("0000") { return "\(name) \(PersonalData.maskNIK(digits)): serial 0000 is a placeholder, not a person's number" }
            return nil
        }
    }

    struct CodeProblem: Error {
        let field: String
        let message: String
    }

    /// Kemendagri codes from the kode_* fields, dotted; a full desa code gives every level.
    static func regionCodes(_ batch: Batch, _ row: Int, _ c: Columns) -> Result<[RegionLevel: String], CodeProblem> {
        let levels: [(RegionLevel, String, Int?, [Int])] = [
            (.provinsi, "kode_provinsi", c.kodeProvinsi, [2]),
            (.kabupaten, "kode_kabupaten", c.kodeKabupaten, [2, 2]),
            (.kecamatan, "kode_kecamatan", c.kodeKecamatan, [2, 2, 2]),
            (.desa, "kode_desa", c.kodeDesa, [2, 2, 2, 4]),
        ]
        var codes: [RegionLevel: String] = [:]
        for (level, field, column, widths) in levels {
            guard let column, let text = batch[row: row, column: column].text else { continue }
            let digits = String(text.filter { $0 != "." && $0 != " " })
            guard digits.count == widths.reduce(0, +), digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else {
                let example = ["18", "18.02", "18.02.01", "18.02.01.2001"][widths.count - 1]
                return .failure(CodeProblem(field: field, message: "\(field) '\(text)' is not a Kemendagri \(level.rawValue) code; expected e.g. \(example)"))
            }
            var parts: [String] = []
            var rest = Substring(digits)
            for w in widths { parts.append(String(rest.prefix(w))); rest = rest.dropFirst(w) }
            for (k, lvl) in RegionLevel.allCases.prefix(widths.count).enumerated() {
                let code = parts[0...k].joined(separator: ".")
                if let other = codes[lvl], other != code {
                    return .failure(CodeProblem(field: field, message: "\(field) '\(text)' is not inside \(lvl.rawValue) \(other) "
                        + "given by another code column of the same row; the row's region codes contradict each other"))
                }
                codes[lvl] = code
            }
        }
        return .success(codes)
    }

    /// Column positions of the registry fields in a batch's schema.
    struct Columns {
        let registry, registryID, nik, noKK, name, sex, date, birthPlace, relationship, occupation: Int?
        let address, rt, rw, provinsi, kabupaten, kecamatan, desa: Int?
        let kodeProvinsi, kodeKabupaten, kodeKecamatan, kodeDesa, desil, pkh, bpnt, pbiJKN, blt: Int?
        let snapshot, status, nameRaw, nameKey, nikStatus, nikNotes, kkStatus, kkNotes, regionStatus, regionNotes: Int?

        init(_ s: Schema) {
            registry = s.index(of: "registry"); registryID = s.index(of: "registry_id"); nik = s.index(of: "nik")
            noKK = s.index(of: "no_kk"); name = s.index(of: "nama"); sex = s.index(of: "jenis_kelamin")
            date = s.index(of: "tanggal_lahir"); birthPlace = s.index(of: "tempat_lahir")
            relationship = s.index(of: "hubungan_keluarga"); occupation = s.index(of: "pekerjaan")
            address = s.index(of: "alamat"); rt = s.index(of: "rt"); rw = s.index(of: "rw")
            provinsi = s.index(of: "provinsi"); kabupaten = s.index(of: "kabupaten"); kecamatan = s.index(of: "kecamatan")
            desa = s.index(of: "desa"); kodeProvinsi = s.index(of: "kode_provinsi"); kodeKabupaten = s.index(of: "kode_kabupaten")
            kodeKecamatan = s.index(of: "kode_kecamatan"); kodeDesa = s.index(of: "kode_desa"); desil = s.index(of: "desil")
            pkh = s.index(of: "pkh"); bpnt = s.index(of: "bpnt"); pbiJKN = s.index(of: "pbi_jkn"); blt = s.index(of: "blt")
            snapshot = s.index(of: "snapshot_date"); status = s.index(of: "status_kepesertaan")
            nameRaw = s.index(of: "nama_raw"); nameKey = s.index(of: "nama_key")
            nikStatus = s.index(of: "nik_status"); nikNotes = s.index(of: "nik_notes")
            kkStatus = s.index(of: "kk_status"); kkNotes = s.index(of: "kk_notes")
            regionStatus = s.index(of: "region_status"); regionNotes = s.index(of: "region_notes")
        }

        func text(_ b: Batch, _ row: Int, _ column: Int?) -> String? {
            guard let column, let t = b[row: row, column: column].text, !t.isEmpty else { return nil }
            return t
        }

        func flag(_ b: Batch, _ row: Int, _ column: Int?) -> Bool? {
            guard let column, case .bool(let v) = b[row: row, column: column] else { return nil }
            return v
        }
    }
}

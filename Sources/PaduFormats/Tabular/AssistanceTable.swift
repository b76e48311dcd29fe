import PaduCore

/// What differs between sources of aid records (CSR spreadsheets, Baznas exports): the kind
/// of provider, where the provider's name comes from, and how asnaf and programs are
/// normalised.
public struct AssistanceProfile: Sendable {
    /// `CSR`, `ZAKAT`, `APBN`, `APBD`.
    public var providerKind: String
    /// The provider's name from the pipeline; else the sheet's provider column, else the title block.
    public var provider: String?
    /// Normalises an asnaf cell (nil: no asnaf column expected). Failure quarantines the row.
    public var asnaf: (@Sendable (String) -> Result<String, ValueProblem>)?
    /// Normalises a program cell. Failure quarantines the row.
    public var program: (@Sendable (String) -> Result<String, ValueProblem>)?
    /// Explicit header mapping from the pipeline (field → header as written).
    public var columns: [String: String]

    public init(providerKind: String, provider: String? = nil, columns: [String: String] = [:],
                asnaf: (@Sendable (String) -> Result<String, ValueProblem>)? = nil,
                program: (@Sendable (String) -> Result<String, ValueProblem>)? = nil) {
        self.providerKind = providerKind
        self.provider = provider
        self.columns = columns
        self.asnaf = asnaf
        self.program = program
    }
}

/// The rows an aid source emits: one per recipient (person or household) or per activity.
public enum AssistanceSchema {
    public static let schema = Schema([
        Field("provider_kind", .string, "CSR, ZAKAT, APBN or APBD"),
        Field("provider", .string, "company, Baznas office or agency"),
        Field("program", .string, "program name (normalised where the source knows its programs)"),
        Field("jenis_bantuan", .string, "kind of aid (sembako, beasiswa, bedah rumah, ...)"),
        Field("asnaf", .string, "zakat recipient category (Baznas)"),
        Field("level", .string, "person, household or activity"),
        Field("nik", .string, "recipient NIK as written (16 digits), when given"),
        Field("no_kk", .string, "recipient No. KK, when given"),
        Field("nama", .string, "recipient name"),
        Field("jenis_kelamin", .string, "L or P"),
        Field("kegiatan", .string, "activity, for activity-level rows"),
        Field("volume", .decimal, "quantity of the activity"),
        Field("satuan", .string, "unit of the volume"),
        Field("nilai", .decimal, "amount in rupiah, exact"),
        Field("tanggal", .date, "date of distribution"),
        Field("alamat", .string, "address"),
        Field("desa", .string, "desa/kelurahan name"),
        Field("kecamatan", .string, "kecamatan name"),
        Field("kabupaten", .string, "kabupaten/kota name"),
        Field("keterangan", .string, "remarks"),
    ])

    /// Fields copied from the sheet as text.
    static let textFields = ["no_kk", "nama", "kegiatan", "satuan", "alamat", "desa", "kecamatan", "kabupaten", "keterangan", "jenis_bantuan"]
}

/// Reads aid records from a sheet or text file: finds the header below any title block,
/// skips blank, totals and repeated-header rows with their reason, detects the amount style
/// per column, and turns each record into a typed row. Every row read is accounted for.
public final class AssistanceReader: BatchReader {
    private let rows: any TabularRowSource
    private let input: InputRef
    private let profile: AssistanceProfile
    private var shaper: TableShaper
    private let batchSize: Int
    /// Records held while the amount style is not yet known (bounded by `styleSampleSize`).
    private var held: [(record: ShapedRecord, row: TabularRow)] = []
    /// Raw rows whose outcome the shaper has not given yet (only while the header is sought).
    private var rawRows: [Int: TabularRow] = [:]
    private var amountStyle = NumberStyleDetector()
    private var volumeStyle = NumberStyleDetector()
    private var styleDecided = false
    private var finished = false
    private var providerFromSheet: String?
    private let styleSampleSize = 500

    /// When the sheet holds no table Padu recognises: false fails the input (the sheet was
    /// asked for by name); true skips every row of it with reason `no-table` (one sheet among
    /// all those of a workbook, such as a summary sheet).
    private let tolerateNoTable: Bool
    private var draining = false

    public init(rows: any TabularRowSource, input: InputRef, profile: AssistanceProfile, batchSize: Int = 4096,
                tolerateNoTable: Bool = false) {
        self.rows = rows
        self.input = input
        self.profile = profile
        self.batchSize = batchSize
        self.tolerateNoTable = tolerateNoTable
        var options = TableShaper.Options(explicit: profile.columns)
        options.mergedRanges = rows.mergedRanges
        options.identifyingFields = ["nik", "no_kk", "nama"]
        self.shaper = TableShaper(vocabulary: .assistance, options: options)
    }

    public var bytesRead: Int64 { rows.bytesRead }
    public func close() { rows.close() }

    public func next(rejections: inout Rejections) throws -> Batch? {
        var batch = Batch(schema: AssistanceSchema.schema, input: input, sheet: rows.sheet)
        var sawAny = false
        while batch.count + rejections.count < batchSize {
            if !held.isEmpty && styleDecided {
                let (record, row) = held.removeFirst()
                convert(record, row: row, into: &batch, rejections: &rejections)
                sawAny = true
                continue
            }
            if finished {
                if !held.isEmpty { styleDecided = true; continue }
                break
            }
            guard let row = try rows.nextRow() else {
                finished = true
                if !draining {
                    do { try absorb(try shaperFinish(), into: &rejections) } catch let e as AssistanceInputError where tolerateNoTable {
                        drain(e, into: &rejections)
                    }
                }
                styleDecided = true
                sawAny = true
                continue
            }
            sawAny = true
            if draining {
                rejections.reject(Rejection(.skipped, locator: locator(row.number, row.byteOffset),
                                            reason: RejectReason(code: "no-table", message: noTableMessage), values: []))
                continue
            }
            if let problem = row.problem {
                rejections.reject(Rejection(.quarantined, locator: locator(row.number, row.byteOffset),
                                            reason: RejectReason(code: "damaged-record", message: problem), values: raw(row)))
                continue
            }
            rawRows[row.number] = row
            let outcomes: [ShapedRow]
            do { outcomes = try shaper.push(row.cells.map(\.text), rowNumber: row.number) } catch {
                let failure = AssistanceInputError(message: "\(input.path)\(rows.sheet.map { ", sheet '\($0)'" } ?? ""): \(error.message)")
                guard tolerateNoTable else { throw failure }
                drain(failure, into: &rejections)
                continue
            }
            try absorb(outcomes, into: &rejections)
        }
        return sawAny ? batch : nil
    }

    private var noTableMessage = ""

    /// No header in this sheet: the rows read so far and every later one are skipped.
    private func drain(_ failure: AssistanceInputError, into rejections: inout Rejections) {
        draining = true
        noTableMessage = "not read: \(failure.message)"
        for number in rawRows.keys.sorted() {
            rejections.reject(Rejection(.skipped, locator: locator(number, rawRows[number]?.byteOffset),
                                        reason: RejectReason(code: "no-table", message: noTableMessage), values: []))
        }
        rawRows = [:]
    }

    private func shaperFinish() throws -> [ShapedRow] {
        do { return try shaper.finish() } catch {
            throw AssistanceInputError(message: "\(input.path)\(rows.sheet.map { ", sheet '\($0)'" } ?? ""): \(error.message)")
        }
    }

    /// Skipped rows become rejections at once; records wait until the amount style is known.
    private func absorb(_ outcomes: [ShapedRow], into rejections: inout Rejections) throws {
        for outcome in outcomes {
            let row = rawRows.removeValue(forKey: outcome.rowNumber) ?? TabularRow(number: outcome.rowNumber, cells: [])
            switch outcome {
            case .skipped(let s):
                rejections.reject(Rejection(.skipped, locator: locator(s.rowNumber, row.byteOffset),
                                            reason: RejectReason(code: s.reason.rawValue, message: s.detail),
                                            values: s.reason == .titleBlock || s.reason == .header ? [] : raw(row)))
                if s.reason == .header, providerFromSheet == nil {
                    providerFromSheet = shaper.header?.organizationNames.first
                }
            case .record(let r):
                if !styleDecided {
                    if let t = r.fields["nilai"] { amountStyle.observe(t) }
                    if let t = r.fields["volume"] { volumeStyle.observe(t) }
                    if held.count + 1 >= styleSampleSize { styleDecided = true }
                }
                held.append((r, row))
            }
        }
    }

    private func locator(_ row: Int, _ offset: Int64?, column: String? = nil) -> Locator {
        Locator(input: input, sheet: rows.sheet, row: row, byteOffset: offset, column: column)
    }

    private func raw(_ row: TabularRow) -> [(String, String)] {
        let labels = shaper.header?.labels ?? []
        return row.cells.enumerated().compactMap { i, cell in
            guard let text = cell.text else { return nil }
            let label = i < labels.count && !labels[i].isEmpty ? labels[i] : "column \(MergedRange.columnLetters(i))"
            return (label, text)
        }
    }

    /// The header label of a field's column, for messages and locators.
    private func label(_ field: String) -> String {
        guard let header = shaper.header, let column = header.mapping.columns[field], column < header.labels.count else { return field }
        let label = header.labels[column]
        return label.isEmpty ? field : label
    }

    private func cellKind(_ field: String, in row: TabularRow) -> TabularCellKind {
        guard let column = shaper.header?.mapping.columns[field], column < row.cells.count else { return .text }
        return row.cells[column].kind
    }

    private func convert(_ record: ShapedRecord, row: TabularRow, into batch: inout Batch, rejections: inout Rejections) {
        func reject(_ field: String, _ code: String, _ message: String) {
            let cellColumn = shaper.header?.mapping.columns[field].map { MergedRange.columnLetters($0) + String(record.rowNumber) }
            rejections.reject(Rejection(.quarantined, locator: locator(record.rowNumber, row.byteOffset, column: cellColumn ?? label(field)),
                                        reason: RejectReason(code: code, message: message), values: raw(row)))
        }
        let f = record.fields
        var values = [Value](repeating: .null, count: AssistanceSchema.schema.count)
        func set(_ name: String, _ value: Value) { values[AssistanceSchema.schema.index(of: name)!] = value }

        set("provider_kind", .string(profile.providerKind))
        guard let provider = profile.provider ?? f["penyedia"] ?? providerFromSheet else {
            reject("penyedia", "no-provider", "no provider: set provider: in the pipeline, add a provider column, or name the provider in the title block")
            return
        }
        set("provider", .string(provider))
        for name in AssistanceSchema.textFields { if let t = f[name] { set(name, .string(t)) } }

        if let t = f["nik"] {
            switch IdentifierText.classify(t, fromNumericCell: cellKind("nik", in: row) == .number) {
            case .text(let nik): set("nik", .string(nik))
            case .damaged(let reason): reject("nik", "damaged-nik", "\(label("nik")): \(reason)"); return
            case .notAnIdentifier(let reason): reject("nik", "bad-nik", "\(label("nik")): not a NIK: \(reason)"); return
            }
        }
        if let t = f["jenis_kelamin"] {
            guard let sex = IndonesianValues.parseSex(t) else {
                reject("jenis_kelamin", "bad-sex", "\(label("jenis_kelamin")) '\(t)' is not a sex; expected L/P"); return
            }
            set("jenis_kelamin", .string(sex))
        }
        for (name, detector) in [("nilai", amountStyle), ("volume", volumeStyle)] {
            guard let t = f[name] else { continue }
            if cellKind(name, in: row) == .number {
                // A spreadsheet number: its digits as stored (1500000, 1.5E+6), never a locale format.
                switch IndonesianNumbers.parseNumericCell(t) {
                case .success(let d): set(name, .decimal(d))
                case .failure(let p): reject(name, "bad-amount", "\(label(name)): \(p.message)"); return
                }
                continue
            }
            switch TextValueParser.parse(t, as: .decimal, header: label(name), style: detector.style) {
            case .success(let v): set(name, v)
            case .failure(let p):
                if IndonesianNumbers.parseAmount(t).failureKind == .placeholder { continue }  // `-`: no amount
                reject(name, p.code, p.message); return
            }
        }
        if let t = f["tanggal"] {
            if cellKind("tanggal", in: row) == .number, let date = IndonesianValues.excelSerialToDate(t, date1904: rows.date1904) {
                set("tanggal", .date(date))
            } else {
                switch TextValueParser.parse(t, as: .date, header: label("tanggal")) {
                case .success(let v): set("tanggal", v)
                case .failure(let p): reject("tanggal", p.code, p.message); return
                }
            }
        }
        if let t = f["asnaf"] {
            guard let normalise = profile.asnaf else { set("asnaf", .string(t)); return finish() }
            switch normalise(t) {
            case .success(let a): set("asnaf", .string(a))
            case .failure(let p): reject("asnaf", p.code, p.message); return
            }
        }
        return finish()

        func finish() {
            if let t = f["program"] {
                if let normalise = profile.program {
                    switch normalise(t) {
                    case .success(let p): set("program", .string(p))
                    case .failure(let p): reject("program", p.code, p.message); return
                    }
                } else {
                    set("program", .string(t))
                }
            }
            let level: String
            if f["nik"] != nil || f["nama"] != nil { level = "person" }
            else if f["no_kk"] != nil { level = "household" }
            else if f["kegiatan"] != nil { level = "activity" }
            else {
                reject("nama", "no-recipient", "the row names no recipient (NIK, name or KK) and no activity")
                return
            }
            set("level", .string(level))
            batch.append(values, origin: RowOrigin(row: record.rowNumber, byteOffset: row.byteOffset))
        }
    }
}

extension Result where Failure == NumberProblem {
    var failureKind: NumberProblem.Kind? {
        if case .failure(let p) = self { return p.kind }
        return nil
    }
}

/// A problem with a whole aid sheet (no header found, ...).
public struct AssistanceInputError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

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
        Field("tanggal_lahir", .date, "recipient's birth date, when given (identity matching)"),
        Field("alamat", .string, "address"),
        Field("desa", .string, "desa/kelurahan name"),
        Field("kecamatan", .string, "kecamatan name"),
        Field("kabupaten", .string, "kabupaten/kota name"),
        Field("keterangan", .string, "remarks"),
    ])

    /// Fields copied from the sheet as text.
    static let textFields = ["no_kk", "nama", "kegiatan", "satuan", "alamat", "desa", "kecamatan", "kabupaten", "keterangan", "jenis_bantuan"]
}

/// Aid records (CSR reports, Baznas exports) as `AssistanceSchema` rows.
public struct AssistanceConverter: SheetRecordConverter {
    public let profile: AssistanceProfile
    public init(profile: AssistanceProfile) { self.profile = profile }

    public var schema: Schema { AssistanceSchema.schema }
    public var vocabulary: ColumnVocabulary { .assistance }
    public var explicitColumns: [String: String] { profile.columns }
    public var identifyingFields: Set<String> { ["nik", "no_kk", "nama"] }
    public var decimalFields: [String] { ["nilai", "volume"] }

    public func convert(_ record: ShapedRecord, _ context: SheetRecordContext) -> Result<[Value], SheetRecordProblem> {
        let f = record.fields
        let schema = AssistanceSchema.schema
        var values = [Value](repeating: .null, count: schema.count)
        func set(_ name: String, _ value: Value) { values[schema.index(of: name)!] = value }
        func problem(_ field: String, _ code: String, _ message: String) -> Result<[Value], SheetRecordProblem> {
            .failure(SheetRecordProblem(field: field, code: code, message: message))
        }

        set("provider_kind", .string(profile.providerKind))
        guard let provider = profile.provider ?? f["penyedia"] ?? context.organizationNames.first else {
            return problem("penyedia", "no-provider", "no provider: set provider: in the pipeline, add a provider column, or name the provider in the title block")
        }
        set("provider", .string(provider))
        for name in AssistanceSchema.textFields { if let t = f[name] { set(name, .string(t)) } }
        if let t = f["nik"] {
            switch context.identifier("nik", t) {
            case .success(let nik): set("nik", .string(nik))
            case .failure(let p): return .failure(p)
            }
        }
        if let t = f["jenis_kelamin"] {
            guard let sex = IndonesianValues.parseSex(t) else {
                return problem("jenis_kelamin", "bad-sex", "\(context.label("jenis_kelamin")) '\(t)' is not a sex; expected L/P")
            }
            set("jenis_kelamin", .string(sex))
        }
        for name in decimalFields {
            guard let t = f[name] else { continue }
            switch context.decimal(name, t) {
            case .success(let d): if let d { set(name, .decimal(d)) }
            case .failure(let p): return .failure(p)
            }
        }
        for name in ["tanggal", "tanggal_lahir"] {
            guard let t = f[name] else { continue }
            switch context.date(name, t) {
            case .success(let d): set(name, .date(d))
            case .failure(let p): return .failure(p)
            }
        }
        if let t = f["asnaf"] {
            if let normalise = profile.asnaf {
                switch normalise(t) {
                case .success(let a): set("asnaf", .string(a))
                case .failure(let p): return problem("asnaf", p.code, p.message)
                }
            } else {
                set("asnaf", .string(t))
            }
        }
        if let t = f["program"] {
            if let normalise = profile.program {
                switch normalise(t) {
                case .success(let p): set("program", .string(p))
                case .failure(let p): return problem("program", p.code, p.message)
                }
            } else {
                set("program", .string(t))
            }
        }
        let level: String
        if f["nik"] != nil || f["nama"] != nil { level = "person" }
        else if f["no_kk"] != nil { level = "household" }
        else if f["kegiatan"] != nil { level = "activity" }
        else { return problem("nama", "no-recipient", "the row names no recipient (NIK, name or KK) and no activity") }
        set("level", .string(level))
        return .success(values)
    }
}

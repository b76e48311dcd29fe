import Foundation
import PaduCore
import PaduFormats

/// The `social-registry` source: DTKS, P3KE, DTSEN and Regsosek delimited exports.
public enum SocialRegistrySource {
    /// The fields every batch carries, in order.
    public static let schema = Schema([
        Field("registry", .string, "P3KE, DTKS, DTSEN or REGSOSEK (from the pipeline)"),
        Field("registry_id", .string, "the registry's own family or member id"),
        Field("nik", .string, "NIK as written (validated later)"),
        Field("no_kk", .string, "No. KK as written"),
        Field("nama", .string, "name"),
        Field("jenis_kelamin", .string, "L or P"),
        Field("tanggal_lahir", .date, "birth date"),
        Field("tempat_lahir", .string, "birth place"),
        Field("hubungan_keluarga", .string, "relationship to the head of family"),
        Field("pekerjaan", .string, "occupation"),
        Field("alamat", .string, "address"),
        Field("rt", .string, "RT"),
        Field("rw", .string, "RW"),
        Field("provinsi", .string, "province name"),
        Field("kabupaten", .string, "kabupaten/kota name"),
        Field("kecamatan", .string, "kecamatan name"),
        Field("desa", .string, "desa/kelurahan name"),
        Field("kode_provinsi", .string, "Kemendagri province code"),
        Field("kode_kabupaten", .string, "Kemendagri kabupaten/kota code"),
        Field("kode_kecamatan", .string, "Kemendagri kecamatan code"),
        Field("kode_desa", .string, "Kemendagri desa/kelurahan code"),
        Field("desil", .int, "welfare decile (1 = poorest)"),
        Field("pkh", .bool, "PKH recipient"),
        Field("bpnt", .bool, "BPNT / Sembako recipient"),
        Field("pbi_jkn", .bool, "PBI JKN recipient"),
        Field("blt", .bool, "BLT / BST recipient"),
        Field("status_kepesertaan", .string, "enrolment status as written (AKTIF, MENINGGAL, PINDAH...)"),
        Field("snapshot_date", .date, "the date the export describes (the snapshot option, else the file's date)"),
    ])

    /// Fields holding identifiers or codes, where a leading `'` is Excel's text marker.
    static let identifierFields: Set<String> = ["nik", "no_kk", "registry_id", "kode_provinsi", "kode_kabupaten", "kode_kecamatan", "kode_desa"]

    /// Fields a file must have; the others are optional.
    static let requiredFields = ["nik", "nama"]

    public static let descriptor = PluginDescriptor(
        name: "social-registry",
        kind: .source,
        version: "1.0",
        summary: "DTKS, P3KE, DTSEN and Regsosek exports: delimited text (;, |, , or tab; UTF-8 ± BOM, UTF-16, Windows-1252) or XLSX with a title block",
        options: [
            OptionSpec("registry", .oneOf(["P3KE", "DTKS", "DTSEN", "REGSOSEK"]), required: true, "which registry the export comes from"),
            OptionSpec("path", .string, "file or glob read when a run names no input, relative to the pipeline file"),
            OptionSpec("delimiter", .oneOf([";", ",", "|", "\t"]), default: "detected", "field delimiter"),
            OptionSpec("encoding", .oneOf(["utf8", "utf16", "windows1252"]), default: "detected", "character encoding"),
            OptionSpec("columns", .stringMap, "field → header as written in the file, overriding the alias vocabulary"),
            OptionSpec("batchSize", .int, default: "4096", "rows per batch"),
            OptionSpec("sheets", .stringList, default: "every visible sheet", "workbooks: the sheets to read, by name or position"),
            OptionSpec("snapshot", .string, default: "the file's modification date (WIB)",
                       "the date the export describes, yyyy-mm-dd; graduation compares snapshots of one registry"),
        ],
        outputSchema: schema,
        sample: """
            source: .socialRegistry(.p3ke, path: "inbox/p3ke/*.csv", columns: ["nik": "NIK ANGGOTA"])
            """,
        validate: { options throws(PluginConfigurationError) in
            if let columns = options.stringMap("columns") {
                let unknown = columns.keys.filter { schema.index(of: $0) == nil || $0 == "registry" || $0 == "snapshot_date" }.sorted()
                if !unknown.isEmpty {
                    throw PluginConfigurationError("columns maps unknown field(s) \(unknown.joined(separator: ", ")); fields are: "
                        + schema.names.dropFirst().joined(separator: ", "))
                }
            }
            if let snapshot = options.string("snapshot"), snapshotDate(snapshot) == nil {
                throw PluginConfigurationError("snapshot '\(snapshot)' is not a date; expected yyyy-mm-dd, e.g. 2025-06-30")
            }
            if let size = options.int("batchSize"), !(1...1_000_000).contains(size) {
                throw PluginConfigurationError("batchSize must be between 1 and 1000000, got \(size)")
            }
        },
        columnLineage: { options in
            ColumnVocabulary.registry.columnLineage(schema, explicit: options.stringMap("columns") ?? [:], constants: [
                "registry": "the pipeline's registry option",
                "snapshot_date": "the pipeline's snapshot option, else the file's modification date (WIB)",
            ])
        },
        make: { options in .source(SocialRegistryStage(options: options)) }
    )

    /// `yyyy-mm-dd` → a date.
    static func snapshotDate(_ text: String) -> CivilDate? {
        let p = text.split(separator: "-").compactMap { Int($0) }
        return p.count == 3 && text.count == 10 ? CivilDate(year: p[0], month: p[1], day: p[2]) : nil
    }

    /// The snapshot of an input: the pipeline's date, else the file's modification date in WIB.
    static func snapshot(option: CivilDate?, file: InputFile) -> Value {
        if let option { return .date(option) }
        let d = CivilDate.civil(days: Int((file.modifiedAt + 7 * 3600) / 86_400))
        return CivilDate(year: d.year, month: d.month, day: d.day).map { .date($0) } ?? .null
    }
}

final class SocialRegistryStage: SourceStage {
    let registry: String
    let path: String?
    let csvOptions: CSVOptions
    let explicitColumns: [String: String]
    let batchSize: Int
    let sheetNames: [String]
    let snapshot: CivilDate?

    init(options: PluginOptions) {
        snapshot = options.string("snapshot").flatMap(SocialRegistrySource.snapshotDate)
        registry = options.string("registry") ?? "P3KE"
        path = options.string("path")
        var csv = CSVOptions()
        csv.delimiter = options.string("delimiter").flatMap { $0.utf8.first }
        switch options.string("encoding") {
        case "utf8": csv.encoding = .utf8
        case "windows1252": csv.encoding = .windows1252
        case "utf16": csv.encoding = .utf16LE  // Excel's "Unicode text"; a BOM, when present, decides the byte order
        default: csv.encoding = nil
        }
        csvOptions = csv
        explicitColumns = options.stringMap("columns") ?? [:]
        batchSize = options.int("batchSize") ?? 4096
        sheetNames = options.stringList("sheets") ?? []
    }

    func defaultInputs(context: StageContext) throws -> [String] {
        guard let path else { return [] }
        return FileGlob.expand(path, relativeTo: context.baseDirectory)
    }

    func open(_ input: InputRef, file: InputFile, context: StageContext) throws -> any BatchReader {
        // Raw registry workbooks (title block, header further down) go through the sheet machinery.
        if TabularFiles.isSpreadsheet(path: file.path, name: input.path) {
            let sheets = try TabularFiles.sheets(path: file.path, name: input.path, sheets: sheetNames, csv: csvOptions)
            return SheetSequenceReader(sheets: sheets, input: input,
                                       converter: RegistrySheetConverter(registry: registry, explicitColumns: explicitColumns,
                                                                         snapshot: SocialRegistrySource.snapshot(option: snapshot, file: file)))
        }
        return try SocialRegistryReader(input: input, file: file, stage: self, context: context)
    }
}

/// A problem with a whole input, said so that a steward can fix it.
struct SocialRegistryInputError: Error, CustomStringConvertible {
    let description: String
}

final class SocialRegistryReader: BatchReader {
    private let csv: CSVReader
    private let input: InputRef
    private let stage: SocialRegistryStage
    /// For each schema field, the column index in the file (nil: not in the file).
    private let sources: [Int?]
    private let headerCount: Int
    private let headers: [String]
    private let registryValue: Value
    private let snapshotValue: Value

    init(input: InputRef, file: InputFile, stage: SocialRegistryStage, context: StageContext) throws {
        self.input = input
        self.stage = stage
        csv = try CSVReader(path: file.path, options: stage.csvOptions)
        // The first non-empty record is the header.
        var header: CSVRecord?
        while let record = try csv.next() {
            if record.fields.allSatisfy({ $0.trimmingWhitespace().isEmpty }) { continue }
            header = record
            break
        }
        guard let header else {
            throw SocialRegistryInputError(description: "\(input.path): the file is empty; expected a header row such as NIK;NAMA;NO_KK")
        }
        if let problem = header.problem {
            throw SocialRegistryInputError(description: "\(input.path): the header row is damaged: \(problem)")
        }
        headers = Self.unique(header.fields.map { $0.trimmingWhitespace() })
        headerCount = headers.count
        let mapping = ColumnVocabulary.registry.map(headers: headers, explicit: stage.explicitColumns)
        if !mapping.missingExplicit.isEmpty {
            throw SocialRegistryInputError(description: "\(input.path): the pipeline maps \(mapping.missingExplicit.joined(separator: ", ")) "
                + "but the file has no such header; its headers are: \(headers.joined(separator: ", "))")
        }
        let missing = SocialRegistrySource.requiredFields.filter { mapping.columns[$0] == nil }
        if !missing.isEmpty {
            throw SocialRegistryInputError(description: "\(input.path): no column for \(missing.joined(separator: ", ")) "
                + "(delimiter '\(Self.show(csv.delimiter))'); the header row (line \(header.line)) has: \(headers.joined(separator: ", ")). "
                + "Map it in the pipeline with columns: [\"\(missing[0])\": \"<header>\"]")
        }
        sources = SocialRegistrySource.schema.names.map { mapping.columns[$0] }
        registryValue = .string(stage.registry)
        snapshotValue = SocialRegistrySource.snapshot(option: stage.snapshot, file: file)
        if !mapping.unusedHeaders.isEmpty {
            context.logger.info("columns not used", ["input": input.path, "columns": mapping.unusedHeaders.joined(separator: ",")])
        }
    }

    /// Headers made unique (`ALAMAT`, `ALAMAT (2)`) so raw values keep every column.
    static func unique(_ headers: [String]) -> [String] {
        var seen: [String: Int] = [:]
        return headers.map { h in
            let n = seen[h, default: 0] + 1
            seen[h] = n
            return n == 1 ? h : "\(h) (\(n))"
        }
    }

    private static func show(_ byte: UInt8) -> String { byte == 9 ? "\\t" : String(UnicodeScalar(byte)) }

    var bytesRead: Int64 { csv.bytesRead }

    func close() { csv.close() }

    private var columnsTaken = false

    func takeColumns() -> [InputColumn] {
        guard !columnsTaken else { return [] }
        columnsTaken = true
        return SocialRegistrySource.schema.names.enumerated().compactMap { i, field in
            sources[i].map { InputColumn(sheet: nil, field: field, header: headers[$0], index: $0) }
        }
    }

    func next(rejections: inout Rejections) throws -> Batch? {
        var batch = Batch(schema: SocialRegistrySource.schema, input: input)
        batch.reserveCapacity(stage.batchSize)
        var sawRecord = false
        // Rejected records count toward the batch size too, so a damaged file stays bounded.
        while batch.count + rejections.count < stage.batchSize, let record = try csv.next() {
            sawRecord = true
            let locator = Locator(input: input, sheet: nil, row: record.line, byteOffset: record.byteOffset)
            let raw = zip(headers + (headerCount < record.fields.count ? (headerCount..<record.fields.count).map { "column \($0 + 1)" } : []),
                          record.fields).map { ($0, $1) }
            if let problem = record.problem {
                rejections.reject(Rejection(.quarantined, locator: locator,
                                            reason: RejectReason(code: "damaged-record", message: problem.description), values: raw))
                continue
            }
            if record.fields.allSatisfy({ $0.trimmingWhitespace().isEmpty }) {
                rejections.reject(Rejection(.skipped, locator: locator,
                                            reason: RejectReason(code: "blank-row", message: "line \(record.line) is blank"), values: []))
                continue
            }
            if record.fields.count != headerCount {
                let extraEmpty = record.fields.count > headerCount && record.fields[headerCount...].allSatisfy { $0.trimmingWhitespace().isEmpty }
                if !extraEmpty {
                    rejections.reject(Rejection(.quarantined, locator: locator, reason: RejectReason(
                        code: "wrong-field-count",
                        message: "line \(record.line) has \(record.fields.count) fields, the header has \(headerCount); "
                            + "a delimiter inside an unquoted value, or a missing one"), values: raw))
                    continue
                }
            }
            switch convert(record) {
            case .success(let values):
                batch.append(values, origin: RowOrigin(row: record.line, byteOffset: record.byteOffset))
            case .failure(let problem):
                rejections.reject(Rejection(.quarantined, locator: Locator(input: input, sheet: nil, row: record.line,
                                                                            byteOffset: record.byteOffset, column: problem.column),
                                            reason: RejectReason(code: problem.code, message: problem.message), values: raw))
            }
        }
        return sawRecord ? batch : nil
    }


    /// Raw text → typed values in schema order.
    private func convert(_ record: CSVRecord) -> Result<[Value], ValueProblem> {
        var values: [Value] = []
        values.reserveCapacity(sources.count)
        for (i, field) in SocialRegistrySource.schema.fields.enumerated() {
            if i == 0 { values.append(registryValue); continue }
            if field.name == "snapshot_date" { values.append(snapshotValue); continue }
            guard let column = sources[i], column < record.fields.count else { values.append(.null); continue }
            var text = record.fields[column].trimmingWhitespace()
            if text.isEmpty || text == "-" { values.append(.null); continue }
            let header = headers[column]
            // Excel's text marker on identifiers ('1802...) is not part of the value.
            if text.hasPrefix("'"), SocialRegistrySource.identifierFields.contains(field.name) { text.removeFirst() }
            switch TextValueParser.parse(text, as: field.type, header: header) {
            case .success(let value): values.append(value)
            case .failure(let problem): return .failure(problem)
            }
            if field.name == "jenis_kelamin", case .string(let s) = values[i] {
                guard let sex = IndonesianValues.parseSex(s) else {
                    return .failure(ValueProblem(column: header, code: "bad-sex",
                        message: "\(header) '\(s)' is not a sex; expected L/P or LAKI-LAKI/PEREMPUAN"))
                }
                values[i] = .string(sex)
            }
        }
        return .success(values)
    }
}

import PaduCore

/// Turns the records of a shaped sheet into typed rows of one schema. One per kind of source
/// (aid records, registry members); `ShapedSheetReader` does the rest.
public protocol SheetRecordConverter: Sendable {
    var schema: Schema { get }
    /// The header vocabulary the sheet's header is found with.
    var vocabulary: ColumnVocabulary { get }
    /// Field → header as written, from the pipeline.
    var explicitColumns: [String: String] { get }
    /// Fields naming a person; a row with one of them is never a totals row.
    var identifyingFields: Set<String> { get }
    /// Fields whose number style (Indonesian or US) is decided per column.
    var decimalFields: [String] { get }
    /// Fields the sheet must have a column for; a missing one fails the input.
    var requiredFields: [String] { get }
    func convert(_ record: ShapedRecord, _ context: SheetRecordContext) -> Result<[Value], SheetRecordProblem>
}

extension SheetRecordConverter {
    public var requiredFields: [String] { [] }
}

/// What a converter may know about the record it converts.
public struct SheetRecordContext {
    public let rowNumber: Int
    public let date1904: Bool
    /// Organisations named in the title block (`PT ...`, `BAZNAS ...`).
    public let organizationNames: [String]
    /// The header label of a field's column, for messages.
    public let label: (String) -> String
    /// The kind of cell a field's value came from (a NIK in a number cell is damaged).
    public let cellKind: (String) -> TabularCellKind
    /// The number style decided for a decimal field's column.
    public let style: (String) -> NumberStyle
}

/// Why a record is quarantined: the field (its cell is the locator), a code and a message.
public struct SheetRecordProblem: Error, Sendable {
    public let field: String
    public let code: String
    public let message: String
    public init(field: String, code: String, message: String) {
        self.field = field
        self.code = code
        self.message = message
    }
}

/// A problem with a whole sheet (no header found, ...).
public struct SheetInputError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

extension SheetRecordContext {
    /// A decimal from a field's text: a spreadsheet number keeps its stored digits; text is read
    /// in the column's style. Nil for a lone `-` (no value).
    public func decimal(_ field: String, _ text: String) -> Result<ExactDecimal?, SheetRecordProblem> {
        if cellKind(field) == .number {
            switch IndonesianNumbers.parseNumericCell(text) {
            case .success(let d): return .success(d)
            case .failure(let p): return .failure(SheetRecordProblem(field: field, code: "bad-amount", message: "\(label(field)): \(p.message)"))
            }
        }
        switch IndonesianNumbers.parseAmount(text, style: style(field)) {
        case .success(let d): return .success(d)
        case .failure(let p) where p.kind == .placeholder: return .success(nil)
        case .failure(let p): return .failure(SheetRecordProblem(field: field, code: "bad-amount", message: "\(label(field)): \(p.message)"))
        }
    }

    /// A date from a field's text: an Excel serial in a number cell, else the Indonesian forms.
    public func date(_ field: String, _ text: String) -> Result<CivilDate, SheetRecordProblem> {
        if cellKind(field) == .number, let d = IndonesianValues.excelSerialToDate(text, date1904: date1904) { return .success(d) }
        switch TextValueParser.parse(text, as: .date, header: label(field)) {
        case .success(.date(let d)): return .success(d)
        case .failure(let p): return .failure(SheetRecordProblem(field: field, code: p.code, message: p.message))
        default: return .failure(SheetRecordProblem(field: field, code: "bad-date", message: "\(label(field)) '\(text)' is not a date"))
        }
    }

    /// A NIK or No. KK: 16 digits as text; a number cell, E-notation or `.0` is damaged.
    public func identifier(_ field: String, _ text: String) -> Result<String, SheetRecordProblem> {
        switch IdentifierText.classify(text, fromNumericCell: cellKind(field) == .number) {
        case .text(let digits): return .success(digits)
        case .damaged(let reason):
            return .failure(SheetRecordProblem(field: field, code: field == "nik" ? "damaged-nik" : "damaged-kk", message: "\(label(field)): \(reason)"))
        case .notAnIdentifier(let reason):
            return .failure(SheetRecordProblem(field: field, code: field == "nik" ? "bad-nik" : "bad-kk",
                                               message: "\(label(field)): not a \(field == "nik" ? "NIK" : "No. KK"): \(reason)"))
        }
    }
}

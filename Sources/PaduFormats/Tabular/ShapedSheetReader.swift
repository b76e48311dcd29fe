import PaduCore

/// Reads the records of a sheet or text file: finds the header below any title block, skips
/// blank, totals and repeated-header rows with their reason, detects the number style of the
/// converter's decimal columns, and has each record turned into a typed row by a
/// `SheetRecordConverter`. Every row read is accounted for.
public final class ShapedSheetReader: BatchReader {
    private let rows: any TabularRowSource
    private let input: InputRef
    private let converter: any SheetRecordConverter
    private var shaper: TableShaper
    private let batchSize: Int
    /// Records held while the amount style is not yet known (bounded by `styleSampleSize`).
    private var held: [(record: ShapedRecord, row: TabularRow)] = []
    /// Raw rows whose outcome the shaper has not given yet (only while the header is sought).
    private var rawRows: [Int: TabularRow] = [:]
    private var styles: [String: NumberStyleDetector] = [:]
    private var styleDecided = false
    private var finished = false
    private let styleSampleSize = 500

    /// When the sheet holds no table Padu recognises: false fails the input (the sheet was
    /// asked for by name); true skips every row of it with reason `no-table` (one sheet among
    /// all those of a workbook, such as a summary sheet).
    private let tolerateNoTable: Bool
    private var draining = false

    public init(rows: any TabularRowSource, input: InputRef, converter: any SheetRecordConverter, batchSize: Int = 4096,
                tolerateNoTable: Bool = false) {
        self.rows = rows
        self.input = input
        self.converter = converter
        self.batchSize = batchSize
        self.tolerateNoTable = tolerateNoTable
        var options = TableShaper.Options(explicit: converter.explicitColumns)
        options.mergedRanges = rows.mergedRanges
        options.identifyingFields = converter.identifyingFields
        self.shaper = TableShaper(vocabulary: converter.vocabulary, options: options)
    }

    public var bytesRead: Int64 { rows.bytesRead }
    public func close() { rows.close() }

    public func next(rejections: inout Rejections) throws -> Batch? {
        var batch = Batch(schema: converter.schema, input: input, sheet: rows.sheet)
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
                    do { try absorb(try shaperFinish(), into: &rejections) } catch let e as SheetInputError where tolerateNoTable {
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
                let failure = SheetInputError(message: "\(input.path)\(rows.sheet.map { ", sheet '\($0)'" } ?? ""): \(error.message)")
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
    private func drain(_ failure: SheetInputError, into rejections: inout Rejections) {
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
            throw SheetInputError(message: "\(input.path)\(rows.sheet.map { ", sheet '\($0)'" } ?? ""): \(error.message)")
        }
    }

    /// Skipped rows become rejections at once; records wait until the amount style is known.
    private func absorb(_ outcomes: [ShapedRow], into rejections: inout Rejections) throws {
        for outcome in outcomes {
            let row = rawRows.removeValue(forKey: outcome.rowNumber) ?? TabularRow(number: outcome.rowNumber, cells: [])
            switch outcome {
            case .skipped(let s):
                if s.reason == .header { try checkRequiredFields() }
                rejections.reject(Rejection(.skipped, locator: locator(s.rowNumber, row.byteOffset),
                                            reason: RejectReason(code: s.reason.rawValue, message: s.detail),
                                            values: s.reason == .titleBlock || s.reason == .header ? [] : raw(row)))
            case .record(let r):
                if !styleDecided {
                    for field in converter.decimalFields { if let t = r.fields[field] { styles[field, default: NumberStyleDetector()].observe(t) } }
                    if held.count + 1 >= styleSampleSize { styleDecided = true }
                }
                held.append((r, row))
            }
        }
    }

    private var checkedRequired = false
    private var columnsTaken = false

    /// The header's field ↔ column mapping, once the header is known (and only once).
    public func takeColumns() -> [InputColumn] {
        guard !columnsTaken, let header = shaper.header else { return [] }
        columnsTaken = true
        return header.mapping.columns.sorted { $0.value < $1.value }.map { field, index in
            InputColumn(sheet: rows.sheet, field: field, header: index < header.labels.count ? header.labels[index] : "", index: index)
        }
    }

    /// A required field without a column fails the input, naming the headers found.
    private func checkRequiredFields() throws {
        guard !checkedRequired, let header = shaper.header else { return }
        checkedRequired = true
        let missing = converter.requiredFields.filter { header.mapping.columns[$0] == nil }
        guard !missing.isEmpty else { return }
        throw SheetInputError(message: "\(input.path)\(rows.sheet.map { ", sheet '\($0)'" } ?? ""): no column for \(missing.joined(separator: ", ")); "
            + "the header (row \(header.rowNumbers.map(String.init).joined(separator: "–"))) has: "
            + header.labels.filter { !$0.isEmpty }.joined(separator: ", ")
            + ". Map it in the pipeline with columns: [\"\(missing[0])\": \"<header>\"]")
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
    /// The title block's organisation names, worked out once per header (not per row).
    private var organizations: (rows: [Int], names: [String])?
    private func organizationNames() -> [String] {
        guard let header = shaper.header else { return [] }
        if let organizations, organizations.rows == header.rowNumbers { return organizations.names }
        let names = header.organizationNames
        organizations = (header.rowNumbers, names)
        return names
    }

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
        let context = SheetRecordContext(
            rowNumber: record.rowNumber, date1904: rows.date1904,
            organizationNames: organizationNames(),
            label: { self.label($0) }, cellKind: { self.cellKind($0, in: row) },
            style: { self.styles[$0]?.style ?? .indonesian })
        switch converter.convert(record, context) {
        case .success(let values):
            batch.append(values, origin: RowOrigin(row: record.rowNumber, byteOffset: row.byteOffset))
        case .failure(let p):
            let cell = shaper.header?.mapping.columns[p.field].map { MergedRange.columnLetters($0) + String(record.rowNumber) }
            rejections.reject(Rejection(.quarantined, locator: locator(record.rowNumber, row.byteOffset, column: cell ?? label(p.field)),
                                        reason: RejectReason(code: p.code, message: p.message), values: raw(row)))
        }
    }
}


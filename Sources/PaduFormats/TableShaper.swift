import PaduCore

/// A merged cell range of a sheet (XLSX `<mergeCell ref="E5:G5"/>`).
public struct MergedRange: Sendable, Hashable {
    /// Sheet row numbers, in the numbering the caller passes to `TableShaper.push`.
    public let rows: ClosedRange<Int>
    /// 0-based column indexes into the row's cells (column A is 0).
    public let columns: ClosedRange<Int>

    public init(rows: ClosedRange<Int>, columns: ClosedRange<Int>) {
        self.rows = rows
        self.columns = columns
    }

    /// Reads an A1-style range such as `E5:G5` (rows as Excel numbers them, from 1).
    public init?(reference: String) {
        let ends = reference.split(separator: ":", omittingEmptySubsequences: false)
        guard ends.count == 2, let a = MergedRange.cell(ends[0]), let b = MergedRange.cell(ends[1]) else { return nil }
        rows = min(a.row, b.row)...max(a.row, b.row)
        columns = min(a.column, b.column)...max(a.column, b.column)
    }

    /// `E5` → (row 5, column 4); `$E$5` is accepted too.
    static func cell(_ text: Substring) -> (row: Int, column: Int)? {
        var column = 0, row = 0, letters = 0, digits = 0
        for c in text.utf8 where c != UInt8(ascii: "$") {
            switch c {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"):
                guard digits == 0, letters < 3 else { return nil }
                column = column * 26 + Int((c & 0xDF) - UInt8(ascii: "A")) + 1
                letters += 1
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                guard letters > 0, digits < 7 else { return nil }
                row = row * 10 + Int(c - UInt8(ascii: "0"))
                digits += 1
            default:
                return nil
            }
        }
        guard letters > 0, digits > 0, row > 0 else { return nil }
        return (row, column - 1)
    }

    /// `0` → `A`, `26` → `AA`: the column's letters as a spreadsheet shows them.
    public static func columnLetters(_ index: Int) -> String {
        var n = index + 1
        var letters: [Character] = []
        while n > 0 {
            let r = (n - 1) % 26
            letters.append(Character(Unicode.Scalar(UInt8(ascii: "A") + UInt8(r))))
            n = (n - 1) / 26
        }
        return String(letters.reversed())
    }
}

/// A row above the header: part of the sheet's title block (report name, provider, period).
public struct TitleRow: Sendable, Hashable {
    public let rowNumber: Int
    /// The row's non-empty cells, trimmed, left to right.
    public let texts: [String]
}

/// The header a `TableShaper` chose.
public struct DetectedHeader: Sendable {
    /// The header's row numbers: one row, or the upper (group labels) and lower rows.
    public let rowNumbers: [Int]
    /// Per column, the label used for mapping (for two-row headers the combined or lower
    /// label that matched, else `upper lower`); empty for columns without a label.
    public let labels: [String]
    /// Fields found, unused labels, explicit mappings whose header was missing.
    public let mapping: ColumnMapping
    /// Rows above the header, non-empty ones only.
    public let titleBlock: [TitleRow]
    /// The header's score: distinct fields minus penalties.
    public let score: Int

    /// Organisation names in the title block, such as `PT Sumber Agro Lestari` in
    /// `DAFTAR PENERIMA BANTUAN CSR PT SUMBER AGRO LESTARI TAHUN 2025` (as written: `PT
    /// SUMBER AGRO LESTARI`). Looks for PT, CV, Yayasan, Koperasi, Baznas, LAZ.
    public var organizationNames: [String] {
        TitleText.organizationNames(in: titleBlock.flatMap(\.texts))
    }
}

/// A data row: field → cell text.
public struct ShapedRecord: Sendable, Hashable {
    /// The row number the caller gave.
    public let rowNumber: Int
    /// Field → the cell's text, trimmed; empty cells are absent.
    public let fields: [String: String]
    /// Cells in columns that no field uses, keyed by their header label (or `column F` when
    /// the column has none); kept so nothing is dropped silently.
    public let unmapped: [String: String]
    /// Fields whose text was copied from a merged cell above (see
    /// `TableShaper.Options.fillMergedFields`).
    public let filledFromMerge: Set<String>
}

/// A row that is not data, and why.
public struct SkippedRow: Sendable, Hashable {
    public enum Reason: String, Sendable, Hashable, CaseIterable {
        /// Above the header.
        case titleBlock = "title-block"
        /// The header row itself (or one of the two rows of a two-row header).
        case header = "header"
        /// Every cell empty.
        case blankRow = "blank-row"
        /// A totals row: labelled (`JUMLAH`, `TOTAL`, ...) or whose numbers are the column sums.
        case totalsRow = "totals-row"
        /// The header again (a page break in a printed sheet).
        case repeatedHeader = "repeated-header"
        /// The column-numbering row many office tables have under the header: `1 2 3 ...`
        /// or `(1) (2) (3) ...`.
        case columnNumbers = "column-numbers"
    }

    public let rowNumber: Int
    public let reason: Reason
    /// What the shaper saw, for the steward: `label 'JUMLAH' in column B`.
    public let detail: String
}

/// One input row's outcome. Every pushed row yields exactly one.
public enum ShapedRow: Sendable, Hashable {
    case record(ShapedRecord)
    case skipped(SkippedRow)

    public var rowNumber: Int {
        switch self {
        case .record(let r): return r.rowNumber
        case .skipped(let s): return s.rowNumber
        }
    }
}

/// A sheet where no header could be found.
public struct TableShapeError: Error, Sendable, CustomStringConvertible {
    /// The first and last row numbers examined; nil when no row was given.
    public let rowsLookedAt: ClosedRange<Int>?
    /// The best candidate: its row number and the fields it matched.
    public let bestCandidate: (rowNumber: Int, fields: [String])?
    public let message: String

    public var description: String { message }
}

/// A whole sheet shaped at once (see `TableShaper.shape`).
public struct ShapedTable: Sendable {
    public let header: DetectedHeader
    /// One entry per input row, in order.
    public let rows: [ShapedRow]

    public var records: [ShapedRecord] {
        rows.compactMap { if case .record(let r) = $0 { return r } else { return nil } }
    }

    public var skipped: [SkippedRow] {
        rows.compactMap { if case .skipped(let s) = $0 { return s } else { return nil } }
    }
}

/// Turns a hand-made sheet (title rows, a one- or two-row header, blank rows, totals rows,
/// repeated headers) into records, row by row.
///
/// Push rows in order with `push(_:rowNumber:)`, then call `finish()`. The first
/// `headerSearchRows` rows are held back until the header is chosen; after that each row is
/// answered at once. Every pushed row produces exactly one `ShapedRow`, so rows in = rows out.
///
/// **Header.** Each of the first rows is scored: the number of distinct fields its cells map
/// to in the vocabulary (or `explicit`), minus one per number- or date-looking cell, minus 2
/// for a row whose only cell is a long title. Each row is also tried as the lower row of a
/// two-row header: upper-row labels are filled across their merged ranges (and used alone
/// where the lower cell is empty, as with vertically merged `NIK`), and each column tries
/// `upper lower`, `lower upper`, `lower`, then `upper` unless it is a group label merged
/// across columns (`Bantuan` over `Jenis` → `Jenis Bantuan`; `Bantuan` over `Nilai (Rp)` →
/// `Nilai (Rp)`; `Volume` over `(paket)` → `Volume`). A pair needs both rows free of numbers
/// and dates, and must score higher than its lower row alone and than its upper row alone —
/// or tie the upper row while one of its combined labels matched (a unit row such as `(Rp)`
/// under `Nilai`). When the upper row has a label merged across columns with at least two
/// sub-labels below it, the upper row alone is no candidate. The best score wins (then more
/// fields, then a pair over a single row, then the earlier row) and must reach
/// `minimumHeaderFields`.
///
/// **After the header.** Blank rows, column-numbering rows, repeated headers and totals rows
/// are skipped with a reason. A totals row is either labelled — its first text cell, within the
/// first 3 columns, is `JUMLAH`, `TOTAL`, `GRAND TOTAL`, `SUB TOTAL`, `SUBTOTAL`, `JUMLAH TOTAL`,
/// `TOTAL KESELURUHAN` (any case, spacing or trailing `:`) — or unlabelled: no identifying cell
/// (`nik`, `no_kk`, `nama`), at most one other text cell (in the first 3 columns), and every
/// number equal to the sum of its column over the data rows since the last totals row, or over
/// all data rows (at least 2 of them). Sums are exact (`ExactDecimal`) and kept for both number
/// styles. Header aliases are matched in the header row only, so `Jumlah` is an amount header
/// there and a totals label below it.
public struct TableShaper: Sendable {
    /// Tuning and sheet facts.
    public struct Options: Sendable {
        /// How many rows (counted as pushed) may hold the header. Default 30.
        public var headerSearchRows: Int
        /// The least header score accepted (distinct known fields minus penalties). Default 2.
        public var minimumHeaderFields: Int
        /// field → header as written; overrides the vocabulary (see `ColumnVocabulary.map`).
        public var explicit: [String: String]
        /// Fields that identify a person; a row with any of them is never an unlabelled totals row.
        public var identifyingFields: Set<String>
        /// Totals labels; compared ignoring case, spaces and punctuation.
        public var totalsLabels: [String]
        /// The sheet's merged ranges (row numbers as pushed, 0-based columns).
        public var mergedRanges: [MergedRange]
        /// Fields whose vertically merged data cells (a `Desa` cell spanning its recipients'
        /// rows) are copied into every row of the merge. Empty by default; never put amounts
        /// here — a merged amount is one amount for the group, not one per row.
        public var fillMergedFields: Set<String>

        public static let defaultTotalsLabels = [
            "JUMLAH", "TOTAL", "GRAND TOTAL", "SUB TOTAL", "SUBTOTAL", "JUMLAH TOTAL", "TOTAL KESELURUHAN",
            "JUMLAH KESELURUHAN", "JUMLAH SELURUHNYA", "TOTAL SELURUHNYA", "SUB JUMLAH", "JML", "JUMLAH AKHIR", "TOTAL AKHIR",
        ]

        public init(headerSearchRows: Int = 30, minimumHeaderFields: Int = 2, explicit: [String: String] = [:],
                    identifyingFields: Set<String> = ["nik", "no_kk", "nama"],
                    totalsLabels: [String] = Options.defaultTotalsLabels,
                    mergedRanges: [MergedRange] = [], fillMergedFields: Set<String> = []) {
            self.headerSearchRows = headerSearchRows
            self.minimumHeaderFields = minimumHeaderFields
            self.explicit = explicit
            self.identifyingFields = identifyingFields
            self.totalsLabels = totalsLabels
            self.mergedRanges = mergedRanges
            self.fillMergedFields = fillMergedFields
        }
    }

    public let vocabulary: ColumnVocabulary
    public let options: Options
    /// The chosen header; set once the header search is over.
    public private(set) var header: DetectedHeader?

    private var pending: [(number: Int, cells: [String?])] = []
    private let totalsLabelKeys: Set<String>
    private let explicitKeys: Set<String>

    // Set when the header is chosen.
    private var fieldOfColumn: [String?] = []
    private var unmappedKeyOfColumn: [String] = []
    private var isIdentifyingColumn: [Bool] = []
    private var headerSignatures: [[Int: String]] = []
    private var fillColumns: Set<Int> = []

    // Running state after the header.
    private var segment = RunningSums()
    private var grand = RunningSums()
    private var mergeValues: [Int: String] = [:]

    public init(vocabulary: ColumnVocabulary, options: Options = Options()) {
        self.vocabulary = vocabulary
        self.options = options
        totalsLabelKeys = Set(options.totalsLabels.map(ColumnVocabulary.normalize))
        explicitKeys = Set(options.explicit.values.map(ColumnVocabulary.normalize))
    }

    /// Shapes a whole sheet given as rows (numbered from `firstRowNumber`).
    public static func shape(_ rows: [[String?]], vocabulary: ColumnVocabulary, options: Options = Options(),
                             firstRowNumber: Int = 1) throws(TableShapeError) -> ShapedTable {
        var shaper = TableShaper(vocabulary: vocabulary, options: options)
        var out: [ShapedRow] = []
        for (i, row) in rows.enumerated() { out += try shaper.push(row, rowNumber: firstRowNumber + i) }
        out += try shaper.finish()
        return ShapedTable(header: shaper.header!, rows: out)
    }

    /// Takes the next row (cells as text, nil for empty). Returns the outcomes now known: none
    /// while the header is being looked for, then all held-back rows, then one per row.
    /// Throws when the search rows are used up without a header.
    public mutating func push(_ cells: [String?], rowNumber: Int) throws(TableShapeError) -> [ShapedRow] {
        let cleaned = TableShaper.clean(cells)
        if header != nil { return [shapeDataRow(cleaned, rowNumber: rowNumber)] }
        pending.append((rowNumber, cleaned))
        if pending.count < max(1, options.headerSearchRows) { return [] }
        return try decideHeader()
    }

    /// Ends the sheet: decides the header if fewer than `headerSearchRows` rows came, and
    /// returns the outcomes still held back. Throws when no header qualifies.
    public mutating func finish() throws(TableShapeError) -> [ShapedRow] {
        if header != nil { return [] }
        return try decideHeader()
    }

    // MARK: - Header

    private struct Candidate {
        var firstIndex: Int
        var lastIndex: Int
        var labels: [String]
        var rows: [[String?]]
        var mapping: ColumnMapping
        var score: Int
    }

    private mutating func decideHeader() throws(TableShapeError) -> [ShapedRow] {
        let rows = pending
        let indexOfNumber = Dictionary(rows.enumerated().map { ($0.element.number, $0.offset) }, uniquingKeysWith: { a, _ in a })
        let filled = rows.indices.map { fill(rows[$0].cells, rowNumber: rows[$0].number, rows: rows, indexOfNumber: indexOfNumber) }

        var singles: [Candidate] = []
        for i in rows.indices {
            let cells = filled[i]
            singles.append(evaluate(first: i, last: i, labels: cells.map { $0 ?? "" }, rows: [cells]))
        }
        let hasValues = filled.map { $0.contains { $0.map(TableShaper.looksLikeValue) ?? false } }
        var pairs: [Candidate] = []
        var disqualified = Set<Int>()
        for i in rows.indices.dropFirst() {
            let upper = filled[i - 1], lower = filled[i]
            // A header row holds no numbers or dates; both rows must have labels.
            guard !hasValues[i - 1], !hasValues[i], upper.contains(where: { $0 != nil }), lower.contains(where: { $0 != nil }) else {
                continue
            }
            // Columns under a group label merged across columns in the upper row.
            var grouped = Set<Int>()
            var groupHasSubLabels = false
            for range in options.mergedRanges where range.rows.contains(rows[i - 1].number) && range.columns.count > 1 {
                grouped.formUnion(range.columns)
                if range.columns.filter({ $0 < lower.count && lower[$0] != nil }).count >= 2 { groupHasSubLabels = true }
            }
            var labels: [String] = []
            var combinedMatched = false
            for c in 0..<max(upper.count, lower.count) {
                let u = c < upper.count ? upper[c] : nil
                let l = c < lower.count ? lower[c] : nil
                let (label, combined) = chooseLabel(upper: u, lower: l, upperIsGroup: grouped.contains(c))
                labels.append(label)
                combinedMatched = combinedMatched || combined
            }
            let pair = evaluate(first: i - 1, last: i, labels: labels, rows: [upper, lower])
            guard pair.score > singles[i].score else { continue }
            if groupHasSubLabels {
                // A merged group label with sub-labels below it: the upper row alone is not a header.
                disqualified.insert(i - 1)
                pairs.append(pair)
            } else if pair.score > singles[i - 1].score || (pair.score == singles[i - 1].score && combinedMatched) {
                // Better than either row alone, or as good as the upper row while completing one
                // of its labels (`Nilai` over `(Rp)` → `Nilai (Rp)`).
                pairs.append(pair)
            }
        }
        // The highest score wins; then more fields; then a pair over a single row; then the earlier.
        var best: Candidate?
        for c in pairs + singles.enumerated().filter({ !disqualified.contains($0.offset) }).map(\.element) {
            guard let b = best else { best = c; continue }
            let key = (c.score, c.mapping.columns.count, c.lastIndex > c.firstIndex ? 1 : 0, -c.firstIndex)
            let bestKey = (b.score, b.mapping.columns.count, b.lastIndex > b.firstIndex ? 1 : 0, -b.firstIndex)
            if key > bestKey { best = c }
        }

        let looked = rows.isEmpty ? nil : rows.first!.number...rows.last!.number
        guard let chosen = best, chosen.score >= options.minimumHeaderFields else {
            let range = looked.map { "rows \($0.lowerBound)–\($0.upperBound)" } ?? "the sheet (it has no rows)"
            var bestText = ""
            var bestInfo: (Int, [String])?
            if let b = best, !b.mapping.columns.isEmpty {
                let fields = b.mapping.columns.sorted { $0.value < $1.value }.map {
                    "\($0.key) ← '\(b.labels[$0.value])'"
                }
                let where_ = b.firstIndex == b.lastIndex ? "row \(rows[b.firstIndex].number)"
                    : "rows \(rows[b.firstIndex].number)–\(rows[b.lastIndex].number)"
                bestText = "; the best candidate, \(where_), names \(fields.count) known column\(fields.count == 1 ? "" : "s") (\(fields.joined(separator: ", ")))"
                bestInfo = (rows[b.lastIndex].number, b.mapping.columns.keys.sorted())
            } else if looked != nil {
                bestText = "; none of them names a known column"
            }
            let known = vocabulary.fields.sorted().joined(separator: ", ")
            throw TableShapeError(rowsLookedAt: looked, bestCandidate: bestInfo, message:
                "no header row found in \(range)\(bestText); a header needs at least \(options.minimumHeaderFields) cells naming "
                + "known columns (\(known)); map the sheet's own column names explicitly if it uses others")
        }
        install(chosen, rows: rows, filled: filled)

        var out: [ShapedRow] = []
        for i in rows.indices {
            let (number, cells) = rows[i]
            if i < chosen.firstIndex {
                out.append(.skipped(SkippedRow(rowNumber: number, reason: .titleBlock, detail: "above the header")))
            } else if i <= chosen.lastIndex {
                out.append(.skipped(SkippedRow(rowNumber: number, reason: .header, detail: "header row")))
            } else {
                out.append(shapeDataRow(cells, rowNumber: number))
            }
        }
        pending = []
        return out
    }

    /// The label of one column of a two-row header, and whether it is a combination of both
    /// rows that the vocabulary (or `explicit`) knows. Tries `upper lower`, `lower upper`,
    /// `lower`, and — unless the upper label is a group label merged across columns — `upper`
    /// (a unit such as `(paket)` under `Volume`).
    private func chooseLabel(upper: String?, lower: String?, upperIsGroup: Bool) -> (label: String, combinedMatched: Bool) {
        guard let l = lower else { return (upper ?? "", false) }
        guard let u = upper, ColumnVocabulary.normalize(u) != ColumnVocabulary.normalize(l) else { return (l, false) }
        for combined in ["\(u) \(l)", "\(l) \(u)"] where isKnown(combined) { return (combined, true) }
        if isKnown(l) { return (l, false) }
        if !upperIsGroup && isKnown(u) { return (u, false) }
        return ("\(u) \(l)", false)
    }

    private func isKnown(_ label: String) -> Bool {
        vocabulary.field(forHeader: label) != nil || explicitKeys.contains(ColumnVocabulary.normalize(label))
    }

    private func evaluate(first: Int, last: Int, labels: [String], rows: [[String?]]) -> Candidate {
        let mapping = vocabulary.map(headers: labels, explicit: options.explicit)
        var score = mapping.columns.count
        for row in rows {
            let texts = row.compactMap { $0 }
            score -= texts.filter { TableShaper.looksLikeValue($0) }.count
            if texts.count == 1, texts[0].count >= 25 { score -= 2 }
        }
        return Candidate(firstIndex: first, lastIndex: last, labels: labels, rows: rows, mapping: mapping, score: score)
    }

    private mutating func install(_ chosen: Candidate, rows: [(number: Int, cells: [String?])], filled: [[String?]]) {
        var labels = chosen.labels
        while labels.last == "" { labels.removeLast() }
        let mapping = vocabulary.map(headers: labels, explicit: options.explicit)
        fieldOfColumn = Array(repeating: nil, count: labels.count)
        for (field, column) in mapping.columns { fieldOfColumn[column] = field }
        isIdentifyingColumn = Array(repeating: false, count: labels.count)
        for (field, column) in mapping.columns where options.identifyingFields.contains(field) { isIdentifyingColumn[column] = true }
        fillColumns = Set(mapping.columns.filter { options.fillMergedFields.contains($0.key) }.map(\.value))
        // Keys for unmapped columns: the label, made unique with the column letter when needed.
        var seen: [String: Int] = [:]
        for (i, label) in labels.enumerated() where fieldOfColumn[i] == nil && !label.isEmpty { seen[label, default: 0] += 1 }
        unmappedKeyOfColumn = labels.enumerated().map { i, label in
            if label.isEmpty { return "column \(MergedRange.columnLetters(i))" }
            return seen[label, default: 0] > 1 ? "\(label) (column \(MergedRange.columnLetters(i)))" : label
        }
        headerSignatures = chosen.rows.map(TableShaper.signature) + [TableShaper.signature(labels.map { $0.isEmpty ? nil : $0 })]
        let titleBlock = rows[..<chosen.firstIndex].compactMap { row -> TitleRow? in
            let texts = row.cells.compactMap { $0 }
            return texts.isEmpty ? nil : TitleRow(rowNumber: row.number, texts: texts)
        }
        header = DetectedHeader(rowNumbers: rows[chosen.firstIndex...chosen.lastIndex].map(\.number), labels: labels,
                                mapping: mapping, titleBlock: titleBlock, score: chosen.score)
    }

    private static func signature(_ cells: [String?]) -> [Int: String] {
        var out: [Int: String] = [:]
        for (i, cell) in cells.enumerated() {
            if let cell { let key = ColumnVocabulary.normalize(cell); if !key.isEmpty { out[i] = key } }
        }
        return out
    }

    /// The row with merged ranges filled from their top-left cell (header rows only).
    private func fill(_ cells: [String?], rowNumber: Int, rows: [(number: Int, cells: [String?])],
                      indexOfNumber: [Int: Int]) -> [String?] {
        var out = cells
        for range in options.mergedRanges where range.rows.contains(rowNumber) {
            guard let source = indexOfNumber[range.rows.lowerBound] else { continue }
            let sourceCells = rows[source].cells
            let c0 = range.columns.lowerBound
            guard c0 < sourceCells.count, let value = sourceCells[c0] else { continue }
            for c in range.columns {
                while out.count <= c { out.append(nil) }
                if out[c] == nil { out[c] = value }
            }
        }
        return out
    }

    // MARK: - Data rows

    private struct ColumnSum {
        var indonesian: ExactDecimal? = .zero
        var us: ExactDecimal? = .zero
    }

    private struct RunningSums {
        var rows = 0
        var columns: [ColumnSum] = []

        /// Adds one data row: per column, its value read in each style (nil where the cell is
        /// not a number in that style, which makes the column's sum in that style unusable).
        mutating func add(_ values: [(column: Int, indonesian: ExactDecimal?, us: ExactDecimal?)]) {
            rows += 1
            for (column, indonesian, us) in values {
                while columns.count <= column { columns.append(ColumnSum()) }
                if let sum = columns[column].indonesian { columns[column].indonesian = indonesian.flatMap { sum.adding($0) } }
                if let sum = columns[column].us { columns[column].us = us.flatMap { sum.adding($0) } }
            }
        }

        /// Whether `lexeme` equals the column's sum in some style (over at least 2 rows).
        func matches(_ lexeme: IndonesianNumbers.Lexeme, column: Int) -> Bool {
            guard rows >= 2 else { return false }
            let sum = column < columns.count ? columns[column] : ColumnSum()
            if let s = sum.indonesian, case .success(let v) = IndonesianNumbers.read(lexeme, as: .indonesian), v == s { return true }
            if let s = sum.us, case .success(let v) = IndonesianNumbers.read(lexeme, as: .us), v == s { return true }
            return false
        }
    }

    private mutating func shapeDataRow(_ rawCells: [String?], rowNumber: Int) -> ShapedRow {
        var cells = rawCells
        if !fillColumns.isEmpty {
            // Remember the values of merges that start on this row (filled in below, for records only).
            for (index, range) in options.mergedRanges.enumerated() where range.rows.lowerBound == rowNumber {
                let c0 = range.columns.lowerBound
                if c0 < cells.count, let value = cells[c0] { mergeValues[index] = value }
            }
        }
        func skip(_ reason: SkippedRow.Reason, _ detail: String) -> ShapedRow {
            .skipped(SkippedRow(rowNumber: rowNumber, reason: reason, detail: detail))
        }
        let nonEmpty = cells.indices.filter { cells[$0] != nil }
        if nonEmpty.isEmpty { return skip(.blankRow, "every cell is empty") }

        if let numbering = columnNumbering(cells, nonEmpty: nonEmpty) { return skip(.columnNumbers, numbering) }

        // Each cell is normalised and lexed at most once.
        var keys = [String?](repeating: nil, count: cells.count)
        func key(_ c: Int) -> String {
            if let k = keys[c] { return k }
            let k = ColumnVocabulary.normalize(cells[c]!)
            keys[c] = k
            return k
        }
        var lexed = [Result<IndonesianNumbers.Lexeme, NumberProblem>?](repeating: nil, count: cells.count)
        func lex(_ c: Int) -> Result<IndonesianNumbers.Lexeme, NumberProblem> {
            if let l = lexed[c] { return l }
            let l = IndonesianNumbers.lex(cells[c]!)
            lexed[c] = l
            return l
        }

        if nonEmpty.count >= 2 {
            for signature in headerSignatures {
                var matches = 0
                for c in nonEmpty {
                    if let expected = signature[c], key(c) == expected { matches += 1 }
                }
                if matches >= 2 && matches * 3 >= nonEmpty.count * 2 {
                    return skip(.repeatedHeader, "\(matches) of its \(nonEmpty.count) cells repeat the header")
                }
            }
        }

        // Totals by label: the first text cell within the first 3 columns.
        for c in 0..<min(3, cells.count) {
            guard cells[c] != nil else { continue }
            switch lex(c) {
            case .success: continue
            case .failure(let p) where p.kind == .placeholder: continue
            case .failure: break
            }
            if totalsLabelKeys.contains(key(c)) {
                segment = RunningSums()
                return skip(.totalsRow, "label '\(cells[c]!)' in column \(MergedRange.columnLetters(c))")
            }
            // `Jumlah penerima`, `Total nominal`: a totals word and one more, in a row that names
            // no one (a recipient's row is never a total; longer phrases are left to the sums).
            let words = cells[c]!.trimmingWhitespace().uppercased().split(separator: " ")
            let namesSomeone = nonEmpty.contains { $0 < isIdentifyingColumn.count && isIdentifyingColumn[$0] }
            if words.count == 2, ["JUMLAH", "TOTAL", "SUBTOTAL"].contains(String(words[0])), !namesSomeone {
                segment = RunningSums()
                return skip(.totalsRow, "label '\(cells[c]!)' in column \(MergedRange.columnLetters(c))")
            }
            break
        }

        // Totals by sums, and the running sums.
        var lexemes: [(column: Int, lexeme: IndonesianNumbers.Lexeme?)] = []
        var textColumns: [Int] = []
        var hasIdentifying = false
        for c in nonEmpty {
            if c < isIdentifyingColumn.count, isIdentifyingColumn[c] { hasIdentifying = true; continue }
            switch lex(c) {
            case .success(let l): lexemes.append((c, l))
            case .failure(let p) where p.kind == .placeholder: continue
            case .failure: lexemes.append((c, nil)); textColumns.append(c)
            }
        }
        if !hasIdentifying, textColumns.count <= 1, textColumns.allSatisfy({ $0 < 3 }) {
            let numbers = lexemes.compactMap { entry in entry.lexeme.map { (entry.column, $0) } }
            if !numbers.isEmpty, (segment.rows >= 2 || grand.rows >= 2),
               numbers.allSatisfy({ segment.matches($0.1, column: $0.0) || grand.matches($0.1, column: $0.0) }),
               let evidence = numbers.first(where: { number in
                   number.0 < fieldOfColumn.count && fieldOfColumn[number.0] != nil
                       && (try? IndonesianNumbers.parseAmount(number.1.original).get())?.isZero != true
               }) {
                let which = segment.rows >= 2 && segment.matches(evidence.1, column: evidence.0) ? segment.rows : grand.rows
                segment = RunningSums()
                let name = fieldOfColumn[evidence.0]!
                return skip(.totalsRow, "no identifying cell, and every number is a column sum of the \(which) data rows above "
                    + "(\(name): '\(evidence.1.original)')")
            }
        }

        let values = lexemes.map { entry -> (column: Int, indonesian: ExactDecimal?, us: ExactDecimal?) in
            guard let lexeme = entry.lexeme else { return (entry.column, nil, nil) }
            return (entry.column, try? IndonesianNumbers.read(lexeme, as: .indonesian).get(),
                    try? IndonesianNumbers.read(lexeme, as: .us).get())
        }
        segment.add(values)
        grand.add(values)

        var filledFields: Set<String> = []
        if !fillColumns.isEmpty {
            for (index, range) in options.mergedRanges.enumerated()
            where range.rows.lowerBound < rowNumber && range.rows.contains(rowNumber) {
                guard let value = mergeValues[index] else { continue }
                for c in range.columns where fillColumns.contains(c) {
                    while cells.count <= c { cells.append(nil) }
                    if cells[c] == nil, let field = fieldOfColumn[c] {
                        cells[c] = value
                        filledFields.insert(field)
                    }
                }
            }
        }
        let outputColumns = filledFields.isEmpty ? nonEmpty : cells.indices.filter { cells[$0] != nil }
        var fields: [String: String] = [:]
        var unmapped: [String: String] = [:]
        for c in outputColumns {
            if c < fieldOfColumn.count, let field = fieldOfColumn[c] {
                fields[field] = cells[c]!
            } else {
                let key = c < unmappedKeyOfColumn.count ? unmappedKeyOfColumn[c] : "column \(MergedRange.columnLetters(c))"
                unmapped[key] = cells[c]!
            }
        }
        return .record(ShapedRecord(rowNumber: rowNumber, fields: fields, unmapped: unmapped, filledFromMerge: filledFields))
    }

    /// `1 2 3 4 5` or `(1) (2) (3)`: at least 3 cells counting up from 1, left to right.
    private func columnNumbering(_ cells: [String?], nonEmpty: [Int]) -> String? {
        guard nonEmpty.count >= 3 else { return nil }
        var expected = 1
        for c in nonEmpty {
            var n = 0, digits = 0
            for b in cells[c]!.utf8 {
                switch b {
                case UInt8(ascii: "0")...UInt8(ascii: "9"):
                    guard digits < 4 else { return nil }
                    n = n * 10 + Int(b - UInt8(ascii: "0"))
                    digits += 1
                case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "."), UInt8(ascii: " "):
                    continue
                default:
                    return nil
                }
            }
            guard digits > 0, n == expected else { return nil }
            expected += 1
        }
        return "cells number the columns 1–\(expected - 1)"
    }

    // MARK: - Cell helpers

    private static func clean(_ cells: [String?]) -> [String?] {
        var out = cells.map { cell -> String? in
            guard let cell else { return nil }
            let t = cell.trimmingWhitespace()
            return t.isEmpty ? nil : t
        }
        while out.last == .some(nil) { out.removeLast() }
        return out
    }

    /// An amount-like text (digits with separators, sign, currency) or a dash.
    static func looksLikeNumber(_ text: String) -> Bool {
        switch IndonesianNumbers.lex(text) {
        case .success: return true
        case .failure(let p): return p.kind == .placeholder
        }
    }

    /// A number or a date: a cell a header would not have.
    static func looksLikeValue(_ text: String) -> Bool {
        looksLikeNumber(text) || IndonesianValues.parseDate(text) != nil
    }
}

/// Reading organisation names out of title rows.
enum TitleText {
    private static let starters: Set<String> = ["PT", "PT.", "CV", "CV.", "YAYASAN", "KOPERASI", "BAZNAS", "LAZ", "LAZNAS"]
    private static let stopWords: Set<String> = [
        "TAHUN", "TH", "TH.", "PERIODE", "BULAN", "SEMESTER", "TRIWULAN", "DI", "PADA", "UNTUK", "KEPADA", "DALAM", "TANGGAL",
        "TGL", "SAMPAI", "S/D", "-", "–", "—", ":", "(", "KEGIATAN", "PROGRAM", "BANTUAN",
    ]
    private static let regionWords: Set<String> = ["KABUPATEN", "KAB", "KAB.", "KOTA", "KECAMATAN", "KEC", "KEC.", "DESA", "PROVINSI"]

    static func organizationNames(in texts: [String]) -> [String] {
        var names: [String] = []
        for text in texts {
            let words = text.split(whereSeparator: { $0 == " " || $0 == "\u{00A0}" }).map(String.init)
            var i = 0
            while i < words.count {
                let starter = words[i].uppercased()
                guard starters.contains(starter) else { i += 1; continue }
                // Region words end a company's name but belong to an agency's ("BAZNAS Kabupaten Lebong").
                let agency = starter.hasPrefix("BAZNAS") || starter.hasPrefix("LAZ")
                var name = [words[i]]
                var j = i + 1
                while j < words.count {
                    let raw = words[j]
                    let w = raw.uppercased()
                    if stopWords.contains(w) || w.contains(where: \.isNumber) || (!agency && regionWords.contains(w)) { break }
                    let trimmed = raw.hasSuffix(",") || raw.hasSuffix(";") ? String(raw.dropLast()) : raw
                    name.append(trimmed)
                    j += 1
                    if trimmed != raw { break }
                }
                if name.count > 1 || agency { names.append(name.joined(separator: " ")) }
                i = j
            }
        }
        return names
    }
}

/// An input being read: a file identified by its content hash, and its row in the warehouse.
public struct InputRef: Sendable, Hashable {
    /// The id of this input's row in the `inputs` table.
    public let id: Int64
    /// Lower-case hex SHA-256 of the file's bytes.
    public let sha256: String
    /// The path as given to the run.
    public let path: String

    public init(id: Int64, sha256: String, path: String) {
        self.id = id
        self.sha256 = sha256
        self.path = path
    }
}

/// Where one row (and optionally one cell) came from: the input, sheet, row and column.
public struct Locator: Sendable, Hashable, CustomStringConvertible {
    public let input: InputRef
    public let sheet: String?
    /// The 1-based row (physical line for text files, spreadsheet row for sheets).
    public let row: Int
    /// Byte offset of the row in the file, where the format has one.
    public let byteOffset: Int64?
    /// The column's header or cell reference, when the locator points at one value.
    public let column: String?

    public init(input: InputRef, sheet: String?, row: Int, byteOffset: Int64? = nil, column: String? = nil) {
        self.input = input
        self.sheet = sheet
        self.row = row
        self.byteOffset = byteOffset
        self.column = column
    }

    /// `file.csv:42` / `file.xlsx:Sheet1:42:C` — the form used in messages.
    public var description: String {
        var parts = [input.path]
        if let sheet { parts.append(sheet) }
        parts.append(String(row))
        if let column { parts.append(column) }
        return parts.joined(separator: ":")
    }
}

/// Where a row sits in its input; the batch supplies the input and sheet.
public struct RowOrigin: Sendable, Hashable {
    public let row: Int
    public let byteOffset: Int64?
    public init(row: Int, byteOffset: Int64? = nil) {
        self.row = row
        self.byteOffset = byteOffset
    }
}

/// A few thousand rows of one input, stored column by column.
public struct Batch: Sendable {
    public let schema: Schema
    public let input: InputRef
    public let sheet: String?
    /// `columns[c][r]`: the value of field `c` in row `r`.
    public private(set) var columns: [[Value]]
    public private(set) var origins: [RowOrigin]

    public init(schema: Schema, input: InputRef, sheet: String? = nil) {
        self.schema = schema
        self.input = input
        self.sheet = sheet
        self.columns = Array(repeating: [], count: schema.count)
        self.origins = []
    }

    /// The number of rows.
    public var count: Int { origins.count }
    public var isEmpty: Bool { origins.isEmpty }

    /// Appends one row; `values` are in schema order.
    public mutating func append(_ values: [Value], origin: RowOrigin) {
        precondition(values.count == columns.count, "row has \(values.count) values for \(columns.count) fields")
        for c in 0..<values.count { columns[c].append(values[c]) }
        origins.append(origin)
    }

    public mutating func reserveCapacity(_ n: Int) {
        for c in columns.indices { columns[c].reserveCapacity(n) }
        origins.reserveCapacity(n)
    }

    /// The value of field `name` in row `row`, or `.null` when the schema lacks the field.
    public func value(_ name: String, at row: Int) -> Value {
        guard let c = schema.index(of: name) else { return .null }
        return columns[c][row]
    }

    public subscript(row row: Int, column column: Int) -> Value { columns[column][row] }

    /// Replaces one value (a transform's correction).
    public mutating func set(_ value: Value, row: Int, column: Int) { columns[column][row] = value }

    /// Where row `row` (and optionally one of its fields) came from.
    public func locator(at row: Int, column: String? = nil) -> Locator {
        Locator(input: input, sheet: sheet, row: origins[row].row, byteOffset: origins[row].byteOffset, column: column)
    }

    /// The row's values as text by field name, for quarantine and messages.
    public func textValues(at row: Int) -> [(String, String)] {
        schema.fields.enumerated().map { (i, f) in (f.name, columns[i][row].text ?? "") }
    }

    /// A copy of `batch` with `fields` it lacks appended to its schema, their values `.null`
    /// (how a transform adds the fields it produces).
    public static func extending(_ batch: Batch, with fields: [Field]) -> Batch {
        let missing = fields.filter { batch.schema.index(of: $0.name) == nil }
        guard !missing.isEmpty else { return batch }
        var out = Batch(schema: Schema(batch.schema.fields + missing), input: batch.input, sheet: batch.sheet)
        out.origins = batch.origins
        out.columns = batch.columns + missing.map { _ in Array(repeating: Value.null, count: batch.count) }
        return out
    }

    /// A copy of `batch` under `schema`, which must begin with `batch`'s fields (same names, in
    /// order; a type may change) and may add more, their values `.null`. Transforms use it to add
    /// or overwrite fields with `set` instead of rebuilding every row.
    public static func reshaped(_ batch: Batch, to schema: Schema) -> Batch {
        precondition(schema.count >= batch.schema.count
                     && zip(schema.fields, batch.schema.fields).allSatisfy { $0.name == $1.name },
                     "the new schema must begin with the batch's fields")
        var out = Batch(schema: schema, input: batch.input, sheet: batch.sheet)
        out.origins = batch.origins
        out.columns = batch.columns + (batch.schema.count..<schema.count).map { _ in Array(repeating: Value.null, count: batch.count) }
        return out
    }

    /// A copy without the rows at `rows` (indexes into this batch).
    public func removing(rows: Set<Int>) -> Batch {
        guard !rows.isEmpty else { return self }
        var out = Batch(schema: schema, input: input, sheet: sheet)
        let keep = (0..<count).filter { !rows.contains($0) }
        out.origins = keep.map { origins[$0] }
        out.columns = columns.map { column in keep.map { column[$0] } }
        return out
    }
}

/// A named, typed column of a batch.
public struct Field: Sendable, Hashable {
    public let name: String
    public let type: FieldType
    /// A short human description (shown by `padu plugins`).
    public let summary: String

    public init(_ name: String, _ type: FieldType, _ summary: String = "") {
        self.name = name
        self.type = type
        self.summary = summary
    }
}

/// The ordered fields of a batch, with lookup by name.
public struct Schema: Sendable, Hashable {
    public let fields: [Field]
    private let positions: [String: Int]

    public init(_ fields: [Field]) {
        self.fields = fields
        var positions: [String: Int] = [:]
        for (i, f) in fields.enumerated() where positions[f.name] == nil { positions[f.name] = i }
        self.positions = positions
    }

    public var names: [String] { fields.map(\.name) }
    public var count: Int { fields.count }

    /// The position of `name`, or nil when the schema has no such field.
    public func index(of name: String) -> Int? { positions[name] }

    public static func == (a: Schema, b: Schema) -> Bool { a.fields == b.fields }
    public func hash(into hasher: inout Hasher) { hasher.combine(fields) }
}

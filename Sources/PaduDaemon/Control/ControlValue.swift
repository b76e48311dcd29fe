import Foundation

/// Any JSON value: what the daemon puts in a control response's `result`.
///
/// Build one with literals (`["runs": [1, 2], "pipeline": "bansos", "ok": true]`) or the cases.
/// Integers stay integers: `1` decodes as `.int(1)`, `1.5` as `.double(1.5)`.
public enum ControlValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([ControlValue])
    case object([String: ControlValue])

    /// The member named `key` of an object (nil for a missing key or a non-object).
    public subscript(key: String) -> ControlValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    /// The element at `index` of an array (nil when out of range or not an array).
    public subscript(index: Int) -> ControlValue? {
        if case .array(let elements) = self, elements.indices.contains(index) { return elements[index] }
        return nil
    }

    /// The text of a `.string`, else nil.
    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The number of an `.int`, else nil.
    public var intValue: Int? {
        if case .int(let number) = self { return number }
        return nil
    }

    /// The number of a `.double` or an `.int`, else nil.
    public var doubleValue: Double? {
        switch self {
        case .double(let number): return number
        case .int(let number): return Double(number)
        default: return nil
        }
    }

    /// The truth of a `.bool`, else nil.
    public var boolValue: Bool? {
        if case .bool(let truth) = self { return truth }
        return nil
    }

    /// The elements of an `.array`, else nil.
    public var arrayValue: [ControlValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// The members of an `.object`, else nil.
    public var objectValue: [String: ControlValue]? {
        if case .object(let members) = self { return members }
        return nil
    }
}

extension ControlValue: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let truth = try? container.decode(Bool.self) {
            self = .bool(truth)
        } else if let number = try? container.decode(Int.self) {
            self = .int(number)
        } else if let number = try? container.decode(Double.self) {
            self = .double(number)
        } else if let text = try? container.decode(String.self) {
            self = .string(text)
        } else if let elements = try? container.decode([ControlValue].self) {
            self = .array(elements)
        } else if let members = try? container.decode([String: ControlValue].self) {
            self = .object(members)
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a JSON value")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let truth): try container.encode(truth)
        case .int(let number): try container.encode(number)
        // JSON has no NaN or infinity: they travel as null rather than failing the whole response.
        case .double(let number): number.isFinite ? try container.encode(number) : try container.encodeNil()
        case .string(let text): try container.encode(text)
        case .array(let elements): try container.encode(elements)
        case .object(let members): try container.encode(members)
        }
    }
}

extension ControlValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral {
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: ControlValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, ControlValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}

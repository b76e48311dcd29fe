/// A plugin option as read back from a pipeline description (JSON).
public enum OptionValue: Sendable, Hashable, Codable, CustomStringConvertible {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case list([OptionValue])
    case map([String: OptionValue])

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let n = try? c.decode(Int.self) { self = .int(n) }
        else if let d = try? c.decode(Double.self) { self = .double(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let l = try? c.decode([OptionValue].self) { self = .list(l) }
        else { self = .map(try c.decode([String: OptionValue].self)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .string(let s): try c.encode(s)
        case .int(let n): try c.encode(n)
        case .double(let d): try c.encode(d)
        case .bool(let b): try c.encode(b)
        case .list(let l): try c.encode(l)
        case .map(let m): try c.encode(m)
        }
    }

    /// The value as a Swift literal, for messages and `padu check`.
    public var description: String {
        switch self {
        case .string(let s): return "\"\(s)\""
        case .int(let n): return String(n)
        case .double(let d): return String(d)
        case .bool(let b): return String(b)
        case .list(let l): return "[" + l.map(\.description).joined(separator: ", ") + "]"
        case .map(let m):
            if m.isEmpty { return "[:]" }
            return "[" + m.keys.sorted().map { "\"\($0)\": \(m[$0]!.description)" }.joined(separator: ", ") + "]"
        }
    }

    /// The kind of value, as named in messages (`a string`, `an integer`...).
    public var kindName: String {
        switch self {
        case .string: return "a string"
        case .int: return "an integer"
        case .double: return "a number"
        case .bool: return "a Bool"
        case .list: return "a list"
        case .map: return "a map"
        }
    }
}

/// The type an option must have.
public enum OptionType: Sendable, Hashable, CustomStringConvertible {
    case string
    case int
    case double
    case bool
    /// A string from a fixed set.
    case oneOf([String])
    case stringList
    case stringMap

    public var description: String {
        switch self {
        case .string: return "String"
        case .int: return "Int"
        case .double: return "Double"
        case .bool: return "Bool"
        case .oneOf(let values):
            return values.map { "\"" + $0.replacingOccurrences(of: "\t", with: "\\t") + "\"" }.joined(separator: " | ")
        case .stringList: return "[String]"
        case .stringMap: return "[String: String]"
        }
    }

    /// Nil when `value` fits, else what was wrong.
    public func mismatch(_ value: OptionValue) -> String? {
        switch (self, value) {
        case (.string, .string), (.int, .int), (.double, .double), (.double, .int), (.bool, .bool):
            return nil
        case (.oneOf(let allowed), .string(let s)):
            return allowed.contains(s) ? nil : "\"\(s)\" is not one of \(description)"
        case (.stringList, .list(let items)):
            return items.allSatisfy({ if case .string = $0 { return true } else { return false } })
                ? nil : "expected a list of strings"
        case (.stringMap, .map(let m)):
            return m.values.allSatisfy({ if case .string = $0 { return true } else { return false } })
                ? nil : "expected a map of strings to strings"
        default:
            return "expected \(description), got \(value.kindName) \(value)"
        }
    }
}

/// One option a plugin accepts.
public struct OptionSpec: Sendable, Hashable {
    public let name: String
    public let type: OptionType
    public let required: Bool
    public let summary: String
    /// The default, as shown to users (nil when there is none).
    public let defaultValue: String?

    public init(_ name: String, _ type: OptionType, required: Bool = false, default defaultValue: String? = nil, _ summary: String) {
        self.name = name
        self.type = type
        self.required = required
        self.defaultValue = defaultValue
        self.summary = summary
    }
}

/// A stage's validated options, with typed accessors.
public struct PluginOptions: Sendable {
    public let values: [String: OptionValue]
    public init(_ values: [String: OptionValue]) { self.values = values }

    public func string(_ name: String) -> String? {
        if case .string(let s)? = values[name] { return s }
        return nil
    }
    public func int(_ name: String) -> Int? {
        if case .int(let n)? = values[name] { return n }
        return nil
    }
    public func double(_ name: String) -> Double? {
        switch values[name] {
        case .double(let d)?: return d
        case .int(let n)?: return Double(n)
        default: return nil
        }
    }
    public func bool(_ name: String) -> Bool? {
        if case .bool(let b)? = values[name] { return b }
        return nil
    }
    public func stringList(_ name: String) -> [String]? {
        guard case .list(let items)? = values[name] else { return nil }
        return items.compactMap { if case .string(let s) = $0 { return s } else { return nil } }
    }
    public func stringMap(_ name: String) -> [String: String]? {
        guard case .map(let m)? = values[name] else { return nil }
        return m.compactMapValues { if case .string(let s) = $0 { return s } else { return nil } }
    }
}

extension OptionValue {
    /// The entries of a `.map`, or nil.
    public var mapValue: [String: OptionValue]? {
        if case .map(let m) = self { return m }
        return nil
    }
}

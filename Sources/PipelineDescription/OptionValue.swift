/// A plugin option: a string, number, flag, list or map, written as a Swift literal.
public enum OptionValue: Sendable, Hashable {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case list([OptionValue])
    case map([String: OptionValue])
}

extension OptionValue: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
}
extension OptionValue: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int) { self = .int(value) }
}
extension OptionValue: ExpressibleByFloatLiteral {
    public init(floatLiteral value: Double) { self = .double(value) }
}
extension OptionValue: ExpressibleByBooleanLiteral {
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}
extension OptionValue: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: OptionValue...) { self = .list(elements) }
}
extension OptionValue: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, OptionValue)...) {
        self = .map(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}

extension OptionValue {
    static func strings(_ values: [String]) -> OptionValue { .list(values.map { .string($0) }) }
    static func stringMap(_ values: [String: String]) -> OptionValue { .map(values.mapValues { .string($0) }) }
}

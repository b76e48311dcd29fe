import PaduCore

/// Why a text could not become a field's value: a reason code and a message naming the
/// column, what was found and what was expected.
public struct ValueProblem: Error, Sendable, Hashable, CustomStringConvertible {
    public let column: String
    public let code: String
    public let message: String
    public var description: String { message }

    public init(column: String, code: String, message: String) {
        self.column = column
        self.code = code
        self.message = message
    }
}

/// Turns cell or field text into typed values the Indonesian way: one place for every source.
public enum TextValueParser {
    /// `text` (already trimmed, not empty) as a value of `type`, for the column `header`.
    /// Amounts use `style` (decided per column by a `NumberStyleDetector`).
    public static func parse(_ text: String, as type: FieldType, header: String,
                             style: NumberStyle = .indonesian) -> Result<Value, ValueProblem> {
        switch type {
        case .string:
            return .success(.string(text))
        case .date:
            guard let date = IndonesianValues.parseDate(text) else {
                return .failure(ValueProblem(column: header, code: "bad-date",
                    message: "\(header) '\(text)' is not a date; expected dd/mm/yyyy (e.g. 14/07/1985) or 14 Juli 1985"))
            }
            return .success(.date(date))
        case .int:
            guard let n = Int64(text) else {
                return .failure(ValueProblem(column: header, code: "bad-number", message: "\(header) '\(text)' is not a whole number"))
            }
            return .success(.int(n))
        case .bool:
            guard let b = IndonesianValues.parseFlag(text) else {
                return .failure(ValueProblem(column: header, code: "bad-flag",
                    message: "\(header) '\(text)' is not a yes/no flag; expected YA/TIDAK, Y/T or 1/0"))
            }
            return .success(.bool(b))
        case .decimal:
            switch IndonesianNumbers.parseAmount(text, style: style) {
            case .success(let d): return .success(.decimal(d))
            case .failure(let problem):
                return .failure(ValueProblem(column: header, code: "bad-amount", message: "\(header): \(problem.message)"))
            }
        case .double:
            guard let d = Double(text) else {
                return .failure(ValueProblem(column: header, code: "bad-number", message: "\(header) '\(text)' is not a number"))
            }
            return .success(.double(d))
        }
    }
}

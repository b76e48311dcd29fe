import PaduCore

/// How a column writes its numbers.
public enum NumberStyle: String, Sendable, Hashable, CaseIterable {
    /// `.` groups thousands, `,` is the decimal separator: `1.500.000,00`.
    case indonesian
    /// `,` groups thousands, `.` is the decimal separator: `1,500,000.00`.
    case us
    /// Decide per value from the value itself (see `IndonesianNumbers.parseAmount`).
    case auto
}

/// Why a text is not an amount, with a message a data steward can act on.
public struct NumberProblem: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// Nothing but white space.
        case empty
        /// A dash (`-`, `Rp -`) standing for "nothing"; callers usually treat it as no value.
        case placeholder
        /// Letters or other characters where digits were expected.
        case notANumber
        /// Separators in impossible places for the style (`1.500.00`, `1,5,0`).
        case malformedGrouping
        /// Only a column-wide number style can say what the value means (`1.5` under `.auto`).
        case ambiguous
        /// More than 6 digits after the decimal separator (not representable exactly).
        case tooManyDecimalPlaces
        /// Too large for an `ExactDecimal` (beyond ±9.2 × 10^18 units).
        case outOfRange
    }

    public let kind: Kind
    /// The text as given, trimmed.
    public let text: String
    /// A complete sentence naming what was expected.
    public let message: String

    public init(kind: Kind, text: String, message: String) {
        self.kind = kind
        self.text = text
        self.message = message
    }

    public var description: String { message }
}

/// Amounts and numbers as Indonesian offices write them. Never uses `Double`.
public enum IndonesianNumbers {
    /// Reads an amount written by a person or exported as text.
    ///
    /// Accepted around the number: white space including NBSP; a currency mark `Rp`, `Rp.`,
    /// `RP`, `IDR` before or after it (with or without a space: `Rp1.500.000`); a minus sign
    /// (`-`, `−`) or accounting parentheses `(1.500.000)` for negatives (not both); a "no cents"
    /// mark `,-` or `.-` at the end (`1.500.000,-`). A lone dash (`-`, `Rp -`) is a
    /// `.placeholder` problem, not zero.
    ///
    /// - `.indonesian`: `.` groups thousands, `,` is the decimal separator. Groups after the
    ///   first must have exactly 3 digits, the first 1–3 digits (not starting with 0).
    ///   `1.500` is 1500; `1.5` and `1500000.50` are errors.
    /// - `.us`: the mirror image (`1,500,000.50`).
    /// - `.auto` decides per value:
    ///   - both separators: the last one is the decimal separator (`1.500.000,00`, `1,500,000.00`);
    ///   - one kind repeated: it groups thousands (`1.500.000`, `1,500,000`);
    ///   - a single separator followed by exactly 3 digits, after 1–3 digits, is read as a
    ///     thousands separator (`1.500` = 1500, `1,500` = 1500): amounts with three decimals
    ///     are rare, grouped thousands are everywhere;
    ///   - a single `,` otherwise is a decimal comma (`1,5`, `1500000,50`);
    ///   - a single `.` after more than 3 digits or after `0` is a decimal point
    ///     (`1500000.50`, `0.5`: machine exports);
    ///   - a single `.` after 1–3 digits and not followed by 3 digits (`1.5`, `12.50`) is
    ///     `.ambiguous`: it is a decimal point in US style but a mistyped group in Indonesian
    ///     style. Detect the column's style with `NumberStyleDetector` and pass it.
    ///
    /// The result keeps the scale as written (`1.500.000,00` → `1500000.00`); at most 6
    /// decimals (trailing zeros beyond 6 are dropped).
    public static func parseAmount(_ text: String, style: NumberStyle = .auto) -> Result<ExactDecimal, NumberProblem> {
        let lexed = lex(text)
        let amount: Lexeme
        switch lexed {
        case .failure(let problem): return .failure(problem)
        case .success(let l): amount = l
        }
        switch style {
        case .indonesian: return read(amount, as: .indonesian)
        case .us: return read(amount, as: .us)
        case .auto:
            switch classify(amount) {
            case .plain: return read(amount, as: .indonesian)
            case .decided(let s, _): return read(amount, as: s)
            case .sloppyDecimalPoint:
                return .failure(NumberProblem(kind: .ambiguous, text: amount.original, message:
                    "'\(amount.original)' is ambiguous: in Indonesian amounts '.' separates thousands and must be followed by 3 digits "
                    + "(1.500 = 1500), in US amounts it is the decimal point; write it as 1.500 or 1,5, or read the column with the us number style"))
            }
        }
    }

    /// Reads the text of a numeric cell as XLSX stores it: `1500000`, `-12.5`, `1.5E+6`,
    /// `3.57808E+15`, `2.5E-3`. The result is exact: `1.5E+6` → `1500000`. Fails when the
    /// value needs more than 6 decimals (e.g. floating-point noise `0.30000000000000004`)
    /// or does not fit. Do not use for identifiers: see `IdentifierText`.
    public static func parseNumericCell(_ text: String) -> Result<ExactDecimal, NumberProblem> {
        let trimmed = text.trimmingWhitespace()
        let b = Array(trimmed.utf8)
        if b.isEmpty { return .failure(NumberProblem(kind: .empty, text: trimmed, message: "the numeric cell is empty")) }
        func notNumeric() -> Result<ExactDecimal, NumberProblem> {
            .failure(NumberProblem(kind: .notANumber, text: trimmed, message:
                "'\(trimmed)' is not a numeric cell value: expected digits with an optional '.' and exponent (1500000, 1500000.5, 1.5E+6)"))
        }
        var i = 0
        var negative = false
        if b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+") {
            negative = b[i] == UInt8(ascii: "-")
            i += 1
        }
        var digits: [UInt8] = []
        var fractionCount = 0
        var sawDigit = false, sawPoint = false
        while i < b.count, b[i] != UInt8(ascii: "e"), b[i] != UInt8(ascii: "E") {
            let c = b[i]
            if c == UInt8(ascii: ".") {
                if sawPoint { return notNumeric() }
                sawPoint = true
            } else if isDigit(c) {
                sawDigit = true
                digits.append(c)
                if sawPoint { fractionCount += 1 }
            } else {
                return notNumeric()
            }
            i += 1
        }
        guard sawDigit else { return notNumeric() }
        var exponent = 0
        if i < b.count {
            i += 1
            var expNegative = false
            if i < b.count, b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+") {
                expNegative = b[i] == UInt8(ascii: "-")
                i += 1
            }
            guard i < b.count else { return notNumeric() }
            while i < b.count {
                guard isDigit(b[i]) else { return notNumeric() }
                if exponent < 10_000 { exponent = exponent * 10 + Int(b[i] - 0x30) }
                i += 1
            }
            if expNegative { exponent = -exponent }
        }
        // value = digits × 10^(exponent − fractionCount)
        var shift = exponent - fractionCount
        if digits.allSatisfy({ $0 == UInt8(ascii: "0") }) { return .success(.zero) }
        // Leading zeros do not change the value; trailing zeros after the point only the scale.
        if let firstNonZero = digits.firstIndex(where: { $0 != UInt8(ascii: "0") }) { digits.removeFirst(firstNonZero) }
        while shift < 0, digits.last == UInt8(ascii: "0") {
            digits.removeLast()
            shift += 1
        }
        let tooLarge = NumberProblem(kind: .outOfRange, text: trimmed, message:
            "'\(trimmed)' is too large for an exact amount")
        if shift >= 0 {
            guard shift <= 19 else { return .failure(tooLarge) }
            digits += repeatElement(UInt8(ascii: "0"), count: shift)
            guard let value = ExactDecimal.fromDigits(integer: digits, fraction: [UInt8](), negative: negative) else {
                return .failure(tooLarge)
            }
            return .success(value)
        }
        let decimals = -shift
        guard decimals <= ExactDecimal.maxScale else {
            return .failure(NumberProblem(kind: .tooManyDecimalPlaces, text: trimmed, message:
                "'\(trimmed)' has \(decimals) digits after the decimal point; at most \(ExactDecimal.maxScale) are kept exactly "
                + "(a formula result with floating-point noise? round it in the sheet)"))
        }
        if digits.count <= decimals {
            digits = Array(repeating: UInt8(ascii: "0"), count: decimals - digits.count + 1) + digits
        }
        let split = digits.count - decimals
        guard let value = ExactDecimal.fromDigits(integer: digits[..<split], fraction: digits[split...], negative: negative) else {
            return .failure(tooLarge)
        }
        return .success(value)
    }

    // MARK: - Lexing (shared with NumberStyleDetector)

    /// A text stripped of currency, sign and "no cents" mark: what is left is `body`
    /// (ASCII digits, `.` and `,` only, starting with a digit).
    struct Lexeme {
        var original: String
        var negative: Bool
        var body: [UInt8]
        /// `,` or `.` when the text ended in `,-` / `.-`.
        var noCentsMark: UInt8?
    }

    /// What `.auto` makes of a lexeme, and how strong that is as evidence for a column.
    enum AutoReading {
        /// No separator: reads the same in both styles.
        case plain
        /// Read in `style`; `strong` when the other style cannot read it at all.
        case decided(NumberStyle, strong: Bool)
        /// A single `.` after 1–3 digits, not followed by 3 digits (`1.5`): US decimal point or
        /// a mistyped Indonesian group.
        case sloppyDecimalPoint
    }

    static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }

    private static let space: UInt8 = 0x20
    private static let dot = UInt8(ascii: "."), comma = UInt8(ascii: ","), minus = UInt8(ascii: "-")

    /// The text as ASCII bytes: white space (including NBSP) becomes ' ', the Unicode minus
    /// and dashes become '-', anything else outside ASCII becomes 0xFF.
    static func asciiBytes(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for s in text.unicodeScalars {
            switch s.value {
            case 0x09...0x0D: out.append(space)
            case 0x00...0x7F: out.append(UInt8(s.value))
            case 0x2212, 0x2010...0x2015, 0xFE63, 0xFF0D: out.append(minus)
            default: out.append(s.properties.isWhitespace ? space : 0xFF)
            }
        }
        return out
    }

    static func lex(_ text: String) -> Result<Lexeme, NumberProblem> {
        let bytes = asciiBytes(text)
        var lo = 0, hi = bytes.count
        func trim() {
            while lo < hi, bytes[lo] == space { lo += 1 }
            while hi > lo, bytes[hi - 1] == space { hi -= 1 }
        }
        trim()
        let original = text.trimmingWhitespace()
        if lo == hi { return .failure(NumberProblem(kind: .empty, text: original, message: "the amount is empty")) }
        func upper(_ c: UInt8) -> UInt8 { c >= 0x61 && c <= 0x7A ? c - 0x20 : c }
        /// Drops `Rp`, `Rp.`, `IDR` at the start; true when one was there.
        func dropCurrencyPrefix() -> Bool {
            if hi - lo >= 2, upper(bytes[lo]) == UInt8(ascii: "R"), upper(bytes[lo + 1]) == UInt8(ascii: "P") {
                lo += 2
                if lo < hi, bytes[lo] == dot { lo += 1 }
            } else if hi - lo >= 3, upper(bytes[lo]) == UInt8(ascii: "I"), upper(bytes[lo + 1]) == UInt8(ascii: "D"),
                      upper(bytes[lo + 2]) == UInt8(ascii: "R") {
                lo += 3
            } else {
                return false
            }
            trim()
            return true
        }
        func dropCurrencySuffix() {
            if hi - lo >= 3, upper(bytes[hi - 2]) == UInt8(ascii: "R"), upper(bytes[hi - 1]) == UInt8(ascii: "P"), bytes[hi - 3] == space {
                hi -= 2
            } else if hi - lo >= 4, upper(bytes[hi - 3]) == UInt8(ascii: "I"), upper(bytes[hi - 2]) == UInt8(ascii: "D"),
                      upper(bytes[hi - 1]) == UInt8(ascii: "R"), bytes[hi - 4] == space {
                hi -= 3
            } else {
                return
            }
            trim()
        }
        var negative = false, parentheses = false
        func dropParentheses() -> Bool {
            guard hi - lo >= 2, bytes[lo] == UInt8(ascii: "("), bytes[hi - 1] == UInt8(ascii: ")") else { return false }
            lo += 1
            hi -= 1
            trim()
            return true
        }
        parentheses = dropParentheses()
        _ = dropCurrencyPrefix()
        if lo < hi, bytes[lo] == minus || bytes[lo] == UInt8(ascii: "+") {
            // A text of dashes only is a placeholder, handled below.
            if bytes[lo..<hi].contains(where: { isDigit($0) }) {
                negative = bytes[lo] == minus
                lo += 1
                trim()
                _ = dropCurrencyPrefix()
            }
        }
        if !parentheses, dropParentheses() {
            parentheses = true
            _ = dropCurrencyPrefix()
        }
        dropCurrencySuffix()
        if lo < hi, bytes[lo..<hi].allSatisfy({ $0 == minus || $0 == space }) {
            return .failure(NumberProblem(kind: .placeholder, text: original, message:
                "'\(original)' is a dash, not an amount (no value was written)"))
        }
        if parentheses && negative {
            return .failure(NumberProblem(kind: .notANumber, text: original, message:
                "'\(original)' is not an amount: it has both parentheses and a minus sign; write (1.500.000) or -1.500.000"))
        }
        negative = negative || parentheses
        // The "no cents" mark: ",-", ",--", ".-".
        var noCents: UInt8?
        var end = hi
        while end > lo, bytes[end - 1] == minus { end -= 1 }
        if end < hi, end > lo, bytes[end - 1] == comma || bytes[end - 1] == dot {
            noCents = bytes[end - 1]
            hi = end - 1
            trim()
        }
        let body = Array(bytes[lo..<hi])
        guard let first = body.first else {
            return .failure(NumberProblem(kind: .notANumber, text: original, message:
                "'\(original)' is not an amount: no digits (expected e.g. Rp 1.500.000)"))
        }
        if let bad = body.first(where: { !isDigit($0) && $0 != dot && $0 != comma }) {
            let what: String
            switch bad {
            case space: what = "a space inside the number"
            case minus: what = "a '-' inside the number"
            case 0xFF: what = "characters other than digits"
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"): what = "letters"
            default: what = "'\(Character(Unicode.Scalar(bad)))'"
            }
            return .failure(NumberProblem(kind: .notANumber, text: original, message:
                "'\(original)' is not an amount: it contains \(what); expected digits like 1.500.000 or 1.500.000,00"))
        }
        if !isDigit(first) {
            return .failure(NumberProblem(kind: .notANumber, text: original, message:
                "'\(original)' is not an amount: it starts with '\(Character(Unicode.Scalar(first)))'; write a digit before it (0,5 rather than ,5)"))
        }
        return .success(Lexeme(original: original, negative: negative, body: body, noCentsMark: noCents))
    }

    /// Whether `digits` can be the first group of a grouped number (1–3 digits, no leading 0).
    private static func canLeadGroup(_ digits: ArraySlice<UInt8>) -> Bool {
        (1...3).contains(digits.count) && digits.first != UInt8(ascii: "0")
    }

    static func classify(_ lexeme: Lexeme) -> AutoReading {
        let body = lexeme.body
        let dots = body.lazy.filter { $0 == dot }.count
        let commas = body.lazy.filter { $0 == comma }.count
        if let mark = lexeme.noCentsMark {
            // No decimals follow a no-cents mark, so any separator in the body groups thousands.
            if dots > 0 && commas > 0 { return .decided(.indonesian, strong: false) }  // unreadable; read() says why
            if dots > 0 { return .decided(.indonesian, strong: true) }
            if commas > 0 { return .decided(.us, strong: true) }
            return mark == comma ? .decided(.indonesian, strong: true) : .plain
        }
        if dots == 0 && commas == 0 { return .plain }
        if dots > 0 && commas > 0 {
            let last = body.last(where: { $0 == dot || $0 == comma })!
            return .decided(last == comma ? .indonesian : .us, strong: true)
        }
        let separator = dots > 0 ? dot : comma
        let style: NumberStyle = separator == dot ? .indonesian : .us
        let other: NumberStyle = separator == dot ? .us : .indonesian
        if dots + commas >= 2 { return .decided(style, strong: true) }
        let at = body.firstIndex(of: separator)!
        let head = body[..<at], tail = body[(at + 1)...]
        if canLeadGroup(head) {
            if tail.count == 3 { return .decided(style, strong: false) }
            return separator == dot ? .sloppyDecimalPoint : .decided(.indonesian, strong: true)
        }
        // The separator cannot group here: it is the decimal separator.
        return .decided(other, strong: true)
    }

    private static func example(_ style: NumberStyle) -> String {
        style == .us ? "(US: 1,500,000.00)" : "(Indonesian: 1.500.000,00)"
    }

    static func read(_ lexeme: Lexeme, as style: NumberStyle) -> Result<ExactDecimal, NumberProblem> {
        let (group, decimal) = style == .us ? (comma, dot) : (dot, comma)
        let g = Character(Unicode.Scalar(group)), d = Character(Unicode.Scalar(decimal))
        let text = lexeme.original
        func fail(_ kind: NumberProblem.Kind, _ reason: String) -> Result<ExactDecimal, NumberProblem> {
            .failure(NumberProblem(kind: kind, text: text, message: "'\(text)' is not an amount: \(reason) \(example(style))"))
        }
        let body = lexeme.body
        var decimalAt = -1, decimalCount = 0
        for i in body.indices where body[i] == decimal {
            decimalCount += 1
            if decimalAt < 0 { decimalAt = i }
        }
        if decimalCount > 1 {
            return fail(.malformedGrouping, "'\(d)' is the decimal separator here and appears \(decimalCount) times")
        }
        var integerPart = body[...], fraction = body[body.endIndex...]
        if decimalAt >= 0 {
            integerPart = body[..<decimalAt]
            fraction = body[(decimalAt + 1)...]
            if fraction.isEmpty { return fail(.malformedGrouping, "nothing follows the decimal '\(d)'") }
            if fraction.contains(group) {
                return fail(.malformedGrouping, "a '\(g)' follows the decimal '\(d)'")
            }
            if let mark = lexeme.noCentsMark {
                return fail(.malformedGrouping, "it has decimals and a '\(Character(Unicode.Scalar(mark)))-' no-cents mark")
            }
        }
        if integerPart.contains(group) {
            // Validate the groups in one pass: first 1–3 digits (no leading 0), then exactly 3.
            var length = 0, firstLength = -1, firstStartsWithZero = false
            var emptyGroup = false, badGroup = false
            for byte in integerPart {
                if byte == group {
                    if length == 0 { emptyGroup = true }
                    if firstLength < 0 { firstLength = length } else if length != 3 { badGroup = true }
                    length = 0
                } else {
                    if firstLength < 0 && length == 0 { firstStartsWithZero = byte == UInt8(ascii: "0") }
                    length += 1
                }
            }
            if length == 0 { emptyGroup = true } else if length != 3 { badGroup = true }
            if emptyGroup { return fail(.malformedGrouping, "two '\(g)' in a row or a '\(g)' at an end") }
            if badGroup { return fail(.malformedGrouping, "digit groups after '\(g)' must have 3 digits") }
            if firstLength > 3 { return fail(.malformedGrouping, "at most 3 digits may stand before the first '\(g)'") }
            if firstStartsWithZero { return fail(.malformedGrouping, "a grouped number cannot start with 0") }
        }
        let digits = integerPart.lazy.filter { $0 != group }
        var frac = fraction
        if frac.count > ExactDecimal.maxScale {
            while frac.count > ExactDecimal.maxScale, frac.last == UInt8(ascii: "0") { frac = frac.dropLast() }
            if frac.count > ExactDecimal.maxScale {
                return .failure(NumberProblem(kind: .tooManyDecimalPlaces, text: text, message:
                    "'\(text)' has \(frac.count) digits after the decimal '\(d)'; at most \(ExactDecimal.maxScale) are kept exactly"))
            }
        }
        guard let value = ExactDecimal.fromDigits(integer: digits, fraction: frac, negative: lexeme.negative) else {
            return .failure(NumberProblem(kind: .outOfRange, text: text, message: "'\(text)' is too large for an exact amount"))
        }
        return .success(value)
    }
}

/// Decides a column's number style from its values, streaming.
///
/// Evidence is *strong* when only one style can read a value at all (`1.500.000`, `1.500,00`
/// and `1,5` are Indonesian; `1,500,000`, `1,500,000.50` and `1500000.50` are US), *weak*
/// when both styles can read it differently (`1.500` points to Indonesian grouping, `1,500`
/// to US grouping; `1.5` points weakly to US). Values without separators, and values that
/// are not numbers, carry none.
///
/// The decision: the style with more strong evidence; with none, the style with more weak
/// evidence; on a tie or without evidence, Indonesian. So a column of `1.500` values reads
/// them as 1500. `isConflicting` reports columns with strong evidence for both styles —
/// values of the losing style will fail to parse, and `summary` names an example of each.
public struct NumberStyleDetector: Sendable {
    /// What one value says about its column's style.
    public enum Evidence: Sendable, Hashable {
        case none
        case indonesian(strong: Bool)
        case us(strong: Bool)
    }

    /// How many values gave each kind of evidence.
    public private(set) var strongIndonesian = 0
    public private(set) var strongUS = 0
    public private(set) var weakIndonesian = 0
    public private(set) var weakUS = 0
    /// Values observed (including empty and non-numeric ones).
    public private(set) var observed = 0
    private var examples: [String: String] = [:]

    public init() {}

    /// The evidence in one text.
    public static func evidence(in text: String) -> Evidence {
        guard case .success(let lexeme) = IndonesianNumbers.lex(text) else { return .none }
        switch IndonesianNumbers.classify(lexeme) {
        case .plain: return .none
        case .sloppyDecimalPoint: return .us(strong: false)
        case .decided(let style, let strong):
            // A value the chosen style cannot read carries no evidence.
            guard case .success = IndonesianNumbers.read(lexeme, as: style) else { return .none }
            return style == .us ? .us(strong: strong) : .indonesian(strong: strong)
        }
    }

    /// Takes one more value of the column into account.
    public mutating func observe(_ text: String) {
        observed += 1
        let key: String
        switch NumberStyleDetector.evidence(in: text) {
        case .none: return
        case .indonesian(strong: true): strongIndonesian += 1; key = "ID!"
        case .indonesian(strong: false): weakIndonesian += 1; key = "ID?"
        case .us(strong: true): strongUS += 1; key = "US!"
        case .us(strong: false): weakUS += 1; key = "US?"
        }
        if examples[key] == nil { examples[key] = text.trimmingWhitespace() }
    }

    /// `.indonesian` or `.us` (never `.auto`).
    public var style: NumberStyle {
        if strongIndonesian > 0 || strongUS > 0 { return strongUS > strongIndonesian ? .us : .indonesian }
        return weakUS > weakIndonesian ? .us : .indonesian
    }

    /// True when some values can only be Indonesian and others only US.
    public var isConflicting: Bool { strongIndonesian > 0 && strongUS > 0 }

    /// True when at least one value could be read in one style only.
    public var hasStrongEvidence: Bool { strongIndonesian > 0 || strongUS > 0 }

    /// Parses a value of the column in the detected style.
    public func parse(_ text: String) -> Result<ExactDecimal, NumberProblem> {
        IndonesianNumbers.parseAmount(text, style: style)
    }

    /// One line for a steward: the decision and the values behind it.
    public var summary: String {
        func part(_ label: String, _ strong: Int, _ weak: Int, _ strongKey: String, _ weakKey: String) -> String {
            var bits: [String] = []
            if strong > 0 { bits.append("\(strong) unambiguous like '\(examples[strongKey]!)'") }
            if weak > 0 { bits.append("\(weak) ambiguous like '\(examples[weakKey]!)'") }
            return "\(label): " + (bits.isEmpty ? "no values" : bits.joined(separator: ", "))
        }
        let decided = style == .us ? "US (1,500,000.00)" : "Indonesian (1.500.000,00)"
        let basis = hasStrongEvidence ? "" : (weakIndonesian + weakUS > 0 ? " from ambiguous values only" : " by default (no evidence)")
        return "number style \(decided)\(basis); "
            + part("Indonesian", strongIndonesian, weakIndonesian, "ID!", "ID?") + "; "
            + part("US", strongUS, weakUS, "US!", "US?")
            + (isConflicting ? "; the column mixes both styles" : "")
    }
}

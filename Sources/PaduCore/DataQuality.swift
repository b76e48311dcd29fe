/// The result of one expectation on one input.
public struct ExpectationResult: Sendable, Hashable {
    /// The expectation, e.g. `validNIKShare`.
    public let name: String
    /// `warn` (logged and reported) or `error` (the input is rolled back).
    public let severity: String
    public let passed: Bool
    /// What was found and what was expected, in words.
    public let observed: String
    public let expected: String
    /// The field concerned, when there is one.
    public let field: String?

    public init(name: String, severity: String, passed: Bool, observed: String, expected: String, field: String? = nil) {
        self.name = name
        self.severity = severity
        self.passed = passed
        self.observed = observed
        self.expected = expected
        self.field = field
    }

    public var message: String { "\(observed), \(expected) (\(name))" }
}

/// Counts gathered from the rows that reach the sink, for data-quality expectations.
struct QualityStats {
    /// Rows that reached the sink.
    var rows = 0
    /// Of them, with a usable NIK (nik_status valid or noted; or 16 digits when not validated).
    var validNIK = 0
    /// Non-empty values per field watched.
    var nonEmpty: [String: Int] = [:]
    /// Negative amounts per field watched.
    var negative: [String: Int] = [:]

    mutating func observe(_ batch: Batch, nonEmptyFields: [String], amountFields: [String], watchNIK: Bool) {
        rows += batch.count
        if watchNIK {
            if let s = batch.schema.index(of: "nik_status") {
                for r in 0..<batch.count where ["valid", "noted"].contains(batch[row: r, column: s].text ?? "") { validNIK += 1 }
            } else if let n = batch.schema.index(of: "nik") {
                for r in 0..<batch.count {
                    let t = batch[row: r, column: n].text ?? ""
                    if t.utf8.count == 16 && t.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) { validNIK += 1 }
                }
            }
        }
        for f in nonEmptyFields {
            guard let c = batch.schema.index(of: f) else { continue }
            for r in 0..<batch.count where !batch[row: r, column: c].isEmpty { nonEmpty[f, default: 0] += 1 }
        }
        for f in amountFields {
            guard let c = batch.schema.index(of: f) else { continue }
            for r in 0..<batch.count {
                switch batch[row: r, column: c] {
                case .decimal(let d) where d.isNegative: negative[f, default: 0] += 1
                case .int(let n) where n < 0: negative[f, default: 0] += 1
                case .double(let d) where d < 0: negative[f, default: 0] += 1
                default: break
                }
            }
        }
    }
}

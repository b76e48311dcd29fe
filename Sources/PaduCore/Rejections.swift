/// Why a row was kept out of the warehouse: a stable code for filtering and a message a
/// steward can act on (what was expected, what to do).
public struct RejectReason: Sendable, Hashable {
    /// A short kebab-case code, e.g. `missing-field`, `bad-date`, `damaged-record`.
    public let code: String
    public let message: String
    public init(code: String, message: String) {
        self.code = code
        self.message = PersonalData.maskNIKs(in: message)
    }
}

/// What happens to a row that is not loaded. Nothing is dropped silently.
public enum Disposition: String, Sendable {
    /// Stored in the quarantine table with its raw values, for the producer to fix.
    case quarantined
    /// Deliberately not loaded (a blank row, a totals row), counted with its reason.
    case skipped
}

/// One row that will not be loaded.
public struct Rejection: Sendable {
    public let disposition: Disposition
    public let locator: Locator
    public let reason: RejectReason
    /// The row's values as read (field or header name → text).
    public let values: [(String, String)]
    /// The stage that rejected it (filled in by the runner).
    public var stage: String

    public init(_ disposition: Disposition, locator: Locator, reason: RejectReason, values: [(String, String)], stage: String = "") {
        self.disposition = disposition
        self.locator = locator
        self.reason = reason
        self.values = values
        self.stage = stage
    }
}

/// A value a transform changed: where (the row, and the field as `locator.column`), what it was,
/// what it became, and by which rule. Recorded only for changed values, so lineage stays cheap.
public struct Correction: Sendable {
    public let locator: Locator
    public let field: String
    /// The value before the change (nil: empty).
    public let rawValue: String?
    public let newValue: String?
    /// `plugin@version` (filled in by the runner).
    public var rule: String
    /// What the rule did, e.g. `titles and case` or `nik-damaged: removed`.
    public let detail: String?

    public init(locator: Locator, field: String, rawValue: String?, newValue: String?, rule: String = "", detail: String? = nil) {
        self.locator = locator
        self.field = field
        self.rawValue = rawValue
        self.newValue = newValue
        self.rule = rule
        self.detail = detail.map(PersonalData.maskNIKs)
    }
}

/// The rows a stage rejected while handling one batch (or one read from a source), and the
/// values it corrected in the rows it kept.
public struct Rejections: Sendable {
    public private(set) var items: [Rejection] = []
    /// Values the stage changed (for lineage).
    public private(set) var corrections: [Correction] = []
    /// Indexes (into the batch being handled) of rejected rows.
    public private(set) var rows: Set<Int> = []

    public init() {}

    public var count: Int { items.count }
    public var isEmpty: Bool { items.isEmpty }

    /// Rejects row `row` of `batch`.
    public mutating func reject(_ disposition: Disposition, row: Int, of batch: Batch, column: String? = nil, code: String, message: String) {
        guard rows.insert(row).inserted else { return }
        items.append(Rejection(disposition, locator: batch.locator(at: row, column: column),
                               reason: RejectReason(code: code, message: message), values: batch.textValues(at: row)))
    }

    public mutating func quarantine(row: Int, of batch: Batch, column: String? = nil, code: String, message: String) {
        reject(.quarantined, row: row, of: batch, column: column, code: code, message: message)
    }

    public mutating func skip(row: Int, of batch: Batch, code: String, message: String) {
        reject(.skipped, row: row, of: batch, code: code, message: message)
    }

    /// Rejects a record that never became a batch row (a source's damaged or blank record).
    public mutating func reject(_ rejection: Rejection) {
        items.append(rejection)
    }

    /// Records that the stage changed `field` of row `row` of `batch` from `raw` to `new`
    /// (nothing is recorded when the two are equal).
    public mutating func correct(row: Int, of batch: Batch, field: String, from raw: Value, to new: Value, detail: String? = nil) {
        guard raw.text != new.text else { return }
        corrections.append(Correction(locator: batch.locator(at: row, column: field), field: field,
                                      rawValue: raw.text, newValue: new.text, detail: detail))
    }

    public var quarantinedCount: Int { items.lazy.filter { $0.disposition == .quarantined }.count }
    public var skippedCount: Int { items.count - quarantinedCount }
}

/// Row counts of an input or a run. `read == loaded + quarantined + skipped` always.
public struct RowCounts: Sendable, Hashable, CustomStringConvertible {
    public var read = 0
    public var loaded = 0
    public var quarantined = 0
    public var skipped = 0

    public init(read: Int = 0, loaded: Int = 0, quarantined: Int = 0, skipped: Int = 0) {
        self.read = read
        self.loaded = loaded
        self.quarantined = quarantined
        self.skipped = skipped
    }

    /// Whether every row read is accounted for.
    public var isBalanced: Bool { read == loaded + quarantined + skipped }

    public static func + (a: RowCounts, b: RowCounts) -> RowCounts {
        RowCounts(read: a.read + b.read, loaded: a.loaded + b.loaded,
                  quarantined: a.quarantined + b.quarantined, skipped: a.skipped + b.skipped)
    }

    public var description: String {
        "read=\(read) loaded=\(loaded) quarantined=\(quarantined) skipped=\(skipped)"
    }
}

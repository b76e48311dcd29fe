import PaduCore

/// Which 16-digit identifier is checked: a person's NIK or a family card's No. KK. Both are
/// `PPKKCC DDMMYY SSSS`; for a NIK the date is the birth date (day + 40 for women), for a
/// No. KK it is the date the card number was issued.
public enum IdentityNumberKind: String, Sendable, Hashable, CaseIterable {
    case nik
    case kk

    /// The prefix of issue codes and of the fields a plugin adds: `nik` or `kk`.
    public var codePrefix: String { rawValue }

    /// The name used in messages: `NIK` or `No. KK`.
    public var displayName: String {
        switch self {
        case .nik: return "NIK"
        case .kk: return "No. KK"
        }
    }
}

/// The sex a NIK encodes (day 01–31 for men, 41–71 for women).
public enum IdentitySex: String, Sendable, Hashable {
    case male = "L"
    case female = "P"

    /// Reads a sex column as written in Indonesian data: `L`/`P`, `LAKI-LAKI`, `PRIA`,
    /// `PEREMPUAN`, `WANITA` (any case). Nil for anything else (then nothing is compared).
    public init?(column text: String) {
        let t = text.trimmingWhitespace().uppercased()
        switch t {
        case "L", "LK", "LAKI-LAKI", "LAKI LAKI", "LAKI", "PRIA": self = .male
        case "P", "PR", "PEREMPUAN", "WANITA": self = .female
        default: return nil
        }
    }
}

/// One finding about an identifier: a stable code, a human message (the identifier always
/// masked) and whether it makes the identifier unusable.
public struct IdentityIssue: Sendable, Hashable, CustomStringConvertible {
    /// How serious a finding is.
    public enum Severity: String, Sendable, Hashable {
        /// Worth knowing, the identifier is still usable (a historical prefix, another kabupaten).
        case note
        /// The identifier cannot be trusted as written.
        case invalid
    }

    /// A kebab-case code starting with `nik-` or `kk-`, e.g. `nik-bad-date`.
    public let code: String
    /// A sentence saying what is wrong, what was expected and what to do.
    public let message: String
    public let severity: Severity

    public init(code: String, message: String, severity: Severity) {
        self.code = code
        self.message = PersonalData.maskNIKs(in: message)
        self.severity = severity
    }

    /// `code: message`.
    public var description: String { "\(code): \(message)" }
}

/// The overall verdict on one identifier.
public enum IdentityStatus: String, Sendable, Hashable {
    /// No findings.
    case valid
    /// Only notes: usable as an identity.
    case noted
    /// At least one invalid finding: not usable as an identity.
    case invalid
}

/// The result of checking one identifier: the verdict, the findings and the parts decoded
/// from it (nil when the text is not 16 digits or the part is unreadable).
public struct IdentityCheck: Sendable, Hashable {
    public let kind: IdentityNumberKind
    /// The 16 digits as written (trimmed, Excel's leading `'` dropped); nil when the text is
    /// not 16 digits. Personal data: never put it in a message, use `masked`.
    public let identifier: String?
    /// The identifier masked for messages (`1802********0001`).
    public let masked: String
    public let issues: [IdentityIssue]
    /// The region of registration, `PP.KK.CC`.
    public let regionPrefix: String?
    /// The birth date (NIK) or issue date (No. KK), with the century chosen; nil when the
    /// date part is not a date.
    public let date: CivilDate?
    /// The sex a NIK encodes (nil for a No. KK or an unreadable day).
    public let sex: IdentitySex?
    /// The last four digits.
    public let serial: String?

    public init(kind: IdentityNumberKind, identifier: String?, masked: String, issues: [IdentityIssue],
                regionPrefix: String? = nil, date: CivilDate? = nil, sex: IdentitySex? = nil, serial: String? = nil) {
        self.kind = kind
        self.identifier = identifier
        self.masked = masked
        self.issues = issues
        self.regionPrefix = regionPrefix
        self.date = date
        self.sex = sex
        self.serial = serial
    }

    /// `invalid` if any issue is invalid, `noted` if there are only notes, else `valid`.
    public var status: IdentityStatus {
        if issues.contains(where: { $0.severity == .invalid }) { return .invalid }
        return issues.isEmpty ? .valid : .noted
    }

    /// The first invalid issue (the one a quarantine is filed under).
    public var firstInvalid: IdentityIssue? { issues.first { $0.severity == .invalid } }

    /// The issues as `code: message; code: message` (empty when there are none).
    public var notes: String { issues.map(\.description).joined(separator: "; ") }
}

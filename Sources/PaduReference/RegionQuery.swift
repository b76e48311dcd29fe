/// What one row says about its region: names and Kemendagri codes of any levels, as written.
public struct RegionQuery: Sendable, Hashable {
    /// Names as written (`Kab. Lampung Tengah`, `KALIREJO`, `Sriwaylangsep`).
    public var names: [AdministrativeLevel: String]
    /// Kemendagri codes as written, dotted or not; each must be a code of its level.
    public var codes: [AdministrativeLevel: String]
    /// The region the whole input lies in (a pipeline's `within`), e.g. `18.02`.
    public var within: String?

    public init(names: [AdministrativeLevel: String] = [:], codes: [AdministrativeLevel: String] = [:], within: String? = nil) {
        self.names = names
        self.codes = codes
        self.within = within
    }

    public init(provinsi: String? = nil, kabupaten: String? = nil, kecamatan: String? = nil, desa: String? = nil,
                codes: [AdministrativeLevel: String] = [:], within: String? = nil) {
        var names: [AdministrativeLevel: String] = [:]
        names[.provinsi] = provinsi
        names[.kabupaten] = kabupaten
        names[.kecamatan] = kecamatan
        names[.desa] = desa
        self.init(names: names, codes: codes, within: within)
    }
}

/// Which part of a row a problem concerns.
public enum RegionInputField: Sendable, Hashable, CustomStringConvertible {
    case name(AdministrativeLevel)
    case code(AdministrativeLevel)
    /// The pipeline's `within` scope.
    case within

    public var description: String {
        switch self {
        case .name(let level): return level.rawValue
        case .code(let level): return "kode_" + level.rawValue
        case .within: return "within"
        }
    }
}

/// The outcome of resolving one row's region.
public enum RegionResolution: Sendable, Hashable {
    /// The most detailed region the row determines, with notes on how names were read
    /// (old or similar spellings).
    case resolved(RegionEntry, notes: [String])
    /// A name fits several regions; `candidates` lists them (with their codes).
    case ambiguous([RegionEntry], message: String, field: RegionInputField)
    /// Nothing fits, or the row contradicts itself; `message` says what and what to do.
    case unresolved(message: String, field: RegionInputField?)
    /// The row has no region data at all.
    case none

    /// `resolved`, `ambiguous`, `unresolved` or `none`.
    public var status: String {
        switch self {
        case .resolved: return "resolved"
        case .ambiguous: return "ambiguous"
        case .unresolved: return "unresolved"
        case .none: return "none"
        }
    }

    /// The resolved region, if any.
    public var entry: RegionEntry? {
        if case .resolved(let entry, _) = self { return entry }
        return nil
    }

    /// The notes of a resolution, or the message of a failure.
    public var notes: [String] {
        switch self {
        case .resolved(_, let notes): return notes
        case .ambiguous(_, let message, _), .unresolved(let message, _): return [message]
        case .none: return []
        }
    }
}

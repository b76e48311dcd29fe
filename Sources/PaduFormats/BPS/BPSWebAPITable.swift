import Foundation
import PaduCore

/// One observation of a BPS table: a value for a region, a variable and a period.
public struct BPSObservation: Sendable, Hashable {
    /// The BPS region code as BPS writes it (never a Kemendagri code: join through a crosswalk).
    public let regionCode: String
    public let regionLabel: String
    public let variableCode: String
    public let variableLabel: String
    public let unit: String?
    /// The derived-variable breakdown (`turvar`), when the table has one.
    public let breakdown: String?
    /// `2023`, or `2023 Semester 1` / `2023 Maret` when the table has sub-periods.
    public let period: String
    /// The value as BPS published it, as exact decimal text (`12.5`, `512345`).
    public let value: String
    /// The `datacontent` key it came from.
    public let key: String
}

/// A problem with a whole BPS document.
public struct BPSFormatError: Error, Sendable, CustomStringConvertible {
    public let path: String
    public let message: String
    public var description: String { "\(path): \(message)" }
}

/// A BPS WebAPI dynamic table (`list/model/data`): metadata arrays `var`, `turvar`, `vervar`,
/// `tahun`, `turtahun` of `{val, label}` and a `datacontent` object whose keys are the
/// concatenation, without separator, of vervar‖var‖turvar‖tahun‖turtahun values.
///
/// Keys are rebuilt from the metadata, never split: a key that no combination produces is
/// reported, and metadata whose combinations collide is refused.
public struct BPSWebAPITable: Sendable {
    public let observations: [BPSObservation]
    /// `datacontent` entries that matched no combination, with the reason.
    public let unmatched: [(key: String, reason: String)]
    /// The number of `datacontent` entries read.
    public var entriesRead: Int { observations.count + unmatched.count }

    /// Largest document accepted (WebAPI answers are small; a bigger file is not one of them).
    public static let maxBytes = 64 << 20

    public init(path: String) throws {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        if let size = (attributes?[.size] as? NSNumber)?.intValue, size > Self.maxBytes {
            throw BPSFormatError(path: path, message: "the file is \(size) bytes, more than a BPS WebAPI answer can be (\(Self.maxBytes)); is it the right file?")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw BPSFormatError(path: path, message: "cannot read the file")
        }
        try self.init(data: data, path: path)
    }

    public init(data: Data, path: String) throws {
        let root: Any
        do { root = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) } catch {
            throw BPSFormatError(path: path, message: "not valid JSON (\(error.localizedDescription)); expected a BPS WebAPI answer")
        }
        guard let doc = root as? [String: Any] else {
            throw BPSFormatError(path: path, message: "expected a JSON object with `status`, `var`, `vervar`, `tahun` and `datacontent`")
        }
        if let status = doc["status"] as? String, status != "OK" {
            let message = (doc["message"] as? String).map { ": \($0)" } ?? ""
            throw BPSFormatError(path: path, message: "BPS answered status \"\(status)\"\(message); nothing to load")
        }
        if let availability = doc["data-availability"] as? String, availability != "available" {
            throw BPSFormatError(path: path, message: "BPS reports data-availability \"\(availability)\" for this table; nothing to load")
        }

        // The number of decimals BPS publishes per variable (`decimal`), to restore trailing zeros
        // that JSON numbers drop (10.80 arrives as 10.8).
        var decimals: [String: Int] = [:]
        for item in (doc["var"] as? [[String: Any]]) ?? [] {
            if let val = item["val"].flatMap(Self.text), let d = (item["decimal"] as? NSNumber)?.intValue { decimals[val] = d }
        }

        func items(_ name: String, required: Bool) throws -> [(val: String, label: String, unit: String?)] {
            guard let raw = doc[name] else {
                if required { throw BPSFormatError(path: path, message: "the `\(name)` array is missing") }
                return []
            }
            guard let list = raw as? [[String: Any]] else {
                throw BPSFormatError(path: path, message: "`\(name)` must be an array of {val, label} objects")
            }
            return try list.enumerated().map { i, item in
                guard let val = item["val"].flatMap(Self.text) else {
                    throw BPSFormatError(path: path, message: "`\(name)[\(i)]` has no `val`")
                }
                return (val, (item["label"] as? String) ?? val, item["unit"] as? String)
            }
        }
        let variables = try items("var", required: true)
        let breakdowns = try items("turvar", required: false)
        let regions = try items("vervar", required: true)
        let years = try items("tahun", required: true)
        let subPeriods = try items("turtahun", required: false)
        guard let content = doc["datacontent"] as? [String: Any] else {
            throw BPSFormatError(path: path, message: "the `datacontent` object is missing")
        }

        // Every combination's key, built from the metadata. A missing optional dimension
        // contributes nothing to the key.
        struct Combination { let region, variable: (val: String, label: String, unit: String?); let breakdown, year, sub: (val: String, label: String, unit: String?)? }
        var byKey: [String: Combination] = [:]
        for r in regions {
            for v in variables {
                for b in breakdowns.isEmpty ? [nil] : breakdowns.map(Optional.some) {
                    for y in years {
                        for s in subPeriods.isEmpty ? [nil] : subPeriods.map(Optional.some) {
                            let key = r.val + v.val + (b?.val ?? "") + y.val + (s?.val ?? "")
                            if byKey[key] != nil {
                                throw BPSFormatError(path: path, message: "the metadata gives two combinations the same datacontent key \(key); "
                                    + "the table cannot be read unambiguously")
                            }
                            byKey[key] = Combination(region: r, variable: v, breakdown: b, year: y, sub: s)
                        }
                    }
                }
            }
        }

        var observations: [BPSObservation] = []
        var unmatched: [(String, String)] = []
        for key in content.keys.sorted() {
            guard let c = byKey[key] else {
                unmatched.append((key, "datacontent key \(key) matches no combination of vervar, var, turvar, tahun and turtahun"))
                continue
            }
            guard let value = Self.text(content[key]!).map({ Self.padDecimals($0, to: decimals[c.variable.val]) }) else {
                unmatched.append((key, "datacontent \(key) is not a number"))
                continue
            }
            // `Tahun` (the whole year) adds nothing to the period.
            let sub = c.sub.flatMap { s -> String? in
                let label = s.label.trimmingWhitespace()
                return label.isEmpty || label.lowercased() == "tahun" ? nil : label
            }
            let breakdown = c.breakdown.flatMap { b -> String? in
                let label = b.label.trimmingWhitespace()
                return label.isEmpty || label.lowercased() == "tidak ada" ? nil : label
            }
            observations.append(BPSObservation(
                regionCode: c.region.val, regionLabel: c.region.label, variableCode: c.variable.val,
                variableLabel: c.variable.label, unit: c.variable.unit, breakdown: breakdown,
                period: c.year!.label + (sub.map { " " + $0 } ?? ""), value: value, key: key))
        }
        self.observations = observations
        self.unmatched = unmatched
    }

    /// `10.8` → `10.80` when the variable has 2 decimals; never rounds, only pads.
    static func padDecimals(_ value: String, to places: Int?) -> String {
        guard let places, places > 0, value.allSatisfy({ $0.isNumber || $0 == "." || $0 == "-" }) else { return value }
        let current = value.firstIndex(of: ".").map { value.distance(from: $0, to: value.endIndex) - 1 } ?? 0
        guard current < places else { return value }
        return value + (current == 0 ? "." : "") + String(repeating: "0", count: places - current)
    }

    /// A JSON scalar as text: numbers in their exact decimal form, strings as they are.
    static func text(_ value: Any) -> String? {
        switch value {
        case let s as String: return s.trimmingWhitespace()
        case let n as NSNumber:
            // JSON true/false also arrive as NSNumber; they are not values.
            if String(describing: type(of: n)).contains("Boolean") { return nil }
            return n.decimalValue.description
        default: return nil
        }
    }
}

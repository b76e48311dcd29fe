/// An exact decimal number for money and other counted quantities: an `Int64` number of
/// units and a scale (how many digits follow the decimal point, 0...6).
///
/// `ExactDecimal(units: 150000000, scale: 2)` is `1500000.00`. Money is never `Double`
/// anywhere in Padu; amounts travel as `ExactDecimal`.
///
/// - Equality and ordering are numeric: `1.5 == 1.50`, and both hash alike. The scale is kept
///   (it is how the source wrote the value) and shows in `description`.
/// - Arithmetic never traps and never rounds: `adding(_:)`, `subtracting(_:)`, `negated()` and
///   `rescaled(to:)` return nil when the exact result does not fit (`Int64` overflow, or a
///   scale above 6, or digits that a smaller scale would lose). Comparison is always exact,
///   even between values whose aligned scales would overflow.
public struct ExactDecimal: Sendable, Hashable, Comparable, CustomStringConvertible, LosslessStringConvertible {
    /// The value times 10^scale.
    public let units: Int64
    /// Digits after the decimal point, 0...6.
    public let scale: Int

    /// The largest supported scale (micro-units).
    public static let maxScale = 6
    /// Zero at scale 0.
    public static let zero = ExactDecimal(0)

    /// `units / 10^scale`; nil when `scale` is outside 0...6.
    public init?(units: Int64, scale: Int) {
        guard (0...ExactDecimal.maxScale).contains(scale) else { return nil }
        self.units = units
        self.scale = scale
    }

    /// A whole number (scale 0).
    public init(_ integer: Int64) {
        units = integer
        scale = 0
    }

    /// Reads the canonical form that `description` writes: an optional `-`, digits, and
    /// optionally `.` followed by 1...6 digits (`1500000.00`, `-12.5`, `0`). Nothing else:
    /// no `+`, grouping, spaces, exponent or currency (use `IndonesianNumbers.parseAmount`
    /// for text as people write it). Nil when malformed or out of `Int64` range.
    public init?(_ description: String) {
        var bytes = Array(description.utf8)
        var negative = false
        if bytes.first == UInt8(ascii: "-") {
            negative = true
            bytes.removeFirst()
        }
        var integerDigits = bytes[...]
        var fractionDigits = bytes[bytes.endIndex...]
        if let dot = bytes.firstIndex(of: UInt8(ascii: ".")) {
            integerDigits = bytes[..<dot]
            fractionDigits = bytes[(dot + 1)...]
            guard !fractionDigits.isEmpty else { return nil }
        }
        guard !integerDigits.isEmpty else { return nil }
        guard let value = ExactDecimal.fromDigits(integer: integerDigits, fraction: fractionDigits, negative: negative) else {
            return nil
        }
        self = value
    }

    /// The number written with `integer` digits before the point and `fraction` digits after
    /// it (ASCII digits only), or nil when a byte is not a digit, the fraction has more than
    /// 6 digits, or the value does not fit in `Int64`. Used by the parsers in PaduFormats.
    @inlinable
    public static func fromDigits<I: Collection<UInt8>, F: Collection<UInt8>>(integer: I, fraction: F, negative: Bool) -> ExactDecimal? {
        guard fraction.count <= maxScale else { return nil }
        // Accumulate as a negative number so that Int64.min is reachable.
        var accumulated: Int64 = 0
        func append(_ byte: UInt8) -> Bool {
            guard byte >= 0x30, byte <= 0x39 else { return false }
            let (times10, o1) = accumulated.multipliedReportingOverflow(by: 10)
            let (next, o2) = times10.subtractingReportingOverflow(Int64(byte - 0x30))
            guard !o1, !o2 else { return false }
            accumulated = next
            return true
        }
        for byte in integer { guard append(byte) else { return nil } }
        for byte in fraction { guard append(byte) else { return nil } }
        if negative { return ExactDecimal(units: accumulated, scale: fraction.count) }
        guard accumulated != Int64.min else { return nil }
        return ExactDecimal(units: -accumulated, scale: fraction.count)
    }

    /// `1500000.00`, `-0.05`, `12`: digits, and `.` with exactly `scale` digits when scale > 0.
    public var description: String {
        let magnitude = String(units.magnitude)
        var out = units < 0 ? "-" : ""
        if scale == 0 { return out + magnitude }
        let padded = magnitude.count <= scale
            ? String(repeating: "0", count: scale - magnitude.count + 1) + magnitude
            : magnitude
        let split = padded.index(padded.endIndex, offsetBy: -scale)
        out += padded[..<split]
        out += "."
        out += padded[split...]
        return out
    }

    /// True when the value is zero (at any scale).
    public var isZero: Bool { units == 0 }

    /// True when the value is below zero.
    public var isNegative: Bool { units < 0 }

    /// The same value at the smallest scale that holds it exactly (`1.50` → `1.5`, `2.00` → `2`).
    public var normalized: ExactDecimal {
        var u = units, s = scale
        while s > 0, u % 10 == 0 {
            u /= 10
            s -= 1
        }
        return ExactDecimal(uncheckedUnits: u, scale: s)
    }

    /// The same value written with `newScale` digits after the point, or nil when that would
    /// overflow, lose a non-zero digit, or `newScale` is outside 0...6.
    public func rescaled(to newScale: Int) -> ExactDecimal? {
        guard (0...ExactDecimal.maxScale).contains(newScale) else { return nil }
        if newScale == scale { return self }
        if newScale > scale {
            guard let u = ExactDecimal.scaleUp(units, by: newScale - scale) else { return nil }
            return ExactDecimal(uncheckedUnits: u, scale: newScale)
        }
        let divisor = ExactDecimal.powersOf10[scale - newScale]
        guard units % divisor == 0 else { return nil }
        return ExactDecimal(uncheckedUnits: units / divisor, scale: newScale)
    }

    /// `self + other` at the larger of the two scales, or nil on `Int64` overflow.
    public func adding(_ other: ExactDecimal) -> ExactDecimal? {
        let s = max(scale, other.scale)
        guard let a = rescaled(to: s), let b = other.rescaled(to: s) else { return nil }
        let (sum, overflow) = a.units.addingReportingOverflow(b.units)
        return overflow ? nil : ExactDecimal(uncheckedUnits: sum, scale: s)
    }

    /// `self - other` at the larger of the two scales, or nil on `Int64` overflow.
    public func subtracting(_ other: ExactDecimal) -> ExactDecimal? {
        let s = max(scale, other.scale)
        guard let a = rescaled(to: s), let b = other.rescaled(to: s) else { return nil }
        let (difference, overflow) = a.units.subtractingReportingOverflow(b.units)
        return overflow ? nil : ExactDecimal(uncheckedUnits: difference, scale: s)
    }

    /// `-self`, or nil for the one value whose negation overflows (`Int64.min` units).
    public func negated() -> ExactDecimal? {
        units == Int64.min ? nil : ExactDecimal(uncheckedUnits: -units, scale: scale)
    }

    /// The sum of `values` at the largest scale among them, or nil on overflow (zero when empty).
    public static func sum<S: Sequence<ExactDecimal>>(_ values: S) -> ExactDecimal? {
        var total = ExactDecimal.zero
        for value in values {
            guard let next = total.adding(value) else { return nil }
            total = next
        }
        return total
    }

    public static func == (a: ExactDecimal, b: ExactDecimal) -> Bool {
        compare(a, b) == 0
    }

    public static func < (a: ExactDecimal, b: ExactDecimal) -> Bool {
        compare(a, b) < 0
    }

    public func hash(into hasher: inout Hasher) {
        let n = normalized
        hasher.combine(n.units)
        hasher.combine(n.scale)
    }

    // MARK: - Internals

    private init(uncheckedUnits: Int64, scale: Int) {
        self.units = uncheckedUnits
        self.scale = scale
    }

    static let powersOf10: [Int64] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000]

    private static func scaleUp(_ units: Int64, by digits: Int) -> Int64? {
        let (result, overflow) = units.multipliedReportingOverflow(by: powersOf10[digits])
        return overflow ? nil : result
    }

    /// -1, 0 or 1; exact for all values (an alignment that overflows `Int64` means the
    /// rescaled value is larger in magnitude than any value that fits at that scale).
    private static func compare(_ a: ExactDecimal, _ b: ExactDecimal) -> Int {
        if a.scale == b.scale { return a.units < b.units ? -1 : (a.units == b.units ? 0 : 1) }
        let (low, high, flipped) = a.scale < b.scale ? (a, b, false) : (b, a, true)
        var result: Int
        if let aligned = scaleUp(low.units, by: high.scale - low.scale) {
            result = aligned < high.units ? -1 : (aligned == high.units ? 0 : 1)
        } else {
            result = low.units < 0 ? -1 : 1
        }
        if flipped { result = -result }
        return result
    }
}

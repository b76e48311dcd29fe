/// Reproducible pseudo-random numbers for jitter: the same pipeline name, purpose and slot
/// always give the same value, across processes and restarts (unlike `Hasher`, which is
/// seeded per process).
enum DeterministicJitter {
    /// A value in `0..<1` for `(name, purpose, slot)`.
    static func unit(_ name: String, _ purpose: String, slot: Int64) -> Double {
        Double(bits(name, purpose, slot: slot) >> 11) / Double(UInt64(1) << 53)
    }

    /// A whole number in `0...upperBound` for `(name, purpose, slot)`; 0 when `upperBound <= 0`.
    static func integer(upTo upperBound: Int, _ name: String, _ purpose: String, slot: Int64) -> Int {
        guard upperBound > 0 else { return 0 }
        return Int(bits(name, purpose, slot: slot) % UInt64(upperBound + 1))
    }

    /// SplitMix64 of (FNV-1a 64 of name and purpose) mixed with the slot.
    static func bits(_ name: String, _ purpose: String, slot: Int64) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in name.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        hash = (hash ^ 0xff) &* 0x0000_0100_0000_01b3 // separator
        for byte in purpose.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        return splitMix64(hash ^ splitMix64(UInt64(bitPattern: slot)))
    }

    static func splitMix64(_ seed: UInt64) -> UInt64 {
        var z = seed &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}

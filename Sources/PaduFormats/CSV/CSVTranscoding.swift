/// Result of checking bytes for UTF-8 well-formedness.
enum UTF8Check: Equatable {
    /// Every byte belongs to a complete, well-formed sequence.
    case valid
    /// The sequence starting at this index is malformed.
    case invalid(Int)
    /// The bytes are well formed except for an incomplete sequence starting at this index and
    /// running to the end of the input.
    case truncated(Int)
}

/// Checks `count` bytes at `p` for UTF-8 well-formedness (Unicode Table 3-7), with a fast path for ASCII runs.
func checkUTF8(_ p: UnsafePointer<UInt8>, count n: Int) -> UTF8Check {
    var i = 0
    while i < n {
        while i &+ 8 <= n {
            let word = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
            if word & 0x8080_8080_8080_8080 != 0 { break }
            i &+= 8
        }
        if i >= n { break }
        let b0 = p[i]
        if b0 < 0x80 {
            i &+= 1
            continue
        }
        let length: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch b0 {
        case 0xC2...0xDF:
            length = 2
        case 0xE0:
            length = 3
            low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF:
            length = 3
        case 0xED:
            length = 3
            high = 0x9F
        case 0xF0:
            length = 4
            low = 0x90
        case 0xF1...0xF3:
            length = 4
        case 0xF4:
            length = 4
            high = 0x8F
        default:
            return .invalid(i)
        }
        if i &+ 1 >= n { return .truncated(i) }
        let b1 = p[i &+ 1]
        if b1 < low || b1 > high { return .invalid(i) }
        var k = 2
        while k < length {
            if i &+ k >= n { return .truncated(i) }
            if p[i &+ k] & 0xC0 != 0x80 { return .invalid(i) }
            k &+= 1
        }
        i &+= length
    }
    return .valid
}

/// Byte written into the decoded UTF-8 stream in place of an unpaired UTF-16 surrogate. It is never
/// valid UTF-8, so the parser reports it and `String(decoding:as:)` turns it into U+FFFD.
let unpairedSurrogateMarker: UInt8 = 0xFF

/// Writes the UTF-8 form of `scalar` at `out` and returns the number of bytes written.
@inline(__always)
private func writeUTF8(_ scalar: UInt32, to out: UnsafeMutablePointer<UInt8>) -> Int {
    if scalar < 0x80 {
        out[0] = UInt8(truncatingIfNeeded: scalar)
        return 1
    } else if scalar < 0x800 {
        out[0] = UInt8(truncatingIfNeeded: 0xC0 | (scalar >> 6))
        out[1] = UInt8(truncatingIfNeeded: 0x80 | (scalar & 0x3F))
        return 2
    } else if scalar < 0x1_0000 {
        out[0] = UInt8(truncatingIfNeeded: 0xE0 | (scalar >> 12))
        out[1] = UInt8(truncatingIfNeeded: 0x80 | ((scalar >> 6) & 0x3F))
        out[2] = UInt8(truncatingIfNeeded: 0x80 | (scalar & 0x3F))
        return 3
    } else {
        out[0] = UInt8(truncatingIfNeeded: 0xF0 | (scalar >> 18))
        out[1] = UInt8(truncatingIfNeeded: 0x80 | ((scalar >> 12) & 0x3F))
        out[2] = UInt8(truncatingIfNeeded: 0x80 | ((scalar >> 6) & 0x3F))
        out[3] = UInt8(truncatingIfNeeded: 0x80 | (scalar & 0x3F))
        return 4
    }
}

/// Streaming UTF-16 to UTF-8 transcoder. Chunks may split code units and surrogate pairs anywhere.
struct UTF16Transcoder {
    let bigEndian: Bool
    /// The first byte of a code unit split across chunks.
    private(set) var pendingByte: UInt8?
    /// A high surrogate waiting for its low surrogate.
    private var pendingHigh: UInt16?

    init(bigEndian: Bool) {
        self.bigEndian = bigEndian
    }

    /// The most UTF-8 bytes `transcode` can write for `count` input bytes.
    static func maxOutput(forInput count: Int) -> Int {
        (count / 2 + 2) * 3 + 4
    }

    /// Transcodes `count` bytes at `input` to UTF-8 at `out`; returns the number of bytes written.
    /// Unpaired surrogates become ``unpairedSurrogateMarker``.
    mutating func transcode(_ input: UnsafePointer<UInt8>, count: Int, into out: UnsafeMutablePointer<UInt8>) -> Int {
        var i = 0
        var o = 0
        if let first = pendingByte, count > 0 {
            pendingByte = nil
            let unit = bigEndian
                ? UInt16(first) << 8 | UInt16(input[0])
                : UInt16(input[0]) << 8 | UInt16(first)
            o &+= emit(unit, out + o)
            i = 1
        }
        if bigEndian {
            while i &+ 1 < count {
                let unit = UInt16(input[i]) << 8 | UInt16(input[i &+ 1])
                i &+= 2
                if unit < 0x80 && pendingHigh == nil {
                    out[o] = UInt8(truncatingIfNeeded: unit)
                    o &+= 1
                } else {
                    o &+= emit(unit, out + o)
                }
            }
        } else {
            while i &+ 1 < count {
                let unit = UInt16(input[i &+ 1]) << 8 | UInt16(input[i])
                i &+= 2
                if unit < 0x80 && pendingHigh == nil {
                    out[o] = UInt8(truncatingIfNeeded: unit)
                    o &+= 1
                } else {
                    o &+= emit(unit, out + o)
                }
            }
        }
        if i < count {
            pendingByte = input[i]
        }
        return o
    }

    /// Flushes state at the end of the input; returns the number of bytes written (a marker for a
    /// dangling high surrogate). A dangling odd byte is left in ``pendingByte`` for the caller to report.
    mutating func finish(into out: UnsafeMutablePointer<UInt8>) -> Int {
        if pendingHigh != nil {
            pendingHigh = nil
            out[0] = unpairedSurrogateMarker
            return 1
        }
        return 0
    }

    @inline(__always)
    private mutating func emit(_ unit: UInt16, _ out: UnsafeMutablePointer<UInt8>) -> Int {
        var o = 0
        if let high = pendingHigh {
            if unit >= 0xDC00 && unit <= 0xDFFF {
                pendingHigh = nil
                let scalar = 0x1_0000 + ((UInt32(high) - 0xD800) << 10) + (UInt32(unit) - 0xDC00)
                return writeUTF8(scalar, to: out)
            }
            pendingHigh = nil
            out[0] = unpairedSurrogateMarker
            o = 1
        }
        if unit >= 0xD800 && unit <= 0xDBFF {
            pendingHigh = unit
            return o
        }
        if unit >= 0xDC00 && unit <= 0xDFFF {
            out[o] = unpairedSurrogateMarker
            return o &+ 1
        }
        return o &+ writeUTF8(UInt32(unit), to: out + o)
    }
}

/// Windows-1252 to UTF-8 transcoder. Bytes 0x81, 0x8D, 0x8F, 0x90 and 0x9D, which Windows-1252 leaves
/// undefined, become the C1 control characters of the same value, as Windows itself does.
struct Windows1252Transcoder {
    /// Unicode scalars for bytes 0x80–0x9F.
    static let highControls: [UInt32] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]

    /// For each byte value: the UTF-8 bytes packed little-endian in the low 24 bits, the length in the top 8.
    private let table: UnsafeMutablePointer<UInt32>

    init() {
        table = .allocate(capacity: 256)
        var bytes: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
        for value in 0..<256 {
            let scalar = (0x80..<0xA0).contains(value)
                ? Windows1252Transcoder.highControls[value - 0x80]
                : UInt32(value)
            let length = withUnsafeMutableBytes(of: &bytes) { raw in
                writeUTF8(scalar, to: raw.baseAddress!.assumingMemoryBound(to: UInt8.self))
            }
            let packed = UInt32(bytes.0) | UInt32(bytes.1) << 8 | UInt32(bytes.2) << 16
            table[value] = packed | UInt32(length) << 24
        }
    }

    /// Frees the lookup table.
    func release() {
        table.deallocate()
    }

    /// The most UTF-8 bytes `transcode` can write for `count` input bytes.
    static func maxOutput(forInput count: Int) -> Int {
        count * 3
    }

    /// Transcodes `count` bytes at `input` to UTF-8 at `out`; returns the number of bytes written.
    func transcode(_ input: UnsafePointer<UInt8>, count: Int, into out: UnsafeMutablePointer<UInt8>) -> Int {
        var o = 0
        var i = 0
        while i < count {
            if i &+ 8 <= count {
                let word = UnsafeRawPointer(input + i).loadUnaligned(as: UInt64.self)
                if word & 0x8080_8080_8080_8080 == 0 {
                    UnsafeMutableRawPointer(out + o).storeBytes(of: word, as: UInt64.self)
                    i &+= 8
                    o &+= 8
                    continue
                }
            }
            let b = input[i]
            i &+= 1
            if b < 0x80 {
                out[o] = b
                o &+= 1
            } else {
                let entry = table[Int(b)]
                let length = Int(entry >> 24)
                out[o] = UInt8(truncatingIfNeeded: entry)
                out[o &+ 1] = UInt8(truncatingIfNeeded: entry >> 8)
                if length == 3 {
                    out[o &+ 2] = UInt8(truncatingIfNeeded: entry >> 16)
                }
                o &+= length
            }
        }
        return o
    }
}

/// Delimiter detection for ``CSVReader``.
enum CSVSniffer {
    /// Candidate delimiters, in the order that breaks ties: `;` `|` tab `,`.
    static let candidates: [UInt8] = [UInt8(ascii: ";"), UInt8(ascii: "|"), UInt8(ascii: "\t"), UInt8(ascii: ",")]

    /// The number of lines examined.
    static let lineLimit = 50

    /// Chooses the delimiter of `sample` (UTF-8 or any ASCII-compatible text).
    ///
    /// - Parameter complete: `true` when the sample is the whole file, so that its last line counts even
    ///   without a terminator; otherwise an unterminated last line is ignored (it was probably cut off),
    ///   unless it is the only line.
    static func sniff(_ sample: UnsafeBufferPointer<UInt8>, complete: Bool) -> UInt8 {
        let quote = UInt8(ascii: "\"")
        let cr = UInt8(ascii: "\r")
        let lf = UInt8(ascii: "\n")
        let n = sample.count
        var lines: [[Int]] = []
        var current = [Int](repeating: 0, count: candidates.count)
        var lineHasBytes = false
        var inQuotes = false
        var previous: UInt8 = lf
        var i = 0
        var sawTerminator = false

        func endLine() {
            if lineHasBytes {
                lines.append(current)
            }
            current = [Int](repeating: 0, count: candidates.count)
            lineHasBytes = false
        }

        while i < n && lines.count < lineLimit {
            let b = sample[i]
            if inQuotes {
                if b == quote {
                    if i + 1 < n && sample[i + 1] == quote {
                        i += 2
                        previous = quote
                        continue
                    }
                    inQuotes = false
                }
            } else if b == cr || b == lf {
                endLine()
                sawTerminator = true
                if b == cr && i + 1 < n && sample[i + 1] == lf {
                    i += 1
                }
                previous = lf
                i += 1
                continue
            } else if b == quote {
                if previous == lf || candidates.contains(previous) {
                    inQuotes = true
                }
            } else if let index = candidates.firstIndex(of: b) {
                current[index] += 1
            }
            lineHasBytes = true
            previous = b
            i += 1
        }
        if lineHasBytes && lines.count < lineLimit && (complete || !sawTerminator) {
            lines.append(current)
        }

        var best = UInt8(ascii: ",")
        var bestScore = 0
        for (index, candidate) in candidates.enumerated() {
            var frequency: [Int: Int] = [:]
            for counts in lines where counts[index] > 0 {
                frequency[counts[index], default: 0] += 1
            }
            let score = frequency.values.max() ?? 0
            if score > bestScore {
                bestScore = score
                best = candidate
            }
        }
        return best
    }
}

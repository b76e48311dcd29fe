#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import PaduCore

/// `padu run`'s progress: on a terminal a bar redrawn in place (rows, bytes of input, rows/s,
/// ETA); without one a plain line every few seconds (`$PADU_PROGRESS_INTERVAL`, default 5),
/// so logs of scheduled scripts stay readable. No colours are used (`NO_COLOR` is respected by
/// construction); `--no-progress` turns it off.
final class ProgressDisplay: @unchecked Sendable {
    private let console: any Console
    private let terminal: Bool
    private let interval: Double
    private let lock = NSLock()
    private var last = Date.distantPast
    private var drawn = false

    init(console: any Console, environment: [String: String]) {
        self.console = console
        terminal = isatty(2) == 1 && environment["TERM"] != "dumb"
        interval = environment["PADU_PROGRESS_INTERVAL"].flatMap(Double.init) ?? (terminal ? 0.2 : 5)
    }

    func update(_ p: RunProgress) {
        lock.lock()
        defer { lock.unlock() }
        guard Date().timeIntervalSince(last) >= interval else { return }
        last = Date()
        let rate = p.seconds > 0 ? Double(p.rows) / p.seconds : 0
        let share = p.bytesTotal > 0 ? min(1, Double(p.bytesRead) / Double(p.bytesTotal)) : 0
        let eta = share > 0 && share < 1 ? p.seconds * (1 - share) / share : 0
        let name = (p.input as NSString).lastPathComponent
        if terminal {
            let width = 24
            let filled = Int(share * Double(width))
            let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
            let text = "\r\u{1B}[2K\(p.pipeline) [\(bar)] \(Int(share * 100))% \(Self.grouped(p.rows)) rows · "
                + "\(Self.megabytes(p.bytesRead))/\(Self.megabytes(p.bytesTotal)) MB · \(Self.grouped(Int(rate))) rows/s · ETA \(Self.duration(eta)) · \(name)"
            FileHandle.standardError.write(Data(text.utf8))
            drawn = true
        } else {
            console.err("progress pipeline=\(p.pipeline) input=\(name) rows=\(p.rows) bytes=\(p.bytesRead)/\(p.bytesTotal) "
                + "percent=\(Int(share * 100)) rows_per_s=\(Int(rate)) eta_s=\(Int(eta))")
        }
    }

    /// Clears the bar before the run's summary is printed.
    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if drawn { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
        drawn = false
        last = .distantPast
    }

    static func grouped(_ n: Int) -> String {
        var digits = String(n), out = ""
        while digits.count > 3 { out = "." + digits.suffix(3) + out; digits.removeLast(3) }
        return digits + out
    }

    static func megabytes(_ b: Int64) -> String { String(format: "%.1f", Double(b) / 1_048_576) }

    static func duration(_ s: Double) -> String {
        let t = Int(s.rounded())
        return t >= 3600 ? "\(t / 3600)h\(t % 3600 / 60)m" : t >= 60 ? "\(t / 60)m\(t % 60)s" : "\(t)s"
    }
}

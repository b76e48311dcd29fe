#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
@preconcurrency import Darwin
#endif
import Foundation

/// A small structured logger in the spirit of swift-log: levels, metadata with dotted keys,
/// and one output (`LogOutput`) that formats and writes. Every line goes through
/// `PersonalData.maskNIKs`, so a NIK never reaches a log whole.
public struct Logger: Sendable {
    public enum Level: Int, Sendable, Comparable, CaseIterable, CustomStringConvertible {
        case trace, debug, info, notice, warning, error, critical
        public static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }
        public var description: String {
            switch self {
            case .trace: return "trace"
            case .debug: return "debug"
            case .info: return "info"
            case .notice: return "notice"
            case .warning: return "warn"
            case .error: return "error"
            case .critical: return "critical"
            }
        }
        /// Parses `trace`...`critical` (and `warning`).
        public init?(name: String) {
            switch name.lowercased() {
            case "warning": self = .warning
            default:
                guard let l = Level.allCases.first(where: { $0.description == name.lowercased() }) else { return nil }
                self = l
            }
        }
    }

    public typealias Metadata = [String: String]

    public var level: Level
    public var metadata: Metadata
    public let output: any LogOutput

    public init(level: Level = .info, metadata: Metadata = [:], output: any LogOutput = StandardErrorLog()) {
        self.level = level
        self.metadata = metadata
        self.output = output
    }

    /// A logger that writes nothing (tests, library defaults).
    public static var silent: Logger { Logger(level: .critical, output: DiscardLog()) }

    /// A copy carrying extra metadata on every line.
    public func with(_ extra: Metadata) -> Logger {
        var copy = self
        copy.metadata.merge(extra) { _, new in new }
        return copy
    }

    public func log(_ level: Level, _ message: @autoclosure () -> String, _ metadata: Metadata = [:],
                    file: String = #fileID, line: UInt = #line) {
        guard level >= self.level else { return }
        var all = self.metadata
        all.merge(metadata) { _, new in new }
        output.write(LogRecord(time: Date(), level: level, message: PersonalData.maskNIKs(in: message()),
                               metadata: all.mapValues(PersonalData.maskNIKs(in:)), file: file, line: line))
    }

    public func debug(_ m: @autoclosure () -> String, _ md: Metadata = [:], file: String = #fileID, line: UInt = #line) { log(.debug, m(), md, file: file, line: line) }
    public func info(_ m: @autoclosure () -> String, _ md: Metadata = [:], file: String = #fileID, line: UInt = #line) { log(.info, m(), md, file: file, line: line) }
    public func warning(_ m: @autoclosure () -> String, _ md: Metadata = [:], file: String = #fileID, line: UInt = #line) { log(.warning, m(), md, file: file, line: line) }
    public func error(_ m: @autoclosure () -> String, _ md: Metadata = [:], file: String = #fileID, line: UInt = #line) { log(.error, m(), md, file: file, line: line) }
}

/// One log line before formatting (already masked).
public struct LogRecord: Sendable {
    public let time: Date
    public let level: Logger.Level
    public let message: String
    public let metadata: Logger.Metadata
    public let file: String
    public let line: UInt

    public init(time: Date, level: Logger.Level, message: String, metadata: Logger.Metadata, file: String, line: UInt) {
        self.time = time
        self.level = level
        self.message = message
        self.metadata = metadata
        self.file = file
        self.line = line
    }

    /// `ts=2026-11-23T15:00:00.123Z level=info pipeline=p3ke msg="..." rows=42`.
    public var logfmt: String {
        var out = "ts=\(LogRecord.timestamp(time)) level=\(level) msg=\(LogRecord.quote(message))"
        for key in metadata.keys.sorted() { out += " \(key)=\(LogRecord.quote(metadata[key]!))" }
        return out
    }

    /// `{"ts":"…","level":"info","msg":"…","source":"PaduCore/Runner.swift:42","pipeline":"p3ke",…}`.
    public var json: String {
        var pairs: [(String, String)] = [("ts", LogRecord.timestamp(time)), ("level", level.description), ("msg", message),
                                         ("source", "\(file):\(line)")]
        for key in metadata.keys.sorted() where !["ts", "level", "msg", "source"].contains(key) { pairs.append((key, metadata[key]!)) }
        return TextUtilities.jsonObject(pairs)
    }

    /// The line in a format.
    public func formatted(_ format: LogFormat) -> String { format == .json ? json : logfmt }

    static func quote(_ s: String) -> String {
        let plain = !s.isEmpty && s.unicodeScalars.allSatisfy { $0.value > 0x20 && $0 != "\"" && $0 != "=" && $0 != "\\" && $0.value < 0x7f }
        if plain { return s }
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(c)
            }
        }
        return out + "\""
    }

    /// The timestamp form the log uses (`2026-11-23T15:00:00.123Z`), for comparisons.
    public static func timestampText(_ date: Date) -> String { timestamp(date) }

    static func timestamp(_ date: Date) -> String {
        var t = time_t(date.timeIntervalSince1970)
        var parts = tm()
        gmtime_r(&t, &parts)
        let millis = Int((date.timeIntervalSince1970 - Double(t)) * 1000)
        func pad(_ n: Int32, _ w: Int = 2) -> String { let s = String(n); return String(repeating: "0", count: max(0, w - s.count)) + s }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1))-\(pad(parts.tm_mday))T\(pad(parts.tm_hour)):\(pad(parts.tm_min)):\(pad(parts.tm_sec)).\(pad(Int32(millis), 3))Z"
    }
}

/// How log lines are written.
public enum LogFormat: String, Sendable, CaseIterable {
    /// `ts=… level=info msg="…" key=value` (the default).
    case logfmt
    /// One JSON object per line.
    case json
}

/// Where log records go.
public protocol LogOutput: Sendable {
    func write(_ record: LogRecord)
    /// Reopens files (on SIGHUP, after logrotate moved them); nothing for streams.
    func reopen()
}

extension LogOutput {
    public func reopen() {}
}

/// Every record to several outputs (standard error and the log file).
public struct FanOutLog: LogOutput {
    public let outputs: [any LogOutput]
    public init(_ outputs: [any LogOutput]) { self.outputs = outputs }
    public func write(_ record: LogRecord) { for o in outputs { o.write(record) } }
    public func reopen() { for o in outputs { o.reopen() } }
}

/// Lines on standard error.
public struct StandardErrorLog: LogOutput {
    public let format: LogFormat
    public init(format: LogFormat = .logfmt) { self.format = format }
    public func write(_ record: LogRecord) {
        let line = record.formatted(format) + "\n"
        line.utf8CString.withUnsafeBufferPointer { buffer in
            _ = Glibc.write(2, buffer.baseAddress, buffer.count - 1)
        }
    }
}

/// Discards everything.
public struct DiscardLog: LogOutput {
    public init() {}
    public func write(_ record: LogRecord) {}
}

/// Reads log lines back (`padu logs`): logfmt or JSON into fields.
public enum LogLine {
    /// The fields of a line (`ts`, `level`, `msg`, metadata…); nil when it is neither format.
    public static func parse(_ line: String) -> [String: String]? {
        let text = line.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("{") {
            guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { return nil }
            return object.mapValues { "\($0)" }
        }
        var fields: [String: String] = [:]
        var i = text.startIndex
        while i < text.endIndex {
            while i < text.endIndex, text[i] == " " { i = text.index(after: i) }
            guard let eq = text[i...].firstIndex(of: "=") else { break }
            let key = String(text[i..<eq])
            var j = text.index(after: eq)
            var value = ""
            if j < text.endIndex, text[j] == "\"" {
                j = text.index(after: j)
                while j < text.endIndex, text[j] != "\"" {
                    if text[j] == "\\", text.index(after: j) < text.endIndex {
                        j = text.index(after: j)
                        value.append(text[j] == "n" ? "\n" : text[j])
                    } else {
                        value.append(text[j])
                    }
                    j = text.index(after: j)
                }
                if j < text.endIndex { j = text.index(after: j) }
            } else {
                while j < text.endIndex, text[j] != " " { value.append(text[j]); j = text.index(after: j) }
            }
            fields[key] = value
            i = j
        }
        return fields["ts"] != nil && fields["level"] != nil ? fields : nil
    }
}

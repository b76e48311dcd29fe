import Foundation
import PaduCore

/// `padu logs [-f] [--pipeline P] [--run N] [--level warn] [--since 1h] [--json]`.
enum LogsCommand {
    static let command = CLI.Command(
        name: "logs",
        summary: "show and follow the log (<home>/logs/padu.log and its rotated files), with filters",
        usage: "padu logs [--follow|-f] [--pipeline P] [--run N] [--level LEVEL] [--since 1h|30m|2d|TIME] [--json] [--lines N]",
        flags: [
            FlagSpec("--follow", "keep printing new lines as they are written, across rotation (Ctrl-C stops)"),
            FlagSpec("-f", "same as --follow"),
            FlagSpec("--pipeline", value: true, "only lines of this pipeline"),
            FlagSpec("--run", value: true, "only lines of this run"),
            FlagSpec("--level", value: true, "this level and above: trace, debug, info, notice, warn, error, critical"),
            FlagSpec("--since", value: true, "only lines newer than this: 90s, 30m, 1h, 2d, or a UTC time 2026-11-23T10:00:00Z"),
            FlagSpec("--json", "print JSON lines (whatever format the file has)"),
            FlagSpec("--lines", value: true, "only the last N matching lines before following (default: all)"),
            FlagSpec("--for", value: true, "with --follow: stop after this many seconds"),
        ],
        details: "Works while the daemon runs and after it stopped. NIKs are masked in every line. Exit status: 0; 2 wrong usage; 4 no log yet.",
        run: run
    )

    struct Filter {
        var pipeline: String?
        var run: String?
        var level: Logger.Level?
        var since: String?

        func accepts(_ f: [String: String]) -> Bool {
            if let pipeline, f["pipeline"] != pipeline { return false }
            if let run, f["run"] != run { return false }
            if let level, let l = f["level"].flatMap(Logger.Level.init(name:)), l < level { return false }
            if let since, let ts = f["ts"], ts < since { return false }
            return true
        }
    }

    static func run(_ args: ParsedArguments, _ env: Environment) throws -> ExitCode {
        var filter = Filter(pipeline: args.value("--pipeline"), run: args.value("--run"))
        if let name = args.value("--level") {
            guard let l = Logger.Level(name: name) else { throw UsageError(message: "unknown level '\(name)'") }
            filter.level = l
        }
        if let text = args.value("--since") { filter.since = try since(text) }
        let follow = args.has("--follow") || args.has("-f")
        let json = args.has("--json")
        let folder = env.home + "/logs"
        let files = RotatingFileLog.files(in: folder)
        guard !files.isEmpty || follow else {
            env.console.err("padu logs: no log in \(folder) yet")
            return .notFound
        }
        func show(_ line: String) -> String? {
            guard let fields = LogLine.parse(line), filter.accepts(fields) else { return nil }
            if !json { return line }
            if line.hasPrefix("{") { return line }
            return TextUtilities.jsonObject(fields.keys.sorted { order($0) < order($1) }.map { ($0, fields[$0]!) })
        }
        var matching: [String] = []
        for file in files {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { continue }
            for line in text.split(separator: "\n") { if let out = show(String(line)) { matching.append(out) } }
        }
        if let n = args.value("--lines").flatMap(Int.init) { matching = Array(matching.suffix(n)) }
        for line in matching { env.console.out(line) }
        guard follow else { return .success }

        // Follow padu.log; when it is rotated (another file at the path), finish the old one and go on.
        let path = folder + "/padu.log"
        let until = args.value("--for").flatMap(Double.init).map { Date().addingTimeInterval($0) }
        var handle = FileHandle(forReadingAtPath: path)
        handle?.seekToEndOfFile()
        var inode = Self.inode(path)
        var pending = ""
        while until.map({ Date() < $0 }) ?? true {
            if handle == nil, FileManager.default.fileExists(atPath: path) { handle = FileHandle(forReadingAtPath: path); inode = Self.inode(path) }
            if let h = handle {
                let data = h.readDataToEndOfFile()
                if !data.isEmpty {
                    pending += String(decoding: data, as: UTF8.self)
                    while let nl = pending.firstIndex(of: "\n") {
                        if let out = show(String(pending[..<nl])) { env.console.out(out) }
                        pending = String(pending[pending.index(after: nl)...])
                    }
                }
                if Self.inode(path) != inode {
                    try? h.close()
                    handle = FileHandle(forReadingAtPath: path)
                    inode = Self.inode(path)
                    continue
                }
            }
            usleep(250_000)
        }
        return .success
    }

    static func order(_ key: String) -> Int {
        ["ts": 0, "level": 1, "msg": 2][key] ?? 3
    }

    static func inode(_ path: String) -> UInt64 {
        var st = stat()
        return stat(path, &st) == 0 ? UInt64(st.st_ino) : 0
    }

    /// `--since` as a UTC timestamp string comparable with the log's `ts`.
    static func since(_ text: String) throws -> String {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
        if let unit = text.last, let factor = units[unit], let n = Double(text.dropLast()), n >= 0 {
            return LogRecord.timestampText(Date().addingTimeInterval(-n * factor))
        }
        if text.count >= 10, text.first?.isNumber == true { return text }
        throw UsageError(message: "--since must be like 90s, 30m, 1h, 2d or 2026-11-23T10:00:00Z, got '\(text)'")
    }
}

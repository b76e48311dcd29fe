import PaduCore

/// A command's flags: which take a value, which are switches, which may repeat.
struct FlagSpec: Sendable {
    let name: String
    let takesValue: Bool
    let repeats: Bool
    let help: String
    init(_ name: String, value: Bool = false, repeats: Bool = false, _ help: String) {
        self.name = name
        self.takesValue = value
        self.repeats = repeats
        self.help = help
    }
}

/// A usage problem, printed with the command's help hint.
struct UsageError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// Parsed arguments of one command.
struct ParsedArguments {
    var values: [String: [String]] = [:]
    var switches: Set<String> = []
    var positionals: [String] = []

    func value(_ name: String) -> String? { values[name]?.last }
    func all(_ name: String) -> [String] { values[name] ?? [] }
    func has(_ name: String) -> Bool { switches.contains(name) }

    /// Parses `--flag value`, `--flag=value`, switches, and positionals (`--` ends flags).
    static func parse(_ args: [String], flags: [FlagSpec]) throws -> ParsedArguments {
        var result = ParsedArguments()
        let byName = Dictionary(uniqueKeysWithValues: flags.map { ($0.name, $0) })
        var i = 0
        var flagsEnded = false
        while i < args.count {
            let arg = args[i]
            i += 1
            if flagsEnded || !arg.hasPrefix("-") || arg == "-" {
                result.positionals.append(arg)
                continue
            }
            if arg == "--" { flagsEnded = true; continue }
            var name = arg
            var inline: String?
            if let eq = arg.firstIndex(of: "=") {
                name = String(arg[..<eq])
                inline = String(arg[arg.index(after: eq)...])
            }
            if name == "-h" { name = "--help" }
            guard let spec = byName[name] else {
                let near = TextUtilities.closest(to: name, among: flags.map(\.name))
                throw UsageError(message: "unknown option \(name)" + (near.map { "; did you mean \($0)?" } ?? ""))
            }
            if spec.takesValue {
                let value: String
                if let inline { value = inline } else {
                    guard i < args.count else { throw UsageError(message: "\(name) needs a value") }
                    value = args[i]
                    i += 1
                }
                if !spec.repeats, result.values[name] != nil { throw UsageError(message: "\(name) given twice") }
                result.values[name, default: []].append(value)
            } else {
                if inline != nil { throw UsageError(message: "\(name) takes no value") }
                result.switches.insert(name)
            }
        }
        return result
    }
}

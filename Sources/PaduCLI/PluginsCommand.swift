import PaduCore

/// `padu plugins [NAME]`: the registered plugins, or one plugin's options and a sample.
enum PluginsCommand {
    static let command = CLI.Command(
        name: "plugins",
        summary: "list registered plugins, or show one plugin's options, fields and a sample",
        usage: "padu plugins [NAME]",
        flags: [],
        details: "",
        run: run
    )

    static func run(_ args: ParsedArguments, _ env: Environment) throws -> ExitCode {
        let console = env.console
        guard let name = args.positionals.first else {
            for kind in PluginKind.allCases {
                console.out("\(kind)s:")
                for p in env.registry.all where p.kind == kind {
                    console.out("  \(p.name.padding(toLength: 18, withPad: " ", startingAt: 0)) \(p.version.padding(toLength: 6, withPad: " ", startingAt: 0)) \(p.summary)")
                }
            }
            return .success
        }
        guard let p = env.registry.plugin(named: name) else {
            console.err("padu plugins: no plugin named '\(name)'; registered: \(env.registry.all.map(\.name).joined(separator: ", "))")
            return .notFound
        }
        console.out("\(p.name) (\(p.kind) plugin, version \(p.version))\n  \(p.summary)\n")
        console.out("options:")
        if p.options.isEmpty { console.out("  (none)") }
        for o in p.options {
            var line = "  \(o.name.padding(toLength: 12, withPad: " ", startingAt: 0)) \(o.type.description)"
            if o.required { line += "  (required)" }
            if let d = o.defaultValue { line += "  (default \(d))" }
            console.out(line + "\n      \(o.summary)")
        }
        if let schema = p.outputSchema {
            console.out("\nfields of its rows:")
            for f in schema.fields {
                console.out("  \(f.name.padding(toLength: 18, withPad: " ", startingAt: 0)) \(f.type.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0)) \(f.summary)")
            }
        }
        console.out("\nsample:\n    \(p.sample.replacingOccurrences(of: "\n", with: "\n    "))")
        console.out("\nor, by name: .plugin(\"\(p.name)\", options: [...])")
        return .success
    }
}

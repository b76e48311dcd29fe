import Foundation
import PaduCore
import PaduDaemon
import PaduPlugins
import PaduWarehouse

/// The `padu` command line. `padu/main.swift` only calls `CLI.main`.
public enum CLI {
    /// Options every command accepts.
    static let globalFlags: [FlagSpec] = [
        FlagSpec("--home", value: true, "state folder: warehouse and cache (default $PADU_HOME or ./padu-data)"),
        FlagSpec("--pipeline-lib", value: true, "folder of libPipelineDescription.so (default $PADU_PIPELINE_LIB or next to padu)"),
        FlagSpec("--log-level", value: true, "trace, debug, info, notice, warn, error, critical (default info; or $PADU_LOG_LEVEL)"),
        FlagSpec("--log-format", value: true, "logfmt (default) or json (or $PADU_LOG_FORMAT); lines go to stderr and <home>/logs/padu.log"),
        FlagSpec("--help", "show help"),
    ]

    struct Command: Sendable {
        let name: String
        let summary: String
        let usage: String
        let flags: [FlagSpec]
        let details: String
        let run: @Sendable (ParsedArguments, Environment) throws -> ExitCode
    }

    static let commands: [Command] = [CheckCommand.command, PluginsCommand.command, RunCommand.command, ReportCommand.command,
                                      PersonCommand.command, MatchesCommand.command, LineageCommand.command, RetractCommand.command,
                                      RunsCommand.command, QuarantineCommand.command, DaemonCommand.command, LogsCommand.command,
                                      MetricsCommand.command]
        + ControlCommands.commands

    /// Runs the command line `arguments` (without the program name); returns the exit code.
    public static func main(_ arguments: [String], environment: [String: String] = ProcessInfo.processInfo.environment,
                            console: any Console = StandardConsole()) -> Int32 {
        guard let first = arguments.first else {
            console.err(overview())
            return ExitCode.usage.rawValue
        }
        if first == "--help" || first == "-h" || first == "help" {
            if arguments.count > 1, let c = commands.first(where: { $0.name == arguments[1] }) {
                console.out(help(for: c))
            } else {
                console.out(overview())
            }
            return ExitCode.success.rawValue
        }
        if first == "--version" || first == "version" {
            console.out("padu \(Padu.version) (SQLite \(SQLiteDatabase.libraryVersion))")
            return ExitCode.success.rawValue
        }
        guard let command = commands.first(where: { $0.name == first }) else {
            console.err("padu: unknown command '\(first)'. Commands: \(commands.map(\.name).joined(separator: ", ")). See `padu --help`.")
            return ExitCode.usage.rawValue
        }
        do {
            let parsed = try ParsedArguments.parse(Array(arguments.dropFirst()), flags: command.flags + globalFlags)
            if parsed.has("--help") {
                console.out(help(for: command))
                return ExitCode.success.rawValue
            }
            let env = try Environment(parsed: parsed, environment: environment, console: console)
            return try command.run(parsed, env).rawValue
        } catch let error as UsageError {
            console.err("padu \(command.name): \(error.message)\nusage: \(command.usage)\nSee `padu \(command.name) --help`.")
            return ExitCode.usage.rawValue
        } catch let error as CatalogError {
            console.err("padu \(command.name): \(error)")
            return ExitCode.notFound.rawValue
        } catch let error as SQLiteError where error.isBusy {
            console.err("padu \(command.name): the warehouse is busy: another process has held its write lock for too long "
                + "(another padu run, or a tool with an open write transaction); try again when it has finished")
            return ExitCode.failure.rawValue
        } catch {
            console.err("padu \(command.name): \(error)")
            return ExitCode.internalError.rawValue
        }
    }

    static func overview() -> String {
        var text = """
            padu \(Padu.version): ETL pipelines for consolidated social-protection data, with lineage.

            usage: padu <command> [options]

            commands:

            """
        // Names longer than the column (quarantine) keep one space before their summary.
        for c in commands { text += "  \(c.name.padding(toLength: max(10, c.name.count + 1), withPad: " ", startingAt: 0))\(c.summary)\n" }
        text += "\nglobal options:\n" + flagHelp(globalFlags)
        text += "\nSee `padu <command> --help`, README.md and docs/cli.md."
        return text
    }

    static func help(for c: Command) -> String {
        var text = "usage: \(c.usage)\n\n\(c.summary)\n"
        if !c.details.isEmpty { text += "\n\(c.details)\n" }
        if !c.flags.isEmpty { text += "\noptions:\n" + flagHelp(c.flags) }
        text += "\nglobal options:\n" + flagHelp(globalFlags)
        return text
    }

    static func flagHelp(_ flags: [FlagSpec]) -> String {
        flags.map { f in
            let name = f.name + (f.takesValue ? " <value>" : "")
            return "  \(name.padding(toLength: 24, withPad: " ", startingAt: 0))\(f.help)\n"
        }.joined()
    }
}

/// What every command needs: the home folder, the plugin registry, a logger, the console.
struct Environment {
    let home: String
    let pipelineLibrary: String?
    let environment: [String: String]
    let console: any Console
    let logger: Logger
    let registry: PluginRegistry

    init(parsed: ParsedArguments, environment: [String: String], console: any Console) throws {
        let home = parsed.value("--home") ?? environment["PADU_HOME"] ?? "padu-data"
        self.home = home.hasPrefix("/") ? home : FileManager.default.currentDirectoryPath + "/" + home
        self.pipelineLibrary = parsed.value("--pipeline-lib")
        self.environment = environment
        self.console = console
        var level = Logger.Level.info
        if let name = parsed.value("--log-level") ?? environment["PADU_LOG_LEVEL"] {
            guard let l = Logger.Level(name: name) else { throw UsageError(message: "unknown log level '\(name)'") }
            level = l
        }
        let formatName = parsed.value("--log-format") ?? environment["PADU_LOG_FORMAT"] ?? "logfmt"
        guard let format = LogFormat(rawValue: formatName) else { throw UsageError(message: "--log-format must be logfmt or json, got '\(formatName)'") }
        // Every line to stderr and to the rotating file in the home folder (created at the first line).
        self.logger = Logger(level: level, output: FanOutLog([StandardErrorLog(format: format),
                                                              RotatingFileLog(folder: self.home + "/logs", format: format)]))
        self.registry = BuiltinPlugins.registry
    }

    /// Creates the home folder (owner-only) when missing.
    func prepareHome() throws {
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
    }

    var warehousePath: String { home + "/warehouse.sqlite" }

    func manifestLoader() throws -> ManifestLoader {
        try prepareHome()
        let toolchain = try ManifestToolchain.locate(libraryOverride: pipelineLibrary, environment: environment)
        return ManifestLoader(toolchain: toolchain, cacheDirectory: home + "/cache/pipelines", logger: logger)
    }
}

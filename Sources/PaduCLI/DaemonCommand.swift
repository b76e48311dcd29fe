import Foundation
import PaduCore
import PaduDaemon

/// `padu daemon`: the long-running scheduler, in the foreground.
enum DaemonCommand {
    static let command = CLI.Command(
        name: "daemon",
        summary: "run the scheduler in the foreground: cron, intervals, inbox files, after-chains, retries; controlled by padu status/trigger/pause/stop",
        usage: "padu daemon [--pipelines DIR] [--max-concurrent N] [--settle SECONDS]",
        flags: [
            FlagSpec("--pipelines", value: true, "folder of pipeline files (default $PADU_PIPELINES or pipelines/)"),
            FlagSpec("--max-concurrent", value: true, "runs at once (default 2)"),
            FlagSpec("--settle", value: true, "seconds an inbox file must keep its size and time before it is read (default 5)"),
            FlagSpec("--stop-deadline", value: true, "seconds a graceful stop waits for running runs (default 30)"),
            FlagSpec("--retry-base", value: true, "seconds before the first retry of a failed run; doubled each time (default 30)"),
        ],
        details: """
            Loads the pipeline files and runs each on its schedule until SIGTERM, SIGINT or `padu stop`. One daemon per
            home folder (a lock file); state (fire times, paused pipelines, inbox files) is kept in <home>/state.sqlite,
            so a restart continues where it stopped; runs a crash interrupted are marked and reported at the start.
            Inbox files are taken once their size and time have settled, and moved to processed/ or failed/ next to them,
            named with the run. Changed pipeline files are reloaded (also on SIGHUP); a broken file keeps its last good
            version. On a stop signal no run starts; running ones finish, or stop after their current batch once the
            stop deadline passes (their input rolled back); a second signal exits at once (still no half input).
            Under systemd (Type=notify) it reports READY, STOPPING and WATCHDOG. Control socket: <home>/control.sock.
            Exit status: 0 stopped; 1 another daemon holds the home folder, or it could not start.
            """,
        run: run
    )

    static func run(_ args: ParsedArguments, _ env: Environment) throws -> ExitCode {
        let folder = args.value("--pipelines") ?? env.environment["PADU_PIPELINES"] ?? "pipelines"
        var options = DaemonOptions(home: env.home, pipelines: folder.hasPrefix("/") ? folder : FileManager.default.currentDirectoryPath + "/" + folder,
                                    environment: env.environment)
        func number(_ flag: String) throws -> Double? {
            guard let text = args.value(flag) else { return nil }
            guard let n = Double(text), n > 0 else { throw UsageError(message: "\(flag) must be a positive number, got '\(text)'") }
            return n
        }
        if let n = try number("--max-concurrent") { options.maxConcurrent = Int(n) }
        if let n = try number("--settle") { options.fileSettle = n }
        if let n = try number("--stop-deadline") { options.stopDeadline = n }
        if let n = try number("--retry-base") { options.retryBase = n }
        guard FileManager.default.fileExists(atPath: options.pipelines) else {
            env.console.err("padu daemon: no pipelines folder at \(options.pipelines)")
            return .notFound
        }
        try env.prepareHome()
        do {
            let loader = try env.manifestLoader()
            loader.strictModes = true
            let daemon = Daemon(options: options, loader: loader, registry: env.registry, logger: env.logger)
            return ExitCode(rawValue: try daemon.run()) ?? .failure
        } catch let error as DaemonError {
            env.console.err("padu daemon: \(error.description)")
            return .failure
        }
    }
}

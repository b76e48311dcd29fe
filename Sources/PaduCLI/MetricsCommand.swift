import Foundation
import PaduCore
import PaduDaemon
import PaduWarehouse

/// `padu metrics`: the Prometheus text exposition, from the warehouse and (when it runs) the daemon.
enum MetricsCommand {
    static let command = CLI.Command(
        name: "metrics",
        summary: "Padu's metrics in Prometheus text format (runs, rows, durations, last success, the daemon's queue)",
        usage: "padu metrics",
        flags: [],
        details: """
            Reads the warehouse directly, so it works whether the daemon runs or not. When the daemon
            answers on <home>/control.sock (within 2 s), its queue, running runs and waiting inbox files
            are included and padu_up is 1; otherwise those gauges are 0 and padu_up is 0.
            The daemon itself writes the same text to <home>/metrics/padu.prom (node_exporter's textfile
            collector) after every run and every 15 s. Labels hold pipeline names only: no personal data.
            Exit status: 0; 4 no warehouse yet.
            """,
        run: run
    )

    static func run(_ args: ParsedArguments, _ env: Environment) throws -> ExitCode {
        guard args.positionals.isEmpty else { throw UsageError(message: "metrics takes no argument") }
        guard let warehouse = try ReportCommand.openWarehouse(env) else { return .notFound }
        let text = try MetricsExporter.text(warehouse: warehouse, daemon: daemonSnapshot(env))
        env.console.out(String(text.dropLast()))  // the console adds the final newline
        return .success
    }

    /// The daemon's gauges from its `status` answer, or nil when it does not answer.
    static func daemonSnapshot(_ env: Environment) -> MetricsSnapshot? {
        guard FileManager.default.fileExists(atPath: ControlCommands.socketPath(env)),
              let response = try? ControlClient(socketPath: ControlCommands.socketPath(env)).send(ControlRequest(command: "status"), timeoutSeconds: 2),
              response.errorMessage == nil, let value = response.result else { return nil }
        return MetricsSnapshot(status: value)
    }
}

import Foundation
import PaduCore
import PaduDaemon

/// Commands that ask the running daemon through its control socket: status, trigger,
/// pause, resume, reload, stop.
enum ControlCommands {
    static func socketPath(_ env: Environment) -> String { env.home + "/control.sock" }

    /// Sends one request; prints the daemon's answer or says clearly why there is none.
    static func ask(_ env: Environment, _ request: ControlRequest, print: (ControlValue) -> String) -> ExitCode {
        do {
            let response = try ControlClient(socketPath: socketPath(env)).send(request, timeoutSeconds: 15)
            if let error = response.errorMessage {
                env.console.err("padu \(request.command): \(error)")
                return error.hasPrefix("no pipeline") ? .notFound : .failure
            }
            let text = print(response.result ?? .null)
            if !text.isEmpty { env.console.out(text) }
            return .success
        } catch {
            env.console.err("padu \(request.command): \(error)")
            if case .daemonNotRunning = error { return .notFound }
            return .failure
        }
    }

    static let status = CLI.Command(
        name: "status",
        summary: "the running daemon: its pipelines, next fire times, last runs, paused ones, runs in progress",
        usage: "padu status [--json]",
        flags: [FlagSpec("--json", "the daemon's answer as JSON")],
        details: "Asks the daemon through <home>/control.sock. Exit status: 0; 4 the daemon is not running.",
        run: { args, env in
            ask(env, ControlRequest(command: "status")) { value in
                if args.has("--json") { return value.jsonText }
                var lines: [String] = []
                let d = value["daemon"]
                lines.append("daemon pid \(d?["pid"]?.intValue ?? 0) · up since \(d?["started_at"]?.stringValue ?? "?") · "
                    + "\(d?["running"]?.intValue ?? 0) running, \(d?["queued"]?.intValue ?? 0) queued, limit \(d?["limit"]?.intValue ?? 0)")
                for p in value["pipelines"]?.arrayValue ?? [] {
                    var line = "  " + (p["name"]?.stringValue ?? "?").padding(toLength: 28, withPad: " ", startingAt: 0)
                    line += (p["schedule"]?.stringValue ?? "").padding(toLength: 34, withPad: " ", startingAt: 0)
                    if p["paused"]?.boolValue == true { line += " PAUSED" }
                    if p["running"]?.boolValue == true { line += " running" }
                    if let next = p["next_fire"]?.stringValue { line += " next \(next)" }
                    if let last = p["last_run"]?.stringValue { line += " · last \(last)" }
                    lines.append(line)
                }
                for problem in value["problems"]?.arrayValue ?? [] { lines.append("! " + (problem.stringValue ?? "")) }
                return lines.joined(separator: "\n")
            }
        }
    )

    static let trigger = CLI.Command(
        name: "trigger",
        summary: "ask the daemon to run a pipeline now (queued behind the concurrency limit)",
        usage: "padu trigger PIPELINE [--input FILE]...",
        flags: [FlagSpec("--input", value: true, repeats: true, "a file to read (repeatable)")],
        details: "Exit status: 0 queued; 4 no such pipeline or the daemon is not running.",
        run: { args, env in
            guard args.positionals.count == 1 else { throw UsageError(message: "which pipeline?") }
            let inputs = args.all("--input").map { $0.hasPrefix("/") ? $0 : FileManager.default.currentDirectoryPath + "/" + $0 }
            return ask(env, ControlRequest(command: "trigger", arguments: ["pipeline": args.positionals[0]], inputs: inputs.isEmpty ? nil : inputs)) {
                $0.stringValue ?? ""
            }
        }
    )

    static func simple(_ name: String, _ summary: String, needsPipeline: Bool) -> CLI.Command {
        CLI.Command(
            name: name, summary: summary, usage: needsPipeline ? "padu \(name) PIPELINE" : "padu \(name)", flags: [],
            details: "Exit status: 0; 4 " + (needsPipeline ? "no such pipeline, or " : "") + "the daemon is not running.",
            run: { args, env in
                guard args.positionals.count == (needsPipeline ? 1 : 0) else {
                    throw UsageError(message: needsPipeline ? "which pipeline?" : "\(name) takes no argument")
                }
                var arguments: [String: String] = ["by": env.environment["USER"] ?? "unknown"]
                if needsPipeline { arguments["pipeline"] = args.positionals[0] }
                return ask(env, ControlRequest(command: name, arguments: arguments)) { $0.stringValue ?? "" }
            })
    }

    static let commands: [CLI.Command] = [
        status, trigger,
        simple("pause", "stop scheduling a pipeline (its running run finishes; manual triggers still work)", needsPipeline: true),
        simple("resume", "schedule a paused pipeline again", needsPipeline: true),
        simple("reload", "re-read the pipeline files now (as SIGHUP does)", needsPipeline: false),
        simple("stop", "stop the daemon gracefully (as SIGTERM does)", needsPipeline: false),
    ]
}

extension ControlValue {
    /// The value as compact JSON text.
    var jsonText: String {
        (try? ControlProtocol.encodeLine(ControlResponse.success(self))).map { line in
            // {"ok":true,"result":...}\n → the result part
            var text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if let r = text.range(of: "\"result\":") { text = String(text[r.upperBound...].dropLast()) }
            return text
        } ?? "null"
    }
}

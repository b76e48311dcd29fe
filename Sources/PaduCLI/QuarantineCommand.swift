import Foundation
import PaduCore
import PaduDaemon
import PaduReports
import PaduWarehouse

/// `padu quarantine list|export|reinject`: the stewards' work on rows kept out of the warehouse.
enum QuarantineCommand {
    static let command = CLI.Command(
        name: "quarantine",
        summary: "rows kept out of the warehouse: list them, export them for the producer to fix, re-inject the fixed file",
        usage: "padu quarantine list [filters] [--format table|csv|json] | export --out FILE --format xlsx|csv [filters] | reinject FILE --pipeline P",
        flags: [
            FlagSpec("--pipeline", value: true, "only this pipeline (reinject: the pipeline that loads the corrected file)"),
            FlagSpec("--run", value: true, "only this run"),
            FlagSpec("--input", value: true, "only this input (its id, as list shows it)"),
            FlagSpec("--reason", value: true, "only this reason code (bad-date, invalid-nik...)"),
            FlagSpec("--limit", value: true, "at most this many rows"),
            FlagSpec("--all", "also inputs no longer loaded (replaced, retracted, failed): the history"),
            FlagSpec("--format", value: true, "list: table (default), csv or json; export: xlsx or csv"),
            FlagSpec("--out", value: true, "list: write to this file; export: the file to write (needed); created owner-only"),
            FlagSpec("--pipelines", value: true, "reinject: folder of pipeline files (default $PADU_PIPELINES or pipelines/)"),
        ],
        details: """
            list      every row kept out (quarantined or skipped) of the inputs still loaded (--all: every input): pipeline,
                      run, input and file, sheet, row, column, reason; `Resolved by` names the corrected row that
                      loaded in its place. Then a summary by reason.
            export    the quarantined rows not yet resolved, for the data producer to fix: one column per header of the
                      original file (values exactly as read), then padu_reason, padu_reason_code, padu_column, and the
                      lineage columns padu_quarantine_id, padu_input, padu_sheet, padu_row, which must be kept for
                      re-injection. xlsx: one sheet per input, text cells never formulas. csv: comma, UTF-8 with BOM,
                      values starting with = + - @ prefixed with ' ; one header row, so rows of inputs with different
                      headers need --input or xlsx.
            reinject  runs PIPELINE on the corrected file (as `padu run P --input FILE --force`), then links each of
                      its loaded rows to the quarantined row it fixes (table reinjection; padu lineage trace shows it).
                      The original rows stay in quarantine, marked resolved.
            Output holds personal data (full NIKs, names). Exit status: 0; 1 reinject's run failed; 2 wrong usage;
            3 reinject: some rows of the corrected file were kept out again; 4 no warehouse or pipeline.
            """,
        run: run
    )

    static func run(_ args: ParsedArguments, _ env: Environment) throws -> ExitCode {
        guard let action = args.positionals.first else { throw UsageError(message: "list, export or reinject?") }
        switch action {
        case "list", "export":
            guard args.positionals.count == 1 else { throw UsageError(message: "\(action) takes no file; filters are options") }
            let filter = try self.filter(args)
            guard let warehouse = try ReportCommand.openWarehouse(env) else { return .notFound }
            let reports = Reports(warehouse: warehouse, catalog: nil)
            return action == "list" ? try list(reports, filter, args, env) : try export(reports, filter, args, env)
        case "reinject":
            return try reinject(args, env)
        default:
            throw UsageError(message: "unknown action '\(action)'; use list, export or reinject")
        }
    }

    static func filter(_ args: ParsedArguments) throws -> QuarantineFilter {
        func number(_ flag: String) throws -> Int64? {
            guard let text = args.value(flag) else { return nil }
            guard let n = Int64(text), n > 0 else { throw UsageError(message: "\(flag) must be a positive number, got '\(text)'") }
            return n
        }
        return QuarantineFilter(pipeline: args.value("--pipeline"), runID: try number("--run"), inputID: try number("--input"),
                                reasonCode: args.value("--reason"), limit: try number("--limit").map { Int($0) },
                                includeHistory: args.has("--all"))
    }

    static func list(_ reports: Reports, _ filter: QuarantineFilter, _ args: ParsedArguments, _ env: Environment) throws -> ExitCode {
        let text = args.value("--format") ?? "table"
        guard let format = ReportFormat(rawValue: text), format != .xlsx else {
            throw UsageError(message: "list: --format must be table, csv or json, got '\(text)' (export writes xlsx)")
        }
        return try ReportCommand.emit(try reports.quarantineList(filter), format: format, args: args, env: env)
    }

    static func export(_ reports: Reports, _ filter: QuarantineFilter, _ args: ParsedArguments, _ env: Environment) throws -> ExitCode {
        guard let outArg = args.value("--out") else { throw UsageError(message: "export needs --out FILE (.xlsx or .csv)") }
        let out = outArg.hasPrefix("/") ? outArg : FileManager.default.currentDirectoryPath + "/" + outArg
        let format = args.value("--format") ?? (out.lowercased().hasSuffix(".csv") ? "csv" : "xlsx")
        guard format == "xlsx" || format == "csv" else { throw UsageError(message: "export: --format must be xlsx or csv, got '\(format)'") }
        let export = try reports.quarantineExport(filter)
        let rows = export.groups.reduce(0) { $0 + $1.table.rows.count }
        do {
            if format == "csv" {
                try OwnerOnlyFile.write(ReportRenderer.csv([try export.csvTable()]), to: out)
            } else {
                try export.writeXLSX(to: out)
            }
        } catch let error as ReportError {
            env.console.err("padu quarantine export: \(error.description)")
            return .usage
        }
        env.console.err("wrote \(out) (\(rows) row\(rows == 1 ? "" : "s") from \(Set(export.groups.map(\.inputID)).count) input(s)); "
            + "keep the padu_* columns, fix the values, then: padu quarantine reinject \(outArg) --pipeline PIPELINE")
        return .success
    }

    static func reinject(_ args: ParsedArguments, _ env: Environment) throws -> ExitCode {
        guard args.positionals.count == 2 else { throw UsageError(message: "reinject needs the corrected file: padu quarantine reinject FILE --pipeline P") }
        guard let name = args.value("--pipeline") else { throw UsageError(message: "reinject needs --pipeline P, the pipeline that loads the corrected file") }
        let file = args.positionals[1]
        let path = file.hasPrefix("/") ? file : FileManager.default.currentDirectoryPath + "/" + file
        // Read the lineage columns first: a file without them is refused before anything is loaded.
        let read: (marks: [ReinjectionMark], unmarked: Int)
        do {
            read = try ReinjectionFile.marks(path: path)
        } catch let error as ReinjectionError {
            env.console.err("padu quarantine reinject: \(error.description)")
            return .usage
        }
        let folder = args.value("--pipelines") ?? env.environment["PADU_PIPELINES"] ?? "pipelines"
        let catalog = try PipelineCatalog.load(paths: [folder], loader: try env.manifestLoader(), registry: env.registry)
        for d in catalog.diagnostics { env.console.err(d.description) }
        guard let spec = catalog.pipeline(named: name) else {
            env.console.err("padu quarantine reinject: no pipeline named '\(name)' in \(folder); known: " + catalog.pipelines.map(\.name).joined(separator: ", "))
            return .notFound
        }
        try env.prepareHome()
        let warehouse = try Warehouse(path: env.warehousePath)
        let service = RunService(warehouse: warehouse, registry: env.registry, logger: env.logger,
                                 openLineage: OpenLineageSettings.from(environment: env.environment, home: env.home))
        let result = try service.run(spec, inputs: [path], force: true)
        RunCommand.printSummary(result, warehouse: warehouse, console: env.console)
        guard let input = result.inputs.first(where: { $0.status == .loaded }), let inputID = input.inputID else {
            env.console.err("padu quarantine reinject: the corrected file did not load; nothing was linked")
            return .failure
        }
        let links = try Reports(warehouse: warehouse, catalog: nil).linkReinjection(newInput: inputID, marks: read.marks, unmarked: read.unmarked)
        var line = "re-injection: \(links.linked) row\(links.linked == 1 ? "" : "s") linked to the quarantined row\(links.linked == 1 ? "" : "s") they fix"
        if links.stillQuarantined > 0 { line += "; \(links.stillQuarantined) kept out again (padu quarantine list --input \(inputID))" }
        if links.unmarked > 0 { line += "; \(links.unmarked) without padu_quarantine_id (loaded, not linked)" }
        env.console.out(line)
        if !links.unknown.isEmpty {
            env.console.err("padu quarantine reinject: padu_quarantine_id \(links.unknown.map(String.init).joined(separator: ", ")) "
                + "not in this warehouse, or padu_input/padu_row changed: those rows loaded but were not linked")
        }
        return links.stillQuarantined > 0 ? .partial : .success
    }
}

import PaduCore
import PaduReference
import PaduReports
import PaduWarehouse

/// `padu person NIK`: everything known about one person, each fact with its source.
enum PersonCommand {
    static let command = CLI.Command(
        name: "person",
        summary: "everything known about one person: registries, household, aid, possible matches, with sources",
        usage: "padu person NIK [--format table|csv|json|xlsx] [--out FILE]",
        flags: ReportCommand.outputFlags,
        details: """
            Shows the consolidated person row, what every registry export says (desil, programs, status,
            snapshot), the household and its members, every aid received by the person or the household
            (by NIK, No. KK, confirmed identity match, or registry program flag), and aid records that
            may be this person and wait for a steward (`padu matches`). Each line names its file and row.
            The output is personal data. Exit status: 0 found; 2 not a NIK; 4 unknown NIK or no warehouse.
            """,
        run: run
    )

    static func run(_ args: ParsedArguments, _ env: Environment) throws -> ExitCode {
        guard let nik = args.positionals.first, args.positionals.count == 1 else { throw UsageError(message: "which NIK?") }
        guard case .text(let digits) = IdentifierText.classify(nik, fromNumericCell: false) else {
            throw UsageError(message: "'\(PersonalData.maskNIK(nik))' is not a NIK; expected 16 digits")
        }
        let format = try ReportCommand.outputFormat(args)
        guard let warehouse = try ReportCommand.openWarehouse(env) else { return .notFound }
        let tables: [ReportTable]
        do {
            tables = try Reports(warehouse: warehouse, catalog: try RegionCatalog.bundled()).person(nik: digits)
        } catch let error as ReportError {
            env.console.err("padu person: \(error.description)")
            return .notFound
        }
        return try ReportCommand.emit(tables, format: format, args: args, env: env)
    }
}

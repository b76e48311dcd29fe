import Foundation
import PaduCore
import PaduReference
import PaduReports
import PaduWarehouse

/// `padu report overlap|exclusion|inclusion|coverage|graduation [--format F] [--region R] [--period P] [--out FILE]`,
/// and `padu report html --out DIR` (the stewards' static page).
enum ReportCommand {
    static let kinds = ["overlap", "exclusion", "inclusion", "coverage", "graduation", "html"]

    static let command = CLI.Command(
        name: "report",
        summary: "the consolidated reports: overlap, exclusion, inclusion, coverage, graduation; html, a page for stewards",
        usage: "padu report overlap|exclusion|inclusion|coverage|graduation [--format table|csv|json|xlsx] [--region CODE] [--period YYYY[-MM]] [--out FILE] | padu report html --out DIR",
        flags: outputFlags + [
            FlagSpec("--region", value: true, "only this Kemendagri region and what it contains (18.02, 1802, 18.02.01...)"),
            FlagSpec("--period", value: true, "a year (2025) or a month (2025-07); overlap groups by year, or by month when one is given"),
            FlagSpec("--level", value: true, "coverage: desa (default), kecamatan or kabupaten"),
            FlagSpec("--crosswalk", value: true, "coverage: the BPS ↔ Kemendagri crosswalk version (default: the newest loaded)"),
            FlagSpec("--above-desil", value: true, "inclusion: desil above which aid is an inclusion error (default 5)"),
            FlagSpec("--registry", value: true, "graduation: the registry whose snapshots to compare (P3KE, DTKS, DTSEN, REGSOSEK)"),
            FlagSpec("--from", value: true, "graduation: the earlier snapshot date (yyyy-mm-dd; default the second newest)"),
            FlagSpec("--to", value: true, "graduation: the later snapshot date (default the newest)"),
        ],
        details: """
            overlap     the same household (or person) receiving aid for the same need from more than one
                        provider in a period (tumpang tindih), with the providers, programs and amounts
            exclusion   desil-1 households (latest registry snapshot) that receive no aid
            inclusion   aid to people absent from every registry, in a desil above --above-desil, or unidentified
            coverage    per desa/kecamatan/kabupaten: desil-1 households registered and assisted, the share,
                        aid by provider kind (APBN, APBD, CSR, ZAKAT), BPS indicators through a crosswalk
            graduation  households whose desil rose or fell between two snapshots of one registry
            html        a static page for stewards in --out DIR (index.html, graph.svg): each pipeline's last
                        run, the last 50 runs, rows kept out by pipeline and reason, and the lineage graph
                        drawn inline; one file, no network needed. Summaries only: no names, NIKs masked.

            Every report reads the warehouse's views (docs/warehouse-schema.md) and names the file and row
            behind each line. Reports hold personal data (NIK, names): --out files are created owner-only.
            Exit status: 0 done; 2 wrong options; 4 no warehouse yet.
            """,
        run: run
    )

    static let outputFlags = [
        FlagSpec("--format", value: true, "table (default), csv, json or xlsx"),
        FlagSpec("--out", value: true, "write to this file instead of standard output (needed for xlsx); created owner-only"),
    ]

    static func run(_ args: ParsedArguments, _ env: Environment) throws -> ExitCode {
        guard let kind = args.positionals.first, args.positionals.count == 1 else {
            throw UsageError(message: "which report? \(kinds.joined(separator: ", "))")
        }
        guard kinds.contains(kind) else {
            let near = TextUtilities.closest(to: kind, among: kinds)
            throw UsageError(message: "no report '\(kind)'" + (near.map { "; did you mean \($0)?" } ?? "") + " Reports: \(kinds.joined(separator: ", "))")
        }
        if kind == "html" { return try html(args, env) }
        let format = try outputFormat(args)
        let catalog = try RegionCatalog.bundled()
        let period = try args.value("--period").map { v in try wrap { try ReportPeriod(v) } }
        let region = try args.value("--region").map { v in try wrap { try ReportRegion(v, catalog: catalog) } }
        guard let warehouse = try openWarehouse(env) else { return .notFound }
        let reports = Reports(warehouse: warehouse, catalog: catalog)
        let table: ReportTable
        do {
            switch kind {
            case "overlap": table = try reports.overlap(period: period, region: region)
            case "exclusion": table = try reports.exclusion(period: period, region: region)
            case "inclusion":
                var above = 5
                if let text = args.value("--above-desil") {
                    guard let n = Int(text), (1...9).contains(n) else { throw UsageError(message: "--above-desil must be 1–9, got '\(text)'") }
                    above = n
                }
                table = try reports.inclusion(period: period, region: region, aboveDesil: above)
            case "coverage":
                let levelText = args.value("--level") ?? "desa"
                guard let level = CoverageLevel(rawValue: levelText) else {
                    throw UsageError(message: "--level must be desa, kecamatan or kabupaten, got '\(levelText)'")
                }
                table = try reports.coverage(level: level, period: period, region: region, crosswalkVersion: args.value("--crosswalk"))
            default:
                if period != nil { throw UsageError(message: "graduation compares snapshots: use --from and --to, not --period") }
                table = try reports.graduation(registry: args.value("--registry"), from: args.value("--from"), to: args.value("--to"), region: region)
            }
        } catch let error as ReportError {
            throw UsageError(message: error.description)
        }
        return try emit([table], format: format, args: args, env: env)
    }

    /// `padu report html --out DIR`: writes DIR/index.html and DIR/graph.svg (owner-only; DIR is created 0700).
    static func html(_ args: ParsedArguments, _ env: Environment) throws -> ExitCode {
        for flag in ["--format", "--region", "--period", "--level", "--crosswalk", "--above-desil", "--registry", "--from", "--to"]
        where args.value(flag) != nil {
            throw UsageError(message: "report html takes only --out DIR, not \(flag)")
        }
        guard let outArg = args.value("--out") else { throw UsageError(message: "report html needs --out DIR (the folder for index.html)") }
        let dir = outArg.hasPrefix("/") ? outArg : FileManager.default.currentDirectoryPath + "/" + outArg
        guard let warehouse = try openWarehouse(env) else { return .notFound }
        let reports = Reports(warehouse: warehouse, catalog: nil)
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: dir, isDirectory: &isDir) {
            guard isDir.boolValue else { throw UsageError(message: "--out \(outArg) is a file; report html writes a folder") }
        } else if mkdir(dir, 0o700) != 0 {
            throw UsageError(message: "cannot create \(dir): \(String(cString: strerror(errno)))")
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate, .withTime, .withColonSeparatorInTime, .withSpaceBetweenDateAndTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        let report = try reports.htmlReport(generatedAt: formatter.string(from: Date()) + " UTC",
                                            warehouseName: (env.warehousePath as NSString).lastPathComponent)
        let index = (dir as NSString).appendingPathComponent("index.html")
        try OwnerOnlyFile.write(report.html, to: index)
        try OwnerOnlyFile.write(report.svg, to: (dir as NSString).appendingPathComponent("graph.svg"))
        env.console.err("wrote \(index) (\(report.pipelineCount) pipelines, \(report.runCount) runs) and graph.svg")
        return .success
    }

    static func wrap<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as ReportError { throw UsageError(message: e.description) }
    }

    static func outputFormat(_ args: ParsedArguments) throws -> ReportFormat {
        let text = args.value("--format") ?? "table"
        guard let format = ReportFormat(rawValue: text) else {
            throw UsageError(message: "--format must be table, csv, json or xlsx, got '\(text)'")
        }
        if format == .xlsx && args.value("--out") == nil { throw UsageError(message: "--format xlsx needs --out FILE.xlsx") }
        return format
    }

    /// The warehouse, or nil (after saying so) when no run has created it yet.
    static func openWarehouse(_ env: Environment) throws -> Warehouse? {
        guard FileManager.default.fileExists(atPath: env.warehousePath) else {
            env.console.err("padu: no warehouse at \(env.warehousePath) yet; load data first with `padu run` (or give --home)")
            return nil
        }
        return try Warehouse(path: env.warehousePath)
    }

    /// Writes `tables` in `format` to --out (owner-only) or standard output.
    static func emit(_ tables: [ReportTable], format: ReportFormat, args: ParsedArguments, env: Environment) throws -> ExitCode {
        let out = args.value("--out").map { $0.hasPrefix("/") ? $0 : FileManager.default.currentDirectoryPath + "/" + $0 }
        switch format {
        case .xlsx:
            try ReportWorkbook.write(tables, to: out!)
        case .table, .csv, .json:
            let text: String
            switch format {
            case .csv: text = ReportRenderer.csv(tables)
            case .json: text = ReportRenderer.json(tables)
            default: text = ReportRenderer.table(tables)
            }
            if let out {
                try OwnerOnlyFile.write(text, to: out)
            } else {
                env.console.out(text.hasSuffix("\n") ? String(text.dropLast()) : text)
            }
        }
        if let out {
            env.console.err("wrote \(out) (\(tables.map { "\($0.rows.count) \($0.name) rows" }.joined(separator: ", ")))")
        }
        return .success
    }
}

/// Files holding personal data: created with mode 0600, written whole, renamed into place.
enum OwnerOnlyFile {
    static func write(_ text: String, to path: String) throws {
        let temp = path + ".tmp-\(getpid())"
        let fd = open(temp, O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw UsageError(message: "cannot create \(path): \(String(cString: strerror(errno)))") }
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Foundation.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n <= 0 {
                close(fd); unlink(temp)
                throw UsageError(message: "cannot write \(path): \(String(cString: strerror(errno)))")
            }
            offset += n
        }
        close(fd)
        guard rename(temp, path) == 0 else {
            unlink(temp)
            throw UsageError(message: "cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }
}

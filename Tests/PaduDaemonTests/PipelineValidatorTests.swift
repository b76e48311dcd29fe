import Foundation
import XCTest
@testable import PaduDaemon
import PaduCore
import PaduPlugins

/// Semantic errors, checked through real pipeline files so their file:line:column is real.
final class PipelineValidatorTests: XCTestCase {
    func check(_ files: [String: String]) throws -> (PipelineCatalog, TemporaryFolder) {
        let dir = try TemporaryFolder()
        for (name, text) in files { try dir.write("pipelines/" + name, text) }
        let loader = try TestToolchain.loader(cache: dir.path + "/cache")
        return (try PipelineCatalog.load(paths: [dir.path + "/pipelines"], loader: loader, registry: BuiltinPlugins.registry), dir)
    }

    func testSemanticErrorsCarryTheLocationOfTheOffendingValue() throws {
        let text = """
            import PipelineDescription

            let good = Pipeline(name: "good", source: .socialRegistry(.dtks), sink: .warehouse(.registry))
            let unknownPlugin = Pipeline(
                name: "unknown-plugin",
                source: .plugin("socal-registry", options: ["registry": "P3KE"]),
                sink: .warehouse(.registry))
            let badOption = Pipeline(
                name: "bad-option",
                source: .plugin("social-registry", options: ["registry": "P3KE", "sheet": "Data"]),
                sink: .warehouse(.registry))
            let illTyped = Pipeline(
                name: "ill-typed",
                source: .plugin("social-registry", options: ["registry": 3]),
                sink: .warehouse(.registry))
            let badCron = Pipeline(
                name: "bad-cron",
                schedule: .cron("0 25 * * *"),
                source: .socialRegistry(.p3ke), sink: .warehouse(.registry))
            let wrongKind = Pipeline(
                name: "wrong-kind",
                source: .socialRegistry(.p3ke),
                sink: .plugin("require-fields", options: ["fields": ["nik"]]))
            let badName = Pipeline(name: "Bad Name", source: .socialRegistry(.p3ke), sink: .warehouse(.registry))
            let missingUpstream = Pipeline(
                name: "orphan",
                schedule: .after("goood"),
                source: .socialRegistry(.p3ke), sink: .warehouse(.registry))
            """
        let (catalog, dir) = try check(["a.swift": text])
        let file = dir.path + "/pipelines/a.swift"
        XCTAssertEqual(catalog.pipelines.map(\.name), ["good"])
        func diagnostic(containing s: String) -> Diagnostic? { catalog.diagnostics.first { $0.message.contains(s) } }

        let unknown = try XCTUnwrap(diagnostic(containing: "unknown source plugin 'socal-registry'"))
        XCTAssertEqual(unknown.file, file)
        XCTAssertEqual(unknown.line, line(of: ".plugin(\"socal-registry\"", in: text))
        XCTAssertTrue(unknown.message.contains("did you mean 'social-registry'"))
        XCTAssertTrue(unknown.description.hasPrefix("\(file):\(unknown.line!):\(unknown.column!): error: "))

        XCTAssertEqual(diagnostic(containing: "has no option 'sheet'")?.line, line(of: "\"sheet\": \"Data\"", in: text))
        XCTAssertEqual(diagnostic(containing: "option 'registry'")?.line, line(of: "\"registry\": 3", in: text))
        XCTAssertEqual(diagnostic(containing: "hour 25")?.line, line(of: ".cron(\"0 25", in: text))
        XCTAssertEqual(diagnostic(containing: "'require-fields' is a transform plugin")?.line,
                       line(of: "sink: .plugin(\"require-fields\"", in: text))
        XCTAssertEqual(diagnostic(containing: "'Bad Name' is not valid")?.line, line(of: "let badName", in: text))
        let orphan = try XCTUnwrap(diagnostic(containing: "after(\"goood\") names no pipeline"))
        XCTAssertEqual(orphan.line, line(of: ".after(\"goood\")", in: text))
        XCTAssertTrue(orphan.message.contains("did you mean 'good'"))
        XCTAssertTrue(catalog.hasErrors)
    }

    func testFieldsAStageReadsMustExistInTheSourceRows() throws {
        let text = """
            import PipelineDescription
            let p = Pipeline(name: "typo-field", source: .socialRegistry(.p3ke),
                             transforms: [.requireFields(["nik", "nmaa"])], sink: .warehouse(.registry))
            """
        let (catalog, _) = try check(["a.swift": text])
        XCTAssertEqual(catalog.pipelines.count, 0)
        let d = try XCTUnwrap(catalog.diagnostics.first)
        XCTAssertTrue(d.message.contains("reads field 'nmaa'") && d.message.contains("did you mean 'nama'"), d.message)
        XCTAssertEqual(d.line, 3)
    }

    func testDuplicateNamesAcrossFilesAndCycles() throws {
        let a = """
            import PipelineDescription
            let one = Pipeline(name: "one", schedule: .after("two"), source: .socialRegistry(.p3ke), sink: .warehouse(.registry))
            let same = Pipeline(name: "shared", source: .socialRegistry(.p3ke), sink: .warehouse(.registry))
            """
        let b = """
            import PipelineDescription
            let two = Pipeline(name: "two", schedule: .after("one"), source: .socialRegistry(.p3ke), sink: .warehouse(.registry))
            let again = Pipeline(name: "shared", source: .socialRegistry(.dtks), sink: .warehouse(.registry))
            let free = Pipeline(name: "free", schedule: .after("shared"), source: .socialRegistry(.dtks), sink: .warehouse(.registry))
            """
        let (catalog, dir) = try check(["a.swift": a, "b.swift": b])
        XCTAssertEqual(catalog.pipelines.map(\.name).sorted(), ["free", "shared"])
        let duplicate = try XCTUnwrap(catalog.diagnostics.first { $0.message.contains("already used") })
        XCTAssertEqual(duplicate.file, dir.path + "/pipelines/b.swift")
        XCTAssertEqual(duplicate.line, 3)
        XCTAssertTrue(duplicate.message.contains("a.swift:3"), duplicate.message)
        let cycles = catalog.diagnostics.filter { $0.message.contains("dependency cycle") }
        XCTAssertEqual(cycles.count, 2)
    }

    func testOneBrokenFileDoesNotHideTheOthers() throws {
        let (catalog, dir) = try check([
            "good.swift": "import PipelineDescription\nlet p = Pipeline(name: \"fine\", source: .socialRegistry(.p3ke), sink: .warehouse(.registry))\n",
            "typo.swift": "import PipelineDescription\nlet p = Pipeline(name: \"typo\", source: .socialRegistri(.p3ke), sink: .warehouse(.registry))\n",
        ])
        XCTAssertEqual(catalog.pipelines.map(\.name), ["fine"])
        let text = catalog.diagnostics.map(\.description).joined(separator: "\n")
        XCTAssertTrue(text.contains(dir.path + "/pipelines/typo.swift:2:"), text)
    }

    func testDependencyOrderPutsUpstreamFirst() {
        func spec(_ name: String, after: String? = nil) -> PipelineSpec {
            var s = ScheduleSpec(kind: after == nil ? "manual" : "after")
            s.pipeline = after
            return PipelineSpec(name: name, schedule: s, source: StageSpec(plugin: "x"), sink: StageSpec(plugin: "y"))
        }
        let ordered = RunService.dependencyOrder([spec("c", after: "b"), spec("b", after: "a"), spec("a"), spec("d")])
        XCTAssertEqual(ordered.map(\.name), ["a", "d", "b", "c"])
    }
}

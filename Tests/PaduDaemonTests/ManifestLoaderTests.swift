import Foundation
import XCTest
@testable import PaduDaemon
import PaduCore
import PaduPlugins

final class ManifestLoaderTests: XCTestCase {
    let valid = """
        import PipelineDescription

        let p3ke = Pipeline(
            name: "p3ke-test",
            owner: "Dinas Sosial",
            schedule: .cron("0 2 * * 1-5", timeZone: "WIB"),
            source: .socialRegistry(.p3ke, path: "data/*.csv", columns: ["nik": "NOMOR INDUK"]),
            transforms: [.requireFields(["nik"]), .plugin("require-fields", options: ["fields": ["nama"], "onMissing": "skip"])],
            sink: .warehouse(.registry),
            retries: 3,
            timeout: .minutes(5),
            expectations: [.minRowsLoaded(10), .maxQuarantineRate(0.25)]
        )
        let second = Pipeline(name: "second", schedule: .after("p3ke-test"),
                              source: .plugin("social-registry", options: ["registry": "DTKS"]), sink: .warehouse(.registry))
        """

    func testValidFileDescribesItsPipelines() throws {
        let dir = try TemporaryFolder()
        let file = try dir.write("pipelines/p3ke.swift", valid)
        let loader = try TestToolchain.loader(cache: dir.path + "/cache")
        let result = loader.load(file: file)
        XCTAssertEqual(result.diagnostics, [])
        XCTAssertFalse(result.fromCache)
        XCTAssertEqual(result.pipelines.map(\.name), ["p3ke-test", "second"])
        let p = result.pipelines[0]
        XCTAssertEqual(p.file, file)
        XCTAssertEqual(p.owner, "Dinas Sosial")
        XCTAssertEqual(p.schedule.kind, "cron")
        XCTAssertEqual(p.schedule.expression, "0 2 * * 1-5")
        XCTAssertEqual(p.schedule.timeZone, "WIB")
        XCTAssertEqual(p.source.plugin, "social-registry")
        XCTAssertEqual(p.source.options["registry"], .string("P3KE"))
        XCTAssertEqual(p.source.options["columns"], .map(["nik": .string("NOMOR INDUK")]))
        XCTAssertEqual(p.transforms.map(\.plugin), ["require-fields", "require-fields"])
        XCTAssertEqual(p.transforms[1].options["onMissing"], .string("skip"))
        XCTAssertEqual(p.retries, 3)
        XCTAssertEqual(p.timeoutSeconds, 300)
        XCTAssertEqual(p.expectations, [ExpectationSpec(kind: "minRowsLoaded", value: .int(10)),
                                        ExpectationSpec(kind: "maxQuarantineRate", value: .double(0.25))])
        // Locations point at where each value was written.
        XCTAssertEqual(p.location?.line, line(of: "let p3ke = Pipeline(", in: valid))
        XCTAssertEqual(p.source.location?.line, line(of: "source: .socialRegistry", in: valid))
        XCTAssertEqual(p.schedule.location?.line, line(of: "schedule: .cron", in: valid))
        XCTAssertEqual(result.pipelines[1].schedule.pipeline, "p3ke-test")
        // The folder relative paths resolve against.
        XCTAssertEqual(p.baseDirectory, dir.path + "/pipelines")
    }

    func testCompileErrorIsReportedVerbatimWithFileLineColumn() throws {
        let dir = try TemporaryFolder()
        let text = valid.replacingOccurrences(of: "sink: .warehouse(.registry),\n    retries", with: "sink: .warehouse(.registri),\n    retries")
        let file = try dir.write("broken.swift", text)
        let result = try TestToolchain.loader(cache: dir.path + "/cache").load(file: file)
        XCTAssertTrue(result.pipelines.isEmpty)
        let text0 = result.diagnostics.map(\.description).joined(separator: "\n")
        let expectedLine = line(of: ".warehouse(.registri)", in: text)
        XCTAssertTrue(text0.contains("\(file):\(expectedLine):"), text0)
        XCTAssertTrue(text0.contains("error:"), text0)
        XCTAssertTrue(text0.contains("registri"), text0)
    }

    func testSecondLoadIsServedFromTheCacheAndAChangeInvalidatesIt() throws {
        let dir = try TemporaryFolder()
        let file = try dir.write("p.swift", valid)
        let loader = try TestToolchain.loader(cache: dir.path + "/cache")
        let first = loader.load(file: file)
        XCTAssertFalse(first.fromCache)
        let second = loader.load(file: file)
        XCTAssertTrue(second.fromCache)
        XCTAssertEqual(second.pipelines, first.pipelines)
        // A fresh loader (a new process) uses the same cache.
        XCTAssertTrue(try TestToolchain.loader(cache: dir.path + "/cache").load(file: file).fromCache)
        try dir.write("p.swift", valid.replacingOccurrences(of: "retries: 3", with: "retries: 4"))
        let third = loader.load(file: file)
        XCTAssertFalse(third.fromCache)
        XCTAssertEqual(third.pipelines.first?.retries, 4)
    }

    func testCrashingPipelineFileFailsAloneWithItsOutput() throws {
        let dir = try TemporaryFolder()
        try dir.write("pipelines/good.swift", valid)
        try dir.write("pipelines/crash.swift", """
            import PipelineDescription
            let names = ["a"]
            print("about to crash")
            let p = Pipeline(name: names[3], source: .socialRegistry(.p3ke), sink: .warehouse(.registry))
            """)
        let loader = try TestToolchain.loader(cache: dir.path + "/cache")
        let catalog = try PipelineCatalog.load(paths: [dir.path + "/pipelines"], loader: loader, registry: BuiltinPlugins.registry)
        XCTAssertEqual(catalog.pipelines.map(\.name).sorted(), ["p3ke-test", "second"])
        let crash = catalog.diagnostics.filter { $0.file.hasSuffix("crash.swift") }
        XCTAssertEqual(crash.count, 1)
        XCTAssertTrue(crash[0].description.contains("crashed"), crash[0].description)
        XCTAssertTrue(crash[0].description.contains("Index out of range"), crash[0].description)
    }

    func testPipelineFileThatNeverEndsIsStopped() throws {
        let dir = try TemporaryFolder()
        let file = try dir.write("loop.swift", """
            import PipelineDescription
            #if canImport(Glibc)
            import Glibc
            #endif
            while true { sleep(1) }
            """)
        let result = try TestToolchain.loader(cache: dir.path + "/cache", runTimeout: 2).load(file: file)
        XCTAssertTrue(result.pipelines.isEmpty)
        XCTAssertTrue(result.diagnostics.first?.message.contains("longer than 2 s") ?? false, "\(result.diagnostics)")
    }

    func testFileWithoutPipelinesIsAnError() throws {
        let dir = try TemporaryFolder()
        let file = try dir.write("empty.swift", "import PipelineDescription\nlet x = 1\n")
        let result = try TestToolchain.loader(cache: dir.path + "/cache").load(file: file)
        XCTAssertEqual(result.diagnostics.count, 1)
        XCTAssertTrue(result.diagnostics[0].description.hasPrefix("\(file):1:1: error: the file declares no Pipeline"))
    }
}

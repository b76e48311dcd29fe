import Foundation
import PaduCore
import PaduPlugins
import PaduWarehouse
import XCTest

/// The fixture files beside these tests.
enum Fixtures {
    static var directory: URL {
        guard let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            fatalError("the PluginTests bundle has no Fixtures folder")
        }
        return url
    }

    static func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// A fixture of the readers' tests (`Tests/PaduFormatsTests/Fixtures`), shared rather than copied.
    static func formats(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("PaduFormatsTests/Fixtures/\(name)").path
    }

    /// The raw bytes of a fixture.
    static func bytes(_ name: String) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: path(name)))) }

    /// The byte offset at which each physical line starts (index 0 = line 1), counting the BOM.
    static func lineStarts(_ name: String) throws -> [Int64] {
        let data = try bytes(name)
        var starts: [Int64] = [0]
        for (i, b) in data.enumerated() where b == UInt8(ascii: "\n") && i + 1 < data.count { starts.append(Int64(i + 1)) }
        return starts
    }
}

/// An `IngestStore` that stores nothing, for reading sources without a warehouse.
final class FakeStore: IngestStore {
    private var nextID: Int64 = 0
    private(set) var rejections: [Rejection] = []

    func beginRun(_ run: RunStart) throws -> Int64 { 1 }
    func previousLoad(pipeline: String, sha256: String, pipelineVersion: String) throws -> PreviousLoad? { nil }
    func recordInput(runID: Int64, pipeline: String, pipelineVersion: String, plugin: String,
                     path: String, file: InputFile?, status: InputStatus, message: String) throws {}
    func beginInput(runID: Int64, pipeline: String, pipelineVersion: String, plugin: String, file: InputFile) throws -> InputRef {
        nextID += 1
        return InputRef(id: nextID, sha256: file.sha256, path: file.path)
    }
    func storeRejections(_ rejections: [Rejection], input: InputRef, runID: Int64) throws { self.rejections += rejections }
    func commitInput(_ input: InputRef, pipeline: String, counts: RowCounts) throws -> [Int64] { [] }
    func abandonInput(_ input: InputRef, runID: Int64, counts: RowCounts, message: String) throws -> Int64 { input.id }
    func finishRun(_ runID: Int64, status: RunStatus, counts: RowCounts, message: String?) throws {}
}

/// A folder under the system's temporary directory, removed by `remove()`.
struct TemporaryFolder {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("padu-plugins-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
    func remove() { try? FileManager.default.removeItem(at: url) }
}

func stageContext(store: any IngestStore = FakeStore(), baseDirectory: String = Fixtures.directory.path) -> StageContext {
    StageContext(pipeline: "test", runID: 1, baseDirectory: baseDirectory, logger: .silent, store: store)
}

/// A registry pipeline built in code, the way a pipeline file describes one.
func registryPipeline(name: String, registry: String, sourceOptions: [String: OptionValue] = [:],
                      transforms: [StageSpec] = [], expectations: [ExpectationSpec] = []) -> PipelineSpec {
    var options = sourceOptions
    options["registry"] = .string(registry)
    return PipelineSpec(name: name,
                        source: StageSpec(plugin: "social-registry", options: options),
                        transforms: transforms,
                        sink: StageSpec(plugin: "warehouse", options: ["dataset": .string("registry")]),
                        expectations: expectations)
}

func requireFields(_ fields: [String], onMissing: String? = nil) -> StageSpec {
    var options: [String: OptionValue] = ["fields": .list(fields.map { .string($0) })]
    if let onMissing { options["onMissing"] = .string(onMissing) }
    return StageSpec(plugin: "require-fields", options: options)
}

/// Runs `spec` over `inputs` into `warehouse` with the built-in plugins.
func runPipeline(_ spec: PipelineSpec, inputs: [String], into warehouse: Warehouse, force: Bool = false) throws -> RunResult {
    try PipelineRunner(spec: spec, registry: BuiltinPlugins.registry, store: warehouse).run(RunOptions(inputs: inputs, force: force))
}

extension Warehouse {
    func count(_ sql: String, _ values: [SQLValue] = []) throws -> Int {
        if case .int(let n)? = try database.scalar(sql, values) { return Int(n) }
        return -1
    }

    func rows(_ sql: String, _ values: [SQLValue] = []) throws -> [[SQLValue]] {
        var out: [[SQLValue]] = []
        try database.query(sql, values) { row in out.append((0..<row.count).map { row[$0] }) }
        return out
    }
}

/// Checks the accounting rule: read = loaded + quarantined + skipped, for the run and each input.
func assertBalanced(_ result: RunResult, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertTrue(result.counts.isBalanced, "run: \(result.counts)", file: file, line: line)
    XCTAssertEqual(result.counts.read, result.counts.loaded + result.counts.quarantined + result.counts.skipped, file: file, line: line)
    for input in result.inputs {
        XCTAssertTrue(input.counts.isBalanced, "\(input.path): \(input.counts)", file: file, line: line)
    }
}

/// A descriptor made a stage of the wrong kind.
struct WrongStageKind: Error {
    let message: String
}

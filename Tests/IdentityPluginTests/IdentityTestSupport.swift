import Foundation
import PaduCore
import PaduReference
import XCTest

/// A kecamatan directory from a few codes: 2025 codes are current, others historical.
struct SmallDirectory: KecamatanCodeDirectory {
    var current: [String: String] = [
        "18.02.01": "Kalirejo", "18.02.05": "Trimurjo", "18.02.07": "Terbanggi Besar",
        "18.71.01": "Kedaton", "17.07.01": "Lebong Utara", "16.06.01": "Sekayu",
    ]
    var historical: [String: (String, Int)] = ["91.01.01": ("Merauke", 2022)]

    func status(ofKecamatan dotted: String) -> KecamatanCodeStatus {
        if let name = current[dotted] { return .current(name: name) }
        if let (name, year) = historical[dotted] { return .historical(name: name, lastListed: year) }
        return .unknown
    }
}

/// The kecamatan codes of `/work/shared/data/wilayah-kecamatan-historical.tsv` (kode, nama, seen_in).
struct TSVDirectory: KecamatanCodeDirectory {
    let entries: [String: KecamatanCodeStatus]

    init(path: String) throws {
        var entries: [String: KecamatanCodeStatus] = [:]
        for line in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").dropFirst() {
            let cols = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard cols.count >= 3, cols[0].split(separator: ".").count == 3 else { continue }
            let years = cols[2].split(separator: ",").compactMap { Int($0) }
            entries[cols[0]] = years.contains(2025) ? .current(name: cols[1]) : .historical(name: cols[1], lastListed: years.max() ?? 0)
        }
        self.entries = entries
    }

    func status(ofKecamatan dotted: String) -> KecamatanCodeStatus { entries[dotted] ?? .unknown }
}

/// The day the tests run on.
let testToday = CivilDate(year: 2025, month: 6, day: 15)!

/// A NIK: the six-digit prefix, the day (+40 for women), month, two-digit year and serial.
func makeNIK(_ prefix: String = "180201", day: Int, month: Int, year: Int, female: Bool = false, serial: Int = 1) -> String {
    func pad(_ n: Int, _ w: Int) -> String { String(repeating: "0", count: max(0, w - String(n).count)) + String(n) }
    return prefix + pad(female ? day + 40 : day, 2) + pad(month, 2) + pad(year % 100, 2) + pad(serial, 4)
}

func date(_ y: Int, _ m: Int, _ d: Int) -> CivilDate { CivilDate(year: y, month: m, day: d)! }

/// Asserts that no text holds a run of 15 or more digits (an unmasked NIK or No. KK).
func assertMasked(_ texts: [String], file: StaticString = #filePath, line: UInt = #line) {
    let pattern = try! NSRegularExpression(pattern: "[0-9]{15,}")
    XCTAssertFalse(texts.isEmpty, "nothing to check", file: file, line: line)
    for text in texts {
        let range = NSRange(text.startIndex..., in: text)
        XCTAssertNil(pattern.firstMatch(in: text, range: range), "unmasked identifier in: \(text)", file: file, line: line)
    }
}

/// An `IngestStore` that stores nothing.
final class NullStore: IngestStore {
    func beginRun(_ run: RunStart) throws -> Int64 { 1 }
    func previousLoad(pipeline: String, sha256: String, pipelineVersion: String) throws -> PreviousLoad? { nil }
    func recordInput(runID: Int64, pipeline: String, pipelineVersion: String, plugin: String,
                     path: String, file: InputFile?, status: InputStatus, message: String) throws {}
    func beginInput(runID: Int64, pipeline: String, pipelineVersion: String, plugin: String, file: InputFile) throws -> InputRef {
        InputRef(id: 1, sha256: file.sha256, path: file.path)
    }
    func storeRejections(_ rejections: [Rejection], input: InputRef, runID: Int64) throws {}
    func commitInput(_ input: InputRef, pipeline: String, counts: RowCounts) throws -> [Int64] { [] }
    func abandonInput(_ input: InputRef, runID: Int64, counts: RowCounts, message: String) throws -> Int64 { input.id }
    func finishRun(_ runID: Int64, status: RunStatus, counts: RowCounts, message: String?) throws {}
}

func testContext() -> StageContext {
    StageContext(pipeline: "test", runID: 1, baseDirectory: "/tmp", logger: .silent, store: NullStore())
}

struct WrongStage: Error {}

/// The transform a descriptor makes from `options` (which must have no problems).
func transform(_ descriptor: PluginDescriptor, _ options: [String: OptionValue] = [:],
               file: StaticString = #filePath, line: UInt = #line) throws -> any TransformStage {
    XCTAssertEqual(descriptor.problems(with: options), [], file: file, line: line)
    try descriptor.validate(PluginOptions(options))
    guard case .transform(let t) = try descriptor.make(PluginOptions(options)) else { throw WrongStage() }
    return t
}

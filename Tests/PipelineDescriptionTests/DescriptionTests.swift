import Foundation
import XCTest
@testable import PipelineDescription

final class DescriptionTests: XCTestCase {
    override func setUp() {
        // A Pipeline made here registers an exit handler; keep the test run's output clean.
        DescriptionRegistry.shared.outputSuppressed.withLock { $0 = true }
    }

    func testJSONWriterEscapesAndNests() throws {
        let w = JSONWriter()
        w.object {
            w.field("text") { w.string("a \"quoted\"\\ line\nwith\ttab and \u{1} and Sri Way Langsep é") }
            w.field("list") { w.array([1, 2]) { w.int($0) } }
            w.field("empty") { w.object {} }
            w.field("number") { w.double(0.25) }
        }
        let decoded = try JSONSerialization.jsonObject(with: Data(w.text.utf8)) as! [String: Any]
        XCTAssertEqual(decoded["text"] as? String, "a \"quoted\"\\ line\nwith\ttab and \u{1} and Sri Way Langsep é")
        XCTAssertEqual(decoded["list"] as? [Int], [1, 2])
        XCTAssertEqual((decoded["empty"] as? [String: Any])?.count, 0)
        XCTAssertEqual(decoded["number"] as? Double, 0.25)
    }

    func testPipelineIsRegisteredAndDescribedWithLocations() throws {
        let p = Pipeline(
            name: "unit-test",
            owner: "Bappeda",
            schedule: .every(.hours(6), jitter: .minutes(5)),
            source: .socialRegistry(.dtks, path: "in/*.txt", delimiter: .pipe, encoding: .windows1252, columns: ["nik": "NIK ART"]),
            transforms: [.requireFields(["nik"], onMissing: .skip)],
            sink: .plugin("warehouse", options: ["dataset": "registry", "nested": ["a": [1, 2.5, true]]]),
            timeout: .seconds(90)
        )
        let line = #line - 9
        let json = DescriptionRegistry.shared.json()
        let doc = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
        XCTAssertEqual(doc["version"] as? Int, pipelineDescriptionFormatVersion)
        let pipelines = doc["pipelines"] as! [[String: Any]]
        let mine = try XCTUnwrap(pipelines.first { $0["name"] as? String == "unit-test" })
        XCTAssertEqual((mine["location"] as? [String: Any])?["line"] as? Int, line)
        let schedule = mine["schedule"] as! [String: Any]
        XCTAssertEqual(schedule["kind"] as? String, "every")
        XCTAssertEqual(schedule["seconds"] as? Int, 21_600)
        XCTAssertEqual(schedule["jitterSeconds"] as? Int, 300)
        let source = mine["source"] as! [String: Any]
        XCTAssertEqual(source["plugin"] as? String, "social-registry")
        let options = source["options"] as! [String: Any]
        XCTAssertEqual(options["registry"] as? String, "DTKS")
        XCTAssertEqual(options["delimiter"] as? String, "|")
        XCTAssertEqual(options["encoding"] as? String, "windows1252")
        XCTAssertEqual(options["columns"] as? [String: String], ["nik": "NIK ART"])
        XCTAssertEqual((source["location"] as? [String: Any])?["line"] as? Int, line + 4)
        let transform = (mine["transforms"] as! [[String: Any]])[0]
        XCTAssertEqual((transform["options"] as? [String: Any])?["onMissing"] as? String, "skip")
        let sink = (mine["sink"] as! [String: Any])["options"] as! [String: Any]
        XCTAssertEqual(((sink["nested"] as? [String: Any])?["a"] as? [Any])?.count, 3)
        XCTAssertEqual(mine["timeoutSeconds"] as? Int, 90)
        XCTAssertEqual(p.name, "unit-test")
    }

    func testDefaultsAreLeftOut() throws {
        let s = Source.socialRegistry(.p3ke)
        XCTAssertEqual(s.stage.options, ["registry": "P3KE"])
        XCTAssertEqual(Schedule.manual.kind, "manual")
        XCTAssertNil(Schedule.manual.location)
    }
}

import Foundation
import XCTest
@testable import PipelineDescription

final class NotifyDescriptionTests: XCTestCase {
    override func setUp() {
        DescriptionRegistry.shared.outputSuppressed.withLock { $0 = true }
    }

    func testNotifyWebhookIsDescribedAndLeftOutWhenAbsent() throws {
        _ = Pipeline(name: "notify-test", source: .socialRegistry(.p3ke), sink: .plugin("warehouse"),
                     notify: .webhook("https://hooks.example.org/padu"))
        _ = Pipeline(name: "no-notify-test", source: .socialRegistry(.p3ke), sink: .plugin("warehouse"))
        let doc = try JSONSerialization.jsonObject(with: Data(DescriptionRegistry.shared.json().utf8)) as! [String: Any]
        XCTAssertEqual(doc["version"] as? Int, 1, "an optional field keeps format version 1")
        let pipelines = doc["pipelines"] as! [[String: Any]]
        let with = try XCTUnwrap(pipelines.first { $0["name"] as? String == "notify-test" })
        XCTAssertEqual(with["notifyURL"] as? String, "https://hooks.example.org/padu")
        let without = try XCTUnwrap(pipelines.first { $0["name"] as? String == "no-notify-test" })
        XCTAssertNil(without["notifyURL"])
    }
}

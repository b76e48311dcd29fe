import Foundation
import PaduOpenLineage
import PaduRemote
import XCTest

/// Events wait in the outbox until a collector accepts them, and arrive once each, in order.
final class OpenLineageCollectorTests: XCTestCase {
    var home: String!

    override func setUpWithError() throws {
        home = NSTemporaryDirectory() + "padu-ol-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: home)
    }

    /// Two runs' events: START and COMPLETE, START and FAIL.
    func writeEvents(_ outbox: OpenLineageOutbox) throws -> [String] {
        let builder = OpenLineageEventBuilder(namespace: "padu-test")
        var lines: [String] = []
        for (name, end) in [("p3ke-2025", LineageEventType.complete), ("csr-sal", .fail)] {
            let run = LineageRun(pipeline: name, description: nil, pipelineFile: nil, pipelineVersion: "v1", stageChain: ["a@1"])
            lines.append(builder.event(.start, run: run))
            lines.append(builder.event(end, run: run, error: end == .fail ? "input failed" : nil))
        }
        for line in lines { try outbox.append(line) }
        return lines
    }

    func testEveryEventArrivesOnceInOrderAfterTheCollectorRecovers() throws {
        let outbox = OpenLineageOutbox(home: home)
        let events = try writeEvents(outbox)
        let unavailable = TestHTTPServer.Response(status: 503, text: "collector starting")
        let accepted = TestHTTPServer.Response(status: 201, text: "")
        let server = try TestHTTPServer(Array(repeating: { _ in .respond(unavailable) }, count: 3)
                                        + Array(repeating: { _ in .respond(accepted) }, count: 6))
        let url = server.baseURL + "/api/v1/lineage"

        // The collector is down: nothing is delivered, nothing is lost.
        let first = try outbox.ship(to: url, token: "s3cret-token", attempts: 2, pause: 0.01)
        XCTAssertEqual(first.delivered, 0)
        XCTAssertEqual(first.failure?.status, 503)
        XCTAssertFalse(first.failure!.description.contains("s3cret-token"))
        XCTAssertEqual(try outbox.pending().count, 4)

        // It recovers: every event goes, in order.
        let second = try outbox.ship(to: url, token: "s3cret-token", attempts: 2, pause: 0.01)
        XCTAssertEqual(second.delivered, 4)
        XCTAssertNil(second.failure)
        XCTAssertEqual(try outbox.pending().count, 0)
        XCTAssertEqual(try outbox.ship(to: url, token: nil).delivered, 0)

        let requests = server.requests
        XCTAssertEqual(requests.count, 7)
        XCTAssertTrue(requests.allSatisfy { $0.method == "POST" && $0.target == "/api/v1/lineage" })
        XCTAssertTrue(requests.allSatisfy { $0.header("Content-Type") == "application/json" })
        XCTAssertTrue(requests.allSatisfy { $0.header("Authorization") == "Bearer s3cret-token" })
        // The accepted ones (the last four) are the four events, once each, in order.
        let acceptedBodies = requests.suffix(4).map { String(decoding: $0.body, as: UTF8.self) }
        XCTAssertEqual(acceptedBodies, events)
        // Per run: START before its end.
        let types = acceptedBodies.map { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            .map { (($0?["job"] as? [String: Any])?["name"] as? String) ?? "" }
        XCTAssertEqual(types, ["p3ke-2025", "p3ke-2025", "csr-sal", "csr-sal"])
        server.stop()
    }

    func testARejectedTokenIsNotRetriedAndTheEventsWait() throws {
        let outbox = OpenLineageOutbox(home: home)
        _ = try writeEvents(outbox)
        let server = try TestHTTPServer([{ _ in .respond(.init(status: 401, text: "bad token")) }, { _ in .respond(.init(status: 201, text: "")) }])
        let result = try outbox.ship(to: server.baseURL + "/api/v1/lineage", token: "wrong", attempts: 3, pause: 0.01)
        XCTAssertEqual(result.delivered, 0)
        XCTAssertEqual(result.failure?.status, 401)
        XCTAssertEqual(server.requests.count, 1)
        XCTAssertEqual(try outbox.pending().count, 4)
        server.stop()
    }

    func testTheOutboxIsOwnerOnlyAndSurvivesAReopen() throws {
        let events = try writeEvents(OpenLineageOutbox(home: home))
        let mode = try FileManager.default.attributesOfItem(atPath: home + "/openlineage/outbox.jsonl")[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o600)
        XCTAssertEqual(try OpenLineageOutbox(home: home).pending().map(\.event), events)
        let unreachable = try OpenLineageOutbox(home: home).ship(to: "http://127.0.0.1:9/api/v1/lineage", token: nil, attempts: 1)
        XCTAssertEqual(unreachable.delivered, 0)
        XCTAssertNotNil(unreachable.failure)
    }
}

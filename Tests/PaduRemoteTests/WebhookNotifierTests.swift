import Foundation
import XCTest
@testable import PaduCore
@testable import PaduDaemon
@testable import PaduRemote

final class WebhookNotifierTests: XCTestCase {
    let nik = "3201234567890001"

    func failedRun(pipeline: String = "csr-inbox") -> RunResult {
        RunResult(runID: 42, pipeline: pipeline, status: .partial, counts: RowCounts(read: 3, loaded: 2),
                  inputs: [
                      InputResult(path: "/srv/inbox/a.xlsx", status: .loaded, counts: RowCounts(read: 2, loaded: 2), message: "", replaced: [], inputID: 1),
                      InputResult(path: "/srv/inbox/b.xlsx", status: .failed, counts: RowCounts(read: 1),
                                  message: "row 2: NIK \(nik) appears twice", replaced: [], inputID: nil),
                  ],
                  message: "1 of 2 inputs failed: NIK \(nik)", seconds: 1.5)
    }

    func testAFailedRunIsPostedOnceAfterTheFirstPostFailsWithMaskedNIKs() throws {
        let server = try TestHTTPServer([
            { _ in .respond(.init(status: 503, text: "busy")) },
            { _ in .respond(.init(status: 202, text: "{}")) },
        ])
        defer { server.stop() }
        let notifier = WebhookNotifier(settings: .from(environment: ["PADU_WEBHOOK_URL": server.baseURL + "/hook", "PADU_WEBHOOK_TOKEN": "t0ken"]),
                                       logger: .silent, backoff: 0.1, timeoutSeconds: 5)
        let n = try XCTUnwrap(RunNotification.forRun(failedRun(), at: Date(timeIntervalSince1970: 1_751_335_384)))
        let started = Date()
        notifier.enqueue(n, pipeline: nil)
        XCTAssertLessThan(Date().timeIntervalSince(started), 0.5, "enqueue never waits for the webhook")
        XCTAssertTrue(notifier.waitUntilIdle(timeout: 20))
        XCTAssertEqual(notifier.counts.delivered, 1)

        let requests = server.requests
        XCTAssertEqual(requests.count, 2, "one refused, one accepted")
        XCTAssertEqual(requests[1].method, "POST")
        XCTAssertEqual(requests[1].target, "/hook")
        XCTAssertEqual(requests[1].header("Authorization"), "Bearer t0ken")
        XCTAssertEqual(requests[1].header("Content-Type"), "application/json")
        let body = String(decoding: requests[1].body, as: UTF8.self)
        XCTAssertFalse(body.contains(nik), body)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
        XCTAssertEqual(json["event"] as? String, "run_failed")
        XCTAssertEqual(json["pipeline"] as? String, "csr-inbox")
        XCTAssertEqual(json["run"] as? Int, 42)
        XCTAssertEqual(json["status"] as? String, "partial")
        XCTAssertEqual(json["message"] as? String, "1 of 2 inputs failed: NIK 3201********0001")
        XCTAssertEqual(json["time"] as? String, "2025-07-01T02:03:04Z")
        XCTAssertEqual(json["host"] as? String, ProcessInfo.processInfo.hostName)
        let inputs = try XCTUnwrap(json["inputs"] as? [[String: String]])
        XCTAssertEqual(inputs, [["path": "/srv/inbox/a.xlsx", "status": "loaded", "message": ""],
                                ["path": "/srv/inbox/b.xlsx", "status": "failed", "message": "row 2: NIK 3201********0001 appears twice"]])
    }

    func testAPipelineURLOverridesTheGlobalOneAndGetsNoToken() throws {
        let global = try TestHTTPServer([{ _ in .respond(.init(status: 200)) }])
        let own = try TestHTTPServer([{ _ in .respond(.init(status: 200)) }])
        defer { global.stop(); own.stop() }
        let settings = WebhookSettings.from(environment: ["PADU_WEBHOOK_URL": global.baseURL, "PADU_WEBHOOK_TOKEN": "t0ken"])
        var spec = PipelineSpec(name: "csr-inbox", source: StageSpec(plugin: "csr-spreadsheet"), sink: StageSpec(plugin: "warehouse"))
        spec.notifyURL = own.baseURL + "/padu"
        let notifier = WebhookNotifier(settings: settings, logger: .silent, backoff: 0.1, timeoutSeconds: 5)
        XCTAssertTrue(notifier.send(try XCTUnwrap(RunNotification.forRun(failedRun())), pipeline: spec))
        XCTAssertEqual(own.requests.count, 1)
        XCTAssertEqual(own.requests.first?.target, "/padu")
        XCTAssertNil(own.requests.first?.header("Authorization"), "the global token goes to the global webhook only")
        XCTAssertEqual(global.requests.count, 0)
    }

    func testWhoIsNotifiedAndWhen() throws {
        XCTAssertNil(WebhookSettings().target(for: nil), "no webhook configured: nothing is sent")
        let ok = RunResult(runID: 1, pipeline: "p", status: .succeeded, counts: RowCounts(), inputs: [], message: nil, seconds: 1)
        XCTAssertNil(RunNotification.forRun(ok))
        let expectation = RunResult(runID: 2, pipeline: "p", status: .succeeded, counts: RowCounts(), inputs: [],
                                    message: "expectation failed: 0 rows loaded, at least 1 expected (minRowsLoaded)", seconds: 1)
        XCTAssertEqual(RunNotification.forRun(expectation)?.status, "succeeded")
        let failed = RunResult(runID: 3, pipeline: "p", status: .failed, counts: RowCounts(), inputs: [], message: "broken", seconds: 1)
        XCTAssertEqual(RunNotification.forRun(failed)?.message, "broken")
        let unrecorded = RunNotification.forError(pipeline: "p", message: "disk full")
        XCTAssertTrue(unrecorded.json.contains("\"run\":null"), unrecorded.json)
        XCTAssertTrue(WebhookSettings.isWebhookURL("https://hooks.example.org/x"))
        XCTAssertFalse(WebhookSettings.isWebhookURL("ftp://hooks.example.org/x"))
        XCTAssertFalse(WebhookSettings.isWebhookURL("hooks.example.org"))
    }

    func testTheQueueIsBoundedAndDropsTheOldest() throws {
        let gate = DispatchSemaphore(value: 0), entered = DispatchSemaphore(value: 0)
        let seen = SeenRuns()
        let notifier = WebhookNotifier(settings: WebhookSettings(url: "http://127.0.0.1:9/"), logger: .silent, tries: 1, capacity: 3) { body, _, _ in
            entered.signal()
            gate.wait()
            seen.add(body)
            return .success(200)
        }
        notifier.enqueue(RunNotification.forError(pipeline: "p1", message: "x"), pipeline: nil)
        XCTAssertEqual(entered.wait(timeout: .now() + 5), .success)
        for run in 2...6 {
            notifier.enqueue(RunNotification.forError(pipeline: "p\(run)", message: "x"), pipeline: nil)
        }
        for _ in 1...6 { gate.signal() }
        XCTAssertTrue(notifier.waitUntilIdle(timeout: 10))
        // The first was already being sent; of the five waiting, the two oldest were dropped.
        XCTAssertEqual(seen.pipelines, ["p1", "p4", "p5", "p6"])
        XCTAssertEqual(notifier.counts.dropped, 2)
    }

    func testGivesUpAfterThreeTries() {
        let seen = SeenRuns()
        let notifier = WebhookNotifier(settings: WebhookSettings(url: "http://127.0.0.1:9/"), logger: .silent, backoff: 0.01) { body, _, _ in
            seen.add(body)
            return .failure(HTTPPostError(status: 500, description: "HTTP 500"))
        }
        XCTAssertFalse(notifier.send(RunNotification.forError(pipeline: "p", message: "x"), pipeline: nil))
        XCTAssertEqual(seen.pipelines.count, 3)
    }
}

/// Bodies a stub sender received.
final class SeenRuns: @unchecked Sendable {
    private let lock = NSLock()
    private var bodies: [String] = []
    func add(_ body: String) { lock.lock(); bodies.append(body); lock.unlock() }
    var pipelines: [String] {
        lock.lock()
        defer { lock.unlock() }
        return bodies.compactMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["pipeline"] as? String }
    }
}

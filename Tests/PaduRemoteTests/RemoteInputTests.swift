#if canImport(Glibc)
import Glibc
#endif
import Foundation
import PaduCore
import PaduDaemon
import PaduPlugins
import PaduRemote
import PaduWarehouse
import XCTest

/// Remote inputs end to end: a pipeline whose source path is a URL with a secret reference,
/// fetched from a local server, loaded, then answered 304 and skipped.
final class RemoteInputTests: XCTestCase {
    private var root = ""

    override func setUp() {
        root = NSTemporaryDirectory() + "padu-remote-input-\(UUID().uuidString)"
        XCTAssertEqual(mkdir(root, 0o700), 0)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: root) }

    let table = """
        {"status":"OK","data-availability":"available",
         "var":[{"val":621,"label":"P0","unit":"Persen","decimal":2}],
         "vervar":[{"val":1805,"label":"Lampung Tengah"}],
         "tahun":[{"val":123,"label":"2023"}],
         "datacontent":{"1805621123":10.84}}
        """

    func testURLInputIsFetchedLoadedAndThenNotFetchedAgain() throws {
        let body = table
        let server = try TestHTTPServer([
            { _ in .respond(.init(status: 200, headers: [("ETag", "\"t1\"")], text: body)) },
            { request in
                request.header("If-None-Match") == "\"t1\""
                    ? .respond(.init(status: 304, headers: [("ETag", "\"t1\"")]))
                    : .respond(.init(status: 500, text: "expected a conditional request"))
            },
        ])
        defer { server.stop() }
        let template = server.baseURL + "/v1/api/list/model/data/domain/1800/var/621/key/${env:PADU_TEST_BPS_KEY}/"
        let resolver = RemoteInputResolver(cacheDirectory: root + "/cache",
                                           options: RemoteFetchOptions(connectTimeout: .seconds(2), totalTimeout: .seconds(5),
                                                                       retry: RetryPolicy(maxRetries: 0)),
                                           environment: ["PADU_TEST_BPS_KEY": "s3cr3t-key"])
        let warehouse = try Warehouse(path: root + "/warehouse.sqlite")
        let spec = PipelineSpec(name: "bps-remote", source: StageSpec(plugin: "bps-table", options: ["format": .string("webapi-json")]),
                                sink: StageSpec(plugin: "warehouse", options: ["dataset": .string("indicators")]))
        func run() throws -> RunResult {
            try PipelineRunner(spec: spec, registry: BuiltinPlugins.registry, store: warehouse)
                .run(RunOptions(inputs: [template], resolver: resolver))
        }

        let first = try run()
        XCTAssertEqual(first.inputs.map(\.status), [.loaded], first.inputs.first?.message ?? "")
        XCTAssertEqual(first.counts.loaded, 1)
        XCTAssertTrue(server.requests.first?.target.contains("/key/s3cr3t-key/") ?? false)
        // The warehouse keeps the URL as written: the reference, never the secret.
        var paths: [String] = []
        try warehouse.database.query("SELECT path FROM inputs") { paths.append($0.text(0) ?? "") }
        XCTAssertEqual(paths, [template])

        let second = try run()
        XCTAssertEqual(second.inputs.map(\.status), [.skipped])
        XCTAssertEqual(server.requests.count, 2)
    }

    func testMissingSecretAndUnreachableServerFailThatInputWithoutLeaking() throws {
        let resolver = RemoteInputResolver(cacheDirectory: root + "/cache",
                                           options: RemoteFetchOptions(connectTimeout: .seconds(1), totalTimeout: .seconds(2),
                                                                       retry: RetryPolicy(maxRetries: 0)),
                                           environment: ["PADU_TEST_TOKEN": "tok-123"])
        XCTAssertThrowsError(try resolver.localFile(for: "https://example.invalid/data/${env:NOT_SET}/x.json")) { error in
            XCTAssertTrue("\(error)".contains("environment variable NOT_SET"), "\(error)")
        }
        let port = closedPort()
        XCTAssertThrowsError(try resolver.localFile(for: "http://127.0.0.1:\(port)/x.json?token=${env:PADU_TEST_TOKEN}")) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("cannot fetch"), text)
            XCTAssertFalse(text.contains("tok-123"), text)
        }
        let keyFile = root + "/key"
        try "k".write(toFile: keyFile, atomically: true, encoding: .utf8)
        chmod(keyFile, 0o644)
        XCTAssertThrowsError(try resolver.localFile(for: "https://example.invalid/${file:\(keyFile)}")) { error in
            XCTAssertTrue("\(error)".contains("chmod 600"), "\(error)")
        }
    }

    func testABrokenRemoteFileIsReportedByItsURL() throws {
        let server = try TestHTTPServer([{ _ in .respond(.init(status: 200, text: "not json at all")) }])
        defer { server.stop() }
        let url = server.baseURL + "/tabel/p0.json"
        let resolver = RemoteInputResolver(cacheDirectory: root + "/cache",
                                           options: RemoteFetchOptions(connectTimeout: .seconds(2), totalTimeout: .seconds(5),
                                                                       retry: RetryPolicy(maxRetries: 0)))
        let warehouse = try Warehouse(path: root + "/warehouse.sqlite")
        let spec = PipelineSpec(name: "bps-remote", source: StageSpec(plugin: "bps-table"),
                                sink: StageSpec(plugin: "warehouse", options: ["dataset": .string("indicators")]))
        let result = try PipelineRunner(spec: spec, registry: BuiltinPlugins.registry, store: warehouse)
            .run(RunOptions(inputs: [url], resolver: resolver))
        XCTAssertEqual(result.inputs.map(\.status), [.failed])
        let message = result.inputs[0].message
        XCTAssertTrue(message.hasPrefix(url + ": not valid JSON"), message)
        XCTAssertFalse(message.contains(root + "/cache"), message)
    }
}

#if canImport(Glibc)
import Glibc
#endif
import Foundation
import PaduCore
@testable import PaduRemote
import XCTest

final class RemoteFetcherTests: XCTestCase {
    private var root = ""
    private var cacheDirectory: String { root + "/cache" }
    private var fetcher: RemoteFetcher { RemoteFetcher(cacheDirectory: cacheDirectory) }

    override func setUp() {
        super.setUp()
        root = NSTemporaryDirectory() + "padu-remote-\(UUID().uuidString)"
        XCTAssertEqual(mkdir(root, 0o700), 0)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: root)
        super.tearDown()
    }

    /// Short timeouts and fast retries so the suite stays quick.
    private func options(retries: Int = 0) -> RemoteFetchOptions {
        RemoteFetchOptions(
            connectTimeout: .seconds(2),
            totalTimeout: .seconds(5),
            lowSpeedLimit: nil,
            retry: RetryPolicy(maxRetries: retries, initialBackoff: .milliseconds(20), maxBackoff: .milliseconds(100)),
            maxBytes: 1_000_000
        )
    }

    private func fetchError(_ source: String, _ options: RemoteFetchOptions) -> RemoteFetchError? {
        do {
            let result = try fetcher.fetch(source, options: options)
            XCTFail("expected a failure, got \(result)")
            return nil
        } catch {
            return error
        }
    }

    private func mode(_ path: String) -> mode_t {
        var info = stat()
        XCTAssertEqual(stat(path, &info), 0, "stat \(path)")
        return info.st_mode & 0o777
    }

    private func contents(_ path: String) -> String? {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Files in the cache folder other than lock files.
    private func cacheFiles() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: cacheDirectory)) ?? [])
            .filter { !$0.hasSuffix(".lock") }
            .sorted()
    }

    private func writeKeyFile(_ text: String, mode: mode_t) -> String {
        let path = root + "/key-\(UUID().uuidString)"
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(text.utf8)))
        XCTAssertEqual(chmod(path, mode), 0)
        return path
    }

    // MARK: - Conditional requests

    func testETagThenNotModified() throws {
        let body = "kode,nama,jumlah\n3201,Bogor,120\n"
        let server = try TestHTTPServer([
            { _ in .respond(.init(status: 200, headers: [("ETag", "\"v1\""), ("Content-Type", "text/csv")], text: body)) },
            { request in
                request.header("If-None-Match") == "\"v1\""
                    ? .respond(.init(status: 304, headers: [("ETag", "\"v1\"")]))
                    : .respond(.init(status: 200, text: "unexpected"))
            },
        ])
        defer { server.stop() }
        let url = server.baseURL + "/data/kemiskinan.csv"

        let first = try fetcher.fetch(url, options: options())
        XCTAssertEqual(first.status, .fetched)
        XCTAssertEqual(first.httpStatus, 200)
        XCTAssertEqual(first.etag, "\"v1\"")
        XCTAssertEqual(first.bytes, Int64(body.utf8.count))
        XCTAssertEqual(first.sha256, SHA256.hash(body).hex)
        XCTAssertEqual(first.attempts, 1)
        XCTAssertTrue(first.localPath.hasPrefix(cacheDirectory + "/"))
        XCTAssertTrue(first.localPath.hasSuffix("-kemiskinan.csv"))
        XCTAssertEqual(contents(first.localPath), body)
        XCTAssertEqual(mode(first.localPath), 0o600)
        XCTAssertEqual(mode(cacheDirectory), 0o700)

        let second = try fetcher.fetch(url, options: options())
        XCTAssertEqual(second.status, .notModified)
        XCTAssertEqual(second.httpStatus, 304)
        XCTAssertEqual(second.localPath, first.localPath)
        XCTAssertEqual(second.sha256, first.sha256)
        XCTAssertEqual(second.bytes, first.bytes)
        XCTAssertEqual(second.etag, "\"v1\"")
        XCTAssertEqual(contents(second.localPath), body)

        let requests = server.requests
        XCTAssertEqual(requests.count, 2)
        XCTAssertNil(requests[0].header("If-None-Match"))
        XCTAssertEqual(requests[1].header("If-None-Match"), "\"v1\"")
        XCTAssertEqual(requests[1].target, "/data/kemiskinan.csv")

        // The fetch record is private and atomic-written (no leftovers).
        let records = cacheFiles().filter { $0.hasSuffix(".state.json") }
        XCTAssertEqual(records.count, 1)
        XCTAssertEqual(mode(cacheDirectory + "/" + records[0]), 0o600)
        XCTAssertEqual(cacheFiles().count, 2)
    }

    func testLastModifiedSendsIfModifiedSince() throws {
        let stamp = "Tue, 02 Jan 2024 03:04:05 GMT"
        let server = try TestHTTPServer([
            { _ in .respond(.init(status: 200, headers: [("Last-Modified", stamp)], text: "a,b\n1,2\n")) },
            { request in
                request.header("If-Modified-Since") == stamp
                    ? .respond(.init(status: 304))
                    : .respond(.init(status: 200, text: "unexpected"))
            },
        ])
        defer { server.stop() }
        let url = server.baseURL + "/tabel.csv"

        let first = try fetcher.fetch(url, options: options())
        XCTAssertEqual(first.lastModified, stamp)
        XCTAssertNil(first.etag)
        let second = try fetcher.fetch(url, options: options())
        XCTAssertEqual(second.status, .notModified)
        XCTAssertEqual(second.lastModified, stamp)
        XCTAssertEqual(contents(second.localPath), "a,b\n1,2\n")
        XCTAssertNil(server.requests[0].header("If-Modified-Since"))
        XCTAssertEqual(server.requests[1].header("If-Modified-Since"), stamp)
    }

    func testMissingCachedFileFetchesUnconditionally() throws {
        let server = try TestHTTPServer([
            { _ in .respond(.init(status: 200, headers: [("ETag", "\"v1\"")], text: "one\n")) },
            { request in
                request.header("If-None-Match") == nil
                    ? .respond(.init(status: 200, headers: [("ETag", "\"v1\"")], text: "one\n"))
                    : .respond(.init(status: 304))
            },
        ])
        defer { server.stop() }
        let url = server.baseURL + "/file.csv"
        let first = try fetcher.fetch(url, options: options())
        XCTAssertEqual(unlink(first.localPath), 0)

        let second = try fetcher.fetch(url, options: options())
        XCTAssertEqual(second.status, .fetched)
        XCTAssertEqual(contents(second.localPath), "one\n")
        XCTAssertNil(server.requests[1].header("If-None-Match"))
    }

    func testChangedContentReplacesCachedFile() throws {
        let server = try TestHTTPServer([
            { _ in .respond(.init(status: 200, headers: [("ETag", "\"v1\"")], text: "old\n")) },
            { _ in .respond(.init(status: 200, headers: [("ETag", "\"v2\"")], text: "new content\n")) },
        ])
        defer { server.stop() }
        let url = server.baseURL + "/file.csv"
        let first = try fetcher.fetch(url, options: options())
        let second = try fetcher.fetch(url, options: options())
        XCTAssertEqual(second.status, .fetched)
        XCTAssertEqual(second.localPath, first.localPath)
        XCTAssertEqual(second.etag, "\"v2\"")
        XCTAssertEqual(contents(second.localPath), "new content\n")
        XCTAssertEqual(second.sha256, SHA256.hash("new content\n").hex)
    }

    // MARK: - Timeouts and stalls

    func testStalledTransferFailsQuickly() throws {
        let body = [UInt8](repeating: 65, count: 1000)
        let server = try TestHTTPServer([
            { _ in .stall(.init(status: 200, body: body), sentBytes: 10, seconds: 8) },
        ])
        defer { server.stop() }
        var options = options()
        options.totalTimeout = .seconds(10)
        options.lowSpeedLimit = LowSpeedLimit(bytesPerSecond: 1, duration: .seconds(1))

        let started = Date()
        let error = try XCTUnwrap(fetchError(server.baseURL + "/big.csv", options))
        XCTAssertLessThan(Date().timeIntervalSince(started), 4)
        XCTAssertEqual(error.kind, .stalled)
        XCTAssertEqual(error.attempts, 1)
        XCTAssertTrue(error.message.contains("stalled"), error.message)
        XCTAssertEqual(cacheFiles(), [], "no partial or final file may remain")
    }

    func testTotalTimeout() throws {
        let server = try TestHTTPServer([
            { _ in .delay(seconds: 6, .init(status: 200, text: "late")) },
        ])
        defer { server.stop() }
        var options = options()
        options.totalTimeout = .milliseconds(800)

        let started = Date()
        let error = try XCTUnwrap(fetchError(server.baseURL + "/slow.csv", options))
        XCTAssertLessThan(Date().timeIntervalSince(started), 3)
        XCTAssertEqual(error.kind, .timeout)
        XCTAssertTrue(error.message.contains("total timeout"), error.message)
        XCTAssertTrue(error.kind.isTransient)
    }

    // MARK: - Retries

    func testServiceUnavailableThenSuccessIsRetried() throws {
        let server = try TestHTTPServer([
            { _ in .respond(.init(status: 503, text: "maintenance")) },
            { _ in .respond(.init(status: 200, text: "ok\n")) },
        ])
        defer { server.stop() }
        let result = try fetcher.fetch(server.baseURL + "/data.csv", options: options(retries: 2))
        XCTAssertEqual(result.status, .fetched)
        XCTAssertEqual(result.attempts, 2)
        XCTAssertEqual(contents(result.localPath), "ok\n")
        XCTAssertEqual(server.requests.count, 2)
    }

    func testRetryAfterIsHonoured() throws {
        let server = try TestHTTPServer([
            { _ in .respond(.init(status: 429, headers: [("Retry-After", "1")], text: "slow down")) },
            { _ in .respond(.init(status: 200, text: "ok\n")) },
        ])
        defer { server.stop() }
        let started = Date()
        let result = try fetcher.fetch(server.baseURL + "/data.csv", options: options(retries: 1))
        let elapsed = Date().timeIntervalSince(started)
        XCTAssertEqual(result.attempts, 2)
        XCTAssertGreaterThanOrEqual(elapsed, 0.95)
        XCTAssertLessThan(elapsed, 4)
    }

    func testRetryAfterIsCapped() throws {
        let server = try TestHTTPServer([
            { _ in .respond(.init(status: 503, headers: [("Retry-After", "3600")])) },
            { _ in .respond(.init(status: 200, text: "ok\n")) },
        ])
        defer { server.stop() }
        var options = options(retries: 1)
        options.retry.maxRetryAfter = .milliseconds(200)
        let started = Date()
        let result = try fetcher.fetch(server.baseURL + "/data.csv", options: options)
        XCTAssertEqual(result.attempts, 2)
        XCTAssertLessThan(Date().timeIntervalSince(started), 2)
    }

    func testNotFoundIsNotRetried() throws {
        let server = try TestHTTPServer([
            { _ in .respond(.init(status: 404, text: "<html><body><h1>Tabel tidak ditemukan</h1></body></html>")) },
            { _ in .respond(.init(status: 200, text: "ok\n")) },
        ])
        defer { server.stop() }
        let error = try XCTUnwrap(fetchError(server.baseURL + "/hilang.csv", options(retries: 3)))
        XCTAssertEqual(error.kind, .http(404))
        XCTAssertFalse(error.kind.isTransient)
        XCTAssertEqual(error.attempts, 1)
        XCTAssertEqual(server.requests.count, 1)
        XCTAssertTrue(error.message.contains("HTTP 404 Not Found"), error.message)
        XCTAssertTrue(error.message.contains("Tabel tidak ditemukan"), error.message)
        XCTAssertTrue(error.message.contains(server.baseURL + "/hilang.csv"), error.message)
        XCTAssertEqual(cacheFiles(), [])
    }

    func testRetriesExhausted() throws {
        let server = try TestHTTPServer(Array(repeating: { _ in .respond(.init(status: 502)) }, count: 3))
        defer { server.stop() }
        let error = try XCTUnwrap(fetchError(server.baseURL + "/data.csv", options(retries: 2)))
        XCTAssertEqual(error.kind, .http(502))
        XCTAssertEqual(error.attempts, 3)
        XCTAssertTrue(error.message.contains("gave up after 3 attempts"), error.message)
    }

    func testConnectionRefusedIsRetried() throws {
        let error = try XCTUnwrap(fetchError("http://127.0.0.1:\(closedPort())/data.csv", options(retries: 1)))
        XCTAssertEqual(error.kind, .refused)
        XCTAssertEqual(error.attempts, 2)
        XCTAssertTrue(error.message.contains("could not connect to 127.0.0.1"), error.message)
    }

    func testBackoffGrowsWithJitterAndRespectsRetryAfter() {
        let policy = RetryPolicy(maxRetries: 5, initialBackoff: .seconds(1), maxBackoff: .seconds(8), maxRetryAfter: .seconds(60))
        for _ in 0..<20 {
            XCTAssert((0.5...1.0).contains(RemoteFetcher.backoff(afterAttempt: 1, policy: policy, retryAfter: nil)))
            XCTAssert((2.0...4.0).contains(RemoteFetcher.backoff(afterAttempt: 3, policy: policy, retryAfter: nil)))
            XCTAssert((4.0...8.0).contains(RemoteFetcher.backoff(afterAttempt: 10, policy: policy, retryAfter: nil)))
        }
        XCTAssertGreaterThanOrEqual(RemoteFetcher.backoff(afterAttempt: 1, policy: policy, retryAfter: 5), 5)
        XCTAssertEqual(RemoteFetcher.backoff(afterAttempt: 1, policy: policy, retryAfter: 3600), 60)
        XCTAssertEqual(Transfer.retryAfterSeconds("120"), 120)
        XCTAssertNil(Transfer.retryAfterSeconds("soon"))
        let future = Transfer.retryAfterSeconds(Self.httpDate(Date().addingTimeInterval(30)))
        XCTAssert((25...31).contains(future ?? -1), "\(String(describing: future))")
    }

    private static func httpDate(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: date)
    }

    // MARK: - Size limit

    func testMaxSizeWithContentLength() throws {
        let server = try TestHTTPServer([
            { _ in .respond(.init(status: 200, body: [UInt8](repeating: 66, count: 5000))) },
        ])
        defer { server.stop() }
        var options = options(retries: 2)
        options.maxBytes = 1000
        let error = try XCTUnwrap(fetchError(server.baseURL + "/besar.csv", options))
        XCTAssertEqual(error.kind, .tooLarge)
        XCTAssertEqual(error.attempts, 1, "a size limit is not retried")
        XCTAssertTrue(error.message.contains("maxBytes"), error.message)
        XCTAssertEqual(cacheFiles(), [])
    }

    func testMaxSizeWithoutContentLength() throws {
        let server = try TestHTTPServer([
            { _ in .respond(.init(status: 200, body: [UInt8](repeating: 66, count: 50_000), sendsContentLength: false)) },
        ])
        defer { server.stop() }
        var options = options()
        options.maxBytes = 1000
        let error = try XCTUnwrap(fetchError(server.baseURL + "/besar.csv", options))
        XCTAssertEqual(error.kind, .tooLarge)
        XCTAssertEqual(cacheFiles(), [])
    }

    // MARK: - Redirects

    func testRedirectIsFollowed() throws {
        let server = try TestHTTPServer([
            { _ in .respond(.init(status: 302, headers: [("Location", "/final/data-2024.csv")])) },
            { _ in .respond(.init(status: 200, headers: [("ETag", "\"r\"")], text: "x,y\n")) },
        ])
        defer { server.stop() }
        let result = try fetcher.fetch(server.baseURL + "/latest.csv", options: options())
        XCTAssertEqual(result.status, .fetched)
        XCTAssertEqual(result.httpStatus, 200)
        XCTAssertEqual(contents(result.localPath), "x,y\n")
        XCTAssertTrue(result.localPath.hasSuffix("-latest.csv"))
        XCTAssertEqual(server.requests.map(\.target), ["/latest.csv", "/final/data-2024.csv"])
    }

    func testTooManyRedirects() throws {
        let server = try TestHTTPServer((0..<6).map { index in
            { _ in .respond(.init(status: 301, headers: [("Location", "/hop\(index + 1)")])) }
        })
        defer { server.stop() }
        let error = try XCTUnwrap(fetchError(server.baseURL + "/hop0", options(retries: 2)))
        XCTAssertEqual(error.kind, .redirect)
        XCTAssertEqual(error.attempts, 1)
        XCTAssertEqual(server.requests.count, 6)
        XCTAssertTrue(error.message.contains("more than 5"), error.message)
    }

    func testRedirectPolicy() throws {
        let https = try XCTUnwrap(RemoteURL.parse("https://data.example.go.id/a.csv"))
        let http = try XCTUnwrap(RemoteURL.parse("http://data.example.go.id/a.csv"))

        guard case .failure(let downgrade) = Transfer.checkRedirect(from: https, to: "http://data.example.go.id/b.csv?key=abc") else {
            return XCTFail("an https → http redirect must be refused")
        }
        XCTAssertEqual(downgrade.kind, .redirect)
        XCTAssertTrue(downgrade.reason.contains("unencrypted http://"), downgrade.reason)
        XCTAssertTrue(downgrade.reason.contains("key=***"), downgrade.reason)
        XCTAssertFalse(downgrade.reason.contains("abc"), downgrade.reason)

        guard case .success(let upgraded) = Transfer.checkRedirect(from: http, to: "https://data.example.go.id/b.csv") else {
            return XCTFail("http → https is fine")
        }
        XCTAssertEqual(upgraded.scheme, "https")
        guard case .success = Transfer.checkRedirect(from: https, to: "https://cdn.example.org/b.csv") else {
            return XCTFail("https → https is fine")
        }
        guard case .failure(let other) = Transfer.checkRedirect(from: https, to: "ftp://data.example.go.id/b.csv") else {
            return XCTFail("redirects to other schemes are refused")
        }
        XCTAssertEqual(other.kind, .redirect)
        guard case .failure(let withCredentials) = Transfer.checkRedirect(from: https, to: "https://u:pw@data.example.go.id/") else {
            return XCTFail("redirects to URLs with credentials are refused")
        }
        XCTAssertFalse(withCredentials.reason.contains("pw"), withCredentials.reason)
    }

    func testSecretsAreNotSentToAnotherOrigin() throws {
        let other = try TestHTTPServer([
            { request in
                request.header("Authorization") == nil && request.header("X-API-Key") == nil
                    ? .respond(.init(status: 200, text: "public mirror\n"))
                    : .respond(.init(status: 400, text: "leaked"))
            },
        ])
        defer { other.stop() }
        let origin = try TestHTTPServer([
            { request in
                request.header("Authorization") == "Bearer tok-origin"
                    ? .respond(.init(status: 302, headers: [("Location", other.baseURL + "/mirror.csv")]))
                    : .respond(.init(status: 401))
            },
        ])
        defer { origin.stop() }
        let variable = "PADU_TEST_TOKEN_\(UInt32.random(in: 0...UInt32.max))"
        setenv(variable, "tok-origin", 1)
        defer { unsetenv(variable) }
        var options = options()
        options.authentication = .bearer(.environment(variable))
        options.headers = [
            RemoteHeader(name: "X-API-Key", value: .secret(.environment(variable))),
            RemoteHeader(name: "X-Client", value: .literal("padu-test")),
        ]
        let result = try fetcher.fetch(origin.baseURL + "/data.csv", options: options)
        XCTAssertEqual(contents(result.localPath), "public mirror\n")
        XCTAssertEqual(other.requests.first?.header("X-Client"), "padu-test")
    }

    // MARK: - Partial files

    func testFailedFetchKeepsPreviousFileAndLeavesNoPartialFile() throws {
        let body = [UInt8](repeating: 67, count: 1000)
        let server = try TestHTTPServer([
            { _ in .respond(.init(status: 200, headers: [("ETag", "\"v1\"")], text: "versi 1\n")) },
            { _ in .truncate(.init(status: 200, headers: [("ETag", "\"v2\"")], body: body), sentBytes: 100) },
            { request in
                request.header("If-None-Match") == "\"v1\""
                    ? .respond(.init(status: 304))
                    : .respond(.init(status: 200, text: "unexpected"))
            },
        ])
        defer { server.stop() }
        let url = server.baseURL + "/data.csv"
        let first = try fetcher.fetch(url, options: options())
        let before = cacheFiles()

        let error = try XCTUnwrap(fetchError(url, options()))
        XCTAssertEqual(error.kind, .connectionLost)
        XCTAssertEqual(contents(first.localPath), "versi 1\n", "the previous complete file is untouched")
        XCTAssertEqual(cacheFiles(), before, "no partial file remains")

        // The record still describes version 1.
        let third = try fetcher.fetch(url, options: options())
        XCTAssertEqual(third.status, .notModified)
        XCTAssertEqual(third.sha256, SHA256.hash("versi 1\n").hex)
    }

    func testFirstFetchFailureLeavesNoFile() throws {
        let server = try TestHTTPServer([
            { _ in .truncate(.init(status: 200, body: [UInt8](repeating: 1, count: 4096)), sentBytes: 2000) },
        ])
        defer { server.stop() }
        let error = try XCTUnwrap(fetchError(server.baseURL + "/data.csv", options()))
        XCTAssertEqual(error.kind, .connectionLost)
        XCTAssertEqual(cacheFiles(), [])
    }

    func testStalePartialFilesAreRemoved() throws {
        let server = try TestHTTPServer([{ _ in .respond(.init(status: 200, text: "ok\n")) }])
        defer { server.stop() }
        let url = server.baseURL + "/data.csv"
        try CacheEntry.prepareDirectory(cacheDirectory)
        let entry = CacheEntry(directory: cacheDirectory, source: url, redactedURL: url)
        let stale = cacheDirectory + "/" + entry.partialPrefix + "abc123"
        XCTAssertTrue(FileManager.default.createFile(atPath: stale, contents: Data("half".utf8)))
        _ = try fetcher.fetch(url, options: options())
        XCTAssertFalse(FileManager.default.fileExists(atPath: stale))
    }

    // MARK: - Secrets

    func testBearerTokenFromEnvironment() throws {
        let variable = "PADU_TEST_BEARER_\(UInt32.random(in: 0...UInt32.max))"
        setenv(variable, "tok-123", 1)
        defer { unsetenv(variable) }
        let server = try TestHTTPServer([
            { request in
                request.header("Authorization") == "Bearer tok-123"
                    ? .respond(.init(status: 200, text: "secret data\n"))
                    : .respond(.init(status: 401))
            },
        ])
        defer { server.stop() }
        var options = options()
        options.authentication = .bearer(.environment(variable))
        let result = try fetcher.fetch(server.baseURL + "/private.csv", options: options)
        XCTAssertEqual(contents(result.localPath), "secret data\n")
    }

    func testBasicAuthPasswordFromPrivateKeyFile() throws {
        let keyFile = writeKeyFile("s3cret-pass\n", mode: 0o600)
        let expected = "Basic " + Data("steward:s3cret-pass".utf8).base64EncodedString()
        let server = try TestHTTPServer([
            { request in
                request.header("Authorization") == expected
                    ? .respond(.init(status: 200, text: "ok\n"))
                    : .respond(.init(status: 401))
            },
        ])
        defer { server.stop() }
        var options = options()
        options.authentication = .basic(user: .literal("steward"), password: .file(keyFile))
        let result = try fetcher.fetch(server.baseURL + "/private.csv", options: options)
        XCTAssertEqual(result.status, .fetched)
    }

    func testHeaderValueFromKeyFile() throws {
        let keyFile = writeKeyFile("api-key-777", mode: 0o640)
        let server = try TestHTTPServer([
            { request in
                request.header("X-API-Key") == "api-key-777"
                    ? .respond(.init(status: 200, text: "ok\n"))
                    : .respond(.init(status: 403))
            },
        ])
        defer { server.stop() }
        var options = options()
        options.headers = [RemoteHeader(name: "X-API-Key", value: .secret(.file(keyFile)))]
        XCTAssertEqual(try fetcher.fetch(server.baseURL + "/x.csv", options: options).status, .fetched)
    }

    func testWorldReadableKeyFileIsRefused() throws {
        let keyFile = writeKeyFile("s3cret-pass\n", mode: 0o644)
        let server = try TestHTTPServer([{ _ in .respond(.init(status: 200, text: "ok\n")) }])
        defer { server.stop() }
        var options = options()
        options.authentication = .basic(user: .literal("steward"), password: .file(keyFile))
        let error = try XCTUnwrap(fetchError(server.baseURL + "/private.csv", options))
        XCTAssertEqual(error.kind, .secretUnavailable)
        XCTAssertEqual(error.attempts, 0)
        XCTAssertTrue(error.message.contains("0644"), error.message)
        XCTAssertTrue(error.message.contains("chmod 600 \(keyFile)"), error.message)
        XCTAssertFalse(error.message.contains("s3cret"), error.message)
        XCTAssertEqual(server.requests.count, 0, "nothing is sent when a secret is unusable")
    }

    func testMissingEnvironmentVariable() throws {
        var options = options()
        options.authentication = .bearer(.environment("PADU_TEST_SURELY_UNSET_VARIABLE"))
        let error = try XCTUnwrap(fetchError("http://127.0.0.1:\(closedPort())/x.csv", options))
        XCTAssertEqual(error.kind, .secretUnavailable)
        XCTAssertTrue(error.message.contains("'PADU_TEST_SURELY_UNSET_VARIABLE'"), error.message)
        XCTAssertTrue(error.message.contains("not set"), error.message)
    }

    func testMissingKeyFile() throws {
        var options = options()
        options.headers = [RemoteHeader(name: "X-API-Key", value: .secret(.file(root + "/nope.key")))]
        let error = try XCTUnwrap(fetchError("http://127.0.0.1:\(closedPort())/x.csv", options))
        XCTAssertEqual(error.kind, .secretUnavailable)
        XCTAssertTrue(error.message.contains("does not exist"), error.message)
    }

    // MARK: - Redaction and URL checks

    func testKeyInQueryIsRedactedFromErrors() throws {
        let server = try TestHTTPServer([
            { _ in .respond(.init(status: 401, text: "{\"status\":\"Error\",\"message\":\"Key SECRETKEY123 tidak valid\"}")) },
        ])
        defer { server.stop() }
        let url = server.baseURL + "/v1/api/list/?key=SECRETKEY123&domain=0000"
        let error = try XCTUnwrap(fetchError(url, options()))
        XCTAssertEqual(error.kind, .http(401))
        XCTAssertEqual(error.url, server.baseURL + "/v1/api/list/?key=***&domain=0000")
        XCTAssertTrue(error.message.contains("/v1/api/list/?key=***&domain=0000"), error.message)
        XCTAssertTrue(error.message.contains("tidak valid"), error.message)
        XCTAssertFalse(error.message.contains("SECRETKEY123"), error.message)
        XCTAssertFalse(error.description.contains("SECRETKEY123"))
        XCTAssertFalse("\(error)".contains("SECRETKEY123"))
    }

    func testResultAndRecordAreRedacted() throws {
        let server = try TestHTTPServer([{ _ in .respond(.init(status: 200, text: "ok\n")) }])
        defer { server.stop() }
        let result = try fetcher.fetch(server.baseURL + "/data?token=TOKENVALUE99&year=2024", options: options())
        XCTAssertEqual(result.url, server.baseURL + "/data?token=***&year=2024")
        XCTAssertFalse(result.description.contains("TOKENVALUE99"))
        XCTAssertEqual(server.requests.first?.target, "/data?token=TOKENVALUE99&year=2024", "the real URL is requested")
        for name in cacheFiles() {
            XCTAssertFalse(name.contains("TOKENVALUE99"))
            XCTAssertFalse(contents(cacheDirectory + "/" + name)?.contains("TOKENVALUE99") ?? true, name)
        }
    }

    func testCredentialsInURLAreRefused() throws {
        let server = try TestHTTPServer([{ _ in .respond(.init(status: 200, text: "ok\n")) }])
        defer { server.stop() }
        let url = "http://steward:hunter2@127.0.0.1:\(server.port)/data.csv"
        let error = try XCTUnwrap(fetchError(url, options()))
        XCTAssertEqual(error.kind, .invalidURL)
        XCTAssertEqual(error.url, "http://***@127.0.0.1:\(server.port)/data.csv")
        XCTAssertTrue(error.message.contains("secret reference"), error.message)
        XCTAssertFalse(error.message.contains("hunter2"), error.message)
        XCTAssertEqual(server.requests.count, 0)
    }

    func testUnsupportedSchemesAndLocalPaths() throws {
        let ftp = try XCTUnwrap(fetchError("ftp://127.0.0.1/file.csv", options()))
        XCTAssertEqual(ftp.kind, .unsupportedProtocol)
        XCTAssertTrue(ftp.message.contains("https://"), ftp.message)

        let local = try XCTUnwrap(fetchError("/srv/data/file.csv", options()))
        XCTAssertEqual(local.kind, .invalidURL)

        XCTAssertTrue(RemoteFetcher.isRemote("https://example.org/x.csv"))
        XCTAssertTrue(RemoteFetcher.isRemote("SFTP://host/x.csv"))
        XCTAssertFalse(RemoteFetcher.isRemote("/srv/data/file.csv"))
        XCTAssertFalse(RemoteFetcher.isRemote("data/file.csv"))
        XCTAssertFalse(RemoteFetcher.isRemote("C:\\data\\file.csv"))
    }

    func testSFTPSupportIsDetected() throws {
        XCTAssertTrue(RemoteFetcher.availableSchemes.contains("https"))
        XCTAssertTrue(RemoteFetcher.availableSchemes.contains("http"))
        var options = options()
        options.sshKnownHostsPath = root + "/no-known-hosts"
        let error = try XCTUnwrap(fetchError("sftp://127.0.0.1:\(closedPort())/data/file.csv", options))
        if Curl.protocols.contains("sftp") {
            // Supported: the missing known-hosts file is reported before any connection.
            XCTAssertEqual(error.kind, .tls)
            XCTAssertTrue(error.message.contains("known-hosts"), error.message)
        } else {
            XCTAssertEqual(error.kind, .unsupportedProtocol)
            XCTAssertTrue(error.message.contains("cannot fetch sftp://"), error.message)
        }
    }

    // MARK: - Cancellation

    func testCancellationStopsTheTransfer() async throws {
        let server = try TestHTTPServer([{ _ in .delay(seconds: 6, .init(status: 200, text: "late")) }])
        defer { server.stop() }
        let fetcher = self.fetcher
        let url = server.baseURL + "/slow.csv"
        let options = options()
        let started = Date()
        let task = Task.detached { () -> RemoteFetchError.Kind? in
            do throws(RemoteFetchError) {
                _ = try fetcher.fetch(url, options: options)
                return nil
            } catch {
                return error.kind
            }
        }
        try await Task.sleep(for: .milliseconds(300))
        task.cancel()
        let kind = await task.value
        XCTAssertEqual(kind, .cancelled)
        XCTAssertLessThan(Date().timeIntervalSince(started), 3)
    }
}

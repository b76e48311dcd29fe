#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CCurl
import Foundation
import PaduCore

/// Downloads remote pipeline inputs (`https://`, `http://`, `sftp://`) into a cache folder.
///
/// Each fetch streams the body straight to a temporary file in the cache folder (never into
/// memory), hashes it with SHA-256 on the way, and renames it to its final name only when it is
/// complete: a failed or interrupted fetch never leaves partial content under the final name.
///
/// For HTTP sources the ETag and Last-Modified of the last successful fetch are remembered per URL
/// (`<key>.state.json`, written atomically) and sent back as `If-None-Match` / `If-Modified-Since`;
/// a 304 answer returns the cached file as `.notModified`.
///
/// `fetch` blocks the calling thread until the transfer ends (bounded by the options' timeouts);
/// call it from a worker thread or a detached task. It checks `Task.isCancelled` during the
/// transfer and between retries. Fetches may run concurrently (one libcurl handle each); fetches of
/// the same URL into the same cache folder are serialized with a file lock.
///
/// ```swift
/// let fetcher = RemoteFetcher(cacheDirectory: "/var/cache/padu/inputs")
/// var options = RemoteFetchOptions(retry: RetryPolicy(maxRetries: 4))
/// options.headers = [RemoteHeader(name: "X-API-Key", value: .secret(.file("/etc/padu/keys/bps")))]
/// let result = try fetcher.fetch("https://webapi.bps.go.id/v1/api/list/model/data", options: options)
/// // read result.localPath
/// ```
public struct RemoteFetcher: Sendable {
    /// The folder downloads are kept in (created with mode 0700; files are 0600).
    public let cacheDirectory: String

    /// Creates a fetcher that keeps downloads in `cacheDirectory` (created on first fetch).
    public init(cacheDirectory: String) {
        self.cacheDirectory = cacheDirectory
    }

    /// The schemes Padu fetches: `http`, `https`, `sftp`.
    public static let schemes: [String] = ["https", "http", "sftp"]

    /// The schemes the installed libcurl can fetch (a subset of `schemes`).
    public static var availableSchemes: [String] {
        schemes.filter { Curl.protocols.contains($0) }
    }

    /// Whether `source` is a URL (`scheme://…`) rather than a local path.
    ///
    /// Callers read local paths directly and pass URLs to `fetch`; an unsupported scheme such as
    /// `ftp://` is still "remote" and `fetch` explains that it is not supported.
    public static func isRemote(_ source: String) -> Bool {
        scheme(of: source) != nil
    }

    /// The lowercase scheme of `scheme://…`, or nil.
    static func scheme(of source: String) -> String? {
        guard let separator = source.range(of: "://") else { return nil }
        let scheme = source[..<separator.lowerBound]
        guard let first = scheme.unicodeScalars.first, first.isASCII, CharacterSet.letters.contains(first),
              scheme.unicodeScalars.allSatisfy({
                  $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "+" || $0 == "-" || $0 == ".")
              })
        else { return nil }
        return scheme.lowercased()
    }

    /// Downloads `source` into the cache folder, or confirms the cached copy is current.
    ///
    /// - Throws: `RemoteFetchError`, whose `message` names the redacted URL, what went wrong and
    ///   what to do.
    public func fetch(
        _ source: String,
        options: RemoteFetchOptions = RemoteFetchOptions()
    ) throws(RemoteFetchError) -> RemoteFetchResult {
        let redacted = Redaction.redactURL(source)
        func failure(_ kind: RemoteFetchError.Kind, _ reason: String, _ advice: String) -> RemoteFetchError {
            RemoteFetchError(kind: kind, url: redacted, reason: reason, advice: advice, attempts: 0)
        }

        let target = try Self.validate(source, redacted: redacted)
        let credentials = try Credentials.resolve(options, for: target)

        // Cache folder, per-URL lock, previous fetch.
        do {
            try CacheEntry.prepareDirectory(cacheDirectory)
        } catch {
            throw failure(.cache, error.reason, error.advice)
        }
        let entry = CacheEntry(directory: cacheDirectory, source: source, redactedURL: redacted)
        let lock: Int32
        do {
            lock = try entry.lock()
        } catch {
            throw failure(.cache, error.reason, error.advice)
        }
        defer { close(lock) }
        entry.removeStalePartials()

        var previous: FetchRecord?
        if options.conditional && target.isHTTP, let record = entry.loadRecord(), entry.usableCachedFile(record) != nil {
            previous = record
        }

        let temporary: TemporaryFile
        do {
            temporary = try TemporaryFile.create(in: cacheDirectory, prefix: entry.partialPrefix)
        } catch {
            throw failure(.cache, error.reason, error.advice)
        }
        defer { temporary.discard() }

        guard let easy = EasyHandle() else {
            throw failure(
                .transfer, "libcurl \(Curl.version) could not be initialised",
                "Check the libcurl installation (Debian/Ubuntu: libcurl4)"
            )
        }
        easy.state.fd = temporary.fd
        easy.state.maxBytes = options.maxBytes

        let transfer = Transfer(easy: easy, target: target, options: options, credentials: credentials)
        var attempt = 0
        while true {
            attempt += 1
            func fail(_ problem: AttemptFailure) -> RemoteFetchError {
                RemoteFetchError(
                    kind: problem.kind, url: redacted, reason: problem.reason, advice: problem.advice, attempts: attempt
                )
            }
            if Task.isCancelled {
                throw fail(AttemptFailure.cancelled)
            }
            do {
                try temporary.truncate()
            } catch {
                throw fail(AttemptFailure(kind: .cache, reason: error.reason, advice: error.advice))
            }
            easy.state.startAttempt()

            switch transfer.run(conditionalOn: previous) {
            case .downloaded(let status, let etag, let lastModified):
                let digest = easy.state.hasher.finalize().hex
                let bytes = easy.state.bytes
                // Forget the old record first: a record must never describe content it did not see.
                unlink(entry.recordPath)
                do {
                    try temporary.commit(to: entry.finalPath)
                } catch {
                    throw fail(AttemptFailure(kind: .cache, reason: error.reason, advice: error.advice))
                }
                let record = FetchRecord(
                    url: redacted, file: entry.fileName, etag: etag, lastModified: lastModified,
                    sha256: digest, bytes: bytes, httpStatus: status, checkedAt: Self.timestamp()
                )
                // Not fatal: without a record the next fetch is simply unconditional.
                try? entry.saveRecord(record)
                return RemoteFetchResult(
                    url: redacted, localPath: entry.finalPath, status: .fetched, httpStatus: status,
                    etag: etag, lastModified: lastModified, bytes: bytes, sha256: digest, attempts: attempt
                )

            case .notModified(let etag, let lastModified):
                guard let record = previous else {
                    throw fail(AttemptFailure(
                        kind: .http(304),
                        reason: "the server answered 304 Not Modified to a request that was not conditional",
                        advice: "This is a server error; ask the publisher, or try again later"
                    ))
                }
                guard let path = entry.usableCachedFile(record) else {
                    // The cached copy vanished meanwhile: ask again without conditions.
                    previous = nil
                    continue
                }
                var updated = record
                updated.etag = etag ?? record.etag
                updated.lastModified = lastModified ?? record.lastModified
                updated.httpStatus = 304
                updated.checkedAt = Self.timestamp()
                try? entry.saveRecord(updated)
                return RemoteFetchResult(
                    url: redacted, localPath: path, status: .notModified, httpStatus: 304,
                    etag: updated.etag, lastModified: updated.lastModified, bytes: record.bytes,
                    sha256: record.sha256, attempts: attempt
                )

            case .failed(let problem):
                guard problem.kind.isTransient, attempt <= options.retry.maxRetries else {
                    throw fail(problem)
                }
                let delay = Self.backoff(afterAttempt: attempt, policy: options.retry, retryAfter: problem.retryAfter)
                guard Self.pause(seconds: delay) else {
                    throw fail(AttemptFailure.cancelled)
                }
            }
        }
    }

    // MARK: - Validation

    /// Checks the scheme, libcurl support and embedded credentials, and parses the URL.
    static func validate(_ source: String, redacted: String) throws(RemoteFetchError) -> RemoteURL {
        func failure(_ kind: RemoteFetchError.Kind, _ reason: String, _ advice: String) -> RemoteFetchError {
            RemoteFetchError(kind: kind, url: redacted, reason: reason, advice: advice, attempts: 0)
        }
        guard let scheme = scheme(of: source) else {
            throw failure(
                .invalidURL, "this is not a URL",
                "Remote sources must start with https://, http:// or sftp://; local files are read directly"
            )
        }
        if RemoteURL.authorityHasUserInfo(source) {
            throw failure(
                .invalidURL, "the URL contains a user name or password",
                "Remove them from the URL and give the credentials as a secret reference, for example "
                    + "authentication: .basic(user: .literal(\"name\"), password: .environment(\"SOURCE_PASSWORD\")) "
                    + "or a key file: URLs are copied into logs and run histories, secret references are not. "
                    + "Consider the password exposed and change it"
            )
        }
        guard schemes.contains(scheme) else {
            throw failure(
                .unsupportedProtocol, "\(scheme):// sources are not supported",
                "Use an https://, http:// or sftp:// URL, or copy the file to a local folder and point the pipeline there"
            )
        }
        guard Curl.protocols.contains(scheme) else {
            let available = availableSchemes.joined(separator: ", ")
            let advice = scheme == "sftp"
                ? "Install a libcurl built with SSH support (Debian/Ubuntu: the libcurl4 package uses libssh2), "
                    + "or ask the publisher for an https:// address"
                : "Install a libcurl with \(scheme.uppercased()) support"
            throw failure(
                .unsupportedProtocol,
                "the installed libcurl \(Curl.version) cannot fetch \(scheme):// URLs (it supports: \(available))",
                advice
            )
        }
        guard let url = RemoteURL.parse(source), !url.host.isEmpty else {
            throw failure(
                .invalidURL, "the URL cannot be parsed",
                "Check it for spaces or other characters that must be percent-encoded (a space is %20) and for a missing host"
            )
        }
        guard !url.hasCredentials else {
            throw failure(
                .invalidURL, "the URL contains a user name or password",
                "Remove them from the URL and give the credentials as a secret reference"
            )
        }
        return url
    }

    // MARK: - Retry timing

    /// The wait before the retry that follows attempt `attempt` (1-based), in seconds: exponential
    /// backoff with jitter (50–100 %), at least `retryAfter` (capped at `maxRetryAfter`).
    static func backoff(afterAttempt attempt: Int, policy: RetryPolicy, retryAfter: Double?) -> Double {
        let initial = RemoteUnits.seconds(policy.initialBackoff)
        let exponential = initial * pow(2, Double(max(0, attempt - 1)))
        let capped = min(exponential, RemoteUnits.seconds(policy.maxBackoff))
        var delay = capped * Double.random(in: 0.5...1.0)
        if let retryAfter {
            delay = max(delay, min(max(0, retryAfter), RemoteUnits.seconds(policy.maxRetryAfter)))
        }
        return delay
    }

    /// Sleeps `seconds` in short slices; false if the task was cancelled meanwhile.
    static func pause(seconds: Double) -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
        while true {
            if Task.isCancelled { return false }
            let remaining = deadline - ContinuousClock.now
            if remaining <= .zero { return true }
            let slice = min(remaining, .milliseconds(50))
            usleep(UInt32(max(1, RemoteUnits.seconds(slice) * 1_000_000)))
        }
    }

    static func timestamp() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date())
    }
}

/// Duration and size helpers for `PaduRemote`.
enum RemoteUnits {
    /// A duration in seconds, as a `Double`.
    static func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }

    /// A duration in whole milliseconds, rounded up.
    static func milliseconds(_ duration: Duration) -> Int {
        let parts = duration.components
        let fraction = parts.attoseconds / 1_000_000_000_000_000
        let roundUp = parts.attoseconds % 1_000_000_000_000_000 > 0 ? 1 : 0
        return Int(parts.seconds) * 1000 + Int(fraction) + roundUp
    }

    /// "30 s", "1.5 s", "2 min".
    static func describe(_ duration: Duration) -> String {
        let value = Self.seconds(duration)
        if value >= 120 && value.truncatingRemainder(dividingBy: 60) == 0 {
            return "\(Int(value / 60)) min"
        }
        if value == value.rounded() {
            return "\(Int(value)) s"
        }
        return String(format: "%.1f s", value)
    }

    /// "512 bytes", "12.3 MB" (decimal units).
    static func describeBytes(_ bytes: Int64) -> String {
        if bytes < 1000 { return bytes == 1 ? "1 byte" : "\(bytes) bytes" }
        let units = ["kB", "MB", "GB", "TB"]
        var value = Double(bytes) / 1000
        var unit = 0
        while value >= 1000 && unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        return String(format: "%.1f", value) + " " + units[unit]
    }
}

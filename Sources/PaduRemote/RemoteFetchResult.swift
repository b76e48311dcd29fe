/// Whether a fetch downloaded a new copy or the server confirmed the cached one.
public enum RemoteFetchStatus: String, Sendable, Hashable, Codable {
    /// A new copy was downloaded (the source changed, or no usable cached copy existed).
    case fetched
    /// The server answered 304 Not Modified; `localPath` is the copy from an earlier fetch.
    case notModified
}

/// A completed fetch.
public struct RemoteFetchResult: Sendable, Hashable, CustomStringConvertible {
    /// The source URL, redacted (safe to log).
    public let url: String
    /// The downloaded file in the cache folder (mode 0600). Read it; do not move or edit it, or the
    /// next conditional fetch downloads it again.
    public let localPath: String
    /// `.fetched` or `.notModified`.
    public let status: RemoteFetchStatus
    /// The final HTTP status (200…299 or 304); `nil` for `sftp://`.
    public let httpStatus: Int?
    /// The `ETag` of the content, if the server sent one.
    public let etag: String?
    /// The `Last-Modified` of the content, if the server sent one.
    public let lastModified: String?
    /// The size of `localPath` in bytes (for `.notModified`, as recorded when it was downloaded).
    public let bytes: Int64
    /// The lowercase hexadecimal SHA-256 of `localPath`, computed while downloading (for
    /// `.notModified`, the value recorded then).
    public let sha256: String
    /// Attempts made, including the successful one.
    public let attempts: Int

    /// Creates a result.
    public init(
        url: String, localPath: String, status: RemoteFetchStatus, httpStatus: Int?,
        etag: String?, lastModified: String?, bytes: Int64, sha256: String, attempts: Int
    ) {
        self.url = url
        self.localPath = localPath
        self.status = status
        self.httpStatus = httpStatus
        self.etag = etag
        self.lastModified = lastModified
        self.bytes = bytes
        self.sha256 = sha256
        self.attempts = attempts
    }

    public var description: String {
        let what = status == .fetched ? "fetched" : "not modified"
        let statusText = httpStatus.map { " (HTTP \($0))" } ?? ""
        let tries = attempts == 1 ? "1 attempt" : "\(attempts) attempts"
        return "\(url): \(what)\(statusText), \(bytes) bytes, sha256 \(sha256), \(tries) → \(localPath)"
    }
}

/// Where a secret value comes from.
///
/// Secrets are never written in pipeline files: a pipeline names an environment variable or a
/// key file, and the value is read when the fetch starts. Resolved values never appear in error
/// messages, logs or result descriptions.
public enum SecretReference: Sendable, Hashable, CustomStringConvertible {
    /// The value of an environment variable of the daemon process.
    case environment(String)
    /// The contents of a file, with surrounding whitespace and the final newline removed.
    ///
    /// The file must be a regular file that other users cannot access (for example mode 0600 or
    /// 0640); a world-readable key file such as mode 0644 is refused.
    case file(String)

    /// Names the reference without revealing the secret, e.g. `environment variable 'BPS_KEY'`.
    public var description: String {
        switch self {
        case .environment(let name): return "environment variable '\(name)'"
        case .file(let path): return "key file '\(path)'"
        }
    }
}

/// A header value or user name: either plain text or a secret reference.
public enum RemoteValue: Sendable, Hashable {
    /// Text that is not secret and may be shown in messages.
    case literal(String)
    /// A value read at fetch time and redacted everywhere.
    case secret(SecretReference)
}

/// Credentials sent with a request.
///
/// HTTP credentials are sent only to the origin (scheme, host and port) of the source URL: after a
/// redirect to another origin they are dropped. For `sftp://`, `basic` supplies the SSH user name
/// and password.
public enum RemoteAuthentication: Sendable, Hashable {
    /// HTTP basic authentication (or SSH user name and password for `sftp://`).
    case basic(user: RemoteValue, password: SecretReference)
    /// `Authorization: Bearer <token>`.
    case bearer(SecretReference)
}

/// An extra request header, e.g. `X-API-Key` read from a key file.
public struct RemoteHeader: Sendable, Hashable {
    /// The header name, e.g. `X-API-Key`.
    public var name: String
    /// The header value; secret values are sent only to the source URL's origin.
    public var value: RemoteValue

    /// Creates a header.
    public init(name: String, value: RemoteValue) {
        self.name = name
        self.value = value
    }
}

/// Aborts a transfer that stalls: an attempt fails as `.stalled` when fewer than
/// `bytesPerSecond × duration` bytes arrive within any `duration` (checked about once a second;
/// waiting for the server's first byte counts too).
public struct LowSpeedLimit: Sendable, Hashable {
    /// The minimum average speed, in bytes per second.
    public var bytesPerSecond: Int
    /// How long the transfer may stay below `bytesPerSecond` before it is aborted.
    public var duration: Duration

    /// Creates a low-speed limit.
    public init(bytesPerSecond: Int, duration: Duration) {
        self.bytesPerSecond = bytesPerSecond
        self.duration = duration
    }
}

/// How transient failures are retried: exponential backoff with jitter.
///
/// Transient failures are: connection refused or reset, a connection closed before the end of the
/// body, connect/total timeouts, stalled transfers, and HTTP 408, 429 and 5xx. Other 4xx answers,
/// DNS failures, TLS failures, size limits and missing secrets are never retried.
///
/// The wait before retry *n* (1-based) is a random value between 50 % and 100 % of
/// `min(maxBackoff, initialBackoff × 2ⁿ⁻¹)`; when the server sent `Retry-After` (seconds or an HTTP
/// date) the wait is at least that long, capped at `maxRetryAfter`.
public struct RetryPolicy: Sendable, Hashable {
    /// Retries after the first attempt; 0 disables retrying.
    public var maxRetries: Int
    /// The backoff before the first retry (before jitter).
    public var initialBackoff: Duration
    /// The largest backoff (before jitter).
    public var maxBackoff: Duration
    /// The longest `Retry-After` that is honoured; longer values are shortened to this.
    public var maxRetryAfter: Duration

    /// Creates a retry policy.
    public init(
        maxRetries: Int = 3,
        initialBackoff: Duration = .seconds(1),
        maxBackoff: Duration = .seconds(30),
        maxRetryAfter: Duration = .seconds(120)
    ) {
        self.maxRetries = maxRetries
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.maxRetryAfter = maxRetryAfter
    }

    /// No retries: the first failure is reported.
    public static let none = RetryPolicy(maxRetries: 0)
}

/// Per-fetch settings. The defaults suit a government open-data API over a slow link.
public struct RemoteFetchOptions: Sendable, Hashable {
    /// Time allowed to resolve the host and establish the connection (TCP and TLS/SSH).
    public var connectTimeout: Duration
    /// Time allowed for one attempt, redirects included (each retry gets the full time again);
    /// `nil` for no limit.
    public var totalTimeout: Duration?
    /// Aborts an attempt whose transfer stalls; `nil` disables the check.
    public var lowSpeedLimit: LowSpeedLimit?
    /// Retries of transient failures.
    public var retry: RetryPolicy
    /// The largest download accepted, in bytes (after content decoding); `nil` for no limit.
    public var maxBytes: Int64?
    /// The number of HTTP redirects followed. An `https` → `http` redirect is always refused.
    public var maxRedirects: Int
    /// Credentials, if the source needs them.
    public var authentication: RemoteAuthentication?
    /// Extra request headers.
    public var headers: [RemoteHeader]
    /// Sends `If-None-Match` / `If-Modified-Since` from the previous successful fetch, so an
    /// unchanged source is answered with 304 and not downloaded again.
    public var conditional: Bool
    /// Offers gzip/deflate (and any other encoding libcurl decodes) to HTTP servers; the cached file
    /// always holds the decoded content, which `maxBytes` and `sha256` refer to. Turn it off for a
    /// server that wrongly labels `.gz` files with `Content-Encoding: gzip`.
    public var acceptCompressed: Bool
    /// The `User-Agent` header.
    public var userAgent: String
    /// `sftp://` only: the known-hosts file used to verify the server's host key; `nil` means
    /// `$HOME/.ssh/known_hosts`. Unknown or changed host keys are refused.
    public var sshKnownHostsPath: String?
    /// `sftp://` only: a private key file for public-key authentication (must not be accessible
    /// to other users).
    public var sshPrivateKeyPath: String?

    /// Creates options; every parameter has a default.
    public init(
        connectTimeout: Duration = .seconds(30),
        totalTimeout: Duration? = .seconds(30 * 60),
        lowSpeedLimit: LowSpeedLimit? = LowSpeedLimit(bytesPerSecond: 1, duration: .seconds(60)),
        retry: RetryPolicy = RetryPolicy(),
        maxBytes: Int64? = 2 * 1024 * 1024 * 1024,
        maxRedirects: Int = 5,
        authentication: RemoteAuthentication? = nil,
        headers: [RemoteHeader] = [],
        conditional: Bool = true,
        acceptCompressed: Bool = true,
        userAgent: String = "Padu",
        sshKnownHostsPath: String? = nil,
        sshPrivateKeyPath: String? = nil
    ) {
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
        self.lowSpeedLimit = lowSpeedLimit
        self.retry = retry
        self.maxBytes = maxBytes
        self.maxRedirects = maxRedirects
        self.authentication = authentication
        self.headers = headers
        self.conditional = conditional
        self.acceptCompressed = acceptCompressed
        self.userAgent = userAgent
        self.sshKnownHostsPath = sshKnownHostsPath
        self.sshPrivateKeyPath = sshPrivateKeyPath
    }
}

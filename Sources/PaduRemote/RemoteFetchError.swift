/// A fetch that failed, with a message a data steward can act on.
///
/// The message names the source with secrets redacted (`https://host/api/?key=***`), says what
/// went wrong and what to do. It never contains a resolved secret.
public struct RemoteFetchError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure this is.
    public enum Kind: Sendable, Hashable, CustomStringConvertible {
        /// The connect or total timeout expired.
        case timeout
        /// The transfer was slower than the low-speed limit for too long.
        case stalled
        /// The download is larger than `maxBytes`.
        case tooLarge
        /// The server answered with this HTTP status (not 2xx or 304).
        case http(Int)
        /// The TLS certificate or SSH host key could not be verified, or the secure handshake failed.
        case tls
        /// The host name could not be resolved.
        case dns
        /// The connection was refused or the host was unreachable.
        case refused
        /// The connection was reset or closed before the whole response arrived.
        case connectionLost
        /// The URL scheme is not supported, or not by the installed libcurl.
        case unsupportedProtocol
        /// A secret (environment variable or key file) could not be read or is not private.
        case secretUnavailable
        /// The URL is malformed or embeds credentials.
        case invalidURL
        /// A header name or value in the options is unusable.
        case invalidOptions
        /// Too many redirects, or a refused redirect (for example https → http).
        case redirect
        /// The SFTP server has no file at this path.
        case remoteFileNotFound
        /// The SFTP server refused the login or access to the file.
        case accessDenied
        /// The cache folder or a file in it could not be created or written.
        case cache
        /// The surrounding task was cancelled.
        case cancelled
        /// Another transfer failure reported by libcurl.
        case transfer

        /// Whether a retry may succeed: network trouble, timeouts, HTTP 408, 429 and 5xx.
        public var isTransient: Bool {
            switch self {
            case .timeout, .stalled, .refused, .connectionLost:
                return true
            case .http(let status):
                return status == 408 || status == 429 || (500...599).contains(status)
            default:
                return false
            }
        }

        public var description: String {
            switch self {
            case .timeout: return "timeout"
            case .stalled: return "stalled"
            case .tooLarge: return "tooLarge"
            case .http(let status): return "http(\(status))"
            case .tls: return "tls"
            case .dns: return "dns"
            case .refused: return "refused"
            case .connectionLost: return "connectionLost"
            case .unsupportedProtocol: return "unsupportedProtocol"
            case .secretUnavailable: return "secretUnavailable"
            case .invalidURL: return "invalidURL"
            case .invalidOptions: return "invalidOptions"
            case .redirect: return "redirect"
            case .remoteFileNotFound: return "remoteFileNotFound"
            case .accessDenied: return "accessDenied"
            case .cache: return "cache"
            case .cancelled: return "cancelled"
            case .transfer: return "transfer"
            }
        }
    }

    /// The kind of failure.
    public let kind: Kind
    /// The source URL with credentials, `key=`/`token=`-like query values and key path segments
    /// replaced by `***`.
    public let url: String
    /// What went wrong, without the URL (redacted).
    public let reason: String
    /// What to do about it.
    public let advice: String
    /// Attempts made (0 when the fetch was refused before contacting the server).
    public let attempts: Int

    /// Creates an error; `reason` and `advice` must already be redacted.
    public init(kind: Kind, url: String, reason: String, advice: String, attempts: Int) {
        self.kind = kind
        self.url = url
        self.reason = reason
        self.advice = advice
        self.attempts = attempts
    }

    /// The full message: source, reason, attempts and advice.
    public var message: String {
        var text = "cannot fetch \(url): \(reason)"
        if attempts > 1 {
            text += " (gave up after \(attempts) attempts)"
        }
        if !advice.isEmpty {
            text += ". \(advice)"
        }
        return text
    }

    public var description: String { message }
}

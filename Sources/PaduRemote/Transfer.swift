#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CCurl
import Foundation

/// Credentials and headers resolved for one fetch (secrets read at fetch time).
struct Credentials {
    /// A request header line and whether it carries a secret (sent only to the source's origin).
    struct Header {
        let line: String
        let isSecret: Bool
    }

    var headers: [Header] = []
    var sftpUser: String?
    var sftpPassword: String?
    var sftpPrivateKeyPath: String?
    var sftpKnownHostsPath: String?
    /// Every resolved secret (and derived form such as a basic-auth token), for redaction.
    var secrets: [String] = []

    var hasSecretHeaders: Bool { headers.contains(where: \.isSecret) }

    /// Reads the secrets of `options` and checks header names and values.
    static func resolve(_ options: RemoteFetchOptions, for target: RemoteURL) throws(RemoteFetchError) -> Credentials {
        func failure(_ kind: RemoteFetchError.Kind, _ reason: String, _ advice: String) -> RemoteFetchError {
            RemoteFetchError(kind: kind, url: target.redacted, reason: reason, advice: advice, attempts: 0)
        }
        func secret(_ reference: SecretReference, _ purpose: String) throws(RemoteFetchError) -> String {
            do {
                return try SecretReader.value(of: reference, purpose: purpose)
            } catch {
                throw failure(.secretUnavailable, error.reason, error.advice)
            }
        }
        var credentials = Credentials()
        credentials.secrets = Redaction.secretValues(inURL: target.string)
        func value(_ value: RemoteValue, _ purpose: String) throws(RemoteFetchError) -> (String, Bool) {
            switch value {
            case .literal(let text):
                guard !text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) else {
                    throw failure(
                        .invalidOptions, "\(purpose) contains a line break or control character",
                        "Correct the value in the pipeline"
                    )
                }
                return (text, false)
            case .secret(let reference):
                let text = try secret(reference, purpose)
                credentials.secrets.append(text)
                return (text, true)
            }
        }

        switch options.authentication {
        case nil:
            break
        case .basic(let userValue, let passwordReference)?:
            let (user, _) = try value(userValue, "the user name")
            let password = try secret(passwordReference, "the password")
            credentials.secrets.append(password)
            if target.isHTTP {
                guard !user.contains(":") else {
                    throw failure(
                        .invalidOptions, "the basic-auth user name contains ':'",
                        "HTTP basic authentication cannot carry such a user name; check the user name"
                    )
                }
                let token = Data("\(user):\(password)".utf8).base64EncodedString()
                credentials.secrets.append(token)
                credentials.headers.append(Header(line: "Authorization: Basic \(token)", isSecret: true))
            } else {
                credentials.sftpUser = user
                credentials.sftpPassword = password
            }
        case .bearer(let reference)?:
            guard target.isHTTP else {
                throw failure(
                    .invalidOptions, "bearer tokens are only used with http(s):// sources",
                    "For sftp:// use .basic(user:password:) or an SSH private key (sshPrivateKeyPath)"
                )
            }
            let token = try secret(reference, "the bearer token")
            credentials.secrets.append(token)
            credentials.headers.append(Header(line: "Authorization: Bearer \(token)", isSecret: true))
        }

        for header in options.headers {
            let tokenCharacters = CharacterSet(charactersIn: "!#$%&'*+-.^_`|~").union(.alphanumerics)
            guard !header.name.isEmpty,
                  header.name.unicodeScalars.allSatisfy({ $0.isASCII && tokenCharacters.contains($0) })
            else {
                throw failure(
                    .invalidOptions, "the header name '\(header.name)' is not valid",
                    "Header names use letters, digits and - (for example X-API-Key)"
                )
            }
            let (text, isSecret) = try value(header.value, "header '\(header.name)'")
            guard target.isHTTP else {
                throw failure(
                    .invalidOptions, "headers are only sent to http(s):// sources",
                    "Remove the headers from this sftp:// source"
                )
            }
            credentials.headers.append(Header(line: "\(header.name): \(text)", isSecret: isSecret))
        }

        if target.scheme == "sftp" {
            let knownHosts = options.sshKnownHostsPath
                ?? ((ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory()) + "/.ssh/known_hosts")
            guard access(knownHosts, R_OK) == 0 else {
                throw failure(
                    .tls,
                    "there is no readable known-hosts file '\(knownHosts)', so the SFTP server's identity cannot be verified",
                    "Get the server's host key fingerprint from its administrator, add the key to that file "
                        + "(for example `ssh-keyscan -H \(target.host) >> \(knownHosts)`, then compare the fingerprint), "
                        + "or set sshKnownHostsPath"
                )
            }
            credentials.sftpKnownHostsPath = knownHosts
            if let key = options.sshPrivateKeyPath {
                do {
                    try SecretReader.checkPrivateFile(key, purpose: "the SSH private key")
                } catch {
                    throw failure(.secretUnavailable, error.reason, error.advice)
                }
                credentials.sftpPrivateKeyPath = key
            }
        }
        return credentials
    }
}

/// Why one attempt failed (already redacted), and how long the server asked us to wait.
struct AttemptFailure: Error {
    let kind: RemoteFetchError.Kind
    let reason: String
    let advice: String
    var retryAfter: Double? = nil

    static let cancelled = AttemptFailure(
        kind: .cancelled, reason: "the fetch was cancelled", advice: "The run was stopped; nothing was changed in the cache"
    )
}

/// The end of one attempt.
enum AttemptOutcome {
    /// A 2xx answer (or an SFTP file) was written completely to the temporary file.
    case downloaded(httpStatus: Int?, etag: String?, lastModified: String?)
    /// 304 Not Modified.
    case notModified(etag: String?, lastModified: String?)
    case failed(AttemptFailure)
}

/// Runs attempts for one fetch on one easy handle, following redirects by hand so that every hop
/// is checked (no https → http downgrade, no credentials in the target, secrets only to the
/// source's origin).
struct Transfer {
    let easy: EasyHandle
    let target: RemoteURL
    let options: RemoteFetchOptions
    let credentials: Credentials

    /// One attempt: the request, plus up to `maxRedirects` redirects.
    func run(conditionalOn previous: FetchRecord?) -> AttemptOutcome {
        let started = ContinuousClock.now
        var current = target
        var redirects = 0
        var droppedCredentials = false

        while true {
            var remaining: Int?
            if let total = options.totalTimeout {
                let left = total - (ContinuousClock.now - started)
                guard left > .zero else {
                    return .failed(totalTimeoutFailure(at: current))
                }
                remaining = max(1, RemoteUnits.milliseconds(left))
            }
            guard configure(for: current, timeoutMilliseconds: remaining) else {
                return .failed(AttemptFailure(
                    kind: .transfer, reason: "libcurl \(Curl.version) rejected the transfer options",
                    advice: "Check the libcurl installation; Padu needs libcurl 7.85 or newer"
                ))
            }

            var headers: [String] = []
            if current.isHTTP {
                let sameOrigin = current.origin == target.origin
                for header in credentials.headers where sameOrigin || !header.isSecret {
                    headers.append(header.line)
                }
                if !sameOrigin && credentials.hasSecretHeaders {
                    droppedCredentials = true
                }
                if let previous {
                    if let etag = previous.etag { headers.append("If-None-Match: \(etag)") }
                    if let lastModified = previous.lastModified { headers.append("If-Modified-Since: \(lastModified)") }
                }
            }

            easy.state.startRequest(isHTTP: current.isHTTP)
            let (code, errorText) = easy.perform(headers: headers)
            guard code == CURLE_OK else {
                return .failed(curlFailure(code, errorText, at: current))
            }
            guard current.isHTTP else {
                return .downloaded(httpStatus: nil, etag: nil, lastModified: nil)
            }

            let status = easy.responseCode
            switch status {
            case 200..<300:
                return .downloaded(
                    httpStatus: status, etag: easy.state.header("etag"), lastModified: easy.state.header("last-modified")
                )
            case 304:
                return .notModified(etag: easy.state.header("etag"), lastModified: easy.state.header("last-modified"))
            case 301, 302, 303, 307, 308:
                guard let location = easy.redirectURL else {
                    return .failed(httpFailure(status, at: current, droppedCredentials: droppedCredentials))
                }
                redirects += 1
                guard redirects <= max(0, options.maxRedirects) else {
                    return .failed(AttemptFailure(
                        kind: .redirect,
                        reason: "the server redirected more than \(max(0, options.maxRedirects)) times "
                            + "(last to \(Redaction.redactURL(location)))",
                        advice: "The address probably loops or moved; open it in a browser and put the final address in the pipeline"
                    ))
                }
                switch Self.checkRedirect(from: current, to: location) {
                case .success(let next):
                    current = next
                case .failure(let problem):
                    return .failed(problem)
                }
            default:
                return .failed(httpFailure(status, at: current, droppedCredentials: droppedCredentials))
            }
        }
    }

    /// Sets the per-hop options. Returns false if libcurl refuses one.
    private func configure(for url: RemoteURL, timeoutMilliseconds: Int?) -> Bool {
        var ok = true
        ok = ok && easy.set(CURLOPT_URL, url.string)
        ok = ok && easy.set(CURLOPT_PROTOCOLS_STR, url.scheme)
        ok = ok && easy.set(CURLOPT_FOLLOWLOCATION, 0)
        ok = ok && easy.set(CURLOPT_CONNECTTIMEOUT_MS, max(1, RemoteUnits.milliseconds(options.connectTimeout)))
        ok = ok && easy.set(CURLOPT_TIMEOUT_MS, timeoutMilliseconds ?? 0)
        if let limit = options.lowSpeedLimit, limit.bytesPerSecond > 0, limit.duration > .zero {
            // Checked in the progress callback (see TransferState.progress).
            let minimum = Int64((Double(limit.bytesPerSecond) * RemoteUnits.seconds(limit.duration)).rounded(.up))
            easy.state.stallRule = (max(1, minimum), limit.duration)
        } else {
            easy.state.stallRule = nil
        }
        ok = ok && easy.setLarge(CURLOPT_MAXFILESIZE_LARGE, max(0, options.maxBytes ?? 0))
        ok = ok && easy.set(CURLOPT_TCP_KEEPALIVE, 1)
        ok = ok && easy.set(CURLOPT_BUFFERSIZE, 128 * 1024)  // fewer, larger writes to disk
        if url.isHTTP {
            if options.acceptCompressed {
                ok = ok && easy.set(CURLOPT_ACCEPT_ENCODING, "")  // every encoding libcurl can decode
            } else {
                ok = ok && padu_curl_setopt_string(easy.handle, CURLOPT_ACCEPT_ENCODING, nil) == CURLE_OK
            }
            ok = ok && easy.set(CURLOPT_USERAGENT, options.userAgent)
        } else {
            if let user = credentials.sftpUser { ok = ok && easy.set(CURLOPT_USERNAME, user) }
            if let password = credentials.sftpPassword { ok = ok && easy.set(CURLOPT_PASSWORD, password) }
            if let key = credentials.sftpPrivateKeyPath { ok = ok && easy.set(CURLOPT_SSH_PRIVATE_KEYFILE, key) }
            if let knownHosts = credentials.sftpKnownHostsPath { ok = ok && easy.set(CURLOPT_SSH_KNOWNHOSTS, knownHosts) }
        }
        return ok
    }

    /// Checks a redirect target: http(s) only, no https → http downgrade, no embedded credentials.
    static func checkRedirect(from current: RemoteURL, to location: String) -> Result<RemoteURL, AttemptFailure> {
        let shown = Redaction.redactURL(location)
        guard let next = RemoteURL.parse(location), !next.host.isEmpty else {
            return .failure(AttemptFailure(
                kind: .redirect, reason: "the server redirected to an address that cannot be parsed (\(shown))",
                advice: "Ask the publisher for the file's current address and put it in the pipeline"
            ))
        }
        guard next.isHTTP else {
            return .failure(AttemptFailure(
                kind: .redirect, reason: "the server redirected to a \(next.scheme):// address (\(shown))",
                advice: "Padu follows redirects to https:// and http:// only; put the final address in the pipeline if it is trustworthy"
            ))
        }
        guard !(current.scheme == "https" && next.scheme == "http") else {
            return .failure(AttemptFailure(
                kind: .redirect,
                reason: "the server redirected from https:// to unencrypted http:// (\(shown)); Padu refuses such downgrades",
                advice: "Ask the publisher to serve the file over https://; if plain http is acceptable for this data, "
                    + "put the http:// address in the pipeline yourself"
            ))
        }
        guard !next.hasCredentials else {
            return .failure(AttemptFailure(
                kind: .redirect, reason: "the server redirected to an address with a user name or password (\(shown))",
                advice: "Ask the publisher for an address without embedded credentials"
            ))
        }
        return .success(next)
    }

    // MARK: - Failure descriptions

    private var secrets: [String] { credentials.secrets }

    private func hopNote(_ url: RemoteURL) -> String {
        url == target ? "" : " (after a redirect to \(url.redacted))"
    }

    private func totalTimeoutFailure(at url: RemoteURL) -> AttemptFailure {
        let limit = options.totalTimeout.map(RemoteUnits.describe) ?? "?"
        return AttemptFailure(
            kind: .timeout,
            reason: "the download did not finish within \(limit) (total timeout; "
                + "\(RemoteUnits.describeBytes(easy.state.bytes)) received)\(hopNote(url))",
            advice: "The file may be larger or the connection slower than expected: raise totalTimeout for this source, "
                + "or run it at a quieter time"
        )
    }

    private func curlFailure(_ code: CURLcode, _ rawText: String, at url: RemoteURL) -> AttemptFailure {
        let text = Redaction.redactText(rawText, secrets: secrets)
        let hop = hopNote(url)
        let hostPort = "\(url.host):\(url.port)"
        switch code {
        case CURLE_ABORTED_BY_CALLBACK where easy.state.stalled:
            let limit = options.lowSpeedLimit ?? LowSpeedLimit(bytesPerSecond: 1, duration: .seconds(1))
            let per = limit.bytesPerSecond == 1 ? "1 byte" : "\(limit.bytesPerSecond) bytes"
            let progress = easy.state.bytes > 0
                ? "after \(RemoteUnits.describeBytes(easy.state.bytes)) had arrived"
                : "before any data arrived"
            return AttemptFailure(
                kind: .stalled,
                reason: "the transfer stalled: less than \(per) per second for \(RemoteUnits.describe(limit.duration)) "
                    + "\(progress)\(hop)",
                advice: "The server or the network is overloaded. Try again later; if this source is always this slow "
                    + "(or takes long to prepare its answer), relax lowSpeedLimit for it"
            )
        case CURLE_OPERATION_TIMEDOUT:
            let lower = text.lowercased()
            if lower.contains("connect") || lower.contains("resolv") {
                return AttemptFailure(
                    kind: .timeout,
                    reason: "could not connect to \(hostPort) within \(RemoteUnits.describe(options.connectTimeout)) "
                        + "(connect timeout)\(hop)",
                    advice: "Check that this machine can reach \(url.host) (network, proxy, firewall) and that the server is up, "
                        + "or raise connectTimeout"
                )
            }
            return totalTimeoutFailure(at: url)
        case CURLE_COULDNT_RESOLVE_HOST:
            return AttemptFailure(
                kind: .dns, reason: "the host name '\(url.host)' could not be found (DNS)\(hop)",
                advice: "Check the spelling of the host in the URL, and that this machine has working DNS and Internet access"
            )
        case CURLE_COULDNT_RESOLVE_PROXY:
            return AttemptFailure(
                kind: .dns, reason: "the proxy host could not be found (DNS): \(text)",
                advice: "Check the proxy settings (http_proxy / https_proxy environment variables) of the daemon"
            )
        case CURLE_COULDNT_CONNECT:
            return AttemptFailure(
                kind: .refused, reason: "could not connect to \(hostPort) (\(text))\(hop)",
                advice: "The service may be down, or the port in the URL may be wrong. Try again later; "
                    + "if it persists, check the address with the publisher or your network administrator"
            )
        case CURLE_PEER_FAILED_VERIFICATION where url.scheme == "sftp":
            return AttemptFailure(
                kind: .tls, reason: "the SFTP server's host key is unknown or has changed: \(text)",
                advice: "Ask the server's administrator for its host key fingerprint; if it really changed, update the "
                    + "known-hosts file (\(credentials.sftpKnownHostsPath ?? "known_hosts")). Do not ignore this: it can "
                    + "mean someone is intercepting the connection"
            )
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
             CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
             CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CRL_BADFILE, CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED,
             CURLE_SSL_ENGINE_INITFAILED, CURLE_USE_SSL_FAILED:
            return AttemptFailure(
                kind: .tls, reason: "the secure connection to \(url.host) failed: \(text)\(hop)",
                advice: "The server's certificate may be expired, issued for another name, or signed by an authority this "
                    + "machine does not trust. Ask the publisher or IT to check it (and this machine's ca-certificates); "
                    + "do not switch the source to http://"
            )
        case CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE, CURLE_HTTP2, CURLE_HTTP2_STREAM,
             CURLE_HTTP3, CURLE_QUIC_CONNECT_ERROR:
            return AttemptFailure(
                kind: .connectionLost,
                reason: "the connection was lost before the download was complete "
                    + "(\(RemoteUnits.describeBytes(easy.state.bytes)) received): \(text)\(hop)",
                advice: "The network or the server dropped the connection. Try again later; if it keeps happening, "
                    + "tell the publisher"
            )
        case CURLE_WRITE_ERROR where easy.state.exceededMax, CURLE_FILESIZE_EXCEEDED:
            let limit = options.maxBytes.map(RemoteUnits.describeBytes) ?? "?"
            return AttemptFailure(
                kind: .tooLarge,
                reason: "the download is larger than the limit of \(limit) (maxBytes)\(hop)",
                advice: "If the file really is this large, raise maxBytes for this source; otherwise check that the URL "
                    + "points at the intended file"
            )
        case CURLE_WRITE_ERROR where easy.state.writeErrno != 0:
            let problem = CacheFailure.system("write the download to the cache folder at", "", code: easy.state.writeErrno)
            return AttemptFailure(
                kind: .cache,
                reason: "cannot write the download into the cache folder: \(String(cString: strerror(easy.state.writeErrno)))",
                advice: problem.advice
            )
        case CURLE_ABORTED_BY_CALLBACK:
            return .cancelled
        case CURLE_UNSUPPORTED_PROTOCOL:
            return AttemptFailure(
                kind: .unsupportedProtocol, reason: "\(url.scheme):// is not supported by libcurl \(Curl.version): \(text)",
                advice: "Use an https:// or http:// address"
            )
        case CURLE_URL_MALFORMAT:
            return AttemptFailure(
                kind: .invalidURL, reason: "libcurl cannot use the URL: \(text)\(hop)",
                advice: "Check the URL for spaces or characters that must be percent-encoded"
            )
        case CURLE_LOGIN_DENIED, CURLE_REMOTE_ACCESS_DENIED, CURLE_AUTH_ERROR:
            return AttemptFailure(
                kind: .accessDenied, reason: "the server refused the login or access to the file: \(text)",
                advice: "Check the user name and the secret referenced by this source, and that the account may read the file"
            )
        case CURLE_REMOTE_FILE_NOT_FOUND:
            return AttemptFailure(
                kind: .remoteFileNotFound, reason: "the server has no file at this path",
                advice: "Check the path in the URL; the publisher may have moved or renamed the file"
            )
        default:
            return AttemptFailure(
                kind: .transfer, reason: "the transfer failed (libcurl error \(code.rawValue)): \(text)\(hop)",
                advice: "Try again later; if it persists, report the message to your administrator"
            )
        }
    }

    private func httpFailure(_ status: Int, at url: RemoteURL, droppedCredentials: Bool) -> AttemptFailure {
        let phrase = Self.reasonPhrase(status).map { " \($0)" } ?? ""
        var reason = "the server answered HTTP \(status)\(phrase)\(hopNote(url))"
        if let said = serverMessage() {
            reason += "; it said: \"\(said)\""
        }
        let advice: String
        switch status {
        case 401:
            if droppedCredentials {
                advice = "The server redirected to another host (\(url.host)), and Padu does not send credentials to a "
                    + "different host. Put the final address in the pipeline if that host is trustworthy"
            } else if credentials.hasSecretHeaders {
                advice = "The credentials were not accepted: check that the secret this source refers to is current "
                    + "(API keys and passwords expire or get rotated)"
            } else {
                advice = "The server requires credentials: add authentication or a header with a secret reference to this source"
            }
        case 403:
            advice = "Access is forbidden: the account or key may lack permission for this file, or the server may block "
                + "this machine's address. Check with the publisher"
        case 404, 410:
            advice = "The file is not (or no longer) at this address. Check the URL in the pipeline; the publisher may have "
                + "moved or renamed the file"
        case 408, 429, 500...599:
            advice = "The server is overloaded or temporarily unavailable. Try again later, or allow more retries for this source"
        case 300..<400:
            advice = "The server sent a redirect without a usable target. Ask the publisher for the file's current address"
        default:
            advice = "The server rejected the request. Check the URL and its parameters"
        }
        var failure = AttemptFailure(kind: .http(status), reason: reason, advice: advice)
        failure.retryAfter = Self.retryAfterSeconds(easy.state.header("retry-after"))
        return failure
    }

    /// The start of a textual error body, on one line and redacted; nil if empty or binary.
    private func serverMessage() -> String? {
        let body = easy.state.errorBody
        guard !body.isEmpty else { return nil }
        var text = String(decoding: body, as: UTF8.self)
        if text.contains("<") {
            // Drop HTML/XML tags; keep the words.
            var plain = ""
            var inTag = false
            for character in text {
                if character == "<" { inTag = true; plain.append(" "); continue }
                if character == ">" { inTag = false; continue }
                if !inTag { plain.append(character) }
            }
            text = plain
        }
        let printable = text.unicodeScalars.filter { $0.value >= 0x20 || $0 == "\n" || $0 == "\t" || $0 == "\r" }
        guard printable.count * 10 >= text.unicodeScalars.count * 9 else { return nil }
        let words = text.split(whereSeparator: { $0.isWhitespace || $0.isNewline })
        guard !words.isEmpty else { return nil }
        var line = words.joined(separator: " ")
        if line.count > 200 { line = String(line.prefix(200)) + "…" }
        return Redaction.redactText(line, secrets: secrets)
    }

    /// `Retry-After` in seconds: delta-seconds or an HTTP date.
    static func retryAfterSeconds(_ value: String?) -> Double? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let seconds = Int(value) { return Double(max(0, seconds)) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: value) else { return nil }
        return max(0, date.timeIntervalSinceNow)
    }

    static func reasonPhrase(_ status: Int) -> String? {
        switch status {
        case 300: return "Multiple Choices"
        case 301: return "Moved Permanently"
        case 302: return "Found"
        case 303: return "See Other"
        case 304: return "Not Modified"
        case 307: return "Temporary Redirect"
        case 308: return "Permanent Redirect"
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 406: return "Not Acceptable"
        case 408: return "Request Timeout"
        case 410: return "Gone"
        case 413: return "Content Too Large"
        case 414: return "URI Too Long"
        case 429: return "Too Many Requests"
        case 500: return "Internal Server Error"
        case 501: return "Not Implemented"
        case 502: return "Bad Gateway"
        case 503: return "Service Unavailable"
        case 504: return "Gateway Timeout"
        default: return nil
        }
    }
}

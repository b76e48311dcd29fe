#if canImport(Glibc)
import Glibc
#endif
import CCurl
import Foundation
import PaduCore

/// Why a POST was not accepted.
public struct HTTPPostError: Error, Sendable, CustomStringConvertible {
    /// The HTTP status, when the server answered.
    public let status: Int?
    public let description: String
}

/// One HTTP(S) POST of a small JSON document with libcurl (OpenLineage events to a collector).
public enum HTTPPost {
    /// POSTs `body` to `url` as `application/json`; succeeds on a 2xx answer. `token` is sent as
    /// a bearer token and never appears in messages.
    public static func json(_ body: String, to url: String, token: String? = nil, timeoutSeconds: Int = 10) -> Result<Int, HTTPPostError> {
        guard let easy = EasyHandle() else { return .failure(HTTPPostError(status: nil, description: "libcurl could not start")) }
        let sink = open("/dev/null", O_WRONLY | O_CLOEXEC)
        defer { if sink >= 0 { close(sink) } }
        easy.state.fd = sink
        easy.state.startRequest(isHTTP: true)
        easy.state.startAttempt()
        let shown = Redaction.redactURL(url)
        guard easy.set(CURLOPT_URL, url), easy.set(CURLOPT_PROTOCOLS_STR, "http,https"),
              easy.set(CURLOPT_POSTFIELDSIZE, body.utf8.count), easy.set(CURLOPT_COPYPOSTFIELDS, body),
              easy.set(CURLOPT_TIMEOUT_MS, timeoutSeconds * 1000), easy.set(CURLOPT_CONNECTTIMEOUT_MS, min(timeoutSeconds, 5) * 1000) else {
            return .failure(HTTPPostError(status: nil, description: "\(shown): libcurl refused the request options"))
        }
        var headers = ["Content-Type: application/json", "Accept: application/json", "User-Agent: padu/\(Padu.version)"]
        if let token { headers.append("Authorization: Bearer \(token)") }
        let (code, error) = easy.perform(headers: headers)
        guard code == CURLE_OK else {
            return .failure(HTTPPostError(status: nil, description: "\(shown): \(error)"))
        }
        let status = easy.responseCode
        guard (200..<300).contains(status) else {
            let text = String(decoding: easy.state.errorBody, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            return .failure(HTTPPostError(status: status, description: "\(shown): HTTP \(status)" + (text.isEmpty ? "" : ": \(text.prefix(200))")))
        }
        return .success(status)
    }
}

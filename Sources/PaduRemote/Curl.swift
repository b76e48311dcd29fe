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

/// Process-wide libcurl facts.
enum Curl {
    /// `curl_global_init`, run once (thread-safe lazy static) before the first easy handle.
    static let initialized: Bool = padu_curl_global_init_default() == CURLE_OK

    /// The protocols the installed libcurl supports, lowercase (e.g. `http`, `https`, `sftp`).
    static let protocols: Set<String> = {
        guard let info = padu_curl_version_info_now(), let list = info.pointee.protocols else { return [] }
        var names: Set<String> = []
        var index = 0
        while let name = list[index] {
            names.insert(String(cString: name).lowercased())
            index += 1
        }
        return names
    }()

    /// The libcurl version, e.g. `7.88.1`.
    static let version: String = {
        guard let info = padu_curl_version_info_now(), let version = info.pointee.version else { return "unknown" }
        return String(cString: version)
    }()
}

/// A URL as libcurl parses it (the same parser that will do the request).
struct RemoteURL: Equatable {
    /// The URL as given (may contain secrets: never show it; show `redacted`).
    let string: String
    /// The URL with secrets replaced by `***`.
    let redacted: String
    /// Lowercase scheme.
    let scheme: String
    /// Lowercase host name.
    let host: String
    /// The port, explicit or the scheme's default (0 if unknown).
    let port: Int
    /// Whether the URL embeds a user name or password.
    let hasCredentials: Bool

    var isHTTP: Bool { scheme == "http" || scheme == "https" }
    var origin: String { "\(scheme)://\(host):\(port)" }

    /// Parses `string`; nil if libcurl cannot parse it.
    static func parse(_ string: String) -> RemoteURL? {
        guard let handle = curl_url() else { return nil }
        defer { curl_url_cleanup(handle) }
        guard curl_url_set(handle, CURLUPART_URL, string, UInt32(CURLU_NON_SUPPORT_SCHEME)) == CURLUE_OK else {
            return nil
        }
        func part(_ which: CURLUPart, _ flags: Int32 = 0) -> String? {
            var value: UnsafeMutablePointer<CChar>?
            guard curl_url_get(handle, which, &value, UInt32(flags)) == CURLUE_OK, let value else { return nil }
            defer { curl_free(value) }
            return String(cString: value)
        }
        guard let scheme = part(CURLUPART_SCHEME)?.lowercased() else { return nil }
        let host = part(CURLUPART_HOST)?.lowercased() ?? ""
        let port = part(CURLUPART_PORT, CURLU_DEFAULT_PORT).flatMap { Int($0) } ?? 0
        let hasCredentials = part(CURLUPART_USER) != nil || part(CURLUPART_PASSWORD) != nil
            || Self.authorityHasUserInfo(string)
        return RemoteURL(
            string: string, redacted: Redaction.redactURL(string), scheme: scheme, host: host, port: port,
            hasCredentials: hasCredentials
        )
    }

    /// `scheme://user@host` or `scheme://user:pw@host`, checked on the text (belt and braces).
    static func authorityHasUserInfo(_ string: String) -> Bool {
        guard let separator = string.range(of: "://") else { return false }
        let rest = string[separator.upperBound...]
        let end = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        return rest[..<end].contains("@")
    }
}

/// Per-transfer state shared with the libcurl callbacks (one thread at a time).
final class TransferState {
    /// Where 2xx bodies (and SFTP files) go.
    var fd: Int32 = -1
    var hasher = SHA256()
    var bytes: Int64 = 0
    var maxBytes: Int64?
    var exceededMax = false
    var writeErrno: Int32 = 0
    var cancelled = false

    /// Stall detection: at least `minimumBytes` must arrive in every `window`.
    var stallRule: (minimumBytes: Int64, window: Duration)?
    /// When the current window started, and the request's byte count then.
    private var checkpoint: (time: ContinuousClock.Instant, bytes: Int64) = (.now, 0)
    /// Set when the progress callback aborted a stalled transfer.
    var stalled = false

    /// Whether the current hop is HTTP (status line and headers are parsed).
    var isHTTP = true
    /// The status of the response being received (from its status line).
    var status = 0
    /// Headers of the response being received, names lowercased.
    var headers: [(name: String, value: String)] = []
    /// The beginning of a non-2xx body, for the error message.
    var errorBody: [UInt8] = []
    static let errorBodyLimit = 2048

    /// The last value of header `name` (lowercase).
    func header(_ name: String) -> String? {
        headers.last(where: { $0.name == name })?.value
    }

    /// Resets the response-related fields before a request.
    func startRequest(isHTTP: Bool) {
        self.isHTTP = isHTTP
        status = 0
        headers = []
        errorBody = []
        checkpoint = (.now, 0)
        stalled = false
        cancelled = false
    }

    /// Resets the body (the caller truncates the file) before an attempt.
    func startAttempt() {
        hasher = SHA256()
        bytes = 0
        exceededMax = false
        writeErrno = 0
    }

    /// CURLOPT_HEADERFUNCTION: one header line per call.
    func receiveHeader(_ buffer: UnsafeRawBufferPointer) -> Int {
        guard isHTTP else { return buffer.count }
        // Note: "\r\n" is one Character in Swift, so trim with a character set.
        let line = String(decoding: buffer, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if line.hasPrefix("HTTP/") {
            // A new response (interim 1xx or the next one): start over.
            let parts = line.split(separator: " ", maxSplits: 2)
            status = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
            headers = []
            errorBody = []
        } else if let colon = line.firstIndex(of: ":") {
            let name = line[..<colon].trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
            headers.append((name, value))
        }
        return buffer.count
    }

    /// CURLOPT_WRITEFUNCTION: body bytes. Returning less than `buffer.count` aborts the transfer.
    func receiveBody(_ buffer: UnsafeRawBufferPointer) -> Int {
        let count = buffer.count
        guard count > 0, let base = buffer.baseAddress else { return count }
        if isHTTP && !(200..<300).contains(status) {
            let room = Self.errorBodyLimit - errorBody.count
            if room > 0 {
                errorBody.append(contentsOf: UnsafeRawBufferPointer(start: base, count: min(room, count)))
            }
            return count
        }
        if let maxBytes, bytes + Int64(count) > maxBytes {
            exceededMax = true
            return 0
        }
        var offset = 0
        while offset < count {
            let written = posixWrite(fd, base + offset, count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                writeErrno = errno
                return 0
            }
            offset += written
        }
        hasher.update(buffer)
        bytes += Int64(count)
        return count
    }

    /// CURLOPT_XFERINFOFUNCTION, called at least about once a second: returns non-zero to abort on
    /// task cancellation or a stall. `downloaded` is the byte count of the current request.
    ///
    /// Stall detection is done here rather than with CURLOPT_LOW_SPEED_LIMIT because libcurl
    /// averages the speed over a window of about five seconds, so a transfer that stops after a
    /// burst was only noticed five seconds late.
    func progress(downloaded: Int64) -> Int32 {
        if Task.isCancelled {
            cancelled = true
            return 1
        }
        guard let rule = stallRule else { return 0 }
        let now = ContinuousClock.now
        if downloaded - checkpoint.bytes >= rule.minimumBytes {
            checkpoint = (now, downloaded)
        } else if now - checkpoint.time >= rule.window {
            stalled = true
            return 1
        }
        return 0
    }
}

/// One libcurl easy handle (one per fetch), with the callbacks wired to a `TransferState`.
final class EasyHandle {
    let handle: UnsafeMutableRawPointer
    let state = TransferState()
    private var errorBuffer: [CChar]

    init?() {
        guard Curl.initialized, let handle = curl_easy_init() else { return nil }
        self.handle = handle
        errorBuffer = [CChar](repeating: 0, count: Int(padu_curl_error_size()) + 1)
        let context = Unmanaged.passUnretained(state).toOpaque()
        _ = padu_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        _ = padu_curl_setopt_write_callback(handle, CURLOPT_WRITEFUNCTION) { pointer, size, count, context in
            guard let context else { return 0 }
            let state = Unmanaged<TransferState>.fromOpaque(context).takeUnretainedValue()
            return state.receiveBody(UnsafeRawBufferPointer(start: pointer, count: size * count))
        }
        _ = padu_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, context)
        _ = padu_curl_setopt_write_callback(handle, CURLOPT_HEADERFUNCTION) { pointer, size, count, context in
            guard let context else { return 0 }
            let state = Unmanaged<TransferState>.fromOpaque(context).takeUnretainedValue()
            return state.receiveHeader(UnsafeRawBufferPointer(start: pointer, count: size * count))
        }
        _ = padu_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, context)
        _ = padu_curl_setopt_xferinfo_callback(handle) { context, _, downloaded, _, _ in
            guard let context else { return 0 }
            return Unmanaged<TransferState>.fromOpaque(context).takeUnretainedValue().progress(downloaded: Int64(downloaded))
        }
        _ = padu_curl_setopt_pointer(handle, CURLOPT_XFERINFODATA, context)
        _ = padu_curl_setopt_long(handle, CURLOPT_NOPROGRESS, 0)
    }

    deinit {
        curl_easy_cleanup(handle)
    }

    /// Sets a string option; libcurl copies the string.
    func set(_ option: CURLoption, _ value: String) -> Bool {
        padu_curl_setopt_string(handle, option, value) == CURLE_OK
    }

    /// Sets a `long` option.
    func set(_ option: CURLoption, _ value: Int) -> Bool {
        padu_curl_setopt_long(handle, option, value) == CURLE_OK
    }

    /// Sets a `curl_off_t` option.
    func setLarge(_ option: CURLoption, _ value: Int64) -> Bool {
        padu_curl_setopt_off_t(handle, option, curl_off_t(value)) == CURLE_OK
    }

    /// Runs the transfer with `headers` (kept alive for its duration); returns the result code and
    /// libcurl's error text.
    func perform(headers: [String]) -> (code: CURLcode, error: String) {
        var list: UnsafeMutablePointer<curl_slist>?
        for header in headers {
            list = curl_slist_append(list, header)
        }
        defer { curl_slist_free_all(list) }
        _ = padu_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, list)
        defer { _ = padu_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, nil) }

        let code = errorBuffer.withUnsafeMutableBufferPointer { buffer -> CURLcode in
            buffer[0] = 0
            _ = padu_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, buffer.baseAddress)
            defer { _ = padu_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, nil) }
            return curl_easy_perform(handle)
        }
        var text = errorBuffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        if text.isEmpty, let generic = curl_easy_strerror(code) {
            text = String(cString: generic)
        }
        return (code, text)
    }

    /// CURLINFO_RESPONSE_CODE.
    var responseCode: Int {
        var code = 0
        _ = padu_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &code)
        return code
    }

    /// CURLINFO_REDIRECT_URL: the absolute target of a 3xx answer.
    var redirectURL: String? {
        var pointer: UnsafePointer<CChar>?
        guard padu_curl_getinfo_string(handle, CURLINFO_REDIRECT_URL, &pointer) == CURLE_OK, let pointer else {
            return nil
        }
        return String(cString: pointer)
    }
}

import Foundation
import PaduCore
import PaduRemote

/// Fetches remote inputs (`https://`, `http://`, `sftp://`) into the home folder's cache.
///
/// A URL in a pipeline file may carry secrets only as references, expanded at fetch time and
/// never stored or logged: `${env:NAME}` (an environment variable) and `${file:/path}` (a key
/// file readable by its owner only). The warehouse records the URL as written, references
/// unexpanded, so an input keeps one identity and no secret reaches it.
public struct RemoteInputResolver: InputResolver {
    public let fetcher: RemoteFetcher
    public let options: RemoteFetchOptions
    private let environment: [String: String]

    public init(cacheDirectory: String, options: RemoteFetchOptions = RemoteFetchOptions(),
                environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.fetcher = RemoteFetcher(cacheDirectory: cacheDirectory)
        self.options = options
        self.environment = environment
    }

    public func handles(_ path: String) -> Bool { RemoteFetcher.isRemote(path) }

    public func localFile(for path: String) throws -> String {
        let url = try expand(path)
        do {
            return try fetcher.fetch(url, options: options).localPath
        } catch {
            // Said with the URL as written: expanded secrets never reach a message.
            throw RemoteInputError(message: "cannot fetch \(Self.shown(path)): \(error.reason)"
                + (error.attempts > 1 ? " (gave up after \(error.attempts) attempts)" : "") + ". \(error.advice)")
        }
    }

    /// `${env:NAME}` and `${file:PATH}` replaced by their values.
    func expand(_ template: String) throws -> String {
        var out = ""
        var rest = Substring(template)
        while let open = rest.range(of: "${") {
            out += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].firstIndex(of: "}") else {
                throw RemoteInputError(message: "\(Self.shown(template)): '${' without a closing '}'")
            }
            let reference = String(rest[open.upperBound..<close])
            out += try resolve(reference, in: template)
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }

    private func resolve(_ reference: String, in template: String) throws -> String {
        if reference.hasPrefix("env:") {
            let name = String(reference.dropFirst(4))
            guard let value = environment[name], !value.isEmpty else {
                throw RemoteInputError(message: "\(Self.shown(template)) needs the environment variable \(name), which is not set")
            }
            return value
        }
        if reference.hasPrefix("file:") {
            let path = String(reference.dropFirst(5))
            var st = stat()
            guard stat(path, &st) == 0 else {
                throw RemoteInputError(message: "\(Self.shown(template)) needs the key file \(path), which cannot be read")
            }
            guard st.st_mode & 0o007 == 0 else {
                throw RemoteInputError(message: "the key file \(path) is readable by other users; `chmod 600 \(path)` and try again")
            }
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw RemoteInputError(message: "\(Self.shown(template)) needs the key file \(path), which cannot be read")
            }
            return text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        throw RemoteInputError(message: "\(Self.shown(template)): unknown reference ${\(reference)}; use ${env:NAME} or ${file:/path}")
    }

    /// The URL as written, with any literal secret in it redacted.
    static func shown(_ template: String) -> String { Redaction.redactURL(template) }
}

/// A remote input that could not be fetched; the message never holds a secret.
public struct RemoteInputError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

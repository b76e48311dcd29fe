import Foundation

/// The wire format of the control socket: one JSON object per line (UTF-8, `\n`-terminated)
/// each way. The client writes one request line, the daemon answers with one response line and
/// closes the connection.
///
///     → {"protocol":1,"command":"status","arguments":{"pipeline":"bansos"}}
///     ← {"ok":true,"result":{"state":"idle"}}
///     ← {"ok":false,"error":"unknown pipeline bansos"}
public enum ControlProtocol {
    /// The protocol version this build speaks; every request carries it as `"protocol"`.
    public static let version = 1
    /// The longest request line the daemon reads (1 MiB, newline excluded).
    public static let maximumRequestBytes = 1 << 20
    /// The longest response line the client reads (64 MiB): results can be large reports.
    public static let maximumResponseBytes = 64 << 20

    /// One line of JSON for `value`, `\n` included. JSON escapes newlines inside strings, so the
    /// only newline is the terminator.
    public static func encodeLine<T: Encodable>(_ value: T) throws(ControlProtocolError) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            var data = try encoder.encode(value)
            data.append(0x0A)
            return data
        } catch {
            throw ControlProtocolError("could not encode the message as JSON: \(error)")
        }
    }

    /// Parses a request line (terminator optional), checking the protocol version first so an
    /// old or new client hears "wrong version" rather than a confusing field error.
    public static func decodeRequest(_ line: Data) throws(ControlProtocolError) -> ControlRequest {
        let header: VersionHeader
        do {
            header = try JSONDecoder().decode(VersionHeader.self, from: line)
        } catch {
            throw ControlProtocolError("the request is not a JSON object on one line: \(describe(error))")
        }
        guard let version = header.protocol else {
            throw ControlProtocolError("the request has no \"protocol\" field; this daemon speaks control protocol \(Self.version)")
        }
        guard version == Self.version else {
            throw ControlProtocolError("the request uses control protocol \(version) but this daemon speaks protocol \(Self.version); use a `padu` of the same version as the daemon")
        }
        do {
            return try JSONDecoder().decode(ControlRequest.self, from: line)
        } catch {
            throw ControlProtocolError("the request is malformed: \(describe(error))")
        }
    }

    /// Parses a response line (terminator optional).
    public static func decodeResponse(_ line: Data) throws(ControlProtocolError) -> ControlResponse {
        do {
            return try JSONDecoder().decode(ControlResponse.self, from: line)
        } catch {
            throw ControlProtocolError("the daemon's answer is not a valid control response: \(describe(error))")
        }
    }

    /// Just the version, decoded before anything else.
    private struct VersionHeader: Decodable {
        let `protocol`: Int?
    }

    /// A short, human reading of a decoding error (no Swift type dumps).
    static func describe(_ error: any Error) -> String {
        guard let decoding = error as? DecodingError else { return "\(error)" }
        func at(_ path: [any CodingKey]) -> String {
            path.isEmpty ? "" : " at \"" + path.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".") + "\""
        }
        switch decoding {
        case .typeMismatch(let type, let context): return "expected \(jsonName(type))\(at(context.codingPath))"
        case .valueNotFound(let type, let context): return "missing \(jsonName(type))\(at(context.codingPath))"
        case .keyNotFound(let key, let context): return "missing field \"\(key.stringValue)\"\(at(context.codingPath))"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "invalid JSON" : "invalid value\(at(context.codingPath))"
        @unknown default: return "invalid JSON"
        }
    }

    private static func jsonName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Int.Type, is Double.Type: return "a number"
        case is Bool.Type: return "true or false"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Array") { return "an array" }
            if name.hasPrefix("Dictionary") { return "an object" }
            return "a value"
        }
    }
}

/// A message that could not be encoded or decoded, in words a person can act on.
public struct ControlProtocolError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// One command for the daemon.
///
/// `{"protocol": 1, "command": "run", "arguments": {"pipeline": "bansos"}, "inputs": ["a.csv"]}`
public struct ControlRequest: Sendable, Hashable, Codable {
    /// The protocol version (always `ControlProtocol.version` for requests built here).
    public var protocolVersion: Int
    /// The command name, e.g. `status`, `run`.
    public var command: String
    /// Named string arguments (`pipeline`, …); empty when the request has none.
    public var arguments: [String: String]
    /// Input files or URLs, for the commands that take a list.
    public var inputs: [String]?

    /// A request in the current protocol version.
    public init(command: String, arguments: [String: String] = [:], inputs: [String]? = nil) {
        self.protocolVersion = ControlProtocol.version
        self.command = command
        self.arguments = arguments
        self.inputs = inputs
    }

    enum CodingKeys: String, CodingKey {
        case protocolVersion = "protocol", command, arguments, inputs
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        protocolVersion = try container.decode(Int.self, forKey: .protocolVersion)
        command = try container.decode(String.self, forKey: .command)
        arguments = try container.decodeIfPresent([String: String].self, forKey: .arguments) ?? [:]
        inputs = try container.decodeIfPresent([String].self, forKey: .inputs)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(protocolVersion, forKey: .protocolVersion)
        try container.encode(command, forKey: .command)
        try container.encode(arguments, forKey: .arguments)
        try container.encodeIfPresent(inputs, forKey: .inputs)
    }
}

/// The daemon's answer: `{"ok": true, "result": …}` or `{"ok": false, "error": "…"}`.
public enum ControlResponse: Sendable, Hashable, Codable {
    /// The command succeeded; `result` is any JSON the command builds (`.null` for none).
    case success(ControlValue)
    /// The command failed; the message is shown to the person at the terminal as is.
    case failure(String)

    /// True for `.success`.
    public var isSuccess: Bool {
        if case .success = self { return true }
        return false
    }

    /// The result of a success, else nil.
    public var result: ControlValue? {
        if case .success(let value) = self { return value }
        return nil
    }

    /// The message of a failure, else nil.
    public var errorMessage: String? {
        if case .failure(let message) = self { return message }
        return nil
    }

    enum CodingKeys: String, CodingKey {
        case ok, result, error
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if try container.decode(Bool.self, forKey: .ok) {
            self = .success(try container.decodeIfPresent(ControlValue.self, forKey: .result) ?? .null)
        } else {
            self = .failure(try container.decodeIfPresent(String.self, forKey: .error) ?? "the daemon reported an error without a message")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .success(let value):
            try container.encode(true, forKey: .ok)
            try container.encode(value, forKey: .result)
        case .failure(let message):
            try container.encode(false, forKey: .ok)
            try container.encode(message, forKey: .error)
        }
    }
}

import Foundation

/// Removes secrets from URLs and messages before they are shown, logged or returned.
///
/// - User information in a URL becomes `***@`.
/// - A query or fragment parameter whose name looks secret (`key`, `apikey`, `api_key`, `token`,
///   `access_token`, `secret`, `password`, `pwd`, `auth`, `signature`, `sig`, `session`, …, or any
///   name ending in `key`, `token` or `secret`) keeps its name and gets the value `***`:
///   `https://webapi.bps.go.id/v1/api/list/?key=***`.
/// - A path segment after such a name is replaced too: `…/domain/0000/key/***/`
///   (the BPS web API puts its key in the path).
/// - In free text, `name=value` pairs with such names and every resolved secret value are replaced.
public enum Redaction {
    /// The replacement text.
    public static let mask = "***"

    /// Returns `url` with credentials and secret-looking parameters replaced by `***`.
    ///
    /// Works on malformed URLs too: it never fails and never decodes or re-encodes the rest.
    public static func redactURL(_ url: String) -> String {
        var hidden: [String] = []
        return redact(url, hidden: &hidden)
    }

    /// The values `redactURL` hides (user information, secret parameter values, key path segments),
    /// so that they can also be removed from free text such as a server's error answer.
    public static func secretValues(inURL url: String) -> [String] {
        var hidden: [String] = []
        _ = redact(url, hidden: &hidden)
        var values = hidden
        for value in hidden {
            if let decoded = value.removingPercentEncoding, decoded != value { values.append(decoded) }
            if let colon = value.firstIndex(of: ":") {
                values.append(String(value[..<colon]))
                values.append(String(value[value.index(after: colon)...]))
            }
        }
        return values.filter { !$0.isEmpty }
    }

    private static func redact(_ url: String, hidden: inout [String]) -> String {
        var rest = Substring(url)
        var output = ""
        if let separator = rest.range(of: "://") {
            output += rest[..<separator.upperBound]
            rest = rest[separator.upperBound...]
            let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
            let authority = rest[..<authorityEnd]
            if let at = authority.lastIndex(of: "@") {
                hidden.append(String(authority[..<at]))
                output += mask + authority[at...]
            } else {
                output += authority
            }
            rest = rest[authorityEnd...]
        }
        let pathEnd = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) ?? rest.endIndex
        output += redactPath(rest[..<pathEnd], hidden: &hidden)
        output += redactParameters(rest[pathEnd...], hidden: &hidden)
        return output
    }

    /// Returns `text` with every value in `secrets` and every secret-looking `name=value` value
    /// replaced by `***`.
    ///
    /// Secret values shorter than 3 characters are not searched for (they would garble the text).
    public static func redactText(_ text: String, secrets: [String] = []) -> String {
        var text = text
        for secret in secrets.sorted(by: { $0.count > $1.count }) where secret.count >= 3 {
            text = text.replacingAll(secret, with: mask)
        }
        return redactAssignments(text)
    }

    /// Whether a parameter or path-segment name looks like it carries a secret.
    public static func isSecretName(_ name: some StringProtocol) -> Bool {
        let lower = name.lowercased()
        if lower.isEmpty { return false }
        if lower.hasSuffix("key") || lower.hasSuffix("token") || lower.hasSuffix("secret") {
            return true
        }
        let words = lower.split(whereSeparator: { !$0.isLetter && !$0.isNumber })
        return words.contains { secretWords.contains(String($0)) }
    }

    private static let secretWords: Set<String> = [
        "key", "apikey", "token", "secret", "password", "passwd", "pwd", "pass", "auth",
        "authorization", "signature", "sig", "session", "sessionid", "credential", "credentials",
    ]

    private static func redactPath(_ path: Substring, hidden: inout [String]) -> String {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        var output: [Substring] = []
        var previousIsSecretName = false
        for segment in segments {
            if previousIsSecretName && !segment.isEmpty {
                hidden.append(String(segment))
                output.append(Substring(mask))
                previousIsSecretName = false
            } else {
                output.append(segment)
                if !segment.isEmpty {
                    previousIsSecretName = isSecretName(segment.removingPercentEncoding ?? String(segment))
                }
            }
        }
        return output.joined(separator: "/")
    }

    /// Redacts `?a=b&key=c#x=y`-style text (the part of a URL from the first `?` or `#`).
    private static func redactParameters(_ text: Substring, hidden: inout [String]) -> String {
        var output = ""
        var token = ""
        var found: [String] = []
        func flush() {
            if let equals = token.firstIndex(of: "="), isSecretName(token[..<equals]),
               token.index(after: equals) < token.endIndex
            {
                found.append(String(token[token.index(after: equals)...]))
                output += token[...equals] + mask
            } else {
                output += token
            }
            token = ""
        }
        for character in text {
            if character == "?" || character == "&" || character == ";" || character == "#" {
                flush()
                output.append(character)
            } else {
                token.append(character)
            }
        }
        flush()
        hidden.append(contentsOf: found)
        return output
    }

    /// Redacts `name=value` pairs in free text (error buffers, server answers).
    private static func redactAssignments(_ text: String) -> String {
        let characters = Array(text)
        var output: [Character] = []
        output.reserveCapacity(characters.count)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            output.append(character)
            index += 1
            guard character == "=" else { continue }
            var nameStart = output.count - 1
            while nameStart > 0, isNameCharacter(output[nameStart - 1]) {
                nameStart -= 1
            }
            let name = String(output[nameStart..<(output.count - 1)])
            guard isSecretName(name), index < characters.count else { continue }
            if characters[index] == "\"" || characters[index] == "'" {
                // name="value": keep the quotes, hide what is between them.
                let quote = characters[index]
                guard let close = characters[(index + 1)...].firstIndex(of: quote) else { continue }
                output.append(quote)
                output.append(contentsOf: mask)
                output.append(quote)
                index = close + 1
                continue
            }
            guard !isValueEnd(characters[index]) else { continue }
            output.append(contentsOf: mask)
            while index < characters.count, !isValueEnd(characters[index]) {
                index += 1
            }
        }
        return String(output)
    }

    private static func isNameCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || character == "_" || character == "-" || character == "."
    }

    private static func isValueEnd(_ character: Character) -> Bool {
        character.isWhitespace || "&\"'<>#;,)]}".contains(character)
    }
}

extension String {
    /// Replaces every occurrence of `target` (non-empty) with `replacement`.
    fileprivate func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var output = ""
        var rest = self[...]
        while let range = rest.range(of: target) {
            output += rest[..<range.lowerBound]
            output += replacement
            rest = rest[range.upperBound...]
        }
        output += rest
        return output
    }
}

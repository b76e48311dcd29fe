#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Reads secret references at fetch time.
enum SecretReader {
    /// The largest key file accepted.
    static let maxKeyFileSize = 64 * 1024

    /// A failure reading a secret: the reason and what to do (no secret value inside).
    struct Failure: Error {
        let reason: String
        let advice: String
    }

    /// Returns the value of `reference`, read now. `purpose` names its use in messages
    /// (e.g. "the bearer token").
    static func value(of reference: SecretReference, purpose: String) throws(Failure) -> String {
        switch reference {
        case .environment(let name):
            return try readEnvironment(name, purpose: purpose)
        case .file(let path):
            return try readKeyFile(path, purpose: purpose)
        }
    }

    private static func readEnvironment(_ name: String, purpose: String) throws(Failure) -> String {
        let advice = "Set it in the daemon's environment (for example an Environment= or EnvironmentFile= line "
            + "in its systemd unit) and restart the daemon, or refer to a key file instead"
        guard let raw = getenv(name) else {
            throw Failure(reason: "\(purpose) comes from environment variable '\(name)', which is not set", advice: advice)
        }
        let value = String(cString: raw)
        return try validated(value, purpose: purpose, source: "environment variable '\(name)'", advice: advice)
    }

    /// Checks that `path` is a regular file other users cannot access (e.g. an SSH private key),
    /// without reading it.
    static func checkPrivateFile(_ path: String, purpose: String) throws(Failure) {
        let fd = try openPrivateFile(path, purpose: purpose)
        close(fd)
    }

    /// Reads a key file, refusing files other users can access.
    static func readKeyFile(_ path: String, purpose: String) throws(Failure) -> String {
        let fd = try openPrivateFile(path, purpose: purpose)
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { posixRead(fd, $0.baseAddress!, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw Failure(
                    reason: "cannot read key file '\(path)' (\(purpose)): \(String(cString: strerror(errno)))",
                    advice: "Check the file"
                )
            }
            if count == 0 { break }
            bytes.append(contentsOf: buffer[0..<count])
            guard bytes.count <= maxKeyFileSize else {
                throw Failure(
                    reason: "key file '\(path)' (\(purpose)) is larger than \(maxKeyFileSize / 1024) KiB",
                    advice: "Put only the secret in the file"
                )
            }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw Failure(
                reason: "key file '\(path)' (\(purpose)) is not UTF-8 text",
                advice: "Save the secret as plain text"
            )
        }
        return try validated(
            text, purpose: purpose, source: "key file '\(path)'",
            advice: "Put only the secret in the file, on one line"
        )
    }

    /// Opens `path` read-only after checking it is a regular file with no permissions for others.
    private static func openPrivateFile(_ path: String, purpose: String) throws(Failure) -> Int32 {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)
        guard fd >= 0 else {
            let code = errno
            switch code {
            case ENOENT, ENOTDIR:
                throw Failure(
                    reason: "\(purpose) comes from key file '\(path)', which does not exist",
                    advice: "Create the file with only the secret in it (mode 0600, owned by the daemon's user) "
                        + "or correct the path in the pipeline"
                )
            case EACCES:
                throw Failure(
                    reason: "the daemon's user may not read key file '\(path)' (\(purpose))",
                    advice: "Make the file owned by the daemon's user (chown) with mode 0600"
                )
            default:
                throw Failure(
                    reason: "cannot open key file '\(path)' (\(purpose)): \(String(cString: strerror(code)))",
                    advice: "Check the file and its folder"
                )
            }
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let code = errno
            close(fd)
            throw Failure(
                reason: "cannot inspect key file '\(path)' (\(purpose)): \(String(cString: strerror(code)))",
                advice: "Check the file and its folder"
            )
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw Failure(
                reason: "key file '\(path)' (\(purpose)) is not a regular file",
                advice: "Point the pipeline at a plain file that contains only the secret"
            )
        }
        let permissions = info.st_mode & 0o777
        if permissions & 0o007 != 0 {
            close(fd)
            let mode = "0" + String(permissions, radix: 8)
            throw Failure(
                reason: "key file '\(path)' (\(purpose)) is accessible to every user of this machine (mode \(mode)), "
                    + "so Padu refuses to use it",
                advice: "Restrict it to the daemon's user with `chmod 600 \(path)` (and `chown` it to that user), "
                    + "then run the pipeline again; consider the secret exposed and rotate it if others could log in"
            )
        }
        return fd
    }

    /// Trims surrounding whitespace and refuses empty or multi-line values (header injection).
    private static func validated(_ value: String, purpose: String, source: String, advice: String) throws(Failure) -> String {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else {
            throw Failure(reason: "\(purpose) comes from \(source), which is empty", advice: advice)
        }
        guard !trimmed.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) else {
            throw Failure(
                reason: "\(purpose) from \(source) contains line breaks or control characters",
                advice: "Keep the secret on a single line"
            )
        }
        return trimmed
    }
}

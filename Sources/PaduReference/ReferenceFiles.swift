import Foundation

/// A bundled reference file that could not be found or read. The message says what is
/// missing, where Padu looked, and how to fix it.
public struct ReferenceDataError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Finds the reference files shipped with the `PaduReference` module.
///
/// SwiftPM's generated `Bundle.module` is not used: it stops the process when the bundle
/// is missing, and the daemon must report that instead. The folders tried, in order:
///
/// 1. `$PADU_REFERENCE_DIR` (an installed daemon points it at its data folder);
/// 2. beside the running executable: `Padu_PaduReference.resources/Resources` (what
///    SwiftPM builds on Linux for `.copy("Resources")`), the same without `/Resources`, and
///    `Padu_PaduReference.bundle` (macOS), also from an `.xctest` bundle's outer folder;
/// 3. the source tree (`Sources/PaduReference/Resources`), for builds run from a checkout.
public enum ReferenceFiles {
    /// The environment variable that overrides where the files are looked for.
    public static let environmentVariable = "PADU_REFERENCE_DIR"

    /// The resource bundle SwiftPM makes for this module (package `Padu`, target `PaduReference`).
    static let bundleName = "Padu_PaduReference"

    /// The path of the reference file `name`, from the folders of `searchDirectories()`.
    public static func path(of name: String) throws(ReferenceDataError) -> String {
        try path(of: name, in: searchDirectories())
    }

    /// The path of `name` in the first of `directories` that holds it.
    public static func path(of name: String, in directories: [String]) throws(ReferenceDataError) -> String {
        let files = FileManager.default
        for directory in directories {
            let candidate = (directory as NSString).appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            if files.fileExists(atPath: candidate, isDirectory: &isDirectory), !isDirectory.boolValue {
                return candidate
            }
        }
        let looked = directories.isEmpty ? "  (no folder to look in)" : directories.map { "  " + $0 }.joined(separator: "\n")
        throw ReferenceDataError("""
            the reference file '\(name)' (the Kemendagri region list shipped with Padu) was not found; \
            looked in:
            \(looked)
            Set \(environmentVariable) to the folder that holds it (in a checkout: \
            Sources/PaduReference/Resources), or reinstall Padu with its \(bundleName).resources folder \
            beside the executable.
            """)
    }

    /// The folders to look in, in order (see the type's documentation).
    public static func searchDirectories(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        executableDirectories: [String] = executableDirectories(),
        sourceDirectory: String? = sourceResourcesDirectory
    ) -> [String] {
        var out: [String] = []
        if let override = environment[environmentVariable], !override.isEmpty { out.append(override) }
        for directory in executableDirectories {
            for bundle in ["\(bundleName).resources", "\(bundleName).bundle"] {
                let base = (directory as NSString).appendingPathComponent(bundle)
                out.append((base as NSString).appendingPathComponent("Resources"))
                out.append(base)
                if bundle.hasSuffix(".bundle") {
                    out.append(((base as NSString).appendingPathComponent("Contents/Resources") as NSString).appendingPathComponent("Resources"))
                }
            }
        }
        if let sourceDirectory { out.append(sourceDirectory) }
        var seen = Set<String>()
        return out.filter { seen.insert($0).inserted }
    }

    /// The folder of the running executable (symbolic links resolved, then as invoked), and
    /// for an `.xctest` bundle (macOS) the folder holding the bundle.
    public static func executableDirectories() -> [String] {
        var paths: [String] = []
        if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { paths.append(resolved) }
        if let path = Bundle.main.executablePath { paths.append(path) }
        if let first = CommandLine.arguments.first, first.contains("/") { paths.append(first) }
        var out: [String] = []
        for path in paths {
            let directory = (path as NSString).deletingLastPathComponent
            out.append(directory)
            // …/X.xctest/Contents/MacOS/X: the resources sit beside X.xctest.
            if let range = directory.range(of: ".xctest/", options: .backwards) {
                out.append((String(directory[..<range.lowerBound]) as NSString).deletingLastPathComponent)
            }
        }
        var seen = Set<String>()
        return out.filter { seen.insert($0).inserted }
    }

    /// `Sources/PaduReference/Resources` of the checkout this module was built from.
    public static var sourceResourcesDirectory: String {
        ((#filePath as NSString).deletingLastPathComponent as NSString).appendingPathComponent("Resources")
    }

    /// The whole file `name` as UTF-8 text.
    static func text(of name: String) throws(ReferenceDataError) -> String {
        let path = try path(of: name)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ReferenceDataError("the reference file \(path) could not be read (check its permissions, or set \(environmentVariable) to a folder holding a readable copy)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ReferenceDataError("the reference file \(path) is not UTF-8 text; restore it from the Padu sources (Sources/PaduReference/Resources)")
        }
        return text
    }
}

/// A value computed once per process on first successful use; failures are not kept, so a
/// later call retries (after, say, `PADU_REFERENCE_DIR` was fixed).
final class LoadOnce<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value?

    func get(_ load: () throws -> Value) throws -> Value {
        lock.lock()
        defer { lock.unlock() }
        if let value { return value }
        let loaded = try load()
        value = loaded
        return loaded
    }
}

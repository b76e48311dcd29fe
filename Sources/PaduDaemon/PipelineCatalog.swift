import Foundation
import PaduCore

/// Every pipeline file of a folder (or a list of files), loaded and checked together.
public struct PipelineCatalog: Sendable {
    /// Pipelines that compiled and passed every check, by file then declaration order.
    public let pipelines: [PipelineSpec]
    /// Per-file results, in path order.
    public let files: [ManifestResult]
    /// Every problem found, compiler and semantic.
    public let diagnostics: [Diagnostic]

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    public func pipeline(named name: String) -> PipelineSpec? { pipelines.first { $0.name == name } }

    /// Loads `paths` (files, or folders whose `*.swift` files are read) with `loader`.
    /// Files load in parallel; one broken file never stops the others.
    public static func load(paths: [String], loader: ManifestLoader, registry: PluginRegistry) throws -> PipelineCatalog {
        let files = try expand(paths)
        let results = ResultBox(count: files.count)
        DispatchQueue.concurrentPerform(iterations: files.count) { i in
            results.set(i, loader.load(file: files[i]))
        }
        let loaded = results.values
        let (valid, semantic) = PipelineValidator(registry: registry).validate(loaded.flatMap(\.pipelines))
        return PipelineCatalog(pipelines: valid, files: loaded, diagnostics: loaded.flatMap(\.diagnostics) + semantic)
    }

    static func expand(_ paths: [String]) throws -> [String] {
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw CatalogError(message: "\(path): no such file or folder")
            }
            if isDirectory.boolValue {
                let names = try FileManager.default.contentsOfDirectory(atPath: path)
                let base = path.hasSuffix("/") ? String(path.dropLast()) : path
                files += names.filter { $0.hasSuffix(".swift") && !$0.hasPrefix(".") }.sorted().map { "\(base)/\($0)" }
            } else {
                files.append(path)
            }
        }
        return files
    }
}

/// A problem finding pipeline files.
public struct CatalogError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

/// Collects results written from concurrent iterations.
private final class ResultBox: @unchecked Sendable {
    private var items: [ManifestResult?]
    private let lock = NSLock()
    init(count: Int) { items = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ value: ManifestResult) { lock.lock(); items[i] = value; lock.unlock() }
    var values: [ManifestResult] { lock.lock(); defer { lock.unlock() }; return items.compactMap { $0 } }
}

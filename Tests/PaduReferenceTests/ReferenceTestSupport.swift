import Foundation
import PaduReference
import XCTest

/// The bundled list, loaded once for all tests.
enum Reference {
    static func catalog() throws -> RegionCatalog { try RegionCatalog.bundled() }
    static func history() throws -> HistoricalKecamatanCodes { try HistoricalKecamatanCodes.bundled() }
}

extension RegionResolution {
    /// The resolved code, or nil.
    var code: String? { entry?.code }
}

/// A folder under the system's temporary directory, removed by `remove()`.
struct ScratchFolder {
    let path: String
    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("padu-reference-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

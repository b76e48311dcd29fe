import Foundation
import PaduReference
import XCTest

/// Finding the bundled files without `Bundle.module`.
final class ReferenceFilesTests: XCTestCase {
    func testTheEnvironmentOverrideComesFirst() throws {
        let folder = try ScratchFolder()
        defer { folder.remove() }
        let file = folder.path + "/" + RegionCatalog.fileName
        try "kode\tnama\n18\tLampung\n".write(toFile: file, atomically: true, encoding: .utf8)
        let directories = ReferenceFiles.searchDirectories(environment: ["PADU_REFERENCE_DIR": folder.path])
        XCTAssertEqual(directories.first, folder.path)
        XCTAssertEqual(try ReferenceFiles.path(of: RegionCatalog.fileName, in: directories), file)
    }

    func testTheBuiltResourcesBesideTheExecutableAreFound() throws {
        // What SwiftPM builds for `.copy("Resources")`: <bin>/Padu_PaduReference.resources/Resources/…
        let directories = ReferenceFiles.searchDirectories(environment: [:], sourceDirectory: nil)
        let path = try ReferenceFiles.path(of: RegionCatalog.fileName, in: directories)
        XCTAssertTrue(path.hasSuffix("/Padu_PaduReference.resources/Resources/wilayah-kepmendagri-2025.tsv"), path)
        XCTAssertTrue(try ReferenceFiles.path(of: "wilayah-LICENSE.txt", in: directories).hasSuffix("wilayah-LICENSE.txt"))
        // The checkout's copy, for runs from a source tree.
        XCTAssertTrue(FileManager.default.fileExists(atPath: ReferenceFiles.sourceResourcesDirectory + "/" + RegionCatalog.fileName))
    }

    func testAClearErrorWhenNothingIsFound() throws {
        let folder = try ScratchFolder()
        defer { folder.remove() }
        let directories = ReferenceFiles.searchDirectories(environment: [:], executableDirectories: [folder.path], sourceDirectory: folder.path + "/src")
        XCTAssertThrowsError(try ReferenceFiles.path(of: RegionCatalog.fileName, in: directories)) { error in
            let message = "\(error)"
            XCTAssertTrue(error is ReferenceDataError)
            XCTAssertTrue(message.contains("'wilayah-kepmendagri-2025.tsv'"), message)
            XCTAssertTrue(message.contains(folder.path + "/Padu_PaduReference.resources/Resources"), message)
            XCTAssertTrue(message.contains(folder.path + "/src"), message)
            XCTAssertTrue(message.contains("Set PADU_REFERENCE_DIR"), message)
        }
    }
}

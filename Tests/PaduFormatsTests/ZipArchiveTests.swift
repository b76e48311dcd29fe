import Foundation
import XCTest

@testable import PaduFormats

/// The path of a committed fixture under `Fixtures/xlsx/` (made by `scripts/make-xlsx-fixtures.py`).
func xlsxFixturePath(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
    let url = try XCTUnwrap(
        Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures/xlsx"),
        "missing fixture \(name); run scripts/make-xlsx-fixtures.py", file: file, line: line
    )
    return url.path
}

final class ZipArchiveTests: XCTestCase {
    private func readAll(_ reader: ZipEntryReader, chunk: Int = 1000) throws -> [UInt8] {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: chunk)
        while true {
            let count = try buffer.withUnsafeMutableBytes { try reader.read(into: $0) }
            if count == 0 { return bytes }
            bytes.append(contentsOf: buffer[0..<count])
        }
    }

    private func expectZipError(
        _ kind: ZipError.Kind, file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> Void
    ) -> ZipError? {
        do {
            try body()
            XCTFail("expected ZipError.\(kind), but no error was thrown", file: file, line: line)
        } catch let error as ZipError {
            XCTAssertEqual(error.kind, kind, "\(error)", file: file, line: line)
            return error
        } catch {
            XCTFail("expected ZipError.\(kind), got \(error)", file: file, line: line)
        }
        return nil
    }

    func testReadsStoredDeflatedEmptyAndDirectoryEntries() throws {
        let archive = try ZipArchive(path: try xlsxFixturePath("zip-basic.zip"))
        XCTAssertEqual(archive.entries.map(\.name), ["stored.txt", "folder/deflated.txt", "empty.txt", "folder/"])
        let stored = try XCTUnwrap(archive.entry(named: "stored.txt"))
        XCTAssertEqual(stored.compressionMethod, 0)
        XCTAssertEqual(String(decoding: try readAll(archive.openEntry(stored)), as: UTF8.self), "disimpan apa adanya\n")

        let deflated = try XCTUnwrap(archive.entry(named: "folder/deflated.txt"))
        XCTAssertEqual(deflated.compressionMethod, 8)
        XCTAssertEqual(deflated.uncompressedSize, 10_000)
        XCTAssertLessThan(deflated.compressedSize, 1000)
        for chunk in [1, 7, 4096, 100_000] {
            let text = String(decoding: try readAll(archive.openEntry(deflated), chunk: chunk), as: UTF8.self)
            XCTAssertEqual(text, String(repeating: "Padu ", count: 2000), "chunk \(chunk)")
        }
        XCTAssertEqual(try archive.readEntry(named: "empty.txt"), [])
        XCTAssertTrue(try XCTUnwrap(archive.entry(named: "folder/")).isDirectory)
    }

    func testEntryLookupIgnoresLeadingSlashAndCase() throws {
        let archive = try ZipArchive(path: try xlsxFixturePath("zip-basic.zip"))
        XCTAssertEqual(archive.entry(named: "/folder/deflated.txt")?.name, "folder/deflated.txt")
        XCTAssertEqual(archive.entry(named: "FOLDER/Deflated.TXT")?.name, "folder/deflated.txt")
        XCTAssertNil(archive.entry(named: "absent.txt"))
        let error = expectZipError(.entryNotFound) { _ = try archive.openEntry(named: "absent.txt") }
        XCTAssertEqual(error?.entryName, "absent.txt")
    }

    func testReadsZip64Archive() throws {
        let archive = try ZipArchive(path: try xlsxFixturePath("zip64.zip"))
        XCTAssertEqual(archive.entries.map(\.name), ["stored.txt", "deflated.txt"])
        XCTAssertEqual(String(decoding: try archive.readEntry(named: "stored.txt"), as: UTF8.self), "zip64 stored\n")
        XCTAssertEqual(
            String(decoding: try archive.readEntry(named: "deflated.txt"), as: UTF8.self),
            String(repeating: "Padu ", count: 2000)
        )
        XCTAssertGreaterThan(try XCTUnwrap(archive.entry(named: "deflated.txt")).localHeaderOffset, 0)
    }

    func testTruncatedFileIsReported() throws {
        let path = try xlsxFixturePath("truncated.xlsx")
        let error = expectZipError(.truncated) { _ = try ZipArchive(path: path) }
        XCTAssertEqual(error?.path, path)
        XCTAssertTrue(error?.message.contains("incomplete") ?? false, error?.message ?? "")
    }

    func testEmptyFileIsReported() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("padu-empty-\(UUID().uuidString).xlsx")
        try Data().write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        _ = expectZipError(.truncated) { _ = try ZipArchive(path: url.path) }
    }

    func testOldBinaryExcelFileIsExplained() throws {
        let error = expectZipError(.legacyBinaryOfficeFile) { _ = try ZipArchive(path: try xlsxFixturePath("renamed-xls.xlsx")) }
        XCTAssertEqual(
            error?.message,
            "this is an old binary Excel file (.xls); open it in Excel or LibreOffice and save it as .xlsx"
        )
    }

    func testPasswordProtectedWorkbookIsExplained() throws {
        let error = expectZipError(.passwordProtectedOfficeFile) {
            _ = try ZipArchive(path: try xlsxFixturePath("password-protected.xlsx"))
        }
        XCTAssertTrue(error?.message.contains("password") ?? false)
    }

    func testNotAZip() throws {
        let error = expectZipError(.notAZip) { _ = try ZipArchive(path: try xlsxFixturePath("not-a-zip.xlsx")) }
        XCTAssertTrue(error?.message.contains("CSV") ?? false)
        _ = expectZipError(.unreadable) { _ = try ZipArchive(path: "/nonexistent/padu.xlsx") }
    }

    func testUnsafeEntryNamesAreListedButRefused() throws {
        let archive = try ZipArchive(path: try xlsxFixturePath("zip-traversal.zip"))
        XCTAssertEqual(archive.entries.map(\.hasSafeName), [true, false, false, false])
        XCTAssertEqual(String(decoding: try archive.readEntry(named: "ok.txt"), as: UTF8.self), "aman")
        for name in ["../../evil.txt", "/etc/absolute.txt", "a/../../b.txt"] {
            let entry = try XCTUnwrap(archive.entries.first { $0.name == name }, name)
            let error = expectZipError(.unsafeEntryName) { _ = try archive.openEntry(entry) }
            XCTAssertEqual(error?.entryName, name)
            XCTAssertTrue(error?.message.contains(name) ?? false)
        }
    }

    func testSafeEntryNameRules() {
        for name in ["xl/workbook.xml", "a/b/c.txt", "[Content_Types].xml", "dots..in..name.txt", "folder/"] {
            XCTAssertTrue(ZipArchive.isSafeEntryName(name), name)
        }
        for name in ["", "../x", "a/../../x", "..", "/abs", "\\abs", "C:/x", "c:x", "a\\..\\..\\x", "nul\0byte"] {
            XCTAssertFalse(ZipArchive.isSafeEntryName(name), name)
        }
    }

    func testCRCMismatchIsDetectedAtTheEnd() throws {
        let archive = try ZipArchive(path: try xlsxFixturePath("zip-crc-mismatch.zip"))
        let reader = try archive.openEntry(named: "data.txt")
        let error = expectZipError(.crcMismatch) { _ = try readAll(reader) }
        XCTAssertEqual(error?.entryName, "data.txt")
    }

    func testEncryptedEntryIsRefused() throws {
        let archive = try ZipArchive(path: try xlsxFixturePath("zip-encrypted.zip"))
        XCTAssertTrue(try XCTUnwrap(archive.entry(named: "secret.txt")).isEncrypted)
        _ = expectZipError(.encryptedEntry) { _ = try archive.openEntry(named: "secret.txt") }
    }

    func testUnsupportedMethodIsNamed() throws {
        let archive = try ZipArchive(path: try xlsxFixturePath("zip-bzip2.zip"))
        let error = expectZipError(.unsupportedCompressionMethod) { _ = try archive.openEntry(named: "data.txt") }
        XCTAssertTrue(error?.message.contains("bzip2") ?? false, error?.message ?? "")
    }

    func testZipBombStopsOnCompressionRatio() throws {
        let archive = try ZipArchive(path: try xlsxFixturePath("bomb.xlsx"))
        let entry = try XCTUnwrap(archive.entry(named: "xl/worksheets/sheet1.xml"))
        XCTAssertGreaterThan(entry.uncompressedSize / max(entry.compressedSize, 1), 200)
        let reader = try archive.openEntry(entry)
        let error = expectZipError(.compressionRatioExceeded) { _ = try readAll(reader, chunk: 64 << 10) }
        XCTAssertTrue(error?.message.contains("zip bomb") ?? false)
        XCTAssertLessThan(reader.bytesProduced, 2 << 20, "inflating must stop soon after the threshold")

        // A generous ratio lets it through; a size limit then stops it.
        let sized = try ZipArchive(
            path: archive.path,
            limits: ZipLimits(maxUncompressedEntrySize: 100 << 20, maxCompressionRatio: 10_000)
        )
        XCTAssertEqual(try sized.readEntry(named: entry.name, maxSize: 100 << 20).count, Int(entry.uncompressedSize))
    }

    func testSizeLimitsAreEnforced() throws {
        let path = try xlsxFixturePath("zip-basic.zip")
        // Declared size over the limit: refused at open.
        let small = try ZipArchive(path: path, limits: ZipLimits(maxUncompressedEntrySize: 1000))
        _ = expectZipError(.uncompressedSizeExceeded) { _ = try small.openEntry(named: "folder/deflated.txt") }

        // A header claiming 100 bytes for 20 MiB of zeros: inflating stops right after byte 100.
        let lying = try ZipArchive(path: try xlsxFixturePath("zip-lying-size.zip"))
        XCTAssertEqual(try XCTUnwrap(lying.entry(named: "small.txt")).uncompressedSize, 100)
        let reader = try lying.openEntry(named: "small.txt")
        _ = expectZipError(.sizeMismatch) { _ = try readAll(reader, chunk: 64 << 10) }
        XCTAssertLessThanOrEqual(reader.bytesProduced, 64 << 10)
    }

    func testErrorsNameTheFile() throws {
        let path = try xlsxFixturePath("zip-crc-mismatch.zip")
        let archive = try ZipArchive(path: path)
        let reader = try archive.openEntry(named: "data.txt")
        let error = expectZipError(.crcMismatch) { _ = try readAll(reader) }
        XCTAssertEqual(error?.description.hasPrefix(path + ": "), true)
    }
}

import Foundation
import XCTest

@testable import PaduFormats

/// A fresh temporary folder for one test, removed at the end of the test.
func makeWriterTestDirectory(_ testCase: XCTestCase) throws -> String {
    let path = NSTemporaryDirectory() + "padu-writer-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    testCase.addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
    return path
}

/// Runs `executable` (searched in PATH) with `arguments`; returns the exit status and the standard
/// output and error, or `nil` when the program is not installed.
func runTool(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String)? {
    let candidates = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map { "\($0)/\(executable)" }
    guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else { return nil }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: found)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// The permission bits of the file at `path`.
func filePermissions(_ path: String) throws -> Int {
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
}

final class ZipWriterTests: XCTestCase {
    private func readAll(_ archive: ZipArchive, _ name: String) throws -> [UInt8] {
        try archive.readEntry(named: name, maxSize: 1 << 30)
    }

    private func expectZipWriteError(
        _ kind: ZipWriteError.Kind, file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> Void
    ) -> ZipWriteError? {
        do {
            try body()
            XCTFail("expected ZipWriteError.\(kind), but no error was thrown", file: file, line: line)
        } catch let error as ZipWriteError {
            XCTAssertEqual(error.kind, kind, "\(error)", file: file, line: line)
            return error
        } catch {
            XCTFail("expected ZipWriteError.\(kind), got \(error)", file: file, line: line)
        }
        return nil
    }

    /// Pseudo-random bytes that deflate poorly, with a repeated tail that deflates well.
    private func sampleBytes(_ count: Int) -> [UInt8] {
        var state: UInt32 = 2_463_534_242
        return (0..<count).map { index in
            if index > count / 2 { return UInt8(truncatingIfNeeded: index % 7) }
            state ^= state << 13
            state ^= state >> 17
            state ^= state << 5
            return UInt8(truncatingIfNeeded: state)
        }
    }

    func testEntriesRoundTripThroughZipArchive() throws {
        let directory = try makeWriterTestDirectory(self)
        let path = directory + "/out.zip"
        let big = sampleBytes(3 << 20)
        let source = directory + "/source.bin"
        _ = FileManager.default.createFile(atPath: source, contents: Data(big))

        let zip = try ZipWriter(path: path)
        try zip.addEntry(name: "hello.txt", data: Array("halo dunia\n".utf8))
        try zip.addEntry(name: "empty.txt", data: [])
        try zip.addEntry(name: "folder/data.bin", data: Data(big[0..<1000]))
        try zip.addEntry(name: "from-file.bin", contentsOfFile: source)
        let spool = try zip.makeSpool(entryName: "spooled/päge ✓.xml")
        for piece in 0..<1000 { try spool.write(Array("<p n=\"\(piece)\"/>".utf8)) }
        XCTAssertFalse(FileManager.default.fileExists(atPath: zip.temporaryPath + "-1"), "spool files are unlinked at once")
        try zip.addEntry(spool)
        XCTAssertEqual(zip.entryCount, 5)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path), "the final file appears only at close")
        XCTAssertTrue(FileManager.default.fileExists(atPath: zip.temporaryPath))
        try zip.close()
        XCTAssertFalse(FileManager.default.fileExists(atPath: zip.temporaryPath))

        let archive = try ZipArchive(path: path)
        XCTAssertEqual(archive.entries.map(\.name), ["hello.txt", "empty.txt", "folder/data.bin", "from-file.bin", "spooled/päge ✓.xml"])
        XCTAssertEqual(try readAll(archive, "hello.txt"), Array("halo dunia\n".utf8))
        XCTAssertEqual(try readAll(archive, "empty.txt"), [])
        XCTAssertEqual(try readAll(archive, "folder/data.bin"), Array(big[0..<1000]))
        XCTAssertEqual(try readAll(archive, "from-file.bin"), big)
        let spooled = try readAll(archive, "spooled/päge ✓.xml")
        XCTAssertEqual(spooled.count, (0..<1000).reduce(0) { $0 + "<p n=\"\($1)\"/>".utf8.count })
        XCTAssertTrue(archive.entries.allSatisfy { $0.compressionMethod == 8 })
        XCTAssertLessThan(archive.entry(named: "from-file.bin")!.compressedSize, Int64(big.count))
    }

    func testPythonAndUnzipAcceptTheArchive() throws {
        let directory = try makeWriterTestDirectory(self)
        let path = directory + "/out.zip"
        let zip = try ZipWriter(path: path)
        try zip.addEntry(name: "a.txt", data: Array(repeating: UInt8(ascii: "a"), count: 100_000))
        try zip.addEntry(name: "ü/b.bin", data: sampleBytes(200_000))
        try zip.close()

        guard let python = try runTool("python3", [
            "-c", "import zipfile,sys; z=zipfile.ZipFile(sys.argv[1]); r=z.testzip(); assert r is None, r; print(z.namelist())", path,
        ]) else { throw XCTSkip("python3 is not installed") }
        XCTAssertEqual(python.status, 0, python.output)
        XCTAssertTrue(python.output.contains("'ü/b.bin'"), python.output)
        if let unzip = try runTool("unzip", ["-t", path]) {
            XCTAssertEqual(unzip.status, 0, unzip.output)
            XCTAssertTrue(unzip.output.contains("No errors detected"), unzip.output)
        }
    }

    func testDOSDateTimeIsLocalTimeAsPythonReadsIt() throws {
        let directory = try makeWriterTestDirectory(self)
        let path = directory + "/out.zip"
        let date = Date(timeIntervalSince1970: 1_752_485_425)  // 2025-07-14 09:30:25 UTC
        let zip = try ZipWriter(path: path, modificationDate: date)
        try zip.addEntry(name: "a.txt", data: [1, 2, 3])
        try zip.addEntry(name: "b.txt", data: [4], modificationDate: Date(timeIntervalSince1970: 0))
        try zip.close()

        var seconds = time_t(1_752_485_425)
        var parts = tm()
        localtime_r(&seconds, &parts)
        let expected = "(\(parts.tm_year + 1900), \(parts.tm_mon + 1), \(parts.tm_mday), \(parts.tm_hour), \(parts.tm_min), \(parts.tm_sec / 2 * 2))"
        guard let python = try runTool("python3", [
            "-c", "import zipfile,sys; z=zipfile.ZipFile(sys.argv[1]); [print(i.date_time) for i in z.infolist()]", path,
        ]) else { throw XCTSkip("python3 is not installed") }
        XCTAssertEqual(python.status, 0, python.output)
        XCTAssertEqual(python.output, "\(expected)\n(1980, 1, 1, 0, 0, 0)\n")
    }

    func testFileIsPrivateAndReplacesAnExistingFile() throws {
        let directory = try makeWriterTestDirectory(self)
        let path = directory + "/out.zip"
        _ = FileManager.default.createFile(atPath: path, contents: Data("old".utf8), attributes: [.posixPermissions: 0o644])
        let zip = try ZipWriter(path: path)
        XCTAssertEqual(zip.temporaryPath, "\(path).tmp-\(getpid())")
        XCTAssertEqual(try filePermissions(zip.temporaryPath), 0o600)
        try zip.addEntry(name: "a.txt", data: [1])
        try zip.close()
        XCTAssertEqual(try filePermissions(path), 0o600)
        XCTAssertEqual(try ZipArchive(path: path).entries.map(\.name), ["a.txt"])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), ["out.zip"])
    }

    func testUnwritableFolderIsATypedError() throws {
        let error = expectZipWriteError(.cannotCreate) { _ = try ZipWriter(path: "/nonexistent-padu-folder/out.zip") }
        XCTAssertEqual(error?.path, "/nonexistent-padu-folder/out.zip")
        XCTAssertTrue(error?.message.contains("No such file or directory") ?? false, error?.message ?? "")
        XCTAssertTrue(error?.message.contains("check that the folder exists") ?? false, error?.message ?? "")
    }

    func testErrorsAbandonTheArchiveAndRemoveTheTemporaryFile() throws {
        let directory = try makeWriterTestDirectory(self)
        let path = directory + "/out.zip"
        let zip = try ZipWriter(path: path)
        try zip.addEntry(name: "a.txt", data: [1])
        let duplicate = expectZipWriteError(.invalidEntryName) { try zip.addEntry(name: "a.txt", data: [2]) }
        XCTAssertTrue(duplicate?.message.contains("already has an entry named 'a.txt'") ?? false)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), [])
        _ = expectZipWriteError(.closed) { try zip.addEntry(name: "b.txt", data: [2]) }
        _ = expectZipWriteError(.closed) { try zip.close() }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))

        let unsafe = try ZipWriter(path: path)
        _ = expectZipWriteError(.invalidEntryName) { try unsafe.addEntry(name: "../evil", data: [1]) }
        let missing = try ZipWriter(path: path)
        let error = expectZipWriteError(.sourceUnreadable) { try missing.addEntry(name: "x", contentsOfFile: directory + "/missing") }
        XCTAssertTrue(error?.message.contains("cannot read") ?? false)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), [])
    }

    func testDroppingAnUnclosedWriterRemovesTheTemporaryFile() throws {
        let directory = try makeWriterTestDirectory(self)
        do {
            let zip = try ZipWriter(path: directory + "/out.zip")
            try zip.addEntry(name: "a.txt", data: [1])
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), [])
    }

    func testEntriesAndArchivesReachingTheLimitAreRefused() throws {
        let directory = try makeWriterTestDirectory(self)
        let zip = try ZipWriter(path: directory + "/out.zip")
        zip.maxSize = 10_000
        let error = expectZipWriteError(.entryTooLarge) { try zip.addEntry(name: "big.txt", data: Array(repeating: 65, count: 20_000)) }
        XCTAssertTrue(error?.message.contains("without ZIP64") ?? false, error?.message ?? "")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), [])

        let archive = try ZipWriter(path: directory + "/out.zip")
        archive.maxSize = 10_000
        let random = sampleBytes(8000)
        try archive.addEntry(name: "one.bin", data: Array(random[0..<4000]))
        _ = expectZipWriteError(.archiveTooLarge) {
            for index in 0..<10 { try archive.addEntry(name: "more-\(index).bin", data: Array(random[0..<3000])) }
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), [])

        let many = try ZipWriter(path: directory + "/out.zip")
        many.maxEntries = 2
        try many.addEntry(name: "1", data: [])
        try many.addEntry(name: "2", data: [])
        _ = expectZipWriteError(.archiveTooLarge) { try many.addEntry(name: "3", data: []) }
    }
}

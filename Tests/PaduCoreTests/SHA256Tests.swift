import Foundation
import XCTest
import PaduCore

final class SHA256Tests: XCTestCase {
    private let abc448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
    private let abc896 = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"

    // MARK: - NIST vectors

    func testEmptyString() {
        XCTAssertEqual(SHA256.hash([UInt8]()).hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(SHA256().finalize().hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    func testABC() {
        XCTAssertEqual(SHA256.hash(Array("abc".utf8)).hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(SHA256.hash("abc").hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    func test448BitMessage() {
        XCTAssertEqual(SHA256.hash(abc448).hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    func test896BitMessage() {
        XCTAssertEqual(SHA256.hash(abc896).hex, "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1")
    }

    func testOneMillionA() {
        let expected = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        XCTAssertEqual(SHA256.hash([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)).hex, expected)

        var hasher = SHA256()
        let thousand = [UInt8](repeating: UInt8(ascii: "a"), count: 1000)
        for _ in 0..<1000 { hasher.update(thousand) }
        XCTAssertEqual(hasher.finalize().hex, expected)
    }

    // MARK: - Streaming

    func testOddSplitPointsMatchOneShot() {
        let message = (0..<5000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let expected = SHA256.hash(message)

        for chunkSize in [1, 3, 7, 55, 56, 63, 64, 65, 127, 129, 1000, 4999] {
            var hasher = SHA256()
            var index = 0
            while index < message.count {
                let end = min(index + chunkSize, message.count)
                hasher.update(message[index..<end])
                index = end
            }
            XCTAssertEqual(hasher.finalize(), expected, "chunk size \(chunkSize)")
        }

        // Irregular split points across the three update overloads.
        var hasher = SHA256()
        let cuts = [0, 1, 2, 65, 66, 190, 191, 1024, 3333, 4096, 5000]
        for (n, (start, end)) in zip(cuts, cuts.dropFirst()).enumerated() {
            let slice = Array(message[start..<end])
            switch n % 3 {
            case 0: slice.withUnsafeBytes { hasher.update($0) }
            case 1: hasher.update(Data(slice))
            default: hasher.update(slice)
            }
        }
        XCTAssertEqual(hasher.finalize(), expected)
    }

    func testNonContiguousSequenceAndStringUpdate() {
        let bytes = (0..<300).lazy.map { UInt8(truncatingIfNeeded: $0) }
        XCTAssertEqual(SHA256.hash(bytes), SHA256.hash(Array(bytes)))

        var hasher = SHA256()
        hasher.update("abcdbcdecdefdefgefgh")
        hasher.update("fghighijhijkijkljklmklmnlmnomnopnopq")
        XCTAssertEqual(hasher.finalize().hex, SHA256.hash(abc448).hex)
        XCTAssertEqual(SHA256.hash("Selamat pagi, Indonesia 🇮🇩"), SHA256.hash(Array("Selamat pagi, Indonesia 🇮🇩".utf8)))
    }

    func testFinalizeDoesNotDisturbHasher() {
        var hasher = SHA256()
        hasher.update("ab")
        _ = hasher.finalize()
        hasher.update("c")
        XCTAssertEqual(hasher.finalize().hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    func testDigestValue() throws {
        let digest = SHA256.hash("abc")
        XCTAssertEqual(digest.bytes.count, 32)
        XCTAssertEqual(digest.description, digest.hex)
        XCTAssertEqual(SHA256Digest(hex: digest.hex.uppercased()), digest)
        XCTAssertEqual(SHA256Digest(bytes: digest.bytes), digest)
        XCTAssertNil(SHA256Digest(hex: "abc"))
        XCTAssertNil(SHA256Digest(hex: String(repeating: "g", count: 64)))
        XCTAssertNil(SHA256Digest(bytes: [1, 2, 3]))
        XCTAssertEqual(Set([digest, SHA256.hash("abc"), SHA256.hash("abd")]).count, 2)
    }

    // MARK: - Files

    func testFileHashMatchesSha256sum() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }

        // Sizes around block and chunk boundaries, including empty and multi-chunk files.
        let sizes = [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 128, SHA256.fileChunkSize - 1,
                     SHA256.fileChunkSize, 2 * SHA256.fileChunkSize + 4321]
        var generator = SplitMix64(seed: 0x5eed)
        var paths: [String] = []
        for size in sizes {
            let bytes = (0..<size).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            let url = directory.appendingPathComponent("data-\(size).bin")
            try Data(bytes).write(to: url)
            paths.append(url.path)
        }

        let expected = try sha256sum(paths)
        for path in paths {
            XCTAssertEqual(try SHA256.hash(fileAt: path).hex, expected[path], path)
        }
    }

    func testMissingFileErrorNamesPath() {
        let path = "/nonexistent-\(UUID().uuidString)/input.csv"
        XCTAssertThrowsError(try SHA256.hash(fileAt: path)) { error in
            guard let error = error as? SHA256Error else { return XCTFail("unexpected error \(error)") }
            XCTAssertEqual(error.path, path)
            XCTAssertEqual(error.operation, "open")
            XCTAssertTrue(error.description.contains(path), error.description)
            XCTAssertTrue(error.description.contains("No such file or directory"), error.description)
        }
    }

    func testDirectoryErrorNamesPath() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        XCTAssertThrowsError(try SHA256.hash(fileAt: directory.path)) { error in
            XCTAssertTrue(String(describing: error).contains(directory.path), "\(error)")
        }
    }

    // MARK: - Helpers

    private func makeTemporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sha256-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Runs /usr/bin/sha256sum on `paths` and returns path → lowercase hex digest.
    private func sha256sum(_ paths: [String]) throws -> [String: String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = paths
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)

        var result: [String: String] = [:]
        for line in String(decoding: output, as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1)
            guard parts.count == 2 else { continue }
            result[String(parts[1].drop(while: { $0 == " " || $0 == "*" }))] = String(parts[0])
        }
        XCTAssertEqual(result.count, Set(paths).count)
        return result
    }
}

/// Small deterministic PRNG for test data.
private struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}

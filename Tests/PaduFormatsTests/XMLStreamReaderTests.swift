import Foundation
import XCTest

@testable import PaduFormats

final class XMLStreamReaderTests: XCTestCase {
    private var temporaryDirectory: URL!

    override func setUpWithError() throws {
        temporaryDirectory = FileManager.default.temporaryDirectory
            .appendingPathComponent("padu-xml-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: temporaryDirectory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: temporaryDirectory)
    }

    /// A reader over an in-memory document, fed in small pieces like a zip entry stream.
    private func reader(_ xml: String, options: XMLReadOptions = XMLReadOptions(), chunk: Int = 7) throws -> XMLStreamReader {
        let bytes = Array(xml.utf8)
        var offset = 0
        return try XMLStreamReader(sourceName: "test.xml", options: options) { buffer in
            let count = min(chunk, buffer.count, bytes.count - offset)
            for index in 0..<count { buffer[index] = bytes[offset + index] }
            offset += count
            return count
        }
    }

    /// Reads the whole document, returning every node value and attribute value seen.
    private func drain(_ xml: XMLStreamReader, attributes: [String] = []) throws -> [String] {
        var seen: [String] = []
        while try xml.next() {
            if let value = xml.value { seen.append(value) }
            seen.append(xml.localName)
            for name in attributes { if let value = xml.attribute(name) { seen.append(value) } }
        }
        return seen
    }

    private func expectError(_ kind: XMLReadError.Kind, _ body: () throws -> Void, file: StaticString = #filePath, line: UInt = #line) -> XMLReadError? {
        do {
            try body()
            XCTFail("expected \(kind), but no error was thrown", file: file, line: line)
        } catch let error as XMLReadError {
            XCTAssertEqual(error.kind, kind, "\(error)", file: file, line: line)
            return error
        } catch {
            XCTFail("expected XMLReadError.\(kind), got \(error)", file: file, line: line)
        }
        return nil
    }

    // MARK: - Reading

    func testReadsElementsAttributesNamespacesAndText() throws {
        let xml = try reader("""
            <?xml version="1.0" encoding="UTF-8"?>
            <x:root xmlns:x="urn:main" xmlns:r="urn:rel" version="2">
              <x:item r:id="rId7" name="satu &amp; dua">Teks <![CDATA[<mentah>]]> &#x41;</x:item>
              <x:empty flag=""/>
              <x:open></x:open>
            </x:root>
            """)
        XCTAssertEqual(xml.nodeType, .none)
        XCTAssertTrue(try xml.next())
        XCTAssertEqual(xml.nodeType, .elementStart)
        XCTAssertEqual(xml.localName, "root")
        XCTAssertEqual(xml.namespaceURI, "urn:main")
        XCTAssertEqual(xml.depth, 0)
        XCTAssertEqual(xml.attribute("version"), "2")
        XCTAssertEqual(xml.line, 2)

        while try xml.next(), xml.nodeType != .elementStart {}
        XCTAssertEqual(xml.localName, "item")
        XCTAssertEqual(xml.depth, 1)
        XCTAssertEqual(xml.attribute("id", namespace: "urn:rel"), "rId7")
        XCTAssertNil(xml.attribute("id"), "an unprefixed lookup must not match r:id")
        XCTAssertNil(xml.attribute("id", namespace: "urn:other"))
        XCTAssertEqual(xml.attribute("name"), "satu & dua")
        XCTAssertNil(xml.attribute("missing"))
        XCTAssertEqual(xml.unqualifiedAttributes(), ["name": "satu & dua"])
        XCTAssertEqual(try xml.readText(), "Teks <mentah> A")
        XCTAssertEqual(xml.nodeType, .elementEnd)
        XCTAssertEqual(xml.localName, "item")

        while try xml.next(), xml.nodeType != .elementStart {}
        XCTAssertEqual(xml.localName, "empty")
        XCTAssertTrue(xml.isEmptyElement)
        XCTAssertEqual(xml.attribute("flag"), "")
        XCTAssertEqual(try xml.readText(), "")

        while try xml.next(), xml.nodeType != .elementStart {}
        XCTAssertEqual(xml.localName, "open")
        XCTAssertFalse(xml.isEmptyElement)
        XCTAssertEqual(try xml.readText(), "")
        XCTAssertEqual(xml.nodeType, .elementEnd)

        var remaining: [XMLNodeType] = []
        while try xml.next() { remaining.append(xml.nodeType) }
        XCTAssertEqual(remaining.last, .elementEnd)
        XCTAssertEqual(xml.nodeType, .none)
        XCTAssertFalse(try xml.next(), "the reader stays at the end")
    }

    func testWhitespaceOnlyTextIsKept() throws {
        let xml = try reader(#"<si><t xml:space="preserve">  </t><t> </t><t>a b </t></si>"#)
        var texts: [String] = []
        while try xml.next() {
            if xml.nodeType == .elementStart, xml.localName == "t" {
                if texts.isEmpty { XCTAssertEqual(xml.attribute("space", namespace: XMLStreamReader.xmlNamespace), "preserve") }
                texts.append(try xml.readText())
            }
        }
        XCTAssertEqual(texts, ["  ", " ", "a b "])
    }

    func testSkipElementJumpsOverContent() throws {
        let xml = try reader("<a><big><x>1</x><y><z/></y>teks</big><after k=\"v\"/></a>")
        XCTAssertTrue(try xml.next())
        XCTAssertTrue(try xml.next())
        XCTAssertEqual(xml.localName, "big")
        try xml.skipElement()
        XCTAssertTrue(try xml.next())
        XCTAssertEqual(xml.nodeType, .elementStart)
        XCTAssertEqual(xml.localName, "after")
        XCTAssertEqual(xml.attribute("k"), "v")
        try xml.skipElement()  // empty element: no effect
        XCTAssertTrue(try xml.next())
        XCTAssertEqual(xml.nodeType, .elementEnd)
        XCTAssertEqual(xml.localName, "a")
        XCTAssertFalse(try xml.next())
    }

    func testReadsFromFile() throws {
        let url = temporaryDirectory.appendingPathComponent("doc.xml")
        try Data("<r>\n<a>satu</a>\n<b>dua</b>\n</r>".utf8).write(to: url)
        let xml = try XMLStreamReader(path: url.path)
        var texts: [String] = []
        while try xml.next() {
            if xml.nodeType == .elementStart, xml.localName != "r" { texts.append(try xml.readText()) }
        }
        XCTAssertEqual(texts, ["satu", "dua"])
    }

    func testMissingFileIsUnreadable() {
        let error = expectError(.unreadable) { _ = try XMLStreamReader(path: "/nonexistent/padu.xml") }
        XCTAssertEqual(error?.source, "/nonexistent/padu.xml")
    }

    func testProducerErrorsAreRethrownUnchanged() throws {
        struct Broken: Error, Equatable {}
        let bytes = Array("<root><a>1</a>".utf8)
        var offset = 0
        let xml = try XMLStreamReader(sourceName: "stream") { buffer in
            if offset == bytes.count { throw Broken() }
            let count = min(buffer.count, bytes.count - offset)
            for index in 0..<count { buffer[index] = bytes[offset + index] }
            offset += count
            return count
        }
        XCTAssertThrowsError(try drain(xml)) { error in
            XCTAssertEqual(error as? Broken, Broken())
        }
    }

    // MARK: - Malformed input

    func testMalformedXMLReportsLineAndColumn() throws {
        let xml = try reader("<root>\n  <a>satu</a>\n  <b>dua</c>\n</root>")
        let error = expectError(.malformed) { _ = try drain(xml) }
        XCTAssertEqual(error?.line, 3)
        XCTAssertGreaterThan(error?.column ?? 0, 0)
        XCTAssertTrue(error?.message.contains("mismatch") ?? false, error?.message ?? "")
        XCTAssertTrue(error?.description.hasPrefix("test.xml: line 3, column ") ?? false, error?.description ?? "")
    }

    func testEmptyAndTruncatedDocumentsAreErrors() throws {
        _ = expectError(.malformed) { _ = try drain(try reader("")) }
        _ = expectError(.malformed) { _ = try drain(try reader("<root><a>teks")) }
        _ = expectError(.malformed) { _ = try drain(try reader("<root>&undefined;</root>")) }
    }

    func testLibxml2NeverWritesToStandardError() throws {
        let capture = temporaryDirectory.appendingPathComponent("stderr.txt")
        _ = FileManager.default.createFile(atPath: capture.path, contents: nil)
        let captureHandle = try FileHandle(forWritingTo: capture)
        let savedStandardError = dup(2)
        dup2(captureHandle.fileDescriptor, 2)
        let documents = [
            "<root>\n<b>dua</c>",
            "",
            "<?xml version=\"1.0\" encoding=\"klingon\"?><r/>",
            "<r>\u{1}</r>",
            "<r a='1' a='2'/>",
            "<r xmlns:x='urn:x'><y:z/></r>",
            "<!DOCTYPE r [<!ENTITY e SYSTEM 'file:///nonexistent/x'>]><r>&e;</r>",
            "<r>&nope;</r>",
        ]
        for document in documents {
            for allow in [false, true] {
                _ = try? drain(try reader(document, options: XMLReadOptions(allowDocumentType: allow)))
            }
        }
        fflush(nil)
        dup2(savedStandardError, 2)
        close(savedStandardError)
        try captureHandle.close()
        let printed = try String(contentsOf: capture, encoding: .utf8)
        XCTAssertEqual(printed, "", "libxml2 printed to stderr")
    }

    // MARK: - Security

    func testDocumentTypeIsRefusedByDefault() throws {
        let xml = try reader("<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ELEMENT r ANY>]>\n<r>teks</r>")
        let error = expectError(.documentTypeNotAllowed) { _ = try drain(xml) }
        XCTAssertTrue(error?.message.contains("DOCTYPE") ?? false)
    }

    func testExternalEntityNeverExposesFileContent() throws {
        let secret = temporaryDirectory.appendingPathComponent("rahasia.txt")
        try Data("RAHASIA-NEGARA-12345".utf8).write(to: secret)
        let document = """
            <?xml version="1.0"?>
            <!DOCTYPE r [<!ENTITY xxe SYSTEM "file://\(secret.path)"><!ENTITY rel SYSTEM "rahasia.txt">]>
            <r><t>&xxe;</t><u>&rel;</u></r>
            """
        // Default: refused before libxml2 parses anything past the prolog.
        let refused = expectError(.documentTypeNotAllowed) { _ = try drain(try reader(document)) }
        XCTAssertEqual(refused?.line, 2)

        // Even with a DTD allowed, the entity stays an unexpanded reference.
        let allowed = XMLReadOptions(allowDocumentType: true)
        let seen = try drain(try reader(document, options: allowed))
        XCTAssertTrue(seen.contains("xxe"), "the entity reference node is reported: \(seen)")
        XCTAssertFalse(seen.joined().contains("RAHASIA"), "file content leaked: \(seen)")

        // Reading the element's text refuses the reference.
        let xml = try reader(document, options: allowed)
        while try xml.next(), !(xml.nodeType == .elementStart && xml.localName == "t") {}
        _ = expectError(.entityReferenceNotAllowed) { _ = try xml.readText() }

        // The same through a file path, with a relative SYSTEM id next to the document.
        let url = temporaryDirectory.appendingPathComponent("xxe.xml")
        try Data(document.utf8).write(to: url)
        let fromFile = try drain(try XMLStreamReader(path: url.path, options: allowed))
        XCTAssertFalse(fromFile.joined().contains("RAHASIA"), "file content leaked: \(fromFile)")
        _ = expectError(.documentTypeNotAllowed) { _ = try drain(try XMLStreamReader(path: url.path)) }

        // In an attribute value, libxml2 refuses the external entity outright.
        let inAttribute = """
            <?xml version="1.0"?>
            <!DOCTYPE r [<!ENTITY xxe SYSTEM "file://\(secret.path)">]>
            <r a="&xxe;"/>
            """
        var attributeSeen: [String] = []
        do {
            attributeSeen = try drain(try reader(inAttribute, options: allowed), attributes: ["a"])
        } catch let error as XMLReadError {
            attributeSeen = [error.message]
        }
        XCTAssertFalse(attributeSeen.joined().contains("RAHASIA"), "file content leaked: \(attributeSeen)")
    }

    func testDocumentTypeIsFoundBehindCommentsAndInUTF16() throws {
        let commented = "<?xml version=\"1.0\"?><!-- <!DOCTYPE in a comment --><?pi <!DOCTYPE ?><r>&#60;!DOCTYPE</r>"
        XCTAssertNoThrow(try drain(try reader(commented)))
        let hidden = "<?xml version=\"1.0\"?>\n<!-- komentar -->\n<?pi data?>\n<!DOCTYPE r SYSTEM \"x.dtd\">\n<r/>"
        let error = expectError(.documentTypeNotAllowed) { _ = try drain(try reader(hidden, chunk: 1)) }
        XCTAssertEqual(error?.line, 4)
        var utf16: [UInt8] = [0xFF, 0xFE]
        for unit in "<?xml version=\"1.0\" encoding=\"UTF-16\"?><!DOCTYPE r [<!ENTITY e \"x\">]><r>&e;</r>".utf16 {
            utf16.append(UInt8(unit & 0xFF))
            utf16.append(UInt8(unit >> 8))
        }
        var offset = 0
        let xml = try XMLStreamReader(sourceName: "utf16.xml") { buffer in
            let count = min(buffer.count, utf16.count - offset)
            for index in 0..<count { buffer[index] = utf16[offset + index] }
            offset += count
            return count
        }
        _ = expectError(.documentTypeNotAllowed) { _ = try drain(xml) }
    }

    func testExternalParameterEntityIsNeverLoaded() throws {
        let dtd = temporaryDirectory.appendingPathComponent("jahat.dtd")
        try Data("<!ENTITY leak \"RAHASIA-DARI-DTD\">".utf8).write(to: dtd)
        let document = """
            <?xml version="1.0"?>
            <!DOCTYPE r [<!ENTITY % remote SYSTEM "file://\(dtd.path)"> %remote;]>
            <r><t>&leak;</t></r>
            """
        var seen: [String] = []
        do {
            seen = try drain(try reader(document, options: XMLReadOptions(allowDocumentType: true)))
        } catch let error as XMLReadError {
            seen = [error.message]
        }
        XCTAssertFalse(seen.joined().contains("RAHASIA"), "external DTD content leaked: \(seen)")
    }

    func testBillionLaughsIsBounded() throws {
        var document = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n"
        for level in 1...9 {
            let previous = level == 1 ? "lol" : "lol\(level - 1)"
            document += "<!ENTITY lol\(level) \"" + String(repeating: "&\(previous);", count: 10) + "\">\n"
        }
        let inContent = document + "]>\n<lolz><t>&lol9;</t></lolz>"
        let inAttribute = document + "]>\n<lolz a=\"&lol9;\"/>"

        _ = expectError(.documentTypeNotAllowed) { _ = try drain(try reader(inContent)) }
        _ = expectError(.documentTypeNotAllowed) { _ = try drain(try reader(inAttribute)) }

        for variant in [inContent, inAttribute] {
            let start = Date()
            var total = 0
            do {
                let xml = try reader(variant, options: XMLReadOptions(allowDocumentType: true), chunk: 4096)
                while try xml.next() {
                    total += xml.value?.utf8.count ?? 0
                    total += xml.attribute("a")?.utf8.count ?? 0
                    if xml.nodeType == .elementStart, xml.localName == "t" {
                        _ = expectError(.entityReferenceNotAllowed) { total += try xml.readText().utf8.count }
                        break
                    }
                }
            } catch let error as XMLReadError {
                // libxml2 refuses the amplification itself ("entity reference loop").
                XCTAssertEqual(error.kind, .malformed)
                XCTAssertTrue(error.message.contains("entit"), error.message)
            }
            XCTAssertLessThan(total, 10_000, "entities were expanded")
            XCTAssertLessThan(Date().timeIntervalSince(start), 5, "entity handling is not bounded")
        }
    }

    func testDepthLimit() throws {
        let nested = String(repeating: "<a>", count: 20) + String(repeating: "</a>", count: 20)
        let error = expectError(.depthLimitExceeded) { _ = try drain(try reader(nested, options: XMLReadOptions(maxDepth: 10))) }
        XCTAssertTrue(error?.message.contains("10 levels") ?? false, error?.message ?? "")
        XCTAssertNoThrow(try drain(try reader(nested, options: XMLReadOptions(maxDepth: 20))))

        // The default (256) and libxml2's own limit stop absurd nesting.
        let deep = String(repeating: "<a>", count: 5000) + String(repeating: "</a>", count: 5000)
        _ = expectError(.depthLimitExceeded) { _ = try drain(try reader(deep, chunk: 65_536)) }
    }

    func testTextSizeLimit() throws {
        let options = XMLReadOptions(maxTextBytes: 1000)
        let big = "<r><t>" + String(repeating: "x", count: 5000) + "</t></r>"
        let error = expectError(.textTooLarge) { _ = try drain(try reader(big, options: options, chunk: 65_536)) }
        XCTAssertTrue(error?.message.contains("1000 bytes") ?? false, error?.message ?? "")

        // Many small pieces assembled by readText are limited too.
        let pieces = "<r><t>" + String(repeating: "abc<![CDATA[def]]>", count: 200) + "</t></r>"
        let xml = try reader(pieces, options: options, chunk: 65_536)
        while try xml.next(), xml.localName != "t" {}
        _ = expectError(.textTooLarge) { _ = try xml.readText() }

        let fits = "<r><t>" + String(repeating: "y", count: 1000) + "</t></r>"
        XCTAssertNoThrow(try drain(try reader(fits, options: options, chunk: 65_536)))

        // libxml2's own cap (10,000,000 bytes per text node) reports the same kind.
        let huge = Array(("<r><t>" + String(repeating: "z", count: 10_500_000) + "</t></r>").utf8)
        var offset = 0
        let xml2 = try XMLStreamReader(sourceName: "huge.xml") { buffer in
            let count = min(buffer.count, huge.count - offset)
            huge.withUnsafeBytes { buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[offset..<(offset + count)])) }
            offset += count
            return count
        }
        let hugeError = expectError(.textTooLarge) { _ = try drain(xml2) }
        XCTAssertTrue(hugeError?.message.contains("10,000,000") ?? false, hugeError?.message ?? "")
    }
}

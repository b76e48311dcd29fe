import CLibXML2

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The kind of node an ``XMLStreamReader`` is positioned on.
public enum XMLNodeType: Sendable, Equatable {
    /// Before the first call to ``XMLStreamReader/next()`` or after the end of the document.
    case none
    /// A start tag (`<row r="5">`) or an empty-element tag (`<c r="A1"/>`, see ``XMLStreamReader/isEmptyElement``).
    case elementStart
    /// An end tag (`</row>`). Empty-element tags have no matching end node.
    case elementEnd
    /// Character data (entities and character references already decoded).
    case text
    /// A `<![CDATA[...]]>` section.
    case cdata
    /// Whitespace-only character data between elements.
    case whitespace
    /// Whitespace-only character data inside an element with `xml:space="preserve"`.
    case significantWhitespace
    /// A comment.
    case comment
    /// A processing instruction (`<?target data?>`).
    case processingInstruction
    /// A document type declaration; only reported when ``XMLReadOptions/allowDocumentType`` is set.
    case documentType
    /// An entity reference left unexpanded (`&name;`); only possible when
    /// ``XMLReadOptions/allowDocumentType`` is set. Its name is ``XMLStreamReader/localName``.
    case entityReference
    /// Any other node type libxml2 reports (end of entity, notation, ...).
    case other
}

/// Limits and switches for ``XMLStreamReader``.
public struct XMLReadOptions: Sendable {
    /// The deepest element nesting accepted (the root element is at depth 0). Default 256.
    ///
    /// libxml2 itself refuses documents nested deeper than 256 levels (without `XML_PARSE_HUGE`,
    /// which Padu never sets), so larger values have no effect.
    public var maxDepth: Int
    /// The largest text node accepted, in bytes of UTF-8, and the largest text ``XMLStreamReader/readText()``
    /// assembles for one element. Default 32 MiB.
    ///
    /// libxml2 itself refuses single text nodes over 10,000,000 bytes (without `XML_PARSE_HUGE`); that
    /// failure is reported with the same ``XMLReadError/Kind/textTooLarge`` kind.
    public var maxTextBytes: Int
    /// Whether a document type declaration (`<!DOCTYPE ...>`) is accepted. Default `false`: office
    /// documents never contain one, and refusing it shuts out entity tricks before they start.
    ///
    /// Even when accepted, entities are never substituted, external DTDs and entities are never loaded
    /// and the network is never used: an entity reference is reported as a
    /// ``XMLNodeType/entityReference`` node and ``XMLStreamReader/readText()`` refuses it.
    public var allowDocumentType: Bool

    /// Creates reading options; every parameter has a default suited to office documents.
    public init(maxDepth: Int = 256, maxTextBytes: Int = 32 << 20, allowDocumentType: Bool = false) {
        self.maxDepth = maxDepth
        self.maxTextBytes = maxTextBytes
        self.allowDocumentType = allowDocumentType
    }
}

/// A failure that stops reading an XML document.
public struct XMLReadError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: Sendable, Equatable {
        /// The document is not well-formed XML (or libxml2 refused it for another reason).
        case malformed
        /// Elements are nested deeper than ``XMLReadOptions/maxDepth``.
        case depthLimitExceeded
        /// A text node is larger than ``XMLReadOptions/maxTextBytes``.
        case textTooLarge
        /// The document has a `<!DOCTYPE ...>` and ``XMLReadOptions/allowDocumentType`` is off.
        case documentTypeNotAllowed
        /// Text requested with ``XMLStreamReader/readText()`` contains an entity reference.
        case entityReferenceNotAllowed
        /// The file could not be opened or read.
        case unreadable
    }

    /// What went wrong.
    public let kind: Kind
    /// The name of the document, as given to the reader (a path, or a part inside an archive).
    public let source: String
    /// The 1-based line where the problem was found, or 0 when unknown.
    public let line: Int
    /// The 1-based column where the problem was found, or 0 when unknown.
    public let column: Int
    /// What went wrong, in words for the person responsible for the file.
    public let message: String

    /// Creates an error.
    public init(kind: Kind, source: String, line: Int, column: Int, message: String) {
        self.kind = kind
        self.source = source
        self.line = line
        self.column = column
        self.message = message
    }

    /// The source, the position when known, and the message.
    public var description: String {
        if line > 0 {
            return "\(source): line \(line), column \(column): \(message)"
        }
        return "\(source): \(message)"
    }
}

/// Shared by the reader and the libxml2 callbacks (passed to C as an unretained pointer; the reader
/// keeps it alive).
private final class XMLReaderContext {
    let produce: (UnsafeMutableRawBufferPointer) throws -> Int
    /// The error thrown by `produce` (or by the prolog check), rethrown unchanged by ``XMLStreamReader/next()``.
    var sourceError: (any Error)?
    /// The first error (not warning) libxml2 reported.
    var parseError: (code: Int32, line: Int, column: Int, message: String)?
    /// Watches the bytes before the root element for `<!DOCTYPE`, when document types are refused.
    var prolog: PrologScanner?
    let sourceName: String

    init(sourceName: String, refuseDocumentType: Bool, produce: @escaping (UnsafeMutableRawBufferPointer) throws -> Int) {
        self.sourceName = sourceName
        self.produce = produce
        self.prolog = refuseDocumentType ? PrologScanner() : nil
    }

    /// Reads the next bytes for libxml2; refuses a document type declaration before libxml2 sees it.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let count = try produce(buffer)
        if prolog != nil {
            switch prolog!.scan(UnsafeRawBufferPointer(rebasing: buffer[0..<max(0, min(count, buffer.count))])) {
            case .undecided:
                break
            case .rootElementReached:
                prolog = nil
            case .documentType(let line, let column):
                throw XMLReadError(
                    kind: .documentTypeNotAllowed, source: sourceName, line: line, column: column,
                    message: XMLStreamReader.documentTypeMessage
                )
            }
        }
        return count
    }
}

/// Scans the prolog (the bytes before the root element) for a document type declaration, so that it is
/// refused before libxml2 parses ahead into the internal subset and the content. Skips the XML
/// declaration, processing instructions and comments; NUL bytes are ignored so that UTF-16 documents
/// are scanned too.
struct PrologScanner {
    enum Outcome { case undecided, rootElementReached, documentType(line: Int, column: Int) }
    private enum State { case text, afterLessThan, afterBang, afterBangDash, instruction, instructionQuestion, comment, commentDash, commentDashDash }
    private var state = State.text
    private var line = 1
    private var column = 0

    mutating func scan(_ bytes: UnsafeRawBufferPointer) -> Outcome {
        for byte in bytes where byte != 0 {
            column += 1
            if byte == 0x0A {
                line += 1
                column = 0
            }
            switch state {
            case .text:
                if byte == UInt8(ascii: "<") { state = .afterLessThan }
            case .afterLessThan:
                switch byte {
                case UInt8(ascii: "?"): state = .instruction
                case UInt8(ascii: "!"): state = .afterBang
                default: return .rootElementReached
                }
            case .afterBang:
                if byte == UInt8(ascii: "-") {
                    state = .afterBangDash
                } else {
                    return .documentType(line: line, column: max(column - 2, 1))
                }
            case .afterBangDash:
                if byte == UInt8(ascii: "-") {
                    state = .comment
                } else {
                    return .documentType(line: line, column: max(column - 3, 1))
                }
            case .instruction:
                if byte == UInt8(ascii: "?") { state = .instructionQuestion }
            case .instructionQuestion:
                state = byte == UInt8(ascii: ">") ? .text : byte == UInt8(ascii: "?") ? .instructionQuestion : .instruction
            case .comment:
                if byte == UInt8(ascii: "-") { state = .commentDash }
            case .commentDash:
                state = byte == UInt8(ascii: "-") ? .commentDashDash : .comment
            case .commentDashDash:
                state = byte == UInt8(ascii: ">") ? .text : byte == UInt8(ascii: "-") ? .commentDashDash : .comment
            }
        }
        return .undecided
    }
}

/// `xmlInitParser` must run once before libxml2 is used from several threads.
private let libxml2Initialized: Bool = {
    xmlInitParser()
    return true
}()

/// A forward-only pull reader over libxml2's `xmlTextReader`, safe for untrusted documents.
///
/// ```swift
/// let xml = try XMLStreamReader(path: "/data/sheet1.xml")
/// while try xml.next() {
///     if xml.nodeType == .elementStart, xml.localName == "row" { ... }
/// }
/// ```
///
/// Security: the parser never substitutes entities, never loads an external DTD or entity, never uses
/// the network, and by default refuses any `<!DOCTYPE>`; nesting depth and text size are limited (see
/// ``XMLReadOptions``). libxml2 never prints: its messages become a thrown ``XMLReadError`` carrying
/// the line and column. Memory stays flat however large the document: nodes are freed as the reader
/// moves past them.
///
/// A reader is not thread-safe; use one per thread.
public final class XMLStreamReader {
    /// The name of the document used in error messages.
    public let sourceName: String
    /// The limits in force.
    public let options: XMLReadOptions
    /// The node the reader is positioned on.
    public private(set) var nodeType: XMLNodeType = .none

    private let reader: xmlTextReaderPtr
    /// The libxml2 reader, for extensions of this type in this module.
    var rawReader: xmlTextReaderPtr { reader }
    private let context: XMLReaderContext
    private var fileDescriptor: Int32 = -1
    private var finished = false
    /// Set by ``skipElement()``: libxml2 is already positioned on the node the next `next()` returns.
    private var positionedAhead = false
    /// Interned names: libxml2 keeps element, attribute and namespace names in a dictionary, so one
    /// pointer always means one name for the reader's lifetime.
    private var names: [UnsafeRawPointer: String] = [:]

    /// Libxml2 parser options: no network access, big line numbers, compact text nodes. Deliberately
    /// absent: `XML_PARSE_NOENT` (entity substitution), `XML_PARSE_DTDLOAD`, `XML_PARSE_DTDATTR`,
    /// `XML_PARSE_DTDVALID` (external DTDs and entities) and `XML_PARSE_HUGE` (lifts libxml2's
    /// size, depth and entity-amplification limits). `XML_PARSE_NOBLANKS` is not used either: it drops
    /// whitespace-only text, which is data in spreadsheets (`<t xml:space="preserve"> </t>`); callers
    /// skip ``XMLNodeType/whitespace`` nodes themselves.
    static let parserOptions: Int32 = Int32(
        XML_PARSE_NONET.rawValue | XML_PARSE_BIG_LINES.rawValue | XML_PARSE_COMPACT.rawValue
    )

    /// Opens the XML file at `path` for streaming.
    ///
    /// The file is read with plain `read(2)` calls, so libxml2 never interprets the path as a URL and
    /// never decompresses it.
    /// - Throws: ``XMLReadError`` (``XMLReadError/Kind/unreadable``) when the file cannot be opened.
    public convenience init(path: String, options: XMLReadOptions = XMLReadOptions()) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            let reason = String(cString: strerror(errno))
            throw XMLReadError(
                kind: .unreadable, source: path, line: 0, column: 0,
                message: "cannot open the file (\(reason)); check that it exists and that Padu may read it"
            )
        }
        try self.init(sourceName: path, options: options) { buffer in
            while true {
                let count = read(fd, buffer.baseAddress, buffer.count)
                if count >= 0 { return count }
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                throw XMLReadError(
                    kind: .unreadable, source: path, line: 0, column: 0,
                    message: "reading the file failed (\(reason))"
                )
            }
        }
        fileDescriptor = fd
    }

    /// Streams a document produced by `produce`, which fills the buffer it is given and returns the
    /// number of bytes written, or 0 at the end of the data.
    ///
    /// An error thrown by `produce` (for example a ``ZipError`` from an inflating zip entry) stops
    /// the parse and is rethrown unchanged by ``next()``.
    /// - Parameter sourceName: the document's name for error messages.
    public init(
        sourceName: String,
        options: XMLReadOptions = XMLReadOptions(),
        produce: @escaping (UnsafeMutableRawBufferPointer) throws -> Int
    ) throws {
        _ = libxml2Initialized
        self.sourceName = sourceName
        self.options = options
        let context = XMLReaderContext(sourceName: sourceName, refuseDocumentType: !options.allowDocumentType, produce: produce)
        self.context = context
        let opaque = Unmanaged.passUnretained(context).toOpaque()
        let created = xmlReaderForIO(
            { opaque, buffer, length -> Int32 in
                guard let opaque, let buffer, length > 0 else { return 0 }
                let context = Unmanaged<XMLReaderContext>.fromOpaque(opaque).takeUnretainedValue()
                if context.sourceError != nil { return -1 }
                do {
                    let count = try context.read(into: UnsafeMutableRawBufferPointer(start: buffer, count: Int(length)))
                    return Int32(clamping: min(count, Int(length)))
                } catch {
                    context.sourceError = error
                    return -1
                }
            },
            { _ in 0 },
            opaque, nil, nil, XMLStreamReader.parserOptions
        )
        guard let created else {
            if let error = context.sourceError { throw error }
            throw XMLReadError(
                kind: .unreadable, source: sourceName, line: 0, column: 0,
                message: "the XML parser could not be started (out of memory?)"
            )
        }
        reader = created
        xmlTextReaderSetStructuredErrorHandler(
            reader,
            { opaque, error in
                guard let opaque, let error else { return }
                let context = Unmanaged<XMLReaderContext>.fromOpaque(opaque).takeUnretainedValue()
                // Warnings (level 1) are ignored; errors and fatal errors stop the read.
                guard error.pointee.level.rawValue >= XML_ERR_ERROR.rawValue, context.parseError == nil else { return }
                var message = error.pointee.message.map { String(cString: $0) } ?? "unknown XML error"
                while message.last == "\n" || message.last == " " { message.removeLast() }
                context.parseError = (
                    code: error.pointee.code, line: Int(error.pointee.line), column: Int(error.pointee.int2),
                    message: message
                )
            },
            opaque
        )
    }

    deinit {
        xmlFreeTextReader(reader)
        if fileDescriptor >= 0 { close(fileDescriptor) }
    }

    // MARK: - Moving

    /// Moves to the next node in document order.
    /// - Returns: `false` at the end of the document.
    /// - Throws: ``XMLReadError`` for malformed XML or a passed limit, or the error thrown by the
    ///   byte producer. After a throw the reader stays at the end.
    public func next() throws -> Bool {
        if finished { return false }
        let result: Int32
        if positionedAhead {
            positionedAhead = false
            result = 1
        } else {
            result = xmlTextReaderRead(reader)
        }
        try checkErrors(result: result)
        if result == 0 {
            finished = true
            nodeType = .none
            return false
        }
        nodeType = Self.mapNodeType(xmlTextReaderNodeType(reader))
        switch nodeType {
        case .elementStart:
            if Int(xmlTextReaderDepth(reader)) >= options.maxDepth {
                throw fail(
                    .depthLimitExceeded,
                    "elements are nested more than \(options.maxDepth) levels deep; this is not a normal office document"
                )
            }
        case .text, .cdata, .whitespace, .significantWhitespace:
            if let value = xmlTextReaderConstValue(reader), strlen(value) > options.maxTextBytes {
                throw textTooLarge()
            }
        case .documentType:
            if !options.allowDocumentType {
                throw fail(.documentTypeNotAllowed, Self.documentTypeMessage)
            }
        default:
            break
        }
        return true
    }

    /// Skips the content of the current element, if it is a start tag with content: the next call to
    /// ``next()`` returns the node after its end tag. Does nothing on other nodes.
    ///
    /// The skipped content is still parsed (and checked for well-formedness) but never surfaces in
    /// Swift, which makes skipping large elements cheap.
    public func skipElement() throws {
        guard !finished, !positionedAhead, nodeType == .elementStart, !isEmptyElement else { return }
        let result = xmlTextReaderNext(reader)
        try checkErrors(result: result)
        if result == 0 {
            finished = true
            nodeType = .none
        } else {
            positionedAhead = true
        }
    }

    private func checkErrors(result: Int32) throws {
        if let error = context.sourceError {
            finished = true
            nodeType = .none
            throw error
        }
        if let error = context.parseError {
            finished = true
            nodeType = .none
            if error.message.contains("huge text node") || (error.message.contains("too long") && error.message.contains("text")) {
                throw XMLReadError(
                    kind: .textTooLarge, source: sourceName, line: error.line, column: error.column,
                    message: "a text value is larger than libxml2's limit of 10,000,000 bytes (\(error.message))"
                )
            }
            if error.message.contains("Excessive depth") {
                throw XMLReadError(
                    kind: .depthLimitExceeded, source: sourceName, line: error.line, column: error.column,
                    message: "elements are nested too deeply for libxml2 (\(error.message)); this is not a normal office document"
                )
            }
            throw XMLReadError(
                kind: .malformed, source: sourceName, line: error.line, column: error.column,
                message: "the XML is damaged: \(error.message)"
            )
        }
        if result < 0 {
            finished = true
            nodeType = .none
            throw XMLReadError(
                kind: .malformed, source: sourceName, line: Int(xmlTextReaderGetParserLineNumber(reader)),
                column: Int(xmlTextReaderGetParserColumnNumber(reader)),
                message: "the XML is damaged (the parser stopped without a message)"
            )
        }
    }

    private static func mapNodeType(_ type: Int32) -> XMLNodeType {
        switch type {
        case Int32(XML_READER_TYPE_ELEMENT.rawValue): return .elementStart
        case Int32(XML_READER_TYPE_END_ELEMENT.rawValue): return .elementEnd
        case Int32(XML_READER_TYPE_TEXT.rawValue): return .text
        case Int32(XML_READER_TYPE_CDATA.rawValue): return .cdata
        case Int32(XML_READER_TYPE_WHITESPACE.rawValue): return .whitespace
        case Int32(XML_READER_TYPE_SIGNIFICANT_WHITESPACE.rawValue): return .significantWhitespace
        case Int32(XML_READER_TYPE_COMMENT.rawValue): return .comment
        case Int32(XML_READER_TYPE_PROCESSING_INSTRUCTION.rawValue): return .processingInstruction
        case Int32(XML_READER_TYPE_DOCUMENT_TYPE.rawValue): return .documentType
        case Int32(XML_READER_TYPE_ENTITY_REFERENCE.rawValue): return .entityReference
        default: return .other
        }
    }

    private func fail(_ kind: XMLReadError.Kind, _ message: String) -> XMLReadError {
        let error = XMLReadError(kind: kind, source: sourceName, line: line, column: column, message: message)
        finished = true
        nodeType = .none
        return error
    }

    private func textTooLarge() -> XMLReadError {
        fail(
            .textTooLarge,
            "a text value is larger than the limit of \(options.maxTextBytes) bytes; split the data or raise the limit"
        )
    }

    // MARK: - The current node

    /// The local name (without prefix) of the current element, or libxml2's name for other nodes
    /// (`#text`, the entity name for an entity reference, ...). Names are interned: repeated names
    /// cost no allocation.
    public var localName: String {
        guard nodeType != .none, let pointer = xmlTextReaderConstLocalName(reader) else { return "" }
        return intern(pointer)
    }

    /// The namespace URI of the current element, or `nil` when it has none.
    public var namespaceURI: String? {
        guard nodeType != .none, let pointer = xmlTextReaderConstNamespaceUri(reader) else { return nil }
        return intern(pointer)
    }

    /// The depth of the current node: 0 for the root element, 1 for its children, and so on.
    public var depth: Int {
        nodeType == .none ? 0 : Int(xmlTextReaderDepth(reader))
    }

    /// Whether the current element is written as an empty-element tag (`<c r="A1"/>`), in which case
    /// no ``XMLNodeType/elementEnd`` follows. `<c></c>` is not empty: its end tag is reported.
    public var isEmptyElement: Bool {
        nodeType == .elementStart && xmlTextReaderIsEmptyElement(reader) == 1
    }

    /// The text of the current text, CDATA, whitespace, comment or processing-instruction node;
    /// `nil` on other nodes.
    public var value: String? {
        switch nodeType {
        case .text, .cdata, .whitespace, .significantWhitespace, .comment, .processingInstruction:
            guard let pointer = xmlTextReaderConstValue(reader) else { return nil }
            return String(cString: pointer)
        default:
            return nil
        }
    }

    /// The 1-based line of the current node (of the parser's position when the node has none).
    public var line: Int {
        if nodeType != .none, let node = xmlTextReaderCurrentNode(reader) {
            let number = xmlGetLineNo(node)
            if number > 0 { return Int(number) }
        }
        return Int(xmlTextReaderGetParserLineNumber(reader))
    }

    /// The 1-based column of the parser's position, which is at or after the current node.
    public var column: Int {
        Int(xmlTextReaderGetParserColumnNumber(reader))
    }

    /// The value of an attribute of the current element, or `nil` when it is absent (or the reader is
    /// not on an element start).
    ///
    /// - Parameters:
    ///   - localName: the attribute's name without prefix (`"id"` for `r:id`).
    ///   - namespace: the attribute's namespace URI; `nil` matches only attributes without a namespace
    ///     (unprefixed attributes). `xml:space` is `attribute("space", namespace: XMLStreamReader.xmlNamespace)`.
    /// Entity references inside the value (possible only with ``XMLReadOptions/allowDocumentType``)
    /// stay unexpanded, as `&name;`.
    public func attribute(_ localName: String, namespace: String? = nil) -> String? {
        withAttributeBytes(localName, namespace: namespace) { bytes in
            bytes.map { String(decoding: $0, as: UTF8.self) }
        }
    }

    /// Calls `body` with the raw UTF-8 bytes of an attribute value (without copying when the value is a
    /// single text run), or with `nil` when the attribute is absent. The buffer is valid only inside
    /// `body`. See ``attribute(_:namespace:)`` for matching rules.
    public func withAttributeBytes<Result>(
        _ localName: String,
        namespace: String? = nil,
        _ body: (UnsafeBufferPointer<UInt8>?) throws -> Result
    ) rethrows -> Result {
        guard nodeType == .elementStart, let node = xmlTextReaderCurrentNode(reader) else { return try body(nil) }
        let found: UnsafeMutablePointer<xmlAttr>? = localName.withCString { name in
            var attribute = node.pointee.properties
            while let current = attribute {
                if let attributeName = current.pointee.name,
                   strcmp(UnsafeRawPointer(attributeName).assumingMemoryBound(to: CChar.self), name) == 0 {
                    if let namespace {
                        if let href = current.pointee.ns?.pointee.href,
                           namespace.withCString({ strcmp(UnsafeRawPointer(href).assumingMemoryBound(to: CChar.self), $0) }) == 0 {
                            return current
                        }
                    } else if current.pointee.ns == nil {
                        return current
                    }
                }
                attribute = current.pointee.next
            }
            return nil
        }
        guard let found else { return try body(nil) }
        guard let first = found.pointee.children else {
            return try body(UnsafeBufferPointer(start: nil, count: 0))
        }
        if first.pointee.next == nil, first.pointee.type == XML_TEXT_NODE, let content = first.pointee.content {
            return try body(UnsafeBufferPointer(start: content, count: strlen(content)))
        }
        // Several children: text runs and unexpanded entity references (only with a DTD).
        var bytes: [UInt8] = []
        var child: UnsafeMutablePointer<xmlNode>? = first
        while let current = child {
            if current.pointee.type == XML_ENTITY_REF_NODE {
                bytes.append(UInt8(ascii: "&"))
                if let name = current.pointee.name {
                    bytes.append(contentsOf: UnsafeBufferPointer(start: name, count: strlen(name)))
                }
                bytes.append(UInt8(ascii: ";"))
            } else if let content = current.pointee.content {
                bytes.append(contentsOf: UnsafeBufferPointer(start: content, count: strlen(content)))
            }
            child = current.pointee.next
        }
        return try bytes.withUnsafeBufferPointer { try body($0) }
    }

    static let documentTypeMessage = "the document contains a <!DOCTYPE> declaration, which office documents never have; it is refused because DTDs and entities can be used to attack the reader"

    /// The current element's attributes that have no namespace (SDMX concept ids and the like),
    /// by name; empty when not on an element start.
    public func unqualifiedAttributes() -> [String: String] {
        guard nodeType == .elementStart, let node = xmlTextReaderCurrentNode(reader) else { return [:] }
        var result: [String: String] = [:]
        var attribute = node.pointee.properties
        while let current = attribute {
            if current.pointee.ns == nil, let name = current.pointee.name {
                let key = String(cString: UnsafeRawPointer(name).assumingMemoryBound(to: CChar.self))
                result[key] = self.attribute(key)
            }
            attribute = current.pointee.next
        }
        return result
    }

    /// The namespace of `xml:` attributes such as `xml:space`.
    public static let xmlNamespace = "http://www.w3.org/XML/1998/namespace"

    /// Reads the text content of the current element: all text, CDATA and whitespace inside it,
    /// descendants included, concatenated. Afterwards the reader is on the element's end tag (or still
    /// on the element when it is empty). Returns `""` when not on an element start.
    /// - Throws: ``XMLReadError`` for malformed XML, text over ``XMLReadOptions/maxTextBytes``, or an
    ///   entity reference inside the element.
    public func readText() throws -> String {
        guard nodeType == .elementStart, !isEmptyElement else { return "" }
        let startDepth = depth
        var text = ""
        var byteCount = 0
        while try next() {
            switch nodeType {
            case .text, .cdata, .whitespace, .significantWhitespace:
                guard let pointer = xmlTextReaderConstValue(reader) else { continue }
                let length = strlen(pointer)
                byteCount += length
                if byteCount > options.maxTextBytes { throw textTooLarge() }
                let piece = String(decoding: UnsafeBufferPointer(start: pointer, count: length), as: UTF8.self)
                if text.isEmpty { text = piece } else { text += piece }
            case .entityReference:
                throw fail(
                    .entityReferenceNotAllowed,
                    "the text contains the entity reference &\(localName);, which Padu does not expand"
                )
            case .elementEnd where depth == startDepth:
                return text
            default:
                continue
            }
        }
        return text
    }

    private func intern(_ pointer: UnsafePointer<xmlChar>) -> String {
        let key = UnsafeRawPointer(pointer)
        if let name = names[key] { return name }
        let name = String(cString: pointer)
        // Only dictionary-owned strings are guaranteed to keep their address and content.
        if names.count < 4096, let node = xmlTextReaderCurrentNode(reader),
           let dictionary = node.pointee.doc?.pointee.dict, xmlDictOwns(dictionary, pointer) == 1 {
            names[key] = name
        }
        return name
    }
}

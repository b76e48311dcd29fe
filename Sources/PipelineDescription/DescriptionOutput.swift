#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
@preconcurrency import Darwin
#endif
import Synchronization

/// The version of the JSON that a pipeline file writes; Padu refuses versions it does not know.
public let pipelineDescriptionFormatVersion = 1
/// The version of this library, part of the cache key of compiled pipeline files.
public let pipelineDescriptionLibraryVersion = "0.1.0"

/// Collects every `Pipeline` a pipeline file declares and writes them as JSON at exit,
/// to the path that follows `-padu-output` on the command line (standard output otherwise).
final class DescriptionRegistry: Sendable {
    static let shared = DescriptionRegistry()
    private let pipelines = Mutex<[Pipeline]>([])
    /// Set by this library's own tests, whose process must not print a description at exit.
    let outputSuppressed = Mutex(false)

    func register(_ pipeline: Pipeline) {
        let first = pipelines.withLock { list in
            list.append(pipeline)
            return list.count == 1
        }
        if first {
            atexit { DescriptionRegistry.shared.writeOutput() }
        }
    }

    func json() -> String {
        let list = pipelines.withLock { $0 }
        let out = JSONWriter()
        out.object {
            out.field("version") { out.int(pipelineDescriptionFormatVersion) }
            out.field("library") { out.string(pipelineDescriptionLibraryVersion) }
            out.field("pipelines") { out.array(list) { out.pipeline($0) } }
        }
        return out.text
    }

    private func writeOutput() {
        if outputSuppressed.withLock({ $0 }) { return }
        let text = json()
        let args = CommandLine.arguments
        if let flag = args.firstIndex(of: "-padu-output"), flag + 1 < args.count {
            guard let handle = fopen(args[flag + 1], "w") else {
                fputs("PipelineDescription: cannot write \(args[flag + 1])\n", stderr)
                _exit(3)
            }
            fputs(text, handle)
            fclose(handle)
        } else {
            fputs(text + "\n", stdout)
        }
    }
}

/// A minimal JSON writer: the description library keeps no dependency, not even Foundation.
final class JSONWriter {
    private(set) var text = ""
    private var needsComma = [false]

    func object(_ body: () -> Void) {
        separate(); text += "{"; needsComma.append(false); body(); needsComma.removeLast(); text += "}"
    }

    func field(_ key: String, _ value: () -> Void) {
        separate(); appendQuoted(key); text += ":"
        needsComma.append(false); value(); needsComma.removeLast()
    }

    func array<T>(_ items: [T], _ each: (T) -> Void) {
        separate(); text += "["; needsComma.append(false)
        for item in items { each(item) }
        needsComma.removeLast(); text += "]"
    }

    func string(_ s: String) { separate(); appendQuoted(s) }
    func int(_ n: Int) { separate(); text += String(n) }
    func uint(_ n: UInt) { separate(); text += String(n) }
    func bool(_ b: Bool) { separate(); text += b ? "true" : "false" }
    func null() { separate(); text += "null" }
    func double(_ d: Double) {
        separate()
        text += d.isFinite ? "\(d)" : "null"
    }

    private func separate() {
        if needsComma[needsComma.count - 1] { text += "," } else { needsComma[needsComma.count - 1] = true }
    }

    private func appendQuoted(_ s: String) {
        text += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }
}

extension JSONWriter {
    func pipeline(_ p: Pipeline) {
        object {
            field("name") { string(p.name) }
            if let d = p.description { field("description") { string(d) } }
            if let o = p.owner { field("owner") { string(o) } }
            field("schedule") { schedule(p.schedule) }
            field("source") { stage(p.source.stage) }
            field("transforms") { array(p.transforms) { stage($0.stage) } }
            field("sink") { stage(p.sink.stage) }
            field("retries") { int(p.retries) }
            if let t = p.timeout { field("timeoutSeconds") { int(t.seconds) } }
            field("expectations") {
                array(p.expectations) { e in
                    object { field("kind") { string(e.kind) }; field("value") { option(e.value) } }
                }
            }
            if let n = p.notify { field("notifyURL") { string(n.url) } }
            field("location") { location(p.location) }
        }
    }

    func schedule(_ s: Schedule) {
        object {
            field("kind") { string(s.kind) }
            for key in s.fields.keys.sorted() { field(key) { option(s.fields[key]!) } }
            if let l = s.location { field("location") { location(l) } }
        }
    }

    func stage(_ s: StageDescription) {
        object {
            field("plugin") { string(s.plugin) }
            field("options") { option(.map(s.options)) }
            field("location") { location(s.location) }
        }
    }

    func location(_ l: SourceLocation) {
        object { field("line") { uint(l.line) }; field("column") { uint(l.column) } }
    }

    func option(_ v: OptionValue) {
        switch v {
        case .string(let s): string(s)
        case .int(let n): int(n)
        case .double(let d): double(d)
        case .bool(let b): bool(b)
        case .list(let items): array(items) { option($0) }
        case .map(let m):
            object { for key in m.keys.sorted() { field(key) { option(m[key]!) } } }
        }
    }
}

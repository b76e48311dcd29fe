import PaduCore

/// A problem in a pipeline file, printed the way compilers print them:
/// `pipelines/p3ke.swift:12:5: error: ...`.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable { case error, warning, note }

    public let file: String
    public let line: Int?
    public let column: Int?
    public let severity: Severity
    public let message: String
    /// Compiler output is kept verbatim (it already names file:line:col and shows the source).
    public let verbatim: Bool

    public init(file: String, line: Int? = nil, column: Int? = nil, severity: Severity = .error, message: String, verbatim: Bool = false) {
        self.file = file
        self.line = line
        self.column = column
        self.severity = severity
        self.message = message
        self.verbatim = verbatim
    }

    init(file: String, at location: SpecLocation?, _ message: String) {
        self.init(file: file, line: location?.line, column: location?.column, message: message)
    }

    public var description: String {
        if verbatim { return message }
        var place = file
        if let line { place += ":\(line)" + (column.map { ":\($0)" } ?? "") }
        return "\(place): \(severity): \(PersonalData.maskNIKs(in: message))"
    }
}

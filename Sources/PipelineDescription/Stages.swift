/// The stage that reads a pipeline's inputs. Use a typed factory such as
/// `.socialRegistry(...)`, or `.plugin("name", options: [...])` for any registered source.
public struct Source: Sendable {
    let stage: StageDescription

    /// Any registered source plugin by name (`padu plugins` lists them and their options).
    public static func plugin(
        _ name: String, options: [String: OptionValue] = [:],
        file: StaticString = #filePath, line: UInt = #line, column: UInt = #column
    ) -> Source {
        Source(stage: StageDescription(plugin: name, options: options, location: SourceLocation(line: line, column: column)))
    }
}

/// A stage applied to every batch between the source and the sink.
public struct Transform: Sendable {
    let stage: StageDescription

    /// Any registered transform plugin by name.
    public static func plugin(
        _ name: String, options: [String: OptionValue] = [:],
        file: StaticString = #filePath, line: UInt = #line, column: UInt = #column
    ) -> Transform {
        Transform(stage: StageDescription(plugin: name, options: options, location: SourceLocation(line: line, column: column)))
    }
}

/// The stage that writes a pipeline's rows.
public struct Sink: Sendable {
    let stage: StageDescription

    /// Any registered sink plugin by name.
    public static func plugin(
        _ name: String, options: [String: OptionValue] = [:],
        file: StaticString = #filePath, line: UInt = #line, column: UInt = #column
    ) -> Sink {
        Sink(stage: StageDescription(plugin: name, options: options, location: SourceLocation(line: line, column: column)))
    }
}

struct StageDescription: Sendable {
    let plugin: String
    let options: [String: OptionValue]
    let location: SourceLocation
}

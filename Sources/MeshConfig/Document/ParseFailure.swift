import MeshCore

/// Input that cannot be read as YAML/JSON: the position and what is wrong there.
public struct ParseFailure: Error, Sendable, CustomStringConvertible {
    public var source: String
    public var documentIndex: Int
    public var location: SourceLocation?
    public var message: String

    public init(source: String, documentIndex: Int, location: SourceLocation?, message: String) {
        self.source = source
        self.documentIndex = documentIndex
        self.location = location
        self.message = message
    }

    public var description: String {
        if let location { return "\(source):\(location.line):\(location.column): \(message)" }
        return "\(source): \(message)"
    }
}

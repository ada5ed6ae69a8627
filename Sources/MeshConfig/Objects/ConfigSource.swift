import MeshCore

/// Where an object was read from: file, 1-based document index, position.
public struct ConfigSource: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var documentIndex: Int
    public var location: SourceLocation

    public init(file: String, documentIndex: Int, location: SourceLocation) {
        self.file = file
        self.documentIndex = documentIndex
        self.location = location
    }

    public var description: String { "\(file):\(documentIndex)" }
}

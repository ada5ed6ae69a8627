import MeshCore

/// A value of the wrong shape, found while decoding a typed model from a node.
public struct NodeDecodingError: Error, Sendable, CustomStringConvertible {
    public var path: FieldPath
    public var location: SourceLocation
    public var message: String

    public var description: String { "\(path): \(message)" }
}

import MeshCore

/// A parsed YAML/JSON value with its source position. Scalars are already resolved
/// to the types Kubernetes' YAML reader would give them (YAML 1.1 plain scalars).
public struct ConfigNode: Sendable {
    public struct Entry: Sendable {
        public var key: String
        public var keyLocation: SourceLocation
        public var value: ConfigNode

        public init(key: String, keyLocation: SourceLocation, value: ConfigNode) {
            self.key = key
            self.keyLocation = keyLocation
            self.value = value
        }
    }

    public enum Value: Sendable {
        case null
        case bool(Bool)
        case int(Int64)
        /// An integer literal that does not fit in 64 bits.
        case bigInteger(String)
        case float(Double)
        case string(String)
        case mapping([Entry])
        case sequence([ConfigNode])
    }

    public var value: Value
    public var location: SourceLocation

    public init(_ value: Value, at location: SourceLocation) {
        self.value = value
        self.location = location
    }

    public var typeName: String {
        switch value {
        case .null: "null"
        case .bool: "boolean"
        case .int, .bigInteger: "integer"
        case .float: "number"
        case .string: "string"
        case .mapping: "object"
        case .sequence: "array"
        }
    }

    public var string: String? {
        if case .string(let text) = value { return text }
        return nil
    }

    public var entries: [Entry]? {
        if case .mapping(let entries) = value { return entries }
        return nil
    }

    public var items: [ConfigNode]? {
        if case .sequence(let items) = value { return items }
        return nil
    }

    public var isNull: Bool {
        if case .null = value { return true }
        return false
    }

    public subscript(key: String) -> ConfigNode? {
        guard case .mapping(let entries) = value else { return nil }
        return entries.first { $0.key == key }?.value
    }

    /// The position of the deepest node along `path` (the value itself when it exists).
    public func location(of path: FieldPath) -> SourceLocation {
        var node = self
        for segment in path.segments {
            switch (segment, node.value) {
            case (.key(let key), .mapping(let entries)):
                guard let entry = entries.first(where: { $0.key == key }) else { return node.location }
                node = entry.value
            case (.index(let index), .sequence(let items)) where items.indices.contains(index):
                node = items[index]
            default:
                return node.location
            }
        }
        return node.location
    }
}

/// A `google.protobuf.Value` as dynamic metadata holds it (e.g. a verified JWT's
/// payload under `envoy.filters.http.jwt_authn`), for RBAC metadata matchers.
public indirect enum MetadataValue: Sendable, Equatable {
    case null
    case number(Double)
    case string(String)
    case bool(Bool)
    case structValue([String: MetadataValue])
    case list([MetadataValue])

    /// The value at `path` (struct keys), nil when some step is missing or not a struct.
    public func value(at path: ArraySlice<String>) -> MetadataValue? {
        guard let key = path.first else { return self }
        guard case .structValue(let fields) = self, let next = fields[key] else { return nil }
        return next.value(at: path.dropFirst())
    }
}

/// Dynamic metadata of one request: filter namespace -> struct.
public struct DynamicMetadata: Sendable, Equatable {
    public var namespaces: [String: [String: MetadataValue]]

    public init(_ namespaces: [String: [String: MetadataValue]] = [:]) {
        self.namespaces = namespaces
    }

    public var isEmpty: Bool { namespaces.isEmpty }

    /// Envoy's `Metadata::metadataValue`: nil when the namespace or a key is missing.
    public func value(filter: String, path: [String]) -> MetadataValue? {
        guard let fields = namespaces[filter], let first = path.first, let value = fields[first] else { return nil }
        return value.value(at: path.dropFirst())
    }

    public mutating func set(filter: String, key: String, _ value: MetadataValue) {
        namespaces[filter, default: [:]][key] = value
    }
}

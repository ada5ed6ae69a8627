/// One validated, typed config object with its identity and origin.
public struct ConfigObject: Sendable, Equatable {
    public var kind: ConfigKind
    public var apiVersion: String
    public var metadata: ObjectMeta
    public var spec: ConfigSpec
    public var source: ConfigSource?

    public init(kind: ConfigKind, apiVersion: String, metadata: ObjectMeta, spec: ConfigSpec, source: ConfigSource? = nil) {
        self.kind = kind
        self.apiVersion = apiVersion
        self.metadata = metadata
        self.spec = spec
        self.source = source
    }

    public static let defaultNamespace = "default"

    public var name: String { metadata.name ?? "" }
    public var namespace: String { metadata.namespace ?? Self.defaultNamespace }

    /// `KIND NAMESPACE/NAME`, as messages name objects.
    public var displayName: String { "\(kind.rawValue) \(namespace)/\(name)" }

    public static func == (lhs: ConfigObject, rhs: ConfigObject) -> Bool {
        lhs.kind == rhs.kind && lhs.apiVersion == rhs.apiVersion && lhs.metadata == rhs.metadata && lhs.spec == rhs.spec
    }
}

import MeshConfig

/// A typed Istio object with the identity the translator needs.
public struct Scoped<Spec: Sendable>: Sendable {
    public var name: String
    public var namespace: String
    public var spec: Spec

    public init(name: String, namespace: String, spec: Spec) {
        self.name = name
        self.namespace = namespace
        self.spec = spec
    }

    /// `namespace/name`
    public var key: String { "\(namespace)/\(name)" }
}

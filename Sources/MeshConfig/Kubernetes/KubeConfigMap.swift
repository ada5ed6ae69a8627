/// Kubernetes ConfigMap: SwiftMesh reads Istio's mesh config from the `mesh` key of
/// the ConfigMap `istio` in the root namespace, as istiod does.
public struct KubeConfigMap: Codable, Sendable, Equatable {
    public var data: [String: String]?

    public init(data: [String: String]? = nil) {
        self.data = data
    }
}

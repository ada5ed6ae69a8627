/// Kubernetes Namespace: only its metadata (labels such as istio-injection) matters.
public struct KubeNamespace: Codable, Sendable, Equatable {
    public init() {}
}

/// Kubernetes ServiceAccount: its name is the workload identity.
public struct KubeServiceAccount: Codable, Sendable, Equatable {
    public init() {}
}

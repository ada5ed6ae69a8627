/// Kubernetes Deployment: what matters to a mesh is its pod template (labels,
/// service account, ports), which describes the workloads it creates.
public struct KubeDeployment: Codable, Sendable, Equatable {
    public struct TemplateMeta: Codable, Sendable, Equatable {
        public var labels: [String: String]?
        public var annotations: [String: String]?
    }

    public struct Template: Codable, Sendable, Equatable {
        public var metadata: TemplateMeta?
        public var spec: KubePod.Spec?
    }

    public struct Selector: Codable, Sendable, Equatable {
        public var matchLabels: [String: String]?
    }

    public struct Spec: Codable, Sendable, Equatable {
        public var replicas: Int?
        public var selector: Selector?
        public var template: Template?
    }

    public var spec: Spec?
}

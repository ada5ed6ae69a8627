/// Kubernetes Pod: labels (in metadata), service account, IP and container ports.
public struct KubePod: Codable, Sendable, Equatable {
    public struct ContainerPort: Codable, Sendable, Equatable {
        public var name: String?
        public var containerPort: Int?
        public var `protocol`: String?
    }

    public struct Container: Codable, Sendable, Equatable {
        public var name: String?
        public var image: String?
        public var ports: [ContainerPort]?
    }

    public struct Spec: Codable, Sendable, Equatable {
        public var serviceAccountName: String?
        public var serviceAccount: String?
        public var nodeName: String?
        public var containers: [Container]?
    }

    public struct Status: Codable, Sendable, Equatable {
        public var podIP: String?
        public var phase: String?
    }

    public var spec: Spec?
    public var status: Status?
}

/// Kubernetes EndpointSlice (discovery.k8s.io): endpoints with readiness and zone.
public struct KubeEndpointSlice: Codable, Sendable, Equatable {
    public struct Conditions: Codable, Sendable, Equatable {
        public var ready: Bool?
        public var serving: Bool?
        public var terminating: Bool?
    }

    public struct Endpoint: Codable, Sendable, Equatable {
        public var addresses: [String]?
        public var conditions: Conditions?
        public var hostname: String?
        public var nodeName: String?
        public var zone: String?
        public var targetRef: ObjectReference?
    }

    public struct Port: Codable, Sendable, Equatable {
        public var name: String?
        public var port: Int?
        public var `protocol`: String?
        public var appProtocol: String?
    }

    public var addressType: String?
    public var endpoints: [Endpoint]?
    public var ports: [Port]?
}

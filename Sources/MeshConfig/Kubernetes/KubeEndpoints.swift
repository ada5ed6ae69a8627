/// Kubernetes Endpoints (the classic API): addresses and ports per subset.
public struct KubeEndpoints: Codable, Sendable, Equatable {
    public struct Address: Codable, Sendable, Equatable {
        public var ip: String?
        public var hostname: String?
        public var nodeName: String?
        public var targetRef: ObjectReference?
    }

    public struct Port: Codable, Sendable, Equatable {
        public var name: String?
        public var port: Int?
        public var `protocol`: String?
        public var appProtocol: String?
    }

    public struct Subset: Codable, Sendable, Equatable {
        public var addresses: [Address]?
        public var notReadyAddresses: [Address]?
        public var ports: [Port]?
    }

    public var subsets: [Subset]?
}

/// A reference to another object (`kind`, `namespace`, `name`).
public struct ObjectReference: Codable, Sendable, Equatable {
    public var kind: String?
    public var namespace: String?
    public var name: String?
    public var uid: String?
}

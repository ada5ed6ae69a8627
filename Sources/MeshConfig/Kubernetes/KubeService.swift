/// Kubernetes Service: ports, selector and addresses that make a mesh service.
public struct KubeService: Codable, Sendable, Equatable {
    public struct Port: Codable, Sendable, Equatable {
        public var name: String?
        public var port: Int?
        public var targetPort: IntOrString?
        public var nodePort: Int?
        public var `protocol`: String?
        public var appProtocol: String?

        public init(name: String? = nil, port: Int? = nil, targetPort: IntOrString? = nil) {
            self.name = name
            self.port = port
            self.targetPort = targetPort
        }
    }

    public struct Spec: Codable, Sendable, Equatable {
        public var type: String?
        public var ports: [Port]?
        public var selector: [String: String]?
        public var clusterIP: String?
        public var clusterIPs: [String]?
        public var externalName: String?
        public var externalIPs: [String]?
        public var sessionAffinity: String?

        public init() {}
    }

    public var spec: Spec?

    public init(spec: Spec? = nil) {
        self.spec = spec
    }
}

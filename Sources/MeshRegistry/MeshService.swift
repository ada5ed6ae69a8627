/// A service as the mesh sees it: a host name with ports, from a Kubernetes Service or
/// a ServiceEntry host.
public struct MeshService: Sendable, Hashable {
    public enum Resolution: Sendable, Hashable {
        /// Endpoints are known addresses (EDS).
        case staticEndpoints
        /// Endpoints are DNS names resolved by the proxy.
        case dns
        case dnsRoundRobin
        /// No endpoints: traffic goes to the address the client asked for.
        case passthrough
    }

    public struct Port: Sendable, Hashable {
        public var name: String
        public var number: Int
        public var targetPort: Int?
        public var proto: ServiceProtocol

        public init(name: String, number: Int, targetPort: Int? = nil, proto: ServiceProtocol) {
            self.name = name
            self.number = number
            self.targetPort = targetPort
            self.proto = proto
        }
    }

    /// Fully qualified (`reviews.default.svc.cluster.local`, `api.example.com`, `*.example.com`).
    public var hostname: String
    public var namespace: String
    public var ports: [Port]
    /// Virtual IPs (cluster IP, ServiceEntry addresses).
    public var addresses: [String]
    public var resolution: Resolution
    public var meshExternal: Bool
    /// Namespaces that may see the service; `*` for all.
    public var exportTo: Set<String>
    /// Labels selecting the workloads behind it, when it selects (Kubernetes selector,
    /// ServiceEntry workloadSelector).
    public var selector: [String: String]?
    public var subjectAltNames: [String]
    /// Kubernetes Service name for Kubernetes services (for short-name aliases).
    public var kubernetesName: String?

    public init(hostname: String, namespace: String, ports: [Port], addresses: [String] = [], resolution: Resolution = .staticEndpoints,
                meshExternal: Bool = false, exportTo: Set<String> = ["*"], selector: [String: String]? = nil,
                subjectAltNames: [String] = [], kubernetesName: String? = nil) {
        self.hostname = hostname
        self.namespace = namespace
        self.ports = ports
        self.addresses = addresses
        self.resolution = resolution
        self.meshExternal = meshExternal
        self.exportTo = exportTo
        self.selector = selector
        self.subjectAltNames = subjectAltNames
        self.kubernetesName = kubernetesName
    }

    public func port(number: Int) -> Port? { ports.first { $0.number == number } }
    public func port(named name: String) -> Port? { ports.first { $0.name == name } }

    /// Visible from `namespace`.
    public func isVisible(from namespace: String) -> Bool {
        exportTo.contains("*") || exportTo.contains(namespace) || (exportTo.contains(".") && namespace == self.namespace)
    }
}

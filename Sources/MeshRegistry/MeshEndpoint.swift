/// One instance behind a service port: where to send traffic and who answers.
public struct MeshEndpoint: Sendable, Hashable {
    public var serviceHostname: String
    public var servicePortNumber: Int
    /// IP address, DNS name (DNS resolution) or `unix://` path.
    public var address: String
    public var port: Int
    public var labels: [String: String]
    public var namespace: String
    public var serviceAccount: String?
    public var locality: String?
    public var weight: Int?
    public var network: String?
    /// WorkloadEntry / Pod name, when known.
    public var workloadName: String?
    public var healthy: Bool
    /// A sidecar runs beside it (Workload.hasSidecar; for endpoints not backed by a
    /// known workload, the `security.istio.io/tlsMode: istio` label).
    public var sidecar: Bool

    public init(serviceHostname: String, servicePortNumber: Int, address: String, port: Int, labels: [String: String] = [:],
                namespace: String, serviceAccount: String? = nil, locality: String? = nil, weight: Int? = nil,
                network: String? = nil, workloadName: String? = nil, healthy: Bool = true, sidecar: Bool? = nil) {
        self.serviceHostname = serviceHostname
        self.servicePortNumber = servicePortNumber
        self.address = address
        self.port = port
        self.labels = labels
        self.namespace = namespace
        self.serviceAccount = serviceAccount
        self.locality = locality
        self.weight = weight
        self.network = network
        self.workloadName = workloadName
        self.healthy = healthy
        self.sidecar = sidecar ?? (labels[Workload.tlsModeLabel] == "istio")
    }

    /// `spiffe://TRUST_DOMAIN/ns/NAMESPACE/sa/ACCOUNT`
    public func spiffeIdentity(trustDomain: String = "cluster.local") -> String {
        "spiffe://\(trustDomain)/ns/\(namespace)/sa/\(serviceAccount ?? "default")"
    }

    public func matches(_ selector: [String: String]) -> Bool {
        selector.allSatisfy { labels[$0.key] == $0.value }
    }
}

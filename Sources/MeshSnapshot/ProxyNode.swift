/// The proxy asking for config, as it identifies itself in xDS: node id
/// `TYPE~IP~ID~DOMAIN` (Istio's format) plus the metadata Istio's bootstrap sets.
public struct ProxyNode: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        case sidecar
        /// Gateways (ingress / egress).
        case router
    }

    public struct ParseError: Error, CustomStringConvertible, Equatable {
        public let description: String
    }

    public var kind: Kind
    public var ipAddresses: [String]
    /// `NAME.NAMESPACE` (a pod's name and namespace, by Istio's convention).
    public var id: String
    public var domain: String
    public var namespace: String
    public var labels: [String: String]
    public var workloadName: String?
    public var serviceAccount: String?
    public var clusterID: String?
    public var meshID: String?
    /// Other metadata, as given (string values only).
    public var metadata: [String: String]
    /// `region/zone/subzone` from the node's locality (or its workload's), for
    /// locality-aware load balancing.
    public var locality: String?

    public init(kind: Kind, ipAddresses: [String], id: String, domain: String, namespace: String, labels: [String: String] = [:],
                workloadName: String? = nil, serviceAccount: String? = nil, clusterID: String? = nil, meshID: String? = nil, metadata: [String: String] = [:], locality: String? = nil) {
        self.kind = kind
        self.ipAddresses = ipAddresses
        self.id = id
        self.domain = domain
        self.namespace = namespace
        self.labels = labels
        self.workloadName = workloadName
        self.serviceAccount = serviceAccount
        self.clusterID = clusterID
        self.meshID = meshID
        self.metadata = metadata
        self.locality = locality
    }

    /// Parses `sidecar~10.1.0.5~reviews-v1-abc.default~default.svc.cluster.local`.
    /// Metadata `NAMESPACE` wins over the id's namespace part; `LABELS` gives labels.
    public init(nodeID: String, metadata: [String: String] = [:], labels: [String: String] = [:], locality: String? = nil) throws(ParseError) {
        let parts = nodeID.split(separator: "~", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 4 else { throw ParseError(description: "node id \"\(nodeID)\" is not TYPE~IP~ID~DOMAIN") }
        guard let kind = Kind(rawValue: parts[0]) else {
            throw ParseError(description: "node id \"\(nodeID)\": type must be sidecar or router, got \"\(parts[0])\"")
        }
        let ips = parts[1].split(separator: ",").map(String.init)
        guard !ips.isEmpty else { throw ParseError(description: "node id \"\(nodeID)\" has no IP address") }
        let idNamespace = parts[2].split(separator: ".", maxSplits: 1).dropFirst().first.map(String.init)
        let namespace = metadata["NAMESPACE"] ?? idNamespace ?? "default"
        self.init(kind: kind, ipAddresses: ips, id: parts[2], domain: parts[3], namespace: namespace, labels: labels,
                  workloadName: metadata["WORKLOAD_NAME"], serviceAccount: metadata["SERVICE_ACCOUNT"],
                  clusterID: metadata["CLUSTER_ID"], meshID: metadata["MESH_ID"], metadata: metadata, locality: locality)
    }

    public var nodeID: String { "\(kind.rawValue)~\(ipAddresses.joined(separator: ","))~\(id)~\(domain)" }
    public var primaryIP: String { ipAddresses[0] }

    public func matches(_ selector: [String: String]) -> Bool {
        selector.allSatisfy { labels[$0.key] == $0.value }
    }
}

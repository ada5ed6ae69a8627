/// The service a cluster stands for, as Istio's `destination_service*` labels
/// report it: from the cluster's `istio` filter metadata (`services[0]`), else
/// from an outbound cluster name `outbound|PORT|SUBSET|HOST`.
public struct IstioService: Sendable, Hashable {
    public var host: String
    public var name: String
    public var namespace: String

    public init(host: String, name: String, namespace: String) {
        self.host = host
        self.name = name
        self.namespace = namespace
    }

    /// `reviews.default.svc.cluster.local` -> name `reviews`, namespace `default`;
    /// other hosts (ServiceEntry) keep the whole host as name, as Istio does.
    public init(host: String, namespace: String? = nil) {
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count >= 3, parts[2] == "svc" {
            self.init(host: host, name: String(parts[0]), namespace: namespace ?? String(parts[1]))
        } else {
            self.init(host: host, name: host, namespace: namespace ?? "")
        }
    }

    /// From Istio's outbound cluster naming; nil for other clusters.
    public init?(outboundClusterName name: String) {
        let parts = name.split(separator: "|", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "outbound", !parts[3].isEmpty else { return nil }
        self.init(host: String(parts[3]))
    }
}

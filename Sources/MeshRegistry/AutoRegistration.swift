/// A proxy that joined through a WorkloadGroup (Istio's VM auto-registration: the
/// proxy's metadata names the group in `AUTO_REGISTER_GROUP`). It stands for the
/// WorkloadEntry Istio would create from the group's template, at the proxy's
/// address, for as long as the proxy is connected (plus a grace period).
public struct AutoRegistration: Sendable, Hashable {
    public var group: String
    public var namespace: String
    public var address: String
    /// The proxy's own labels (they win over the group's), network and locality.
    public var labels: [String: String]
    public var network: String?
    public var locality: String?

    public init(group: String, namespace: String, address: String, labels: [String: String] = [:], network: String? = nil, locality: String? = nil) {
        self.group = group
        self.namespace = namespace
        self.address = address
        self.labels = labels
        self.network = network
        self.locality = locality
    }

    /// Istio's name for the generated entry: `GROUP-ADDRESS[-NETWORK]`.
    public var entryName: String {
        let base = "\(group)-\(address.replacingColons())"
        guard let network, !network.isEmpty else { return base }
        return "\(base)-\(network)"
    }
}

extension String {
    fileprivate func replacingColons() -> String { String(map { $0 == ":" ? "-" : $0 }) }
}

/// Where a forwarding route sends requests: one cluster, or clusters split by weight.
public enum ClusterTarget: Sendable {
    case cluster(String)
    case weighted([WeightedClusterEntry], totalWeight: UInt64)

    /// Envoy's selection: the random value modulo the total weight falls in one
    /// entry's cumulative range.
    public func select(random: UInt64) -> (name: String, entry: WeightedClusterEntry?) {
        switch self {
        case .cluster(let name):
            return (name, nil)
        case .weighted(let entries, let total):
            let point = total == 0 ? 0 : random % total
            var upper: UInt64 = 0
            for entry in entries {
                upper += entry.weight
                if point < upper { return (entry.name, entry) }
            }
            let last = entries[entries.count - 1]
            return (last.name, last)
        }
    }
}

/// One destination of a weighted split, with its own header changes.
public struct WeightedClusterEntry: Sendable {
    public let name: String
    public let weight: UInt64
    public let requestHeaders: HeaderMutation
    public let responseHeaders: HeaderMutation
    public let hostRewrite: [UInt8]?

    public init(name: String, weight: UInt64, requestHeaders: HeaderMutation = .none, responseHeaders: HeaderMutation = .none,
                hostRewrite: [UInt8]? = nil) {
        self.name = name
        self.weight = weight
        self.requestHeaders = requestHeaders
        self.responseHeaders = responseHeaders
        self.hostRewrite = hostRewrite
    }
}

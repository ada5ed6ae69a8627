/// The load balancers' whole view of one upstream endpoint.
///
/// Deliberately small and independent of the proxy's config model: the proxy maps its own
/// endpoint list into these and maps the chosen `index` back.
public struct LBEndpoint: Sendable, Hashable {
    /// The caller's handle for this endpoint (e.g. its position in the cluster's endpoint list).
    public var index: Int
    /// `load_balancing_weight`; Envoy requires >= 1.
    public var weight: UInt32
    /// Caller-chosen locality id; locality weights are keyed by it.
    public var locality: Int
    /// EDS priority (0 is highest).
    public var priority: Int
    public var health: EndpointHealth
    /// What consistent hashing hashes: Envoy uses the address as `ip:port` (`[ip]:port` for
    /// IPv6), or the hostname when `use_hostname_for_hashing` is set.
    public var hashKey: String

    public init(index: Int, weight: UInt32 = 1, locality: Int = 0, priority: Int = 0,
                health: EndpointHealth = .healthy, hashKey: String = "") {
        self.index = index
        self.weight = max(1, weight)
        self.locality = locality
        self.priority = priority
        self.health = health
        self.hashKey = hashKey
    }
}

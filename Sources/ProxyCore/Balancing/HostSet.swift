/// The endpoints of one priority level, pre-sorted into the lists Envoy's balancers pick from.
///
/// All lists hold positions into `hosts`; per-locality lists are ordered by `localityIDs`.
public struct HostSet: Sendable {
    public let priority: Int
    public let hosts: [LBEndpoint]
    public let healthy: [Int]
    public let degraded: [Int]
    public let excludedCount: Int
    /// Locality ids present at this priority, ascending.
    public let localityIDs: [Int]
    public let hostsPerLocality: [[Int]]
    public let healthyPerLocality: [[Int]]
    public let degradedPerLocality: [[Int]]
    public let excludedPerLocality: [Int]
    /// Weight per entry of `localityIDs`; empty when the cluster has no locality weights.
    public let localityWeights: [UInt32]
    /// Percent, Envoy's default 140 (1.4).
    public let overprovisioningFactor: UInt32
    /// `weighted_priority_health`: health by endpoint weight instead of endpoint count.
    public let weightedPriorityHealth: Bool

    public init(priority: Int, hosts: [LBEndpoint], localityWeights: [Int: UInt32] = [:],
                overprovisioningFactor: UInt32 = 140, weightedPriorityHealth: Bool = false) {
        self.priority = priority
        self.hosts = hosts
        self.overprovisioningFactor = overprovisioningFactor
        self.weightedPriorityHealth = weightedPriorityHealth
        var ids: [Int] = []
        for host in hosts where !ids.contains(host.locality) { ids.append(host.locality) }
        ids.sort()
        localityIDs = ids
        var healthy: [Int] = [], degraded: [Int] = [], excluded = 0
        var all = [[Int]](repeating: [], count: ids.count)
        var healthyLoc = all, degradedLoc = all
        var excludedLoc = [Int](repeating: 0, count: ids.count)
        for (position, host) in hosts.enumerated() {
            let loc = ids.firstIndex(of: host.locality)!
            all[loc].append(position)
            if host.health.contains(.excluded) {
                excluded += 1
                excludedLoc[loc] += 1
                continue
            }
            switch host.health.coarse {
            case .healthy: healthy.append(position); healthyLoc[loc].append(position)
            case .degraded: degraded.append(position); degradedLoc[loc].append(position)
            case .unhealthy: break
            }
        }
        self.healthy = healthy
        self.degraded = degraded
        excludedCount = excluded
        hostsPerLocality = all
        healthyPerLocality = healthyLoc
        degradedPerLocality = degradedLoc
        excludedPerLocality = excludedLoc
        self.localityWeights = localityWeights.isEmpty ? [] : ids.map { localityWeights[$0] ?? 0 }
    }

    /// Hosts that count for health maths (Envoy: hosts minus excluded hosts).
    public var countedHosts: Int { hosts.count - excludedCount }
}

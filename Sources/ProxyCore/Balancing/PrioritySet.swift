/// All priority levels of a cluster with Envoy's per-priority health, load and panic state.
///
/// Immutable: the proxy builds a new one whenever membership or health changes (as Envoy
/// recalculates on every host-set update).
public struct PrioritySet: Sendable {
    /// Index = priority. Levels with no endpoints are present and empty.
    public let hostSets: [HostSet]
    /// Healthy+degraded availability per level, 0...100 (after the overprovisioning factor).
    public let health: [UInt32]
    public let degradedAvailability: [UInt32]
    public let load: PriorityLoad
    /// Per level: balance over all hosts because too few are available (`healthy_panic_threshold`).
    public let panic: [Bool]
    public let panicThreshold: UInt32

    /// - Parameters:
    ///   - localityWeights: weight per locality id (EDS `load_balancing_weight` of the locality).
    ///   - panicThreshold: percent, Envoy's default 50; 0 disables panic mode.
    public init(endpoints: [LBEndpoint], localityWeights: [Int: UInt32] = [:],
                overprovisioningFactor: UInt32 = 140, panicThreshold: UInt32 = 50,
                weightedPriorityHealth: Bool = false) {
        let levels = (endpoints.map(\.priority).max() ?? 0) + 1
        var buckets = [[LBEndpoint]](repeating: [], count: levels)
        for endpoint in endpoints { buckets[endpoint.priority].append(endpoint) }
        let sets = buckets.enumerated().map { priority, hosts in
            HostSet(priority: priority, hosts: hosts, localityWeights: localityWeights,
                    overprovisioningFactor: overprovisioningFactor,
                    weightedPriorityHealth: weightedPriorityHealth)
        }
        self.init(hostSets: sets, panicThreshold: panicThreshold)
    }

    public init(hostSets: [HostSet], panicThreshold: UInt32 = 50) {
        self.hostSets = hostSets.isEmpty ? [HostSet(priority: 0, hosts: [])] : hostSets
        self.panicThreshold = min(100, panicThreshold)
        let (health, degraded) = Self.availability(of: self.hostSets, excluding: nil)
        self.health = health
        degradedAvailability = degraded
        var load = Self.distributedLoad(health: health, degraded: degraded)
        let normalizedTotal = min(100, health.reduce(0, +) + degraded.reduce(0, +))
        var panic = [Bool](repeating: false, count: self.hostSets.count)
        if !(self.panicThreshold == 0 && normalizedTotal == 0) {
            var totalPanic = true
            for (i, set) in self.hostSets.enumerated() {
                panic[i] = normalizedTotal == 100 ? false : Self.isInPanic(set, threshold: self.panicThreshold)
                totalPanic = totalPanic && panic[i]
            }
            if totalPanic { load = Self.totalPanicLoad(self.hostSets) }
        }
        self.load = load
        self.panic = panic
    }

    public var totalHealthyHosts: Int { hostSets.reduce(0) { $0 + $1.healthy.count } }
}

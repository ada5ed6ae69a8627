/// The part Envoy's round robin, least request and random balancers share: pick a priority by
/// load, then the list to draw from (all hosts in panic, a weighted locality, or the healthy /
/// degraded hosts). Zone-aware routing is not modelled (Istio configures locality weights).
public struct HostSourceSelector: Sendable {
    public let prioritySet: PrioritySet
    public let localityWeighted: Bool
    /// `zone_aware_lb_config.fail_traffic_on_panic`: fail instead of using all hosts.
    public let failTrafficOnPanic: Bool
    private var localityPickers: [LocalityPicker]

    public init(prioritySet: PrioritySet, localityWeighted: Bool = false, failTrafficOnPanic: Bool = false,
                seed: UInt64 = 0) {
        self.prioritySet = prioritySet
        self.localityWeighted = localityWeighted
        self.failTrafficOnPanic = failTrafficOnPanic
        localityPickers = prioritySet.hostSets.map { LocalityPicker(hostSet: $0, prepicks: Int(seed % 1024)) }
    }

    /// The source for one pick, or nil when the pick must fail.
    public mutating func source(hash: UInt64, context: HostSelectionContext) -> HostSource? {
        let load = context.priorityLoad ?? prioritySet.load
        let (priority, availability) = load.choosePriority(hash: hash)
        guard priority < prioritySet.hostSets.count else { return nil }
        if prioritySet.panic[priority] {
            return failTrafficOnPanic ? nil : HostSource(priority: priority, kind: .allHosts)
        }
        if localityWeighted {
            let locality = availability == .degraded
                ? localityPickers[priority].chooseDegraded()
                : localityPickers[priority].chooseHealthy()
            if let locality {
                let kind: HostSource.Kind = availability == .degraded ? .localityDegradedHosts : .localityHealthyHosts
                return HostSource(priority: priority, kind: kind, localityIndex: locality)
            }
        }
        return HostSource(priority: priority, kind: availability == .degraded ? .degradedHosts : .healthyHosts)
    }

    /// Every source a level can produce, for balancers that keep per-source state.
    public static func allSources(of set: HostSet) -> [HostSource] {
        var sources = [HostSource(priority: set.priority, kind: .allHosts),
                       HostSource(priority: set.priority, kind: .healthyHosts),
                       HostSource(priority: set.priority, kind: .degradedHosts)]
        for locality in set.localityIDs.indices {
            sources.append(HostSource(priority: set.priority, kind: .localityHealthyHosts, localityIndex: locality))
            sources.append(HostSource(priority: set.priority, kind: .localityDegradedHosts, localityIndex: locality))
        }
        return sources
    }
}

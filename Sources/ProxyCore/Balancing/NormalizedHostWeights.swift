/// Host weights scaled so they sum to 1 across a priority level, as Envoy's hashing balancers
/// build their tables: over the healthy hosts (all hosts in panic), and with locality weighting
/// each locality's share is its weight over the sum (localities of weight 0 are dropped).
public struct NormalizedHostWeights: Sendable {
    /// (position into the host set's `hosts`, normalized weight).
    public var entries: [(position: Int, weight: Double)] = []
    public var minWeight: Double = 1.0
    public var maxWeight: Double = 0.0

    public init(hostSet set: HostSet, inPanic: Bool, localityWeighted: Bool) {
        if !localityWeighted || set.localityWeights.isEmpty {
            add(inPanic ? Array(set.hosts.indices) : set.healthy, of: set, share: 1.0)
            return
        }
        let sum = set.localityWeights.reduce(UInt64(0)) { $0 + UInt64($1) }
        guard sum > 0 else { return }
        for (locality, weight) in set.localityWeights.enumerated() where weight != 0 {
            let positions = inPanic ? set.hostsPerLocality[locality] : set.healthyPerLocality[locality]
            add(positions, of: set, share: Double(weight) / Double(sum))
        }
    }

    private mutating func add(_ positions: [Int], of set: HostSet, share: Double) {
        let sum = positions.reduce(UInt64(0)) { $0 + UInt64(set.hosts[$1].weight) }
        guard sum > 0 else { return }
        for position in positions {
            let weight = Double(set.hosts[position].weight) * share / Double(sum)
            entries.append((position, weight))
            minWeight = min(minWeight, weight)
            maxWeight = max(maxWeight, weight)
        }
    }
}

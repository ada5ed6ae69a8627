/// Weighted choice among the localities of one priority level (Envoy's `LocalityWrr`).
///
/// A locality's effective weight is its configured weight times its availability
/// `min(1, factor * eligible / hosts)`, so a half-failed locality sheds load to the others.
public struct LocalityPicker: Sendable {
    private var healthyScheduler: EDFScheduler?
    private var degradedScheduler: EDFScheduler?
    private let healthyWeights: [Double]
    private let degradedWeights: [Double]

    public init(hostSet: HostSet, prepicks: Int = 0) {
        healthyWeights = Self.weights(hostSet, eligible: hostSet.healthyPerLocality)
        degradedWeights = Self.weights(hostSet, eligible: hostSet.degradedPerLocality)
        healthyScheduler = Self.scheduler(hostSet, weights: healthyWeights,
                                          anyEligible: !hostSet.healthy.isEmpty, prepicks: prepicks)
        degradedScheduler = Self.scheduler(hostSet, weights: degradedWeights,
                                           anyEligible: !hostSet.degraded.isEmpty, prepicks: prepicks)
    }

    /// Index into `localityIDs`, or nil when the level has no locality weights or no eligible host.
    public mutating func chooseHealthy() -> Int? {
        let weights = healthyWeights
        return healthyScheduler?.pickAndAdd(weight: { weights[$0] })
    }

    public mutating func chooseDegraded() -> Int? {
        let weights = degradedWeights
        return degradedScheduler?.pickAndAdd(weight: { weights[$0] })
    }

    public static func effectiveWeight(_ set: HostSet, locality: Int, eligible: [[Int]]) -> Double {
        let hostCount = set.hostsPerLocality[locality].count - set.excludedPerLocality[locality]
        guard hostCount > 0 else { return 0 }
        let ratio = Double(eligible[locality].count) / Double(hostCount)
        let availability = min(1.0, Double(set.overprovisioningFactor) / 100.0 * ratio)
        return Double(set.localityWeights[locality]) * availability
    }

    private static func weights(_ set: HostSet, eligible: [[Int]]) -> [Double] {
        guard !set.localityWeights.isEmpty else { return [] }
        return set.localityIDs.indices.map { effectiveWeight(set, locality: $0, eligible: eligible) }
    }

    private static func scheduler(_ set: HostSet, weights: [Double], anyEligible: Bool, prepicks: Int) -> EDFScheduler? {
        guard !weights.isEmpty, anyEligible else { return nil }
        let items = weights.indices.filter { weights[$0] > 0 }
        guard !items.isEmpty else { return nil }
        return EDFScheduler(items: items, weight: { weights[$0] }, prepicks: prepicks % items.count)
    }
}

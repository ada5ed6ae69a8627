/// Which list of a priority level a pick draws from (Envoy's `HostsSource`).
public struct HostSource: Sendable, Hashable {
    public enum Kind: UInt8, Sendable, Hashable {
        case allHosts, healthyHosts, degradedHosts, localityHealthyHosts, localityDegradedHosts
    }

    public var priority: Int
    public var kind: Kind
    /// Position in the host set's `localityIDs`; 0 unless `kind` is a locality kind.
    public var localityIndex: Int

    public init(priority: Int, kind: Kind, localityIndex: Int = 0) {
        self.priority = priority
        self.kind = kind
        self.localityIndex = localityIndex
    }
}

extension HostSet {
    /// How many endpoints a source holds (no allocation, unlike `positions(for:)`).
    public func count(for source: HostSource) -> Int {
        switch source.kind {
        case .allHosts: return hosts.count
        case .healthyHosts: return healthy.count
        case .degradedHosts: return degraded.count
        case .localityHealthyHosts: return healthyPerLocality[source.localityIndex].count
        case .localityDegradedHosts: return degradedPerLocality[source.localityIndex].count
        }
    }

    /// The `offset`-th position of a source.
    public func position(for source: HostSource, at offset: Int) -> Int {
        switch source.kind {
        case .allHosts: return offset
        case .healthyHosts: return healthy[offset]
        case .degradedHosts: return degraded[offset]
        case .localityHealthyHosts: return healthyPerLocality[source.localityIndex][offset]
        case .localityDegradedHosts: return degradedPerLocality[source.localityIndex][offset]
        }
    }

    /// Positions into `hosts` for a source.
    public func positions(for source: HostSource) -> [Int] {
        switch source.kind {
        case .allHosts: return Array(hosts.indices)
        case .healthyHosts: return healthy
        case .degradedHosts: return degraded
        case .localityHealthyHosts: return healthyPerLocality[source.localityIndex]
        case .localityDegradedHosts: return degradedPerLocality[source.localityIndex]
        }
    }
}

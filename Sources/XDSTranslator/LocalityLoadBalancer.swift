import MeshConfig
import MeshRegistry
import XDSAPI

/// Istio's locality-aware load balancing, applied per proxy to a cluster's
/// endpoints: `distribute` rewrites locality weights for proxies in a `from`
/// locality; otherwise, when outlier detection is on (without it Envoy never moves
/// to a lower priority), endpoints get priorities by how close they are to the
/// proxy — same subzone 0, zone 1, region 2, elsewhere 3, and 4 for regions a
/// `failover` rule does not name — ranked first by `failoverPriority` labels when
/// given (by those labels alone unless `failover` is given too). Priorities are compacted to 0...N as Envoy requires.
struct LocalityLoadBalancer {
    let setting: LocalityLoadBalancerSetting
    let proxyLocality: Locality
    let proxyLabels: [String: String]
    let outlierDetection: Bool
    /// For the endpoints' auto-mTLS metadata.
    var security = MeshSecurityOptions()

    struct Locality: Equatable {
        var region = "", zone = "", subzone = ""

        init(_ text: String?) {
            let parts = (text ?? "").split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            region = parts.first ?? ""
            zone = parts.count > 1 ? parts[1] : ""
            subzone = parts.count > 2 ? parts[2] : ""
        }

        /// Istio's LocalityMatch: `*` matches anything, an empty zone/subzone in
        /// the rule matches any.
        func matches(rule: String) -> Bool {
            let wanted = Locality(rule)
            return (wanted.region == "*" || wanted.region == region)
                && (wanted.zone == "*" || wanted.zone.isEmpty || wanted.zone == zone)
                && (wanted.subzone == "*" || wanted.subzone.isEmpty || wanted.subzone == subzone)
        }

        /// Istio's LbPriority of an endpoint locality seen from the proxy's.
        func distance(to other: Locality) -> Int {
            guard region == other.region else { return 3 }
            guard zone == other.zone else { return 2 }
            return subzone == other.subzone ? 0 : 1
        }
    }

    /// Groups the endpoints by locality (and priority) into Envoy's structure.
    func localities(_ endpoints: [MeshEndpoint]) -> [Envoy_Config_Endpoint_V3_LocalityLbEndpoints] {
        if let distribute = setting.distribute, !distribute.isEmpty {
            return distributed(EndpointGenerator.localities(endpoints, security: security), distribute)
        }
        guard outlierDetection else { return EndpointGenerator.localities(endpoints, security: security) }
        // Istio: failoverPriority alone ranks by labels only; with `failover` too (or
        // without failoverPriority) proximity ranks within each label rank.
        let byLabelsOnly = !(setting.failoverPriority ?? []).isEmpty && (setting.failover ?? []).isEmpty
        var groups: [Int: [MeshEndpoint]] = [:]
        for endpoint in endpoints {
            let rank = byLabelsOnly ? labelRank(endpoint) : labelRank(endpoint) * 5 + localityRank(Locality(endpoint.locality))
            groups[rank, default: []].append(endpoint)
        }
        var result: [Envoy_Config_Endpoint_V3_LocalityLbEndpoints] = []
        for (compacted, raw) in groups.keys.sorted().enumerated() {
            for var group in EndpointGenerator.localities(groups[raw]!, security: security) {
                group.priority = UInt32(compacted)
                result.append(group)
            }
        }
        return result
    }

    /// failoverPriority: 0 when every listed label matches the proxy's, else
    /// (count - index of the first label that differs). `key=value` pins the value.
    func labelRank(_ endpoint: MeshEndpoint) -> Int {
        let labels = setting.failoverPriority ?? []
        guard !labels.isEmpty, !proxyLabels.isEmpty else { return 0 }
        for (index, entry) in labels.enumerated() {
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            let wanted = parts.count == 2 ? parts[1] : proxyLabels[parts[0]]
            if wanted != endpoint.labels[parts[0]] { return labels.count - index }
        }
        return 0
    }

    func localityRank(_ locality: Locality) -> Int {
        let rank = proxyLocality.distance(to: locality)
        guard rank == 3, let rule = setting.failover?.first(where: { $0.from == proxyLocality.region }) else { return rank }
        return locality.region == rule.to ? 3 : 4
    }

    /// distribute: the first rule whose `from` matches the proxy sets each `to`
    /// locality's share (split across the groups a wildcard matches, by their
    /// weights); groups no `to` names get no traffic.
    func distributed(_ groups: [Envoy_Config_Endpoint_V3_LocalityLbEndpoints], _ rules: [LocalityDistribute]) -> [Envoy_Config_Endpoint_V3_LocalityLbEndpoints] {
        guard let rule = rules.first(where: { proxyLocality.matches(rule: $0.from ?? "") }) else { return groups }
        var result = groups
        var unmatched = Set(groups.indices)
        for (target, share) in (rule.to ?? [:]).sorted(by: { $0.key < $1.key }) {
            var original: [Int: UInt32] = [:]
            for index in unmatched.sorted() where Self.locality(of: groups[index]).matches(rule: target) {
                original[index] = groups[index].hasLoadBalancingWeight ? groups[index].loadBalancingWeight.value : 1
            }
            let total = original.values.reduce(0, +)
            for (index, weight) in original {
                unmatched.remove(index)
                let value = (Double(weight) * Double(share) / Double(max(total, 1))).rounded(.up)
                if value > 0 { result[index].loadBalancingWeight = Proto.uint32(Int(value)) }
            }
        }
        for index in unmatched { result[index].lbEndpoints = [] }
        return result
    }

    static func locality(of group: Envoy_Config_Endpoint_V3_LocalityLbEndpoints) -> Locality {
        Locality([group.locality.region, group.locality.zone, group.locality.subZone].joined(separator: "/"))
    }
}

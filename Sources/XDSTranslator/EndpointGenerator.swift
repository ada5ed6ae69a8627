import MeshConfig
import MeshRegistry
import MeshSnapshot
import XDSAPI

/// EDS: one ClusterLoadAssignment per EDS cluster, with the endpoints of its service
/// port, narrowed to the subset's labels, grouped by locality.
struct EndpointGenerator {
    let snapshot: MeshSnapshot
    let scope: SidecarScope
    var security = MeshSecurityOptions()

    func assignments(for clusters: [Envoy_Config_Cluster_V3_Cluster]) -> [Envoy_Config_Endpoint_V3_ClusterLoadAssignment] {
        clusters.filter { $0.type == .eds }.compactMap { cluster in
            guard let parsed = ClusterName.parseOutbound(cluster.name) else { return nil }
            var endpoints = snapshot.registry.endpoints(of: parsed.host, port: parsed.port)
            let rule = snapshot.destinationRule(for: parsed.host, from: scope.proxy.namespace)
            let subset = parsed.subset.isEmpty ? nil : rule?.spec.subsets?.first { $0.name == parsed.subset }
            if !parsed.subset.isEmpty { endpoints = endpoints.filter { $0.matches(subset?.labels ?? [:]) } }
            let policy = TrafficPolicyMerge.effective(rule?.spec.trafficPolicy, subset: subset?.trafficPolicy, port: parsed.port)
            var assignment = Envoy_Config_Endpoint_V3_ClusterLoadAssignment()
            assignment.clusterName = cluster.name
            assignment.endpoints = balancer(for: policy)?.localities(endpoints) ?? Self.localities(endpoints, security: security)
            return assignment
        }
    }

    /// Istio's mesh default is locality LB enabled: it takes effect with outlier
    /// detection (failover by proximity) or an explicit distribute rule.
    func balancer(for policy: TrafficPolicyMerge.Policy) -> LocalityLoadBalancer? {
        let setting = policy.loadBalancer?.localityLbSetting ?? LocalityLoadBalancerSetting()
        guard setting.enabled != false, scope.proxy.locality != nil || !scope.proxy.labels.isEmpty else { return nil }
        var balancer = LocalityLoadBalancer(setting: setting, proxyLocality: .init(scope.proxy.locality), proxyLabels: scope.proxy.labels,
                                            outlierDetection: policy.outlierDetection != nil)
        balancer.security = security
        return balancer
    }

    static func localities(_ endpoints: [MeshEndpoint], security: MeshSecurityOptions) -> [Envoy_Config_Endpoint_V3_LocalityLbEndpoints] {
        var groups: [String: [MeshEndpoint]] = [:]
        for endpoint in endpoints { groups[endpoint.locality ?? "", default: []].append(endpoint) }
        return groups.keys.sorted().map { key in
            locality(key.isEmpty ? nil : key, groups[key]!.map { lbEndpoint($0, security: security) })
        }
    }

    static func lbEndpoint(_ endpoint: MeshEndpoint, security: MeshSecurityOptions) -> Envoy_Config_Endpoint_V3_LbEndpoint {
        var lb = lbEndpoint(endpoint.address, endpoint.port, weight: endpoint.weight)
        if let metadata = ClusterGenerator.endpointMetadata(sidecar: endpoint.sidecar, security: security) { lb.metadata = metadata }
        return lb
    }

    static func locality(_ name: String?, _ endpoints: [Envoy_Config_Endpoint_V3_LbEndpoint]) -> Envoy_Config_Endpoint_V3_LocalityLbEndpoints {
        var group = Envoy_Config_Endpoint_V3_LocalityLbEndpoints()
        if let name {
            let parts = name.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            var locality = Envoy_Config_Core_V3_Locality()
            locality.region = parts[0]
            if parts.count > 1 { locality.zone = parts[1] }
            if parts.count > 2 { locality.subZone = parts[2] }
            group.locality = locality
        }
        group.lbEndpoints = endpoints
        group.loadBalancingWeight = Proto.uint32(max(1, endpoints.count))
        return group
    }

    static func lbEndpoint(_ address: String, _ port: Int, weight: Int?) -> Envoy_Config_Endpoint_V3_LbEndpoint {
        var endpoint = Envoy_Config_Endpoint_V3_Endpoint()
        endpoint.address = Proto.address(address, port)
        var lb = Envoy_Config_Endpoint_V3_LbEndpoint()
        lb.endpoint = endpoint
        lb.healthStatus = .healthy
        if let weight, weight > 0 { lb.loadBalancingWeight = Proto.uint32(weight) }
        return lb
    }
}

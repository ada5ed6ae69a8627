import MeshConfig
import MeshCore
import XDSAPI

/// Consistent hashing on routes: the hash key comes from the destination's
/// DestinationRule, with the same precedence as the cluster's load balancer (subset
/// port-level, subset, port-level, top level), so a RING_HASH / MAGLEV cluster is
/// always reached with a hash policy.
extension RouteActionTranslator {
    func hashPolicies(for destination: Destination?) -> [Envoy_Config_Route_V3_RouteAction.HashPolicy]? {
        guard let destination, destination.host != nil else { return nil }
        let target = context.resolve(destination, from: vsNamespace)
        guard let rule = context.snapshot.destinationRule(for: target.hostname, from: context.proxy.namespace) else { return nil }
        let subsetPolicy = destination.subset.flatMap { name in rule.spec.subsets?.first { $0.name == name }?.trafficPolicy }
        let policy = TrafficPolicyMerge.effective(rule.spec.trafficPolicy, subset: subsetPolicy, port: target.port)
        guard let hash = policy.loadBalancer?.consistentHash, let key = Self.hashPolicy(hash) else { return nil }
        return [key]
    }

    static func hashPolicy(_ hash: ConsistentHashLB) -> Envoy_Config_Route_V3_RouteAction.HashPolicy? {
        var policy = Envoy_Config_Route_V3_RouteAction.HashPolicy()
        if let header = hash.httpHeaderName {
            var value = Envoy_Config_Route_V3_RouteAction.HashPolicy.Header()
            value.headerName = header
            policy.header = value
        } else if let cookie = hash.httpCookie {
            var value = Envoy_Config_Route_V3_RouteAction.HashPolicy.Cookie()
            value.name = cookie.name ?? ""
            if let path = cookie.path { value.path = path }
            if let ttl = cookie.ttl, let nanos = try? GoDuration.parse(ttl) { value.ttl = Proto.duration(nanoseconds: nanos) }
            policy.cookie = value
        } else if hash.useSourceIp == true {
            var value = Envoy_Config_Route_V3_RouteAction.HashPolicy.ConnectionProperties()
            value.sourceIp = true
            policy.connectionProperties = value
        } else if let parameter = hash.httpQueryParameterName {
            var value = Envoy_Config_Route_V3_RouteAction.HashPolicy.QueryParameter()
            value.name = parameter
            policy.queryParameter = value
        } else {
            return nil
        }
        return policy
    }
}

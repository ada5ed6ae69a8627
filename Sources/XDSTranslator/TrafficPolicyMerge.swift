import MeshConfig

/// Istio's precedence for a cluster's policy: the rule's top level, overridden by
/// the port-level settings for the port, overridden by the subset's policy (and its
/// own port-level settings). Each setting (pool, balancer, outliers, TLS) is taken
/// whole from the most specific place that sets it.
enum TrafficPolicyMerge {
    struct Policy: Equatable {
        var connectionPool: ConnectionPoolSettings?
        var loadBalancer: LoadBalancerSettings?
        var outlierDetection: OutlierDetection?
        var tls: ClientTLSSettings?
    }

    static func effective(_ base: TrafficPolicy?, subset: TrafficPolicy?, port: Int) -> Policy {
        var policy = Policy()
        for layer in [base, subset] {
            guard let layer else { continue }
            policy.overlay(layer.connectionPool, layer.loadBalancer, layer.outlierDetection, layer.tls)
            if let portLevel = layer.portLevelSettings?.first(where: { $0.port?.number == port }) {
                policy.overlay(portLevel.connectionPool, portLevel.loadBalancer, portLevel.outlierDetection, portLevel.tls)
            }
        }
        return policy
    }
}

extension TrafficPolicyMerge.Policy {
    mutating func overlay(_ pool: ConnectionPoolSettings?, _ balancer: LoadBalancerSettings?, _ outliers: OutlierDetection?, _ tls: ClientTLSSettings?) {
        if let pool { connectionPool = pool }
        if let balancer { loadBalancer = balancer }
        if let outliers { outlierDetection = outliers }
        if let tls { self.tls = tls }
    }
}

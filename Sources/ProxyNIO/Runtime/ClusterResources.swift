import ProxyCore

/// A cluster's circuit-breaker counts on one worker (Envoy's per-cluster
/// ResourceManager): the upstream connections its HTTP/1.1 pools and its
/// tcp_proxy connections hold, the tcp_proxy connects pending, the retries in
/// flight. Kept by the worker by cluster name, as the connections it counts
/// outlive a rebuild of the cluster: a config push brings new thresholds only.
/// Event-loop confined.
final class ClusterResources {
    var breaker: CircuitBreaker

    init(_ thresholds: ClusterConfig.Thresholds) {
        breaker = CircuitBreaker(defaultPriority: Self.thresholds(thresholds))
    }

    func update(_ thresholds: ClusterConfig.Thresholds) {
        breaker.replaceThresholds(defaultPriority: Self.thresholds(thresholds))
    }

    private static func thresholds(_ config: ClusterConfig.Thresholds) -> CircuitBreakerThresholds {
        CircuitBreakerThresholds(maxConnections: config.maxConnections, maxPendingRequests: config.maxPendingRequests,
                                 maxRequests: config.maxRequests, maxRetries: config.maxRetries)
    }
}

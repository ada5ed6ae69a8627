import ProxyCore
import Synchronization

/// A cluster's circuit-breaker counts (Envoy's per-cluster ResourceManager): the
/// upstream connections its HTTP/1.1 pools and its tcp_proxy connections hold,
/// the tcp_proxy connects pending, the retries in flight. One per cluster name
/// for every worker, as Envoy's counts are shared by its workers (a lock taken
/// when a connection opens or closes, not per request); it outlives rebuilds of
/// the cluster, as the connections it counts do: a config push brings new
/// thresholds only.
final class ClusterResources: Sendable {
    private let breaker: Mutex<CircuitBreaker>

    init(_ thresholds: ClusterConfig.Thresholds) {
        breaker = Mutex(CircuitBreaker(defaultPriority: Self.thresholds(thresholds)))
    }

    func withBreaker<T>(_ body: (inout CircuitBreaker) -> T) -> T {
        breaker.withLock { body(&$0) }
    }

    /// The counts and limits now (tests, stats).
    var snapshot: CircuitBreaker { withBreaker { $0 } }

    func update(_ thresholds: ClusterConfig.Thresholds) {
        withBreaker { $0.replaceThresholds(defaultPriority: Self.thresholds(thresholds)) }
    }

    /// Gives back a connection unit (the connection closed).
    func releaseConnection() {
        withBreaker { $0.release(.connections) }
    }

    private static func thresholds(_ config: ClusterConfig.Thresholds) -> CircuitBreakerThresholds {
        CircuitBreakerThresholds(maxConnections: config.maxConnections, maxPendingRequests: config.maxPendingRequests,
                                 maxRequests: config.maxRequests, maxRetries: config.maxRetries, retryBudget: config.retryBudget)
    }
}

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

/// The ClusterResources of every cluster, shared by the workers: each worker's
/// rebuild of a cluster finds the same one by name while any worker still holds
/// it (a cluster removed and added again starts from zero, as in Envoy).
final class ClusterResourceRegistry: Sendable {
    private struct WeakEntry: @unchecked Sendable {
        weak var resources: ClusterResources?
    }

    private let entries = Mutex<[String: WeakEntry]>([:])

    func resources(named name: String, thresholds: ClusterConfig.Thresholds) -> ClusterResources {
        let found: ClusterResources = entries.withLock { entries in
            if let kept = entries[name]?.resources { return kept }
            // Drop the names nobody holds any more while here (rebuilds are rare).
            entries = entries.filter { $0.value.resources != nil }
            let made = ClusterResources(thresholds)
            entries[name] = WeakEntry(resources: made)
            return made
        }
        found.update(thresholds)
        return found
    }
}

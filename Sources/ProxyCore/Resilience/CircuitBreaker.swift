/// A cluster's resource counters against its thresholds (Envoy's `ResourceManager`), one set
/// per routing priority. `admit` reserves, `release` returns; a refused admit is an overflow,
/// which the proxy answers with 503 and response flag `UO`.
public struct CircuitBreaker: Sendable {
    public enum Resource: Sendable, Hashable, CaseIterable {
        case connections, pendingRequests, requests, retries, connectionPools
    }

    public struct Counts: Sendable, Equatable {
        public var connections = 0
        public var pendingRequests = 0
        public var requests = 0
        public var retries = 0
        public var connectionPools = 0
    }

    public private(set) var thresholds: [CircuitBreakerThresholds]
    public private(set) var counts: [Counts]
    /// Overflows per resource since creation (`upstream_cx_overflow`, `upstream_rq_pending_overflow`...).
    public private(set) var overflows: [Resource: UInt64] = [:]

    /// - Parameters: thresholds for `.default` and `.high` priority (Envoy's defaults when omitted).
    public init(defaultPriority: CircuitBreakerThresholds = .init(), highPriority: CircuitBreakerThresholds = .init()) {
        thresholds = [defaultPriority, highPriority]
        counts = [Counts(), Counts()]
    }

    /// New thresholds (a config push) over the same counts: what is open or
    /// pending stays counted, as the connections it stands for stay open.
    public mutating func replaceThresholds(defaultPriority: CircuitBreakerThresholds, highPriority: CircuitBreakerThresholds = .init()) {
        thresholds = [defaultPriority, highPriority]
    }

    /// The current limit for a resource; the retry limit follows the budget when one is set.
    public func limit(_ resource: Resource, priority: RoutingPriority = .default) -> Int {
        let t = thresholds[priority.rawValue]
        switch resource {
        case .connections: return t.maxConnections
        case .pendingRequests: return t.maxPendingRequests
        case .requests: return t.maxRequests
        case .connectionPools: return t.maxConnectionPools ?? .max
        case .retries:
            guard let budget = t.retryBudget else { return t.maxRetries }
            let c = counts[priority.rawValue]
            let active = Double(c.requests + c.pendingRequests)
            return max(Int(budget.budgetPercent / 100.0 * active), budget.minRetryConcurrency)
        }
    }

    public func count(_ resource: Resource, priority: RoutingPriority = .default) -> Int {
        let c = counts[priority.rawValue]
        switch resource {
        case .connections: return c.connections
        case .pendingRequests: return c.pendingRequests
        case .requests: return c.requests
        case .retries: return c.retries
        case .connectionPools: return c.connectionPools
        }
    }

    /// Whether one more unit fits, without taking it.
    public func canAdmit(_ resource: Resource, priority: RoutingPriority = .default) -> Bool {
        count(resource, priority: priority) < limit(resource, priority: priority)
    }

    /// Takes one unit; false (and an overflow counted) when the threshold is reached.
    public mutating func admit(_ resource: Resource, priority: RoutingPriority = .default) -> Bool {
        guard canAdmit(resource, priority: priority) else {
            overflows[resource, default: 0] += 1
            return false
        }
        adjust(resource, priority: priority, by: 1)
        return true
    }

    /// Takes one unit even past the limit (Envoy lets a pool with no connection at all open one
    /// so its queued requests are not stranded).
    public mutating func forceAdmit(_ resource: Resource, priority: RoutingPriority = .default) {
        adjust(resource, priority: priority, by: 1)
    }

    /// Returns one unit taken by `admit`.
    public mutating func release(_ resource: Resource, priority: RoutingPriority = .default) {
        precondition(count(resource, priority: priority) > 0, "circuit breaker release without admit: \(resource)")
        adjust(resource, priority: priority, by: -1)
    }

    /// Returns one unit when one is held: for counts whose pairing the caller cannot prove
    /// (a slot given back on a path that may not have taken it), where a slip must not stop
    /// the proxy.
    public mutating func releaseIfHeld(_ resource: Resource, priority: RoutingPriority = .default) {
        if count(resource, priority: priority) > 0 { adjust(resource, priority: priority, by: -1) }
    }

    private mutating func adjust(_ resource: Resource, priority: RoutingPriority, by delta: Int) {
        switch resource {
        case .connections: counts[priority.rawValue].connections += delta
        case .pendingRequests: counts[priority.rawValue].pendingRequests += delta
        case .requests: counts[priority.rawValue].requests += delta
        case .retries: counts[priority.rawValue].retries += delta
        case .connectionPools: counts[priority.rawValue].connectionPools += delta
        }
    }
}

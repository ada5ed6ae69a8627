/// One `circuit_breakers.thresholds` entry (per routing priority), with Envoy's defaults.
public struct CircuitBreakerThresholds: Sendable, Equatable {
    public var maxConnections: Int = 1024
    public var maxPendingRequests: Int = 1024
    public var maxRequests: Int = 1024
    public var maxRetries: Int = 3
    /// `max_connection_pools`; nil is unlimited.
    public var maxConnectionPools: Int?
    /// `retry_budget`: when set it replaces `maxRetries`.
    public var retryBudget: RetryBudget?

    /// Retries allowed as a share of active + pending requests, never below a floor.
    public struct RetryBudget: Sendable, Equatable {
        /// `budget_percent`, default 20%.
        public var budgetPercent: Double = 20
        /// `min_retry_concurrency`, default 3.
        public var minRetryConcurrency: Int = 3

        public init(budgetPercent: Double = 20, minRetryConcurrency: Int = 3) {
            self.budgetPercent = budgetPercent
            self.minRetryConcurrency = minRetryConcurrency
        }
    }

    public init(maxConnections: Int = 1024, maxPendingRequests: Int = 1024, maxRequests: Int = 1024,
                maxRetries: Int = 3, maxConnectionPools: Int? = nil, retryBudget: RetryBudget? = nil) {
        self.maxConnections = maxConnections
        self.maxPendingRequests = maxPendingRequests
        self.maxRequests = maxRequests
        self.maxRetries = maxRetries
        self.maxConnectionPools = maxConnectionPools
        self.retryBudget = retryBudget
    }
}

/// Envoy's routing priority for circuit breakers (`RoutingPriority`).
public enum RoutingPriority: Int, Sendable, Hashable, CaseIterable {
    case `default` = 0
    case high = 1
}

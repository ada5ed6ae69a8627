/// A route's retry policy as the retry state machine needs it (Envoy `RetryPolicy` defaults).
public struct RetryPolicy: Sendable, Equatable {
    public var retryOn: RetryOn
    /// `num_retries`, Envoy's default 1.
    public var numRetries: Int
    /// `per_try_timeout`; nil uses only the route timeout.
    public var perTryTimeoutMs: Int64?
    /// `retry_back_off.base_interval`, default 25 ms.
    public var baseIntervalMs: Int64
    /// `retry_back_off.max_interval`, default 10 × base.
    public var maxIntervalMs: Int64?
    public var retriableStatusCodes: [Int]
    /// `retry_host_predicate: previous_hosts`.
    public var retryPreviousHosts: Bool
    /// `host_selection_retry_max_attempts`, default 1.
    public var hostSelectionRetryMaxAttempts: Int
    /// `retry_priority: previous_priorities` `update_frequency` (Istio's retryRemoteLocalities).
    public var previousPrioritiesUpdateFrequency: Int?

    public init(retryOn: RetryOn, numRetries: Int = 1, perTryTimeoutMs: Int64? = nil, baseIntervalMs: Int64 = 25,
                maxIntervalMs: Int64? = nil, retriableStatusCodes: [Int] = [], retryPreviousHosts: Bool = false,
                hostSelectionRetryMaxAttempts: Int = 1, previousPrioritiesUpdateFrequency: Int? = nil) {
        self.retryOn = retryOn
        self.numRetries = numRetries
        self.perTryTimeoutMs = perTryTimeoutMs
        self.baseIntervalMs = max(1, baseIntervalMs)
        self.maxIntervalMs = maxIntervalMs
        self.retriableStatusCodes = retriableStatusCodes
        self.retryPreviousHosts = retryPreviousHosts
        self.hostSelectionRetryMaxAttempts = hostSelectionRetryMaxAttempts
        self.previousPrioritiesUpdateFrequency = previousPrioritiesUpdateFrequency
    }

    public var effectiveMaxIntervalMs: Int64 { max(maxIntervalMs ?? baseIntervalMs * 10, baseIntervalMs) }
}

/// Envoy's per-cluster counters that `/stats` reports (`cluster.<name>.*`), for one
/// worker. Plain integers, no locks: each worker owns its copy and `/stats` sums them.
/// Names and meanings are Envoy's: every upstream attempt counts in `upstream_rq_total`;
/// the status the client gets (a response, or the 503 / 504 the router makes of a
/// reset, connect failure or timeout) in `upstream_rq_<code>` and `upstream_rq_<N>xx`,
/// a response retried instead in `retry.upstream_rq_<code>`.
public struct ClusterStats: Sendable, Equatable {
    public var upstreamRequestTotal: UInt64 = 0
    public var upstreamConnectionTotal: UInt64 = 0
    public var upstreamRequestRetry: UInt64 = 0
    /// `upstream_rq_per_try_timeout`: an attempt ran out of the retry policy's per_try_timeout.
    public var upstreamPerTryTimeout: UInt64 = 0
    /// `upstream_cx_overflow`: max_connections was reached (a tcp_proxy connection refused, UO).
    public var upstreamConnectionOverflow: UInt64 = 0
    /// `upstream_rq_pending_overflow`: max_pending_requests was reached.
    public var upstreamPendingOverflow: UInt64 = 0
    /// `upstream_rq_active_overflow`: max_requests was reached (an HTTP request refused, UO).
    public var upstreamActiveOverflow: UInt64 = 0
    /// `upstream_rq_pending_failure_eject`: a pending request failed because a connect of
    /// its pool failed.
    public var upstreamPendingFailureEject: UInt64 = 0
    /// `upstream_cx_connect_attempts_exceeded`: a tcp_proxy used up max_connect_attempts (URX).
    public var upstreamConnectAttemptsExceeded: UInt64 = 0
    /// `upstream_cx_none_healthy`: no endpoint to connect a tcp_proxy connection to (UH).
    public var upstreamConnectionNoneHealthy: UInt64 = 0
    public var ejectionsEnforcedTotal: UInt64 = 0
    /// A gauge: endpoints ejected now.
    public var ejectionsActive: UInt64 = 0
    /// Attempts by status; a dictionary grows once per status seen, not per request.
    public var responseCodes: [Int: UInt64] = [:]
    /// Responses dropped for a retry: Envoy charges them as `retry.upstream_rq_<code>`
    /// (a retried reset or connect failure is charged nowhere).
    public var retriedResponseCodes: [Int: UInt64] = [:]

    public init() {}

    @inline(__always) public mutating func recordStatus(_ status: Int) {
        // Not `[status, default: 0]`: its autoclosure allocates in unoptimised builds.
        if let count = responseCodes[status] {
            responseCodes[status] = count &+ 1
        } else {
            responseCodes[status] = 1
        }
    }

    public mutating func recordRetriedStatus(_ status: Int) {
        if let count = retriedResponseCodes[status] {
            retriedResponseCodes[status] = count &+ 1
        } else {
            retriedResponseCodes[status] = 1
        }
    }

    /// Adds this worker's values under Envoy's names to `counters`.
    public func collect(cluster name: String, into counters: inout [String: UInt64]) {
        let prefix = "cluster.\(name)."
        counters[prefix + "upstream_rq_total", default: 0] += upstreamRequestTotal
        counters[prefix + "upstream_cx_total", default: 0] += upstreamConnectionTotal
        counters[prefix + "upstream_rq_retry", default: 0] += upstreamRequestRetry
        counters[prefix + "upstream_rq_per_try_timeout", default: 0] += upstreamPerTryTimeout
        counters[prefix + "upstream_cx_overflow", default: 0] += upstreamConnectionOverflow
        counters[prefix + "upstream_rq_pending_overflow", default: 0] += upstreamPendingOverflow
        counters[prefix + "upstream_rq_active_overflow", default: 0] += upstreamActiveOverflow
        counters[prefix + "upstream_rq_pending_failure_eject", default: 0] += upstreamPendingFailureEject
        counters[prefix + "upstream_cx_connect_attempts_exceeded", default: 0] += upstreamConnectAttemptsExceeded
        counters[prefix + "upstream_cx_none_healthy", default: 0] += upstreamConnectionNoneHealthy
        counters[prefix + "outlier_detection.ejections_enforced_total", default: 0] += ejectionsEnforcedTotal
        counters[prefix + "outlier_detection.ejections_active", default: 0] += ejectionsActive
        for (code, count) in responseCodes {
            counters[prefix + "upstream_rq_\(code)", default: 0] += count
            counters[prefix + "upstream_rq_\(code / 100)xx", default: 0] += count
        }
        for (code, count) in retriedResponseCodes {
            counters[prefix + "retry.upstream_rq_\(code)", default: 0] += count
            counters[prefix + "retry.upstream_rq_\(code / 100)xx", default: 0] += count
        }
    }
}

/// One request's retry state, as Envoy's router `RetryStateImpl`: after each attempt it says
/// whether to retry (and after what jittered backoff) or give up, and why, so the proxy can
/// set response flags (`URX` when retries ran out, `UO` when the retry circuit breaker
/// overflowed). It also carries the retry host and priority predicates for the next pick.
public struct RetryStateMachine: Sendable {
    public enum ResetReason: Sendable, Equatable {
        /// Connecting failed or timed out (Envoy's local/remote connection failure).
        case connectFailure
        /// The pool or a circuit breaker refused the attempt: never retried.
        case overflow
        case remoteReset
        case localReset
        /// HTTP/2 REFUSED_STREAM.
        case refusedStream
        case connectionTermination
    }

    public enum Outcome: Sendable, Equatable {
        /// Response headers arrived. `grpcStatus` from headers or trailers-only response;
        /// `envoyRateLimited` / `envoyOverloaded`: `x-envoy-ratelimited` / `x-envoy-overloaded`.
        case response(status: Int, grpcStatus: Int? = nil, envoyRateLimited: Bool = false, envoyOverloaded: Bool = false)
        /// The attempt was reset; `requestStarted` is whether any request bytes went upstream.
        case reset(ResetReason, requestStarted: Bool = true)
        case perTryTimeout
    }

    public enum GiveUpReason: Sendable, Equatable {
        /// The outcome is not retriable under the policy (pass it through).
        case notRetriable
        /// `num_retries` used up: response flag `URX`.
        case retryLimitExceeded
        /// The retry circuit breaker / budget is full: response flag `UO`.
        case overflow
    }

    public enum Decision: Sendable, Equatable {
        /// Start another attempt after this many milliseconds.
        case retry(afterMs: Int64)
        case giveUp(GiveUpReason)
    }

    public let policy: RetryPolicy
    public let priority: RoutingPriority
    public private(set) var retriesRemaining: Int
    public private(set) var attempts = 0
    /// Endpoint `index` and priority of each attempt, in order.
    public private(set) var attemptedHosts: [(endpoint: Int, priority: Int)] = []
    private var backoff: JitteredBackoff
    /// True while this request holds one unit of the breaker's `retries` resource.
    public private(set) var holdsRetryResource = false
    /// Priorities of attempts since `previous_priorities` last started over.
    var triedPriorities: [Int] = []
    var excludedPriorities: [Bool] = []
    var adjustedLoad: PriorityLoad?

    public init(policy: RetryPolicy, priority: RoutingPriority = .default) {
        self.policy = policy
        self.priority = priority
        retriesRemaining = max(0, policy.numRetries)
        backoff = JitteredBackoff(baseMs: policy.baseIntervalMs, maxMs: policy.effectiveMaxIntervalMs)
    }

    /// Record the endpoint an attempt is about to use.
    public mutating func attemptStarted(endpoint: Int, priority: Int) {
        attempts += 1
        attemptedHosts.append((endpoint, priority))
        triedPriorities.append(priority)
    }

    /// Decide after an attempt ended. Releases any retry resource held from the previous retry
    /// and, when retrying, takes one from `breaker`.
    public mutating func attemptFinished(_ outcome: Outcome, breaker: inout CircuitBreaker,
                                         random: inout some RandomSource) -> Decision {
        releaseRetryResource(&breaker)
        guard wouldRetry(outcome) else { return .giveUp(.notRetriable) }
        guard retriesRemaining > 0 else { return .giveUp(.retryLimitExceeded) }
        retriesRemaining -= 1
        guard breaker.admit(.retries, priority: priority) else { return .giveUp(.overflow) }
        holdsRetryResource = true
        return .retry(afterMs: backoff.nextDelayMs(random: &random))
    }

    /// The request is over (answered, cancelled or timed out): give back the retry resource.
    public mutating func finish(breaker: inout CircuitBreaker) { releaseRetryResource(&breaker) }

    private mutating func releaseRetryResource(_ breaker: inout CircuitBreaker) {
        guard holdsRetryResource else { return }
        breaker.release(.retries, priority: priority)
        holdsRetryResource = false
    }

    /// Envoy's `wouldRetryFromHeaders` / `wouldRetryFromReset`.
    public func wouldRetry(_ outcome: Outcome) -> Bool {
        let on = policy.retryOn
        switch outcome {
        case .response(let status, let grpcStatus, let rateLimited, let overloaded):
            if overloaded { return false }
            if rateLimited { return on.contains(.envoyRateLimited) }
            if on.contains(.fiveXX) && (500...599).contains(status) { return true }
            if on.contains(.gatewayError) && (502...504).contains(status) { return true }
            if on.contains(.retriable4xx) && status == 409 { return true }
            if on.contains(.retriableStatusCodes) && policy.retriableStatusCodes.contains(status) { return true }
            if let grpcStatus, !on.isDisjoint(with: .anyGRPC) {
                switch grpcStatus {
                case 1: return on.contains(.grpcCancelled)
                case 4: return on.contains(.grpcDeadlineExceeded)
                case 8: return on.contains(.grpcResourceExhausted)
                case 13: return on.contains(.grpcInternal)
                case 14: return on.contains(.grpcUnavailable)
                default: return false
                }
            }
            return false
        case .reset(let reason, let requestStarted):
            if reason == .overflow { return false }
            if reason == .connectFailure && on.contains(.connectFailure) { return true }
            if on.contains(.resetBeforeRequest) && !requestStarted { return true }
            if !on.isDisjoint(with: [.fiveXX, .gatewayError, .reset]) { return true }
            return reason == .refusedStream && on.contains(.refusedStream)
        case .perTryTimeout:
            // The router treats a per-try timeout as a local reset after the request started.
            return wouldRetry(.reset(.localReset, requestStarted: true))
        }
    }
}

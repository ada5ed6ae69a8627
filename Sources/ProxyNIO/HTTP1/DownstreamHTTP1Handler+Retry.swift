import NIOCore
import ProxyCore

extension DownstreamHTTP1Handler {
    /// Whether the route's retry policy would retry this response status (checked
    /// before any retry state exists, so successful exchanges allocate nothing).
    func policyMayRetry(status: Int) -> Bool {
        // Plain branches, not `||` chains: their autoclosures allocate in unoptimised builds.
        guard status >= 409, let policy = retryPolicy else { return false }
        let on = policy.retryOn
        if status >= 500, on.contains(.serverError) { return true }
        if (502...504).contains(status), on.contains(.gatewayError) { return true }
        if status == 409, on.contains(.retriable4xx) { return true }
        if on.contains(.retriableStatusCodes) { return policy.retriableStatusCodes.contains(status) }
        return false
    }

    /// After a failed attempt: starts another one (after the policy's backoff) and
    /// returns true, or returns false to let the failure reach the client (with
    /// URX / UO when retries ran out or overflowed). A request with a body is retried
    /// when none of it went upstream (`unsent`: its connect failed, so it all waits
    /// in `pendingUpstream` and the rest of the body joins it), or when the body so
    /// far was kept for retries (under the buffer limit; the rest streams on).
    func retryAfterFailure(_ outcome: RetryStateMachine.Outcome, unsent: Bool = false) -> Bool {
        guard let policy = retryPolicy, let cluster = currentCluster, let endpoint, !downstreamClosed else { return false }
        if !unsent && !retryBodyKept {
            guard requestHead.framing == .none, case .done = requestPhase else { return false }
        }
        if retryState == nil {
            var state = RetryStateMachine(policy: Self.retryPolicy(policy))
            state.attemptStarted(endpoint: cluster.index(of: endpoint), priority: 0)
            retryState = state
        }
        let decision = cluster.resources.withBreaker { retryState!.attemptFinished(outcome, breaker: &$0, random: &worker.random) }
        switch decision {
        case .giveUp(.retryLimitExceeded):
            responseFlags.insert(.upstreamRetryLimitExceeded)
            return false
        case .giveUp(.overflow):
            responseFlags.insert(.upstreamOverflow)
            return false
        case .giveUp(.notRetriable):
            return false
        case .retry(let delayMs):
            cluster.counters.stats.upstreamRequestRetry += 1
            // Envoy charges a retried response under `retry.`, a retried reset,
            // connect failure or per-try timeout nowhere.
            if case .response(let status, _, _, _) = outcome { cluster.counters.stats.recordRetriedStatus(status) }
            upstreamReusable = false
            releaseUpstream()
            upstreamInbound = nil
            endpoint.activeRequests -= 1
            self.endpoint = nil
            waitingForConnection = true
            // The next attempt sends the head again, then the body received so far.
            if !unsent, let body = keptRetryBody { pendingUpstream = body }
            let id = exchangeID
            context?.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(delayMs)) {
                self.startRetry(exchange: id, cluster: cluster, policy: policy)
            }
            return true
        }
    }

    private func startRetry(exchange id: UInt64, cluster: ClusterRuntime, policy: RetryPolicyConfig) {
        guard id == exchangeID, inExchange, !downstreamClosed, waitingForConnection else { return }
        waitingForConnection = false
        let avoid = policy.avoidPreviousHosts ? (retryState?.attemptedHosts.map(\.endpoint) ?? []) : []
        let candidate = cluster.isOriginalDestination ? cluster.originalDestination(connection)
            : cluster.pick(random: &worker.random, avoiding: avoid, attempts: policy.hostSelectionRetryMaxAttempts)
        guard let next = candidate else {
            sendLocalReply(LocalReply.noHealthyUpstream)
            return
        }
        endpoint = next
        next.activeRequests += 1
        retryState?.attemptStarted(endpoint: cluster.index(of: next), priority: 0)
        responseStarted = false
        // The failed attempt's connection was dropped; the new one may go back to the pool.
        upstreamReusable = true
        acquireUpstream()
        flushPending()
    }

    /// The route's policy in the retry state machine's terms.
    static func retryPolicy(_ config: RetryPolicyConfig) -> RetryPolicy {
        let pairs: [(RetryPolicyConfig.Conditions, RetryOn)] = [
            (.serverError, .fiveXX), (.gatewayError, .gatewayError), (.reset, .reset), (.resetBeforeRequest, .resetBeforeRequest),
            (.connectFailure, .connectFailure), (.retriable4xx, .retriable4xx), (.refusedStream, .refusedStream),
            (.retriableStatusCodes, .retriableStatusCodes), (.envoyRateLimited, .envoyRateLimited), (.cancelled, .grpcCancelled),
            (.deadlineExceeded, .grpcDeadlineExceeded), (.internalError, .grpcInternal), (.resourceExhausted, .grpcResourceExhausted),
            (.unavailable, .grpcUnavailable),
        ]
        var on: RetryOn = []
        for (condition, mapped) in pairs where config.retryOn.contains(condition) { on.insert(mapped) }
        return RetryPolicy(retryOn: on, numRetries: config.numRetries,
                           perTryTimeoutMs: config.perTryTimeoutNanos > 0 ? config.perTryTimeoutNanos / 1_000_000 : nil,
                           baseIntervalMs: config.backoffBaseNanos / 1_000_000, maxIntervalMs: config.backoffMaxNanos / 1_000_000,
                           retriableStatusCodes: config.retriableStatusCodes, retryPreviousHosts: config.avoidPreviousHosts,
                           hostSelectionRetryMaxAttempts: config.hostSelectionRetryMaxAttempts,
                           previousPrioritiesUpdateFrequency: config.previousPrioritiesUpdateFrequency > 0 ? config.previousPrioritiesUpdateFrequency : nil)
    }
}

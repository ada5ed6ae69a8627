import Testing
@testable import ProxyCore

@Suite struct RetryStateMachineTests {
    @Test func parsesRetryOn() {
        let parsed = RetryOn.parse("5xx, connect-failure,refused-stream,unavailable,bogus")
        #expect(parsed.conditions == [.fiveXX, .connectFailure, .refusedStream, .grpcUnavailable])
        #expect(parsed.unknown == ["bogus"])
    }

    @Test func retries5xxWithBackoffThenGivesUpWithURX() {
        var retry = RetryStateMachine(policy: RetryPolicy(retryOn: .fiveXX, numRetries: 2))
        var breaker = CircuitBreaker()
        var random = SplitMix64(seed: 1)
        retry.attemptStarted(endpoint: 0, priority: 0)
        guard case .retry(let first) = retry.attemptFinished(.response(status: 503), breaker: &breaker, random: &random)
        else { Issue.record("expected retry"); return }
        #expect((0..<25).contains(first))
        #expect(breaker.count(.retries) == 1)
        retry.attemptStarted(endpoint: 1, priority: 0)
        guard case .retry(let second) = retry.attemptFinished(.reset(.remoteReset), breaker: &breaker, random: &random)
        else { Issue.record("expected retry"); return }
        #expect((0..<50).contains(second))
        retry.attemptStarted(endpoint: 2, priority: 0)
        #expect(retry.attemptFinished(.response(status: 500), breaker: &breaker, random: &random)
                    == .giveUp(.retryLimitExceeded))
        #expect(breaker.count(.retries) == 0)
    }

    @Test func successIsNotRetriedAndReleasesTheRetry() {
        var retry = RetryStateMachine(policy: RetryPolicy(retryOn: .fiveXX, numRetries: 3))
        var breaker = CircuitBreaker()
        var random = SplitMix64(seed: 1)
        _ = retry.attemptFinished(.response(status: 500), breaker: &breaker, random: &random)
        #expect(breaker.count(.retries) == 1)
        #expect(retry.attemptFinished(.response(status: 200), breaker: &breaker, random: &random) == .giveUp(.notRetriable))
        #expect(breaker.count(.retries) == 0)
    }

    @Test func retryCircuitBreakerOverflowGivesUO() {
        var breaker = CircuitBreaker(defaultPriority: .init(maxRetries: 1))
        var random = SplitMix64(seed: 1)
        var a = RetryStateMachine(policy: RetryPolicy(retryOn: .fiveXX, numRetries: 3))
        var b = RetryStateMachine(policy: RetryPolicy(retryOn: .fiveXX, numRetries: 3))
        guard case .retry = a.attemptFinished(.response(status: 500), breaker: &breaker, random: &random) else {
            Issue.record("expected retry"); return
        }
        #expect(b.attemptFinished(.response(status: 500), breaker: &breaker, random: &random) == .giveUp(.overflow))
        a.finish(breaker: &breaker)
        #expect(breaker.count(.retries) == 0)
    }

    @Test func conditionsMatchEnvoy() {
        func would(_ on: RetryOn, _ outcome: RetryStateMachine.Outcome, codes: [Int] = []) -> Bool {
            RetryStateMachine(policy: RetryPolicy(retryOn: on, retriableStatusCodes: codes)).wouldRetry(outcome)
        }
        #expect(would(.gatewayError, .response(status: 502)))
        #expect(!would(.gatewayError, .response(status: 500)))
        #expect(would(.gatewayError, .reset(.remoteReset)))
        #expect(would(.connectFailure, .reset(.connectFailure)))
        #expect(!would(.connectFailure, .reset(.remoteReset)))
        #expect(would(.reset, .perTryTimeout))
        #expect(!would(.connectFailure, .perTryTimeout))
        #expect(would(.resetBeforeRequest, .reset(.remoteReset, requestStarted: false)))
        #expect(!would(.resetBeforeRequest, .reset(.remoteReset, requestStarted: true)))
        #expect(would(.refusedStream, .reset(.refusedStream)))
        #expect(!would([.fiveXX, .reset, .connectFailure], .reset(.overflow)))
        #expect(would(.retriable4xx, .response(status: 409)))
        #expect(!would(.retriable4xx, .response(status: 404)))
        #expect(would(.retriableStatusCodes, .response(status: 404), codes: [404]))
        #expect(!would(.fiveXX, .response(status: 503, envoyOverloaded: true)))
        #expect(!would(.fiveXX, .response(status: 429, envoyRateLimited: true)))
        #expect(would(.envoyRateLimited, .response(status: 429, envoyRateLimited: true)))
        #expect(would(.grpcUnavailable, .response(status: 200, grpcStatus: 14)))
        #expect(would(.grpcCancelled, .response(status: 200, grpcStatus: 1)))
        #expect(would(.grpcDeadlineExceeded, .response(status: 200, grpcStatus: 4)))
        #expect(would(.grpcResourceExhausted, .response(status: 200, grpcStatus: 8)))
        #expect(would(.grpcInternal, .response(status: 200, grpcStatus: 13)))
        #expect(!would(.grpcUnavailable, .response(status: 200, grpcStatus: 13)))
    }

    @Test func backoffCeilingDoublesUpToTenTimesBase() {
        var backoff = JitteredBackoff(baseMs: 25, maxMs: 250)
        var random = ScriptedRandom([UInt64.max])
        let delays = (0..<6).map { _ in backoff.nextDelayMs(random: &random) }
        // u64.max % ceiling for ceilings 25, 50, 100, 200, 250, 250.
        #expect(delays == [UInt64.max % 25, UInt64.max % 50, UInt64.max % 100, UInt64.max % 200,
                           UInt64.max % 250, UInt64.max % 250].map(Int64.init))
        #expect(RetryPolicy(retryOn: .fiveXX).effectiveMaxIntervalMs == 250)
        backoff.reset()
        var zero = ScriptedRandom([24])
        #expect(backoff.nextDelayMs(random: &zero) == 24)
    }

    @Test func previousHostsPredicate() {
        var retry = RetryStateMachine(policy: RetryPolicy(retryOn: .fiveXX, retryPreviousHosts: true,
                                                          hostSelectionRetryMaxAttempts: 3))
        retry.attemptStarted(endpoint: 4, priority: 0)
        #expect(retry.hostSelectionRetryCount == 3)
        #expect(retry.shouldSelectAnotherHost(4))
        #expect(!retry.shouldSelectAnotherHost(5))
        var balancer = RoundRobinBalancer(prioritySet: PrioritySet(endpoints: endpoints(2)))
        var random = SplitMix64(seed: 1)
        let context = HostSelectionContext(hostSelectionRetryCount: retry.hostSelectionRetryCount)
        retry.attemptStarted(endpoint: 0, priority: 0)
        #expect(balancer.choose(context: context, random: &random, rejecting: { retry.shouldSelectAnotherHost($0.index) }) == 1)
    }

    @Test func previousPrioritiesMovesLoadAway() {
        let set = PrioritySet(endpoints: endpoints(2) + endpoints(2, priority: 1, startIndex: 2)
                              + endpoints(2, priority: 2, startIndex: 4))
        var retry = RetryStateMachine(policy: RetryPolicy(retryOn: .fiveXX, numRetries: 5,
                                                          previousPrioritiesUpdateFrequency: 1))
        #expect(retry.priorityLoad(for: set) == nil)
        retry.attemptStarted(endpoint: 0, priority: 0)
        #expect(retry.priorityLoad(for: set)?.healthy == [0, 100, 0])
        retry.attemptStarted(endpoint: 2, priority: 1)
        #expect(retry.priorityLoad(for: set)?.healthy == [0, 0, 100])
        retry.attemptStarted(endpoint: 4, priority: 2)
        // Everything tried: start over with the normal load.
        #expect(retry.priorityLoad(for: set)?.healthy == [100, 0, 0])
    }
}

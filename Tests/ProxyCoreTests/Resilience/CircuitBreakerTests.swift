import Testing
@testable import ProxyCore

@Suite struct CircuitBreakerTests {
    @Test func envoyDefaults() {
        let breaker = CircuitBreaker()
        #expect(breaker.limit(.connections) == 1024)
        #expect(breaker.limit(.pendingRequests) == 1024)
        #expect(breaker.limit(.requests) == 1024)
        #expect(breaker.limit(.retries) == 3)
        #expect(breaker.limit(.retries, priority: .high) == 3)
    }

    @Test func admitsUpToTheThresholdThenOverflows() {
        var breaker = CircuitBreaker(defaultPriority: .init(maxRequests: 2))
        let admitted = [breaker.admit(.requests), breaker.admit(.requests), breaker.admit(.requests)]
        #expect(admitted == [true, true, false])
        #expect(breaker.overflows[.requests] == 1)
        // High priority has its own counters.
        let high = breaker.admit(.requests, priority: .high)
        #expect(high)
        breaker.release(.requests)
        let again = breaker.admit(.requests)
        #expect(again)
        #expect(breaker.count(.requests) == 2)
    }

    @Test func retryBudgetScalesWithActiveRequests() {
        var breaker = CircuitBreaker(defaultPriority: .init(retryBudget: .init(budgetPercent: 20, minRetryConcurrency: 3)))
        #expect(breaker.limit(.retries) == 3)
        for _ in 0..<50 { _ = breaker.admit(.requests) }
        for _ in 0..<50 { _ = breaker.admit(.pendingRequests) }
        #expect(breaker.limit(.retries) == 20)
    }

    @Test func releaseIfHeldNeverGoesBelowZero() {
        var breaker = CircuitBreaker()
        breaker.releaseIfHeld(.requests)
        #expect(breaker.count(.requests) == 0)
        _ = breaker.admit(.requests)
        _ = breaker.admit(.requests, priority: .high)
        breaker.releaseIfHeld(.requests)
        breaker.releaseIfHeld(.requests)
        #expect(breaker.count(.requests) == 0)
        #expect(breaker.count(.requests, priority: .high) == 1)
    }

    @Test func forceAdmitGoesPastTheLimit() {
        var breaker = CircuitBreaker(defaultPriority: .init(maxConnections: 0))
        #expect(!breaker.canAdmit(.connections))
        breaker.forceAdmit(.connections)
        #expect(breaker.count(.connections) == 1)
    }
}

extension CircuitBreakerTests {
    /// A config push changes the limits, not what is open: a lowered limit is
    /// over-full until connections close.
    @Test func newThresholdsKeepTheCounts() {
        var breaker = CircuitBreaker(defaultPriority: .init(maxConnections: 4))
        breaker.forceAdmit(.connections)
        breaker.forceAdmit(.connections)
        breaker.replaceThresholds(defaultPriority: .init(maxConnections: 1))
        #expect(breaker.count(.connections) == 2)
        #expect(breaker.limit(.connections) == 1)
        #expect(!breaker.canAdmit(.connections))
        breaker.release(.connections)
        breaker.release(.connections)
        #expect(breaker.canAdmit(.connections))
    }
}

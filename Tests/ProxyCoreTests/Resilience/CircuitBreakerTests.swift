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

    @Test func forceAdmitGoesPastTheLimit() {
        var breaker = CircuitBreaker(defaultPriority: .init(maxConnections: 0))
        #expect(!breaker.canAdmit(.connections))
        breaker.forceAdmit(.connections)
        #expect(breaker.count(.connections) == 1)
    }
}

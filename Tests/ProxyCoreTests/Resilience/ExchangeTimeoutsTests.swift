import Testing
@testable import ProxyCore

@Suite struct ExchangeTimeoutsTests {
    @Test func theRoutesTimeoutsAndWhatTheUpstreamIsTold() {
        let plain = ExchangeTimeouts(routeNanos: 15_000_000_000, perTryNanos: 0)
        #expect(plain.globalNanos == 15_000_000_000 && plain.perTryNanos == 0)
        #expect(plain.expectedMillis == 15_000)
        let perTry = ExchangeTimeouts(routeNanos: 3_000_000_000, perTryNanos: 1_000_000_000)
        #expect(perTry.perTryNanos == 1_000_000_000 && perTry.expectedMillis == 1_000)
        // A per-try timeout not under the global one is dropped (Envoy's router).
        let long = ExchangeTimeouts(routeNanos: 3_000_000_000, perTryNanos: 5_000_000_000)
        #expect(long.perTryNanos == 0 && long.expectedMillis == 3_000)
        #expect(ExchangeTimeouts(routeNanos: 3_000_000_000, perTryNanos: 3_000_000_000).perTryNanos == 0)
        // No global timeout: the per-try one stands and is what the upstream hears.
        #expect(ExchangeTimeouts(routeNanos: 0, perTryNanos: 250_000_000).expectedMillis == 250)
        #expect(ExchangeTimeouts(routeNanos: 0, perTryNanos: 0).expectedMillis == 0)
    }
}

import Testing
@testable import ProxyCore

/// Delay and abort are drawn independently, each against its own percentage.
struct FaultInjectionTests {
    let half = FractionalPercent(numerator: 50, denominator: 100)

    @Test func abortFollowsItsPercentage() {
        let fault = FaultInjection(abort: .init(status: 503, percentage: half))
        #expect(fault.decide(0, 49).abortStatus == 503)
        #expect(fault.decide(0, 50).abortStatus == nil)
        #expect(fault.decide(0, 149).abortStatus == 503, "random modulo the denominator")
        var aborted = 0
        for value in UInt64(0)..<1_000 where fault.decide(0, value &* 7919).abortStatus != nil { aborted += 1 }
        #expect(aborted == 500)
    }

    @Test func delayAndAbortAreIndependent() {
        let fault = FaultInjection(delay: .init(nanos: 1_000_000_000, percentage: FractionalPercent(numerator: 100, denominator: 100)),
                                   abort: .init(status: 500, percentage: FractionalPercent(numerator: 10, denominator: 100)))
        #expect(fault.decide(5, 5) == FaultInjection.Decision(delayNanos: 1_000_000_000, abortStatus: 500))
        #expect(fault.decide(5, 50) == FaultInjection.Decision(delayNanos: 1_000_000_000, abortStatus: nil))
    }

    @Test func zeroPercentOrZeroDelayInjectNothing() {
        let none = FractionalPercent(numerator: 0, denominator: 100)
        #expect(FaultInjection(delay: .init(nanos: 5, percentage: none), abort: .init(status: 503, percentage: none)).decide(0, 0).isNone)
        #expect(FaultInjection(delay: .init(nanos: 0, percentage: half)).decide(0, 0).isNone)
    }
}

import Testing
@testable import ProxyAgent

/// Seeded, so jitter is reproducible.
struct FixedRandom: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct CertificateAgentStateMachineTests {
    @Test func requestsInstallsAndRenewsAtHalfLifeWithJitter() {
        var machine = CertificateAgentStateMachine()
        var random = FixedRandom(state: 1)
        #expect(machine.start() == [.request])
        #expect(machine.start() == [])
        let actions = machine.issued(.init(notBefore: 940, notAfter: 1000 + 86_400), now: 1000, random: &random)
        #expect(actions.first == .install)
        guard case .wait(let renewAt)? = actions.last else { Issue.record("no wait: \(actions)"); return }
        // Half of the life counted from now (notBefore is backdated), at most 5 % earlier.
        #expect(renewAt <= 1000 + 43_200 && renewAt >= 1000 + 43_200 - 0.05 * 86_400)
        #expect(machine.timerFired(now: renewAt - 1) == [.wait(until: renewAt)])
        #expect(machine.timerFired(now: renewAt) == [.request])
    }

    @Test func jitterSpreadsRenewals() {
        var renewals: Set<Double> = []
        for seed in 0..<20 {
            var machine = CertificateAgentStateMachine()
            var random = FixedRandom(state: UInt64(seed))
            _ = machine.start()
            _ = machine.issued(.init(notBefore: 0, notAfter: 6), now: 0, random: &random)
            renewals.insert(machine.renewAt!)
        }
        #expect(renewals.count > 10)
        #expect(renewals.allSatisfy { $0 > 2.6 && $0 <= 3 })
    }

    @Test func backsOffOnFailureAndKeepsServingTheCurrentCertificate() {
        var machine = CertificateAgentStateMachine()
        var random = FixedRandom(state: 7)
        _ = machine.start()
        var now = 0.0
        var delays: [Double] = []
        for _ in 0..<8 {
            let actions = machine.failed(now: now, random: &random)
            guard case .wait(let until)? = actions.last else { Issue.record("\(actions)"); return }
            delays.append(until - now)
            now = until
            #expect(machine.timerFired(now: now) == [.request])
        }
        // Equal jitter: each delay within [step/2, step], steps 0.5, 1, 2, ... capped at 15.
        for (attempt, delay) in delays.enumerated() {
            let step = min(15, 0.5 * Double(1 << attempt))
            #expect(delay >= step / 2 && delay <= step, "attempt \(attempt): \(delay)")
        }
        // A renewal that fails after expiry says so once, then keeps retrying.
        _ = machine.issued(.init(notBefore: now, notAfter: now + 10), now: now, random: &random)
        #expect(machine.timerFired(now: now + 6) == [.request])
        let failed = machine.failed(now: now + 11, random: &random)
        #expect(failed.first == .expired)
    }

    @Test func anAlreadyExpiredCertificateIsNotRenewedInATightLoop() {
        var machine = CertificateAgentStateMachine()
        var random = FixedRandom(state: 5)
        _ = machine.start()
        #expect(machine.issued(.init(notBefore: 0, notAfter: 90), now: 100, random: &random) == [.install, .wait(until: 100.5)])
    }

    @Test func ignoresEventsThatDoNotFitTheState() {
        var machine = CertificateAgentStateMachine()
        var random = FixedRandom(state: 3)
        #expect(machine.issued(.init(notBefore: 0, notAfter: 10), now: 0, random: &random) == [])
        #expect(machine.failed(now: 0, random: &random) == [])
        #expect(machine.timerFired(now: 0) == [])
    }
}

import Testing
@testable import ProxyCore

@Suite struct OutlierDetectorTests {
    func config(_ change: (inout OutlierDetectionConfig) -> Void = { _ in }) -> OutlierDetectionConfig {
        var config = OutlierDetectionConfig()
        config.maxEjectionPercent = 100
        change(&config)
        return config
    }

    @Test func fiveConsecutive5xxEject() {
        var random = SplitMix64(seed: 1)
        var detector = OutlierDetector(config: config(), endpointCount: 3)
        for _ in 0..<4 { #expect(detector.record(.httpStatus(500), endpoint: 1, now: 0, random: &random) == nil) }
        #expect(detector.record(.httpStatus(503), endpoint: 1, now: 0, random: &random)
                    == .eject(endpoint: 1, type: .consecutive5xx))
        #expect(detector.isEjected(1))
        #expect(detector.ejectedCount == 1)
    }

    @Test func successResetsTheCount() {
        var random = SplitMix64(seed: 1)
        var detector = OutlierDetector(config: config(), endpointCount: 2)
        for _ in 0..<4 { _ = detector.record(.httpStatus(500), endpoint: 0, now: 0, random: &random) }
        _ = detector.record(.httpStatus(200), endpoint: 0, now: 0, random: &random)
        for _ in 0..<4 { #expect(detector.record(.httpStatus(500), endpoint: 0, now: 0, random: &random) == nil) }
    }

    @Test func gatewayFailuresAreNotEnforcedByDefault() {
        var random = SplitMix64(seed: 1)
        var detector = OutlierDetector(config: config { $0.consecutive5xx = 100 }, endpointCount: 2)
        for _ in 0..<10 { #expect(detector.record(.httpStatus(502), endpoint: 0, now: 0, random: &random) == nil) }
        var enforced = OutlierDetector(config: config {
            $0.consecutive5xx = 100
            $0.enforcingConsecutiveGatewayFailure = 100
        }, endpointCount: 2)
        for _ in 0..<4 { _ = enforced.record(.httpStatus(504), endpoint: 0, now: 0, random: &random) }
        #expect(enforced.record(.localOriginConnectFailed, endpoint: 0, now: 0, random: &random)
                    == .eject(endpoint: 0, type: .consecutiveGatewayFailure))
    }

    @Test func maxEjectionPercentCapsEjections() {
        var random = SplitMix64(seed: 1)
        var detector = OutlierDetector(config: config { $0.maxEjectionPercent = 10; $0.consecutive5xx = 1 },
                                       endpointCount: 10)
        #expect(detector.record(.httpStatus(500), endpoint: 0, now: 0, random: &random) != nil)
        #expect(detector.record(.httpStatus(500), endpoint: 1, now: 0, random: &random) == nil)
        // With 5 hosts one ejection is 20% > 10%: refused unless always_eject_one_host.
        var small = OutlierDetector(config: config { $0.maxEjectionPercent = 10; $0.consecutive5xx = 1 }, endpointCount: 5)
        #expect(small.record(.httpStatus(500), endpoint: 0, now: 0, random: &random) == nil)
        var one = OutlierDetector(config: config {
            $0.maxEjectionPercent = 10; $0.consecutive5xx = 1; $0.alwaysEjectOneHost = true
        }, endpointCount: 5)
        #expect(one.record(.httpStatus(500), endpoint: 0, now: 0, random: &random) != nil)
        #expect(one.record(.httpStatus(500), endpoint: 1, now: 0, random: &random) == nil)
    }

    @Test func ejectionTimeGrowsAndIsCapped() {
        var random = SplitMix64(seed: 1)
        var detector = OutlierDetector(config: config {
            $0.consecutive5xx = 1; $0.baseEjectionTimeMs = 30_000; $0.maxEjectionTimeMs = 70_000
        }, endpointCount: 1)
        _ = detector.record(.httpStatus(500), endpoint: 0, now: 0, random: &random)
        #expect(detector.ejectionDurationMs(0) == 30_000)
        #expect(detector.intervalElapsed(now: 20_000).isEmpty)
        #expect(detector.intervalElapsed(now: 30_000) == [.uneject(endpoint: 0)])
        _ = detector.record(.httpStatus(500), endpoint: 0, now: 31_000, random: &random)
        #expect(detector.ejectionDurationMs(0) == 60_000)
        #expect(detector.intervalElapsed(now: 90_000).isEmpty)
        #expect(detector.intervalElapsed(now: 91_000) == [.uneject(endpoint: 0)])
        _ = detector.record(.httpStatus(500), endpoint: 0, now: 92_000, random: &random)
        #expect(detector.ejectionDurationMs(0) == 70_000)
        #expect(detector.ejectionCount(0) == 3)
    }

    @Test func healthyIntervalsDecayTheMultiplier() {
        var random = SplitMix64(seed: 1)
        var detector = OutlierDetector(config: config { $0.consecutive5xx = 1; $0.intervalMs = 10_000 }, endpointCount: 1)
        _ = detector.record(.httpStatus(500), endpoint: 0, now: 0, random: &random)
        _ = detector.intervalElapsed(now: 30_000)
        _ = detector.record(.httpStatus(500), endpoint: 0, now: 30_000, random: &random)
        #expect(detector.ejectionDurationMs(0) == 60_000)
        _ = detector.intervalElapsed(now: 90_000)
        // Two healthy intervals take the multiplier from 2 back to 0; the next ejection is base time.
        _ = detector.intervalElapsed(now: 100_000)
        _ = detector.intervalElapsed(now: 110_000)
        _ = detector.record(.httpStatus(500), endpoint: 0, now: 110_000, random: &random)
        #expect(detector.ejectionDurationMs(0) == 30_000)
    }

    @Test func localOriginErrorsCountSeparatelyWhenSplit() {
        var random = SplitMix64(seed: 1)
        var detector = OutlierDetector(config: config { $0.splitExternalLocalOriginErrors = true }, endpointCount: 2)
        for _ in 0..<4 { _ = detector.record(.localOriginConnectFailed, endpoint: 0, now: 0, random: &random) }
        // A 500 from the server does not reset or feed the local-origin counter.
        _ = detector.record(.httpStatus(500), endpoint: 0, now: 0, random: &random)
        #expect(detector.record(.localOriginTimeout, endpoint: 0, now: 0, random: &random)
                    == .eject(endpoint: 0, type: .consecutiveLocalOriginFailure))
        _ = detector.healthCheckSucceeded(0, now: 1)
        for _ in 0..<4 { _ = detector.record(.localOriginConnectFailed, endpoint: 0, now: 2, random: &random) }
        _ = detector.record(.localOriginConnectSuccess, endpoint: 0, now: 2, random: &random)
        #expect(detector.record(.localOriginConnectFailed, endpoint: 0, now: 2, random: &random) == nil)
    }

    @Test func withoutSplitConnectFailuresCountAs5xx() {
        var random = SplitMix64(seed: 1)
        var detector = OutlierDetector(config: config(), endpointCount: 2)
        for _ in 0..<4 { _ = detector.record(.localOriginConnectFailed, endpoint: 0, now: 0, random: &random) }
        #expect(detector.record(.localOriginTimeout, endpoint: 0, now: 0, random: &random)
                    == .eject(endpoint: 0, type: .consecutive5xx))
    }

    @Test func enforcementPercentageUsesRandom() {
        var detector = OutlierDetector(config: config { $0.consecutive5xx = 1; $0.enforcingConsecutive5xx = 50 },
                                       endpointCount: 2)
        var high = ScriptedRandom([70, 0])
        #expect(detector.record(.httpStatus(500), endpoint: 0, now: 0, random: &high) == nil)
        var low = ScriptedRandom([20, 0])
        #expect(detector.record(.httpStatus(500), endpoint: 0, now: 0, random: &low) != nil)
    }
}

@Suite struct OutlierDetectorMembershipTests {
    @Test func ejectionsSurviveAMembershipChange() {
        var random = SplitMix64(seed: 1)
        var config = OutlierDetectionConfig()
        config.maxEjectionPercent = 100
        config.consecutive5xx = 1
        var detector = OutlierDetector(config: config, endpointCount: 3)
        #expect(detector.record(.httpStatus(500), endpoint: 2, now: 0, random: &random) == .eject(endpoint: 2, type: .consecutive5xx))
        // Endpoint 0 left, old 2 is now 0, a new endpoint joined at 1.
        let next = detector.carriedOver(to: [2, nil], config: config)
        #expect(next.endpointCount == 2)
        #expect(next.isEjected(0))
        #expect(!next.isEjected(1))
        #expect(next.ejectedCount == 1)
        #expect(next.ejectedEndpoints == [0])
        #expect(detector.carriedOver(to: [0, 1], config: config).ejectedCount == 0)
    }
}

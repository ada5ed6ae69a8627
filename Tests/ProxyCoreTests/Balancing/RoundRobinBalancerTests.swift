import Testing
@testable import ProxyCore

@Suite struct RoundRobinBalancerTests {
    @Test func equalWeightsRotate() {
        var balancer = RoundRobinBalancer(prioritySet: PrioritySet(endpoints: endpoints(3)))
        var random = SplitMix64(seed: 1)
        let picks = (0..<6).map { _ in balancer.choose(random: &random)! }
        #expect(picks == [0, 1, 2, 0, 1, 2])
    }

    @Test func seedOffsetsTheStart() {
        var balancer = RoundRobinBalancer(prioritySet: PrioritySet(endpoints: endpoints(3)), seed: 4)
        var random = SplitMix64(seed: 1)
        #expect(balancer.choose(random: &random) == 1)
    }

    @Test func weightsAreRespectedAndInterleaved() {
        let hosts = [LBEndpoint(index: 0, weight: 1), LBEndpoint(index: 1, weight: 3)]
        var balancer = RoundRobinBalancer(prioritySet: PrioritySet(endpoints: hosts))
        var random = SplitMix64(seed: 7)
        var counts = [0, 0]
        var longestRun = 0, run = 0, last = -1
        for _ in 0..<400 {
            let pick = balancer.choose(random: &random)!
            counts[pick] += 1
            run = pick == last ? run + 1 : 1
            last = pick
            longestRun = max(longestRun, run)
        }
        #expect(counts == [100, 300])
        // Float deadlines (as in Envoy) can let one extra pick slip in; never a burst.
        #expect(longestRun <= 4)
    }

    @Test func skipsUnhealthyEndpoints() {
        let hosts = endpoints(3) + [LBEndpoint(index: 3, health: .failedOutlierCheck)]
        var balancer = RoundRobinBalancer(prioritySet: PrioritySet(endpoints: hosts))
        var random = SplitMix64(seed: 1)
        let picks = Set((0..<12).map { _ in balancer.choose(random: &random)! })
        #expect(picks == [0, 1, 2])
    }

    @Test func panicUsesAllEndpoints() {
        let hosts = endpoints(1) + endpoints(3, health: .failedOutlierCheck, startIndex: 1)
        var balancer = RoundRobinBalancer(prioritySet: PrioritySet(endpoints: hosts))
        var random = SplitMix64(seed: 1)
        let picks = Set((0..<8).map { _ in balancer.choose(random: &random)! })
        #expect(picks == [0, 1, 2, 3])
    }

    @Test func failsOverToNextPriority() {
        let hosts = endpoints(2, health: .failedActiveHealthCheck) + endpoints(2, priority: 1, startIndex: 2)
        var balancer = RoundRobinBalancer(prioritySet: PrioritySet(endpoints: hosts))
        var random = SplitMix64(seed: 3)
        let picks = Set((0..<8).map { _ in balancer.choose(random: &random)! })
        #expect(picks == [2, 3])
    }

    @Test func hostSelectionRetryAvoidsRejectedHosts() {
        var balancer = RoundRobinBalancer(prioritySet: PrioritySet(endpoints: endpoints(3)))
        var random = SplitMix64(seed: 1)
        let pick = balancer.choose(context: HostSelectionContext(hostSelectionRetryCount: 2), random: &random,
                                   rejecting: { $0.index == 0 })
        #expect(pick == 1)
        // With no retries allowed the rejected host is still returned (Envoy returns the last pick).
        var again = RoundRobinBalancer(prioritySet: PrioritySet(endpoints: endpoints(3)))
        #expect(again.choose(random: &random, rejecting: { $0.index == 0 }) == 0)
    }

    @Test func localityWeightsSplitTraffic() {
        let hosts = endpoints(2, locality: 1) + endpoints(2, locality: 2, startIndex: 2)
        let set = PrioritySet(endpoints: hosts, localityWeights: [1: 1, 2: 3])
        var balancer = RoundRobinBalancer(prioritySet: set, localityWeighted: true)
        var random = SplitMix64(seed: 9)
        var perLocality = [0, 0]
        for _ in 0..<400 { perLocality[balancer.choose(random: &random)! < 2 ? 0 : 1] += 1 }
        #expect(perLocality == [100, 300])
    }

    @Test func unhealthyLocalityLosesWeight() {
        // Locality 2 has 1 of 4 healthy: availability min(1, 1.4 × 0.25) = 0.35 → weight 0.35.
        let hosts = endpoints(4, locality: 1) + endpoints(1, locality: 2, startIndex: 4)
            + endpoints(3, locality: 2, health: .failedOutlierCheck, startIndex: 5)
        let set = PrioritySet(endpoints: hosts, localityWeights: [1: 1, 2: 1])
        let weight = LocalityPicker.effectiveWeight(set.hostSets[0], locality: 1, eligible: set.hostSets[0].healthyPerLocality)
        #expect(abs(weight - 0.35) < 1e-9)
        var balancer = RoundRobinBalancer(prioritySet: set, localityWeighted: true)
        var random = SplitMix64(seed: 9)
        var toSecond = 0
        for _ in 0..<1350 where balancer.choose(random: &random)! >= 4 { toSecond += 1 }
        #expect((349...351).contains(toSecond))
    }
}

import Testing
@testable import ProxyCore

@Suite struct LeastRequestAndRandomTests {
    @Test func twoChoicesKeepTheLessLoaded() {
        var balancer = LeastRequestBalancer(prioritySet: PrioritySet(endpoints: endpoints(4)))
        let active: [UInt64] = [5, 1, 9, 0]
        // First draw picks the priority; then samples 2 and 1 → endpoint 1 (1 active) beats 2.
        var random = ScriptedRandom([0, 2, 1])
        #expect(balancer.choose(random: &random, activeRequests: { active[$0] }) == 1)
        // Samples 3 then 0 → 3 has fewer.
        var random2 = ScriptedRandom([0, 3, 0])
        #expect(balancer.choose(random: &random2, activeRequests: { active[$0] }) == 3)
    }

    @Test func tiesKeepTheFirstSample() {
        var balancer = LeastRequestBalancer(prioritySet: PrioritySet(endpoints: endpoints(4)))
        var random = ScriptedRandom([0, 2, 1])
        #expect(balancer.choose(random: &random, activeRequests: { _ in 3 }) == 2)
    }

    @Test func choiceCountSamplesMore() {
        var balancer = LeastRequestBalancer(prioritySet: PrioritySet(endpoints: endpoints(4)), choiceCount: 3)
        let active: [UInt64] = [5, 4, 9, 0]
        var random = ScriptedRandom([0, 2, 1, 3])
        #expect(balancer.choose(random: &random, activeRequests: { active[$0] }) == 3)
    }

    @Test func unequalWeightsUseActiveRequestsInEDF() {
        let hosts = [LBEndpoint(index: 0, weight: 2), LBEndpoint(index: 1, weight: 1)]
        var balancer = LeastRequestBalancer(prioritySet: PrioritySet(endpoints: hosts))
        var random = SplitMix64(seed: 5)
        // Endpoint 0 is swamped (weight 2 / 10 active), endpoint 1 idle (weight 1 / 1): 1 wins most picks.
        let active: [UInt64] = [9, 0]
        var counts = [0, 0]
        for _ in 0..<60 { counts[balancer.choose(random: &random, activeRequests: { active[$0] })!] += 1 }
        #expect(counts[1] > counts[0] * 3)
        #expect(LeastRequestBalancer.weight(hosts[0], active: 3, bias: 1) == 0.5)
        #expect(LeastRequestBalancer.weight(hosts[0], active: 3, bias: 0) == 2)
        #expect(LeastRequestBalancer.weight(hosts[0], active: 3, bias: 2) == 0.125)
    }

    @Test func randomUsesOneDrawForPriorityAndHost() {
        var balancer = RandomBalancer(prioritySet: PrioritySet(endpoints: endpoints(3)))
        var random = ScriptedRandom([7])
        #expect(balancer.choose(random: &random) == 1)   // 7 % 3
        var spread = SplitMix64(seed: 11)
        var counts = [0, 0, 0]
        for _ in 0..<3000 { counts[balancer.choose(random: &spread)!] += 1 }
        #expect(counts.allSatisfy { $0 > 850 && $0 < 1150 })
    }

    @Test func emptyClusterPicksNothing() {
        var random = SplitMix64(seed: 1)
        var rr = RoundRobinBalancer(prioritySet: PrioritySet(endpoints: []))
        #expect(rr.choose(random: &random) == nil)
        var randomLB = RandomBalancer(prioritySet: PrioritySet(endpoints: []))
        #expect(randomLB.choose(random: &random) == nil)
        let hashing = HashingBalancer(prioritySet: PrioritySet(endpoints: []), algorithm: .maglev())
        #expect(hashing.choose(random: &random) == nil)
    }
}

@Suite struct EndpointBalancerTests {
    @Test func everyPolicyPicksAHealthyEndpoint() {
        let hosts = endpoints(3) + [LBEndpoint(index: 3, health: .failedOutlierCheck, hashKey: "x:1")]
        let set = PrioritySet(endpoints: hosts)
        var random = SplitMix64(seed: 2)
        let policies: [EndpointBalancer.Policy] = [.roundRobin, .leastRequest(), .random, .ringHash(), .maglev(tableSize: 101)]
        for policy in policies {
            var balancer = EndpointBalancer(policy: policy, prioritySet: set)
            for _ in 0..<20 {
                let pick = balancer.choose(context: .init(hash: random.next()), random: &random)
                #expect(pick != nil && pick != 3, "\(policy)")
            }
            #expect(balancer.usesHash == (policy == .ringHash() || policy == .maglev(tableSize: 101)))
        }
    }

    @Test func roundRobinStateSurvivesThroughTheWrapper() {
        var balancer = EndpointBalancer(policy: .roundRobin, prioritySet: PrioritySet(endpoints: endpoints(3)))
        var random = SplitMix64(seed: 1)
        #expect((0..<4).map { _ in balancer.choose(random: &random)! } == [0, 1, 2, 0])
    }
}

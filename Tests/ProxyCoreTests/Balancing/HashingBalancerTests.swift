import Testing
@testable import ProxyCore

@Suite struct HashingBalancerTests {
    func keys(_ count: Int) -> [UInt64] { (0..<count).map { XXHash64.hash("request-\($0)") } }

    @Test func ringPointsAreHashesOfKeyUnderscoreIndex() {
        #expect(RingHashTable.pointHash(key: "10.0.0.1:80", index: 0) == 0x7504_1381_E737_1A08)
        #expect(RingHashTable.pointHash(key: "10.0.0.1:80", index: 1234) == XXHash64.hash("10.0.0.1:80_1234"))
    }

    @Test func ringSizeFollowsEnvoysScaling() {
        let set = PrioritySet(endpoints: endpoints(3))
        let weights = NormalizedHostWeights(hostSet: set.hostSets[0], inPanic: false, localityWeighted: false)
        // ceil(1/3 × 1024) / (1/3) = 1026 points.
        #expect(RingHashTable(weights: weights, hosts: set.hostSets[0].hosts).size == 1026)
        #expect(RingHashTable(weights: weights, hosts: set.hostSets[0].hosts, minimumRingSize: 6, maximumRingSize: 6).size == 6)
    }

    @Test func ringIsConsistentAndWeighted() {
        let hosts = [LBEndpoint(index: 0, weight: 1, hashKey: "10.0.0.1:80"),
                     LBEndpoint(index: 1, weight: 3, hashKey: "10.0.0.2:80")]
        let balancer = HashingBalancer(prioritySet: PrioritySet(endpoints: hosts), algorithm: .ringHash())
        var random = SplitMix64(seed: 1)
        var counts = [0, 0]
        for key in keys(4000) {
            let first = balancer.choose(context: .init(hash: key), random: &random)!
            #expect(balancer.choose(context: .init(hash: key), random: &random) == first)
            counts[first] += 1
        }
        #expect(counts[1] > counts[0] * 2)
    }

    @Test func removingAHostMovesOnlyItsKeys() {
        let three = endpoints(3)
        let before = HashingBalancer(prioritySet: PrioritySet(endpoints: three), algorithm: .maglev())
        let after = HashingBalancer(prioritySet: PrioritySet(endpoints: Array(three.prefix(2))), algorithm: .maglev())
        var random = SplitMix64(seed: 1)
        var kept = 0, movable = 0
        for key in keys(3000) {
            let old = before.choose(context: .init(hash: key), random: &random)!
            guard old != 2 else { continue }
            movable += 1
            if after.choose(context: .init(hash: key), random: &random) == old { kept += 1 }
        }
        // Maglev keeps the large majority of surviving keys in place.
        #expect(Double(kept) / Double(movable) > 0.9)
    }

    @Test func maglevFillsTheWholeTableByWeight() {
        let hosts = [LBEndpoint(index: 0, weight: 1, hashKey: "a:1"), LBEndpoint(index: 1, weight: 2, hashKey: "b:1")]
        let set = PrioritySet(endpoints: hosts)
        let weights = NormalizedHostWeights(hostSet: set.hostSets[0], inPanic: false, localityWeighted: false)
        let table = MaglevTable(weights: weights, hosts: hosts)
        #expect(table.table.count == 65537)
        #expect(!table.table.contains(-1))
        let first = table.table.filter { $0 == 0 }.count
        #expect(abs(Double(first) / 65537.0 - 1.0 / 3.0) < 0.01)
    }

    @Test func maglevDoesNotDependOnEndpointOrder() {
        let hosts = endpoints(4)
        let forward = HashingBalancer(prioritySet: PrioritySet(endpoints: hosts), algorithm: .maglev(tableSize: 251))
        let reversed = HashingBalancer(prioritySet: PrioritySet(endpoints: hosts.reversed()), algorithm: .maglev(tableSize: 251))
        var random = SplitMix64(seed: 1)
        for key in keys(200) {
            #expect(forward.choose(context: .init(hash: key), random: &random)
                        == reversed.choose(context: .init(hash: key), random: &random))
        }
    }

    @Test func retriesMoveToAnotherHost() {
        let balancer = HashingBalancer(prioritySet: PrioritySet(endpoints: endpoints(5)), algorithm: .ringHash())
        var random = SplitMix64(seed: 1)
        let key = XXHash64.hash("user-42")
        let first = balancer.choose(context: .init(hash: key), random: &random)!
        let retried = balancer.choose(context: .init(hash: key, hostSelectionRetryCount: 20), random: &random,
                                      rejecting: { $0.index == first })
        #expect(retried != nil && retried != first)
    }

    @Test func withoutHashItActsRandomly() {
        let balancer = HashingBalancer(prioritySet: PrioritySet(endpoints: endpoints(3)), algorithm: .maglev(tableSize: 101))
        var random = SplitMix64(seed: 3)
        let picks = Set((0..<100).map { _ in balancer.choose(random: &random)! })
        #expect(picks.count == 3)
    }

    @Test func localityWeightedNormalization() {
        let hosts = endpoints(1, locality: 1) + endpoints(3, locality: 2, startIndex: 1)
        let set = PrioritySet(endpoints: hosts, localityWeights: [1: 1, 2: 1])
        let weights = NormalizedHostWeights(hostSet: set.hostSets[0], inPanic: false, localityWeighted: true)
        let third: Double = 0.5 / 3
        let expected: [Double] = [0.5, third, third, third]
        let actual: [Double] = weights.entries.map { $0.weight }
        #expect(actual == expected)
        #expect(weights.maxWeight == 0.5)
    }
}

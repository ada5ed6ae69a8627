import Testing
@testable import ProxyCore

func endpoints(_ count: Int, priority: Int = 0, locality: Int = 0, health: EndpointHealth = .healthy,
               startIndex: Int = 0) -> [LBEndpoint] {
    (0..<count).map {
        LBEndpoint(index: startIndex + $0, locality: locality, priority: priority, health: health,
                   hashKey: "10.0.\(priority).\(startIndex + $0):80")
    }
}

@Suite struct PrioritySetTests {
    @Test func allHealthyGoesToPriorityZero() {
        let set = PrioritySet(endpoints: endpoints(3) + endpoints(3, priority: 1, startIndex: 3))
        #expect(set.load.healthy == [100, 0])
        #expect(set.panic == [false, false])
    }

    @Test func overprovisioningSpillsToNextPriority() {
        // P0: 2 of 4 healthy → 140 * 2/4 = 70 health; P1 takes the other 30.
        let p0 = endpoints(2) + endpoints(2, health: .failedOutlierCheck, startIndex: 2)
        let set = PrioritySet(endpoints: p0 + endpoints(4, priority: 1, startIndex: 4))
        #expect(set.health == [70, 100])
        #expect(set.load.healthy == [70, 30])
        // 80% healthy still counts as fully healthy (112% capped).
        let mostly = PrioritySet(endpoints: endpoints(4) + endpoints(1, health: .failedActiveHealthCheck, startIndex: 4)
                                 + endpoints(2, priority: 1, startIndex: 5))
        #expect(mostly.load.healthy == [100, 0])
    }

    @Test func degradedLoadAndRoundingFollowEnvoysExample() {
        // Health 10/20/10 and degraded 20/10/0 → healthy 16/28/14, degraded 28/14/0.
        func level(_ priority: Int, healthy: Int, degraded: Int) -> [LBEndpoint] {
            (0..<14).map { i in
                let health: EndpointHealth = i < healthy ? .healthy : i < healthy + degraded ? .degradedEDSHealth : .failedEDSHealth
                return LBEndpoint(index: priority * 100 + i, priority: priority, health: health)
            }
        }
        let set = PrioritySet(endpoints: level(0, healthy: 1, degraded: 2) + level(1, healthy: 2, degraded: 1)
                              + level(2, healthy: 1, degraded: 0), panicThreshold: 0)
        #expect(set.health == [10, 20, 10])
        #expect(set.degradedAvailability == [20, 10, 0])
        #expect(set.load.healthy == [16, 28, 14])
        #expect(set.load.degraded == [28, 14, 0])
    }

    @Test func choosePriorityWalksHealthyThenDegraded() {
        let load = PriorityLoad(healthy: [16, 28, 14], degraded: [28, 14, 0])
        #expect(load.choosePriority(hash: 15).priority == 0)   // 16 ≤ 16
        #expect(load.choosePriority(hash: 16).priority == 1)
        #expect(load.choosePriority(hash: 57).availability == .healthy)
        #expect(load.choosePriority(hash: 58).priority == 0)
        #expect(load.choosePriority(hash: 58).availability == .degraded)
        #expect(load.choosePriority(hash: 199).priority == 1)
        #expect(load.choosePriority(hash: 199).availability == .degraded)
    }

    @Test func panicWhenTooFewHealthy() {
        let set = PrioritySet(endpoints: endpoints(1) + endpoints(3, health: .failedOutlierCheck, startIndex: 1))
        #expect(set.panic == [true])
        // Total panic: load by host counts.
        #expect(set.load.healthy == [100])
        let noPanic = PrioritySet(endpoints: endpoints(1) + endpoints(3, health: .failedOutlierCheck, startIndex: 1),
                                  panicThreshold: 0)
        #expect(noPanic.panic == [false])
    }

    @Test func totalPanicSplitsByHostCount() {
        let down = EndpointHealth.failedActiveHealthCheck
        let set = PrioritySet(endpoints: endpoints(1, health: down) + endpoints(3, priority: 1, health: down, startIndex: 1))
        #expect(set.panic == [true, true])
        #expect(set.load.healthy == [25, 75])
    }

    @Test func excludingAttemptedPriorities() {
        let set = PrioritySet(endpoints: endpoints(2) + endpoints(2, priority: 1, startIndex: 2))
        #expect(set.loadExcluding(priorities: [true, false]) == PriorityLoad(healthy: [0, 100], degraded: [0, 0]))
        // Excluding everything falls back to the unmodified availability.
        #expect(set.loadExcluding(priorities: [true, true]) == PriorityLoad(healthy: [100, 0], degraded: [0, 0]))
    }

    @Test func excludedHostsDoNotCount() {
        let set = PrioritySet(endpoints: endpoints(1) + endpoints(3, health: .excluded, startIndex: 1))
        #expect(set.hostSets[0].countedHosts == 1)
        #expect(set.health == [100])
    }
}

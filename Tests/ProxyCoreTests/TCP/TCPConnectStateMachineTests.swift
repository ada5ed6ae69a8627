import ProxyCore
import Testing

/// Envoy's tcp_proxy connect: circuit breakers, max_connect_attempts and the
/// flags they leave, without sockets.
@Suite struct TCPConnectStateMachineTests {
    typealias Machine = TCPConnectStateMachine

    static func breaker(maxConnections: Int = 1024, maxPending: Int = 1024) -> CircuitBreaker {
        CircuitBreaker(defaultPriority: .init(maxConnections: maxConnections, maxPendingRequests: maxPending))
    }

    @Test func aConnectThatSucceedsHoldsOneConnectionAndNoPendingRequest() {
        var machine = Machine()
        var breaker = Self.breaker()
        #expect(machine.start() == .pickRoute)
        #expect(machine.clusterFound(breaker: breaker) == .pickHost)
        #expect(machine.hostPicked(breaker: &breaker) == .connect)
        #expect(machine.isConnecting)
        #expect(breaker.count(.pendingRequests) == 1)
        #expect(breaker.count(.connections) == 1)
        #expect(machine.connected(breaker: &breaker) == .attach)
        #expect(breaker.count(.pendingRequests) == 0)
        #expect(breaker.count(.connections) == 1)
        #expect(machine.attempts == 1)
        #expect(machine.flags.isEmpty)
    }

    @Test func aFullClusterRefusesWithUOBeforeAnyAttempt() {
        var machine = Machine(maxAttempts: 3)
        var breaker = Self.breaker(maxConnections: 1)
        breaker.forceAdmit(.connections)
        _ = machine.start()
        #expect(machine.clusterFound(breaker: breaker) == .close(.overflow))
        #expect(machine.flags == .upstreamOverflow)
        #expect(machine.flags.envoyString == "UO")
        #expect(machine.attempts == 0)
        // Checked, not taken: nothing to give back.
        #expect(breaker.count(.connections) == 1)
        #expect(breaker.overflows[.connections] == nil)
    }

    @Test func zeroMaxConnectionsRefusesEveryConnection() {
        var machine = Machine()
        _ = machine.start()
        #expect(machine.clusterFound(breaker: Self.breaker(maxConnections: 0)) == .close(.overflow))
    }

    /// Envoy's TCP pool fails the stream with Overflow: no flag, then the next
    /// attempt, which with one attempt allowed ends in URX alone.
    @Test func aPendingOverflowUsesAnAttemptAndEndsInURX() {
        var machine = Machine()
        var breaker = Self.breaker(maxPending: 1)
        _ = breaker.admit(.pendingRequests)
        _ = machine.start()
        _ = machine.clusterFound(breaker: breaker)
        #expect(machine.hostPicked(breaker: &breaker) == .pendingOverflowThenPickRoute)
        #expect(machine.attempts == 1)
        #expect(breaker.count(.connections) == 0)
        #expect(breaker.count(.pendingRequests) == 1)
        #expect(machine.clusterFound(breaker: breaker) == .close(.attemptsExceeded))
        #expect(machine.flags.envoyString == "URX")
    }

    @Test func aPendingOverflowIsRetriedWhenAttemptsRemain() {
        var machine = Machine(maxAttempts: 2)
        var full = Self.breaker(maxPending: 0)
        var open = Self.breaker()
        _ = machine.start()
        _ = machine.clusterFound(breaker: full)
        #expect(machine.hostPicked(breaker: &full) == .pendingOverflowThenPickRoute)
        // A weighted route may pick another cluster for the next attempt.
        #expect(machine.clusterFound(breaker: open) == .pickHost)
        #expect(machine.hostPicked(breaker: &open) == .connect)
        #expect(machine.connected(breaker: &open) == .attach)
        #expect(machine.flags.isEmpty)
        #expect(machine.attempts == 2)
    }

    /// One attempt (the default): a refused connect is UF then URX, Envoy's `UF,URX`.
    @Test func aFailedConnectWithOneAttemptIsUFURX() {
        var machine = Machine()
        var breaker = Self.breaker()
        _ = machine.start()
        _ = machine.clusterFound(breaker: breaker)
        _ = machine.hostPicked(breaker: &breaker)
        #expect(machine.connectFailed(breaker: &breaker) == .pickRoute)
        #expect(breaker.count(.connections) == 0)
        #expect(breaker.count(.pendingRequests) == 0)
        #expect(machine.clusterFound(breaker: breaker) == .close(.attemptsExceeded))
        #expect(machine.flags.envoyString == "UF,URX")
    }

    /// max_connect_attempts 2: the second attempt (a new pick) succeeds and the
    /// line keeps the first attempt's UF.
    @Test func aRetriedConnectThatSucceedsKeepsUF() {
        var machine = Machine(maxAttempts: 2)
        var breaker = Self.breaker()
        _ = machine.start()
        _ = machine.clusterFound(breaker: breaker)
        _ = machine.hostPicked(breaker: &breaker)
        #expect(machine.connectFailed(breaker: &breaker) == .pickRoute)
        #expect(machine.clusterFound(breaker: breaker) == .pickHost)
        #expect(machine.hostPicked(breaker: &breaker) == .connect)
        #expect(machine.connected(breaker: &breaker) == .attach)
        #expect(machine.attempts == 2)
        #expect(machine.flags.envoyString == "UF")
        #expect(breaker.count(.connections) == 1)
    }

    @Test func attemptsAreCountedUpToTheMaximum() {
        var machine = Machine(maxAttempts: 3)
        var breaker = Self.breaker()
        #expect(machine.start() == .pickRoute)
        var results: [Machine.Action] = []
        for _ in 0..<4 {
            let picked = machine.clusterFound(breaker: breaker)
            results.append(picked)
            guard picked == .pickHost else { break }
            _ = machine.hostPicked(breaker: &breaker)
            _ = machine.connectFailed(breaker: &breaker)
        }
        #expect(results == [.pickHost, .pickHost, .pickHost, .close(.attemptsExceeded)])
        #expect(machine.attempts == 3)
        #expect(machine.flags.envoyString == "UF,URX")
    }

    /// A retry that finds the cluster full: Envoy checks max_connections first.
    @Test func aRetryThatFindsTheClusterFullIsUFUO() {
        var machine = Machine(maxAttempts: 2)
        var breaker = Self.breaker(maxConnections: 1)
        _ = machine.start()
        _ = machine.clusterFound(breaker: breaker)
        _ = machine.hostPicked(breaker: &breaker)
        _ = machine.connectFailed(breaker: &breaker)
        breaker.forceAdmit(.connections)
        #expect(machine.clusterFound(breaker: breaker) == .close(.overflow))
        #expect(machine.flags.envoyString == "UF,UO")
    }

    @Test func noClusterAndNoHostEndTheConnection() {
        var missing = Machine()
        _ = missing.start()
        #expect(missing.clusterMissing() == .close(.noCluster))
        #expect(missing.flags.envoyString == "NC")
        var empty = Machine()
        _ = empty.start()
        _ = empty.clusterFound(breaker: Self.breaker())
        #expect(empty.noHost() == .close(.noHealthyUpstream))
        #expect(empty.flags.envoyString == "UH")
        #expect(empty.attempts == 0)
    }

    /// A client that leaves while the connect is in flight gives back what the
    /// attempt held; the connect's result is then dropped.
    @Test func theDownstreamLeavingMidConnectReleasesTheAttempt() {
        var machine = Machine(maxAttempts: 2)
        var breaker = Self.breaker()
        _ = machine.start()
        _ = machine.clusterFound(breaker: breaker)
        _ = machine.hostPicked(breaker: &breaker)
        machine.downstreamClosed(breaker: &breaker)
        #expect(breaker.count(.connections) == 0)
        #expect(breaker.count(.pendingRequests) == 0)
        #expect(machine.connected(breaker: &breaker) == .none)
        #expect(machine.connectFailed(breaker: &breaker) == .none)
        #expect(breaker.count(.connections) == 0)
    }

    @Test func eventsOutOfOrderChangeNothing() {
        var machine = Machine()
        var breaker = Self.breaker()
        #expect(machine.clusterFound(breaker: breaker) == .none)
        #expect(machine.hostPicked(breaker: &breaker) == .none)
        #expect(machine.start() == .pickRoute)
        #expect(machine.start() == .none)
        #expect(machine.noHost() == .none)
        _ = machine.clusterFound(breaker: breaker)
        _ = machine.hostPicked(breaker: &breaker)
        _ = machine.connected(breaker: &breaker)
        // Connected: the downstream leaving is the relay's business, the unit stays held.
        machine.downstreamClosed()
        #expect(breaker.count(.connections) == 1)
        #expect(machine.connectFailed(breaker: &breaker) == .none)
    }

    @Test func atLeastOneAttempt() {
        #expect(Machine(maxAttempts: 0).maxAttempts == 1)
    }

    @Test func timeoutsAndRefusalsReachTheOutlierDetectorApart() {
        #expect(Machine.ConnectFailure.timeout.outlierResult == .localOriginTimeout)
        #expect(Machine.ConnectFailure.remote.outlierResult == .localOriginConnectFailed)
    }
}

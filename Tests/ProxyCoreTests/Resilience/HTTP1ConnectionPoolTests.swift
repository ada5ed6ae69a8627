import Testing
@testable import ProxyCore

@Suite struct HTTP1ConnectionPoolTests {
    typealias Pool = HTTP1ConnectionPool
    let c1 = Pool.ConnectionID(1), c2 = Pool.ConnectionID(2)

    @Test func firstRequestConnectsThenDispatches() {
        var pool = Pool()
        var breaker = CircuitBreaker()
        var actions: [Pool.Action] = []
        pool.requestArrived(10, breaker: &breaker, actions: &actions)
        #expect(actions == [.connect(c1)])
        #expect(breaker.count(.pendingRequests) == 1)
        #expect(breaker.count(.connections) == 1)
        actions.removeAll()
        pool.connected(c1, breaker: &breaker, actions: &actions)
        #expect(actions == [.dispatch(10, on: c1)])
        #expect(breaker.count(.pendingRequests) == 0)
        #expect(breaker.count(.requests) == 1)
    }

    @Test func idleConnectionsAreReused() {
        var pool = Pool(config: .init(idleTimeoutMs: 5_000))
        var breaker = CircuitBreaker()
        var actions: [Pool.Action] = []
        pool.requestArrived(1, breaker: &breaker, actions: &actions)
        pool.connected(c1, breaker: &breaker, actions: &actions)
        actions.removeAll()
        pool.responseCompleted(on: c1, reusable: true, breaker: &breaker, actions: &actions)
        guard case .scheduleIdleTimeout(c1, 5_000, let token) = actions.first else {
            Issue.record("expected idle timer, got \(actions)"); return
        }
        actions.removeAll()
        pool.requestArrived(2, breaker: &breaker, actions: &actions)
        #expect(actions == [.dispatch(2, on: c1)])
        // The old idle timer is stale now.
        actions.removeAll()
        pool.idleTimeoutFired(c1, token: token, breaker: &breaker, actions: &actions)
        #expect(actions.isEmpty)
        #expect(pool.connectionCount == 1)
    }

    @Test func idleTimeoutClosesTheConnection() {
        var pool = Pool()
        var breaker = CircuitBreaker()
        var actions: [Pool.Action] = []
        pool.requestArrived(1, breaker: &breaker, actions: &actions)
        pool.connected(c1, breaker: &breaker, actions: &actions)
        actions.removeAll()
        pool.responseCompleted(on: c1, reusable: true, breaker: &breaker, actions: &actions)
        guard case .scheduleIdleTimeout(_, 3_600_000, let token) = actions.first else { Issue.record("no timer"); return }
        actions.removeAll()
        pool.idleTimeoutFired(c1, token: token, breaker: &breaker, actions: &actions)
        #expect(actions == [.closeConnection(c1)])
        #expect(breaker.count(.connections) == 0)
    }

    @Test func busyConnectionMeansANewConnection() {
        var pool = Pool()
        var breaker = CircuitBreaker()
        var actions: [Pool.Action] = []
        pool.requestArrived(1, breaker: &breaker, actions: &actions)
        pool.connected(c1, breaker: &breaker, actions: &actions)
        actions.removeAll()
        pool.requestArrived(2, breaker: &breaker, actions: &actions)
        #expect(actions == [.connect(c2)])
        #expect(pool.busyCount == 1 && pool.connectingCount == 1)
    }

    @Test func pendingOverflowFailsWithOverflow() {
        var pool = Pool()
        var breaker = CircuitBreaker(defaultPriority: .init(maxConnections: 1, maxPendingRequests: 1))
        var actions: [Pool.Action] = []
        pool.requestArrived(1, breaker: &breaker, actions: &actions)
        pool.requestArrived(2, breaker: &breaker, actions: &actions)
        #expect(actions == [.connect(c1), .failRequest(2, .overflow)])
        #expect(breaker.overflows[.pendingRequests] == 1)
    }

    @Test func connectionLimitQueuesInsteadOfConnecting() {
        var pool = Pool()
        var breaker = CircuitBreaker(defaultPriority: .init(maxConnections: 1))
        var actions: [Pool.Action] = []
        pool.requestArrived(1, breaker: &breaker, actions: &actions)
        pool.requestArrived(2, breaker: &breaker, actions: &actions)
        #expect(actions == [.connect(c1)])
        #expect(pool.pendingCount == 2)
        actions.removeAll()
        pool.connected(c1, breaker: &breaker, actions: &actions)
        pool.responseCompleted(on: c1, reusable: true, breaker: &breaker, actions: &actions)
        #expect(actions == [.dispatch(1, on: c1), .dispatch(2, on: c1)])
    }

    @Test func aPoolWithoutConnectionsAlwaysGetsOne() {
        var pool = Pool()
        var breaker = CircuitBreaker(defaultPriority: .init(maxConnections: 1))
        breaker.forceAdmit(.connections)   // another endpoint's pool holds the cluster's only slot
        var actions: [Pool.Action] = []
        pool.requestArrived(1, breaker: &breaker, actions: &actions)
        #expect(actions == [.connect(c1)])
        #expect(breaker.count(.connections) == 2)
    }

    @Test func connectFailureFailsAllPending() {
        var pool = Pool()
        var breaker = CircuitBreaker(defaultPriority: .init(maxConnections: 1))
        var actions: [Pool.Action] = []
        pool.requestArrived(1, breaker: &breaker, actions: &actions)
        pool.requestArrived(2, breaker: &breaker, actions: &actions)
        actions.removeAll()
        pool.connectFailed(c1, breaker: &breaker, actions: &actions)
        #expect(actions == [.failRequest(1, .connectionFailure), .failRequest(2, .connectionFailure)])
        #expect(breaker.count(.pendingRequests) == 0 && breaker.count(.connections) == 0)
    }

    @Test func maxRequestsPerConnectionClosesAfterTheLimit() {
        var pool = Pool(config: .init(maxRequestsPerConnection: 1))
        var breaker = CircuitBreaker()
        var actions: [Pool.Action] = []
        pool.requestArrived(1, breaker: &breaker, actions: &actions)
        pool.connected(c1, breaker: &breaker, actions: &actions)
        pool.requestArrived(2, breaker: &breaker, actions: &actions)
        actions.removeAll()
        pool.responseCompleted(on: c1, reusable: true, breaker: &breaker, actions: &actions)
        #expect(actions == [.closeConnection(c1)])
        #expect(pool.connectionCount == 1)   // c2 is connecting for request 2
    }

    @Test func closedBusyConnectionTerminatesItsRequest() {
        var pool = Pool()
        var breaker = CircuitBreaker()
        var actions: [Pool.Action] = []
        pool.requestArrived(1, breaker: &breaker, actions: &actions)
        pool.connected(c1, breaker: &breaker, actions: &actions)
        actions.removeAll()
        pool.connectionClosed(c1, breaker: &breaker, actions: &actions)
        #expect(actions == [.failRequest(1, .connectionTerminated)])
        #expect(breaker.count(.requests) == 0 && breaker.count(.connections) == 0)
    }

    @Test func cancelRemovesAPendingRequest() {
        var pool = Pool()
        var breaker = CircuitBreaker()
        var actions: [Pool.Action] = []
        pool.requestArrived(1, breaker: &breaker, actions: &actions)
        pool.cancel(1, breaker: &breaker)
        actions.removeAll()
        pool.connected(c1, breaker: &breaker, actions: &actions)
        #expect(actions.count == 1)
        if case .scheduleIdleTimeout = actions[0] {} else { Issue.record("expected idle, got \(actions)") }
        #expect(breaker.count(.pendingRequests) == 0)
    }
}

@Suite struct HTTP1ConnectionPoolDrainTests {
    @Test func closeIdleConnectionsKeepsBusyOnes() {
        var pool = HTTP1ConnectionPool()
        var breaker = CircuitBreaker()
        var actions: [HTTP1ConnectionPool.Action] = []
        let c1 = HTTP1ConnectionPool.ConnectionID(1), c2 = HTTP1ConnectionPool.ConnectionID(2)
        pool.requestArrived(1, breaker: &breaker, actions: &actions)
        pool.requestArrived(2, breaker: &breaker, actions: &actions)
        pool.connected(c1, breaker: &breaker, actions: &actions)
        pool.connected(c2, breaker: &breaker, actions: &actions)
        pool.responseCompleted(on: c1, reusable: true, breaker: &breaker, actions: &actions)
        actions.removeAll()
        pool.closeIdleConnections(breaker: &breaker, actions: &actions)
        #expect(actions == [.closeConnection(c1)])
        #expect(pool.busyCount == 1 && pool.idleCount == 0)
        #expect(breaker.count(.connections) == 1)
    }

    @Test func closeWhileConnectingIsAConnectFailure() {
        var pool = HTTP1ConnectionPool()
        var breaker = CircuitBreaker()
        var actions: [HTTP1ConnectionPool.Action] = []
        pool.requestArrived(7, breaker: &breaker, actions: &actions)
        actions.removeAll()
        pool.connectionClosed(HTTP1ConnectionPool.ConnectionID(1), breaker: &breaker, actions: &actions)
        #expect(actions == [.failRequest(7, .connectionFailure)])
    }

    @Test func notReusableResponseClosesAndReconnectsForPending() {
        var pool = HTTP1ConnectionPool()
        var breaker = CircuitBreaker(defaultPriority: .init(maxConnections: 1))
        var actions: [HTTP1ConnectionPool.Action] = []
        pool.requestArrived(1, breaker: &breaker, actions: &actions)
        pool.requestArrived(2, breaker: &breaker, actions: &actions)
        pool.connected(HTTP1ConnectionPool.ConnectionID(1), breaker: &breaker, actions: &actions)
        actions.removeAll()
        pool.responseCompleted(on: HTTP1ConnectionPool.ConnectionID(1), reusable: false, breaker: &breaker, actions: &actions)
        #expect(actions == [.closeConnection(HTTP1ConnectionPool.ConnectionID(1)), .connect(HTTP1ConnectionPool.ConnectionID(2))])
    }
}

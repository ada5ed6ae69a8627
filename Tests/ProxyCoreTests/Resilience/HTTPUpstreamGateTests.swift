import Testing
@testable import ProxyCore

@Suite struct HTTPUpstreamGateTests {
    final class Request {}
    typealias Gate = HTTPUpstreamGate<Request>

    /// Istio's circuit-breaking task: max_connections 1, max_pending_requests 1.
    static func istioBreaker() -> CircuitBreaker {
        CircuitBreaker(defaultPriority: .init(maxConnections: 1, maxPendingRequests: 1))
    }

    @Test func firstRequestConnectsHoldingAPendingSlotUntilConnected() {
        var gate = Gate()
        var breaker = Self.istioBreaker()
        let first = Request()
        #expect(gate.requestArrived(first, breaker: &breaker) == .connect)
        #expect(breaker.count(.pendingRequests) == 1 && breaker.count(.connections) == 1)
        #expect(gate.connectFinished(first, succeeded: true, breaker: &breaker))
        #expect(breaker.count(.pendingRequests) == 0 && breaker.count(.requests) == 1)
    }

    @Test func pendingFullOverflowsWhileTheFirstConnects() {
        var gate = Gate()
        var breaker = Self.istioBreaker()
        #expect(gate.requestArrived(Request(), breaker: &breaker) == .connect)
        #expect(gate.requestArrived(Request(), breaker: &breaker) == .overflow)
        #expect(breaker.overflows[.pendingRequests] == 1)
    }

    @Test func atMaxConnectionsARequestWaitsAndGetsTheFreedConnection() {
        var gate = Gate()
        var breaker = Self.istioBreaker()
        let first = Request()
        _ = gate.requestArrived(first, breaker: &breaker)
        _ = gate.connectFinished(first, succeeded: true, breaker: &breaker)
        let second = Request(), third = Request()
        #expect(gate.requestArrived(second, breaker: &breaker) == .wait)
        #expect(gate.waitingCount == 1 && breaker.count(.connections) == 1)
        #expect(gate.requestArrived(third, breaker: &breaker) == .overflow)
        breaker.release(.requests)   // the first response completed
        guard case .attach(let served) = gate.connectionFreed(breaker: &breaker) else {
            Issue.record("expected the waiter to get the connection"); return
        }
        #expect(served === second)
        #expect(breaker.count(.pendingRequests) == 0 && breaker.count(.requests) == 1)
        #expect(gate.connectionFreed(breaker: &breaker) == nil)
    }

    @Test func waitersAreServedFirstInFirstOut() {
        var gate = Gate()
        var breaker = CircuitBreaker(defaultPriority: .init(maxConnections: 1, maxPendingRequests: 3))
        let first = Request()
        _ = gate.requestArrived(first, breaker: &breaker)
        _ = gate.connectFinished(first, succeeded: true, breaker: &breaker)
        breaker.release(.requests)   // its response completed, the connection is not idle yet
        let a = Request(), b = Request(), c = Request()
        for r in [a, b, c] { #expect(gate.requestArrived(r, breaker: &breaker) == .wait) }
        var order: [Request] = []
        while case .attach(let next)? = gate.connectionFreed(breaker: &breaker) {
            order.append(next)
            breaker.release(.requests)
        }
        #expect(order.count == 3 && order[0] === a && order[1] === b && order[2] === c)
    }

    @Test func aWaiterThatLeavesGivesItsSlotBack() {
        var gate = Gate()
        var breaker = Self.istioBreaker()
        let first = Request()
        _ = gate.requestArrived(first, breaker: &breaker)
        let waiter = Request()
        #expect(gate.requestArrived(waiter, breaker: &breaker) == .overflow)   // the connecting one is pending
        _ = gate.connectFinished(first, succeeded: true, breaker: &breaker)
        #expect(gate.requestArrived(waiter, breaker: &breaker) == .wait)
        #expect(gate.cancel(waiter, breaker: &breaker))
        #expect(!gate.cancel(waiter, breaker: &breaker))
        #expect(breaker.count(.pendingRequests) == 0 && gate.waitingCount == 0)
        #expect(gate.connectionFreed(breaker: &breaker) == nil)
    }

    @Test func aClosedConnectionLetsTheOldestWaiterConnect() {
        var gate = Gate()
        var breaker = Self.istioBreaker()
        let first = Request()
        _ = gate.requestArrived(first, breaker: &breaker)
        _ = gate.connectFinished(first, succeeded: true, breaker: &breaker)
        let waiter = Request()
        #expect(gate.requestArrived(waiter, breaker: &breaker) == .wait)
        guard case .connect(let next)? = gate.connectionGone(breaker: &breaker) else {
            Issue.record("expected the waiter to connect"); return
        }
        #expect(next === waiter)
        #expect(breaker.count(.connections) == 1 && breaker.count(.pendingRequests) == 1 && gate.connections == 1)
    }

    @Test func aPoolWithoutConnectionsConnectsPastTheClusterLimit() {
        // Another worker's (or endpoint's) pool holds the cluster's only connection.
        var gate = Gate()
        var breaker = Self.istioBreaker()
        breaker.forceAdmit(.connections)
        #expect(gate.requestArrived(Request(), breaker: &breaker) == .connect)
        #expect(breaker.count(.connections) == 2)
        // With one connection of its own it no longer may.
        var other = CircuitBreaker(defaultPriority: .init(maxConnections: 1, maxPendingRequests: 5))
        other.forceAdmit(.connections)
        var busy = Gate()
        _ = busy.requestArrived(Request(), breaker: &other)
        #expect(busy.requestArrived(Request(), breaker: &other) == .wait)
    }

    @Test func maxRequestsRefusesOnIdleAndOnHandoff() {
        var gate = Gate()
        var breaker = CircuitBreaker(defaultPriority: .init(maxConnections: 1, maxPendingRequests: 5, maxRequests: 1))
        #expect(gate.admitOnIdle(breaker: &breaker))
        #expect(!gate.admitOnIdle(breaker: &breaker))
        #expect(breaker.overflows[.requests] == 1)
        let waiter = Request()
        gate.connectionForced(breaker: &breaker)
        #expect(gate.requestArrived(waiter, breaker: &breaker) == .wait)
        guard case .overflow(let refused)? = gate.connectionFreed(breaker: &breaker) else {
            Issue.record("expected max_requests to refuse the waiter"); return
        }
        #expect(refused === waiter && breaker.count(.pendingRequests) == 0)
    }

    @Test func aFailedConnectFreesBothSlots() {
        var gate = Gate()
        var breaker = Self.istioBreaker()
        let first = Request()
        _ = gate.requestArrived(first, breaker: &breaker)
        #expect(!gate.connectFinished(first, succeeded: false, breaker: &breaker))
        #expect(gate.connectFailed(breaker: &breaker).isEmpty)
        #expect(gate.connectionGone(breaker: &breaker) == nil)
        #expect(breaker.count(.pendingRequests) == 0 && breaker.count(.connections) == 0 && gate.connections == 0)
    }

    @Test func aFailedConnectFailsEveryPendingRequest() {
        // Envoy's purgePendingStreams: the requests connecting on their own connections
        // and those queued for one all fail with it, their slots back.
        var gate = Gate()
        var breaker = CircuitBreaker(defaultPriority: .init(maxConnections: 2, maxPendingRequests: 5))
        let a = Request(), b = Request(), c = Request(), d = Request()
        #expect(gate.requestArrived(a, breaker: &breaker) == .connect)
        #expect(gate.requestArrived(b, breaker: &breaker) == .connect)
        #expect(gate.requestArrived(c, breaker: &breaker) == .wait)
        #expect(gate.requestArrived(d, breaker: &breaker) == .wait)
        #expect(breaker.count(.pendingRequests) == 4)
        // a's connect fails.
        #expect(!gate.connectFinished(a, succeeded: false, breaker: &breaker))
        let failed = gate.connectFailed(breaker: &breaker)
        #expect(failed.count == 3 && failed[0] === b && failed[1] === c && failed[2] === d)
        #expect(breaker.count(.pendingRequests) == 0 && gate.waitingCount == 0)
        // a's connection is gone; b's connect goes on and still counts.
        #expect(gate.connectionGone(breaker: &breaker) == nil)
        #expect(gate.connections == 1 && breaker.count(.connections) == 1)
        // A request arriving later is pending again, not failed by the old connect.
        let e = Request()
        #expect(gate.requestArrived(e, breaker: &breaker) == .connect)
        #expect(gate.connectFailed(breaker: &breaker).first === e)
    }

    @Test func anAbandonedConnectIsNoLongerPending() {
        var gate = Gate()
        var breaker = Self.istioBreaker()
        let a = Request()
        _ = gate.requestArrived(a, breaker: &breaker)
        gate.connectAbandoned(a, breaker: &breaker)
        #expect(breaker.count(.pendingRequests) == 0)
        #expect(gate.connectFailed(breaker: &breaker).isEmpty)
    }

    @Test func aWaiterToldToConnectIsPendingOnItsConnect() {
        var gate = Gate()
        var breaker = Self.istioBreaker()
        let first = Request(), waiter = Request()
        _ = gate.requestArrived(first, breaker: &breaker)
        _ = gate.connectFinished(first, succeeded: true, breaker: &breaker)
        _ = gate.requestArrived(waiter, breaker: &breaker)
        _ = gate.connectionGone(breaker: &breaker)
        #expect(gate.connectFailed(breaker: &breaker).first === waiter)
        #expect(breaker.count(.pendingRequests) == 0)
    }
}

extension HTTPUpstreamGate.Handoff: Equatable {
    public static func == (a: Self, b: Self) -> Bool {
        switch (a, b) {
        case (.attach(let x), .attach(let y)), (.overflow(let x), .overflow(let y)), (.connect(let x), .connect(let y)): x === y
        default: false
        }
    }
}

/// The circuit-breaker side of one endpoint's HTTP/1.1 pool on one worker (Envoy's
/// `ConnPoolImplBase::newStreamImpl` / `tryCreateNewConnection` / `onUpstreamReady`),
/// for a pool whose idle connections the caller keeps itself:
/// - a request with an idle connection takes it, within `max_requests`;
/// - any other request is pending (within `max_pending_requests`, else overflow) until a
///   connection serves it: it opens one within `max_connections` (a pool with none always
///   may, so its requests are never stranded) or waits, FIFO, for one to free up;
/// - a pending request that leaves gives its slot back;
/// - a connect that fails fails every pending request of the pool, connecting or queued
///   (Envoy's `purgePendingStreams`: each gets the failure, and its retry policy decides).
/// Overflows are 503 with flag `UO`; Envoy 1.40 counts a full `max_pending_requests` in
/// `upstream_rq_pending_overflow` and a full `max_requests` in `upstream_rq_active_overflow`.
///
/// `Waiter` is the caller's handle of a waiting request (compared by identity). The queue
/// allocates only once requests actually wait.
public struct HTTPUpstreamGate<Waiter: AnyObject> {
    public enum Decision: Sendable, Equatable {
        /// Open a connection for this request; it holds a pending slot until
        /// `connectFinished` (and the connection a `connections` slot until `connectionGone`).
        case connect
        /// Queued: `connectionFreed` or `connectionGone` hands it a connection later.
        case wait
        /// Refused by `max_pending_requests`: 503 UO.
        case overflow
    }

    /// What the caller does with a waiter `connectionFreed` / `connectionGone` returns.
    public enum Handoff {
        /// Give it the idle connection just freed (its request slot is taken).
        case attach(Waiter)
        /// `max_requests` refused it at that moment: answer 503 UO.
        case overflow(Waiter)
        /// Let it open a connection (it keeps its pending slot, as after `.connect`).
        case connect(Waiter)
    }

    public let priority: RoutingPriority
    /// This pool's HTTP/1.1 connections, connecting or open.
    public private(set) var connections = 0
    private var waiters: [Waiter] = []
    private var head = 0
    /// Requests whose own connect is under way (each holds a pending slot).
    private var connecting: [Waiter] = []

    public init(priority: RoutingPriority = .default) { self.priority = priority }

    public var waitingCount: Int { waiters.count - head }

    /// A request found an idle connection: may it use it?
    public func admitOnIdle(breaker: inout CircuitBreaker) -> Bool {
        breaker.admit(.requests, priority: priority)
    }

    /// A request found no idle connection.
    public mutating func requestArrived(_ waiter: Waiter, breaker: inout CircuitBreaker) -> Decision {
        guard breaker.admit(.pendingRequests, priority: priority) else { return .overflow }
        if openConnection(breaker: &breaker) {
            connecting.append(waiter)
            return .connect
        }
        waiters.append(waiter)
        return .wait
    }

    /// The connect of a `.connect` request ended (either way): its pending slot is free.
    /// On success it then takes a request slot for its new connection: false is overflow.
    public mutating func connectFinished(_ waiter: Waiter, succeeded: Bool, breaker: inout CircuitBreaker) -> Bool {
        removeConnecting(waiter)
        breaker.release(.pendingRequests, priority: priority)
        guard succeeded else { return false }
        return breaker.admit(.requests, priority: priority)
    }

    /// A `.connect` request left before its connect ended (the connection, once up, goes idle).
    public mutating func connectAbandoned(_ waiter: Waiter, breaker: inout CircuitBreaker) {
        removeConnecting(waiter)
        breaker.release(.pendingRequests, priority: priority)
    }

    /// One of this pool's connects failed: every request still pending (connecting on
    /// its own connection, or queued) leaves with its slot given back, to be failed by
    /// the caller, oldest queued last. Their connects go on; a connection that comes up
    /// serves the pool.
    public mutating func connectFailed(breaker: inout CircuitBreaker) -> [Waiter] {
        var failed = connecting
        connecting.removeAll(keepingCapacity: true)
        while let waiter = popWaiter() { failed.append(waiter) }
        for _ in failed { breaker.release(.pendingRequests, priority: priority) }
        return failed
    }

    /// A queued request left: out of the queue, its pending slot back. False when it was not queued.
    @discardableResult
    public mutating func cancel(_ waiter: Waiter, breaker: inout CircuitBreaker) -> Bool {
        var i = head
        while i < waiters.count, waiters[i] !== waiter { i += 1 }
        guard i < waiters.count else { return false }
        waiters.remove(at: i)
        breaker.release(.pendingRequests, priority: priority)
        return true
    }

    /// A connection went idle: the oldest waiter, if any, gets it.
    public mutating func connectionFreed(breaker: inout CircuitBreaker) -> Handoff? {
        guard let waiter = popWaiter() else { return nil }
        breaker.release(.pendingRequests, priority: priority)
        return breaker.admit(.requests, priority: priority) ? .attach(waiter) : .overflow(waiter)
    }

    /// A connection opened without `requestArrived` (Envoy's pool has no such, but a
    /// replay on a fresh connection does): counted, past the limit if need be.
    public mutating func connectionForced(breaker: inout CircuitBreaker) {
        connections += 1
        breaker.forceAdmit(.connections, priority: priority)
    }

    /// One of this pool's connections failed to connect or closed: its slot frees, and the
    /// oldest waiter may open a connection in its place.
    public mutating func connectionGone(breaker: inout CircuitBreaker) -> Handoff? {
        guard connections > 0 else { return nil }
        connections -= 1
        breaker.releaseIfHeld(.connections, priority: priority)
        guard waitingCount > 0, openConnection(breaker: &breaker), let waiter = popWaiter() else { return nil }
        connecting.append(waiter)
        return .connect(waiter)
    }

    /// Takes a connection slot: within `max_connections`, or past it when this pool has none.
    private mutating func openConnection(breaker: inout CircuitBreaker) -> Bool {
        if breaker.admit(.connections, priority: priority) {
            connections += 1
            return true
        }
        guard connections == 0 else { return false }
        breaker.forceAdmit(.connections, priority: priority)
        connections += 1
        return true
    }

    private mutating func removeConnecting(_ waiter: Waiter) {
        if let index = connecting.firstIndex(where: { $0 === waiter }) { connecting.remove(at: index) }
    }

    private mutating func popWaiter() -> Waiter? {
        guard head < waiters.count else { return nil }
        let waiter = waiters[head]
        head += 1
        if head == waiters.count {
            waiters.removeAll(keepingCapacity: true)
            head = 0
        }
        return waiter
    }
}

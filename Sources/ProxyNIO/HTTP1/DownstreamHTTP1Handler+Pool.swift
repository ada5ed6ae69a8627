import NIOCore
import ProxyCore

/// The exchange's side of its endpoint's pool gate (HTTPUpstreamGate): the cluster's
/// `max_connections`, `max_pending_requests` and `max_requests` as Envoy's HTTP pools apply them.
extension DownstreamHTTP1Handler {
    enum PoolWait {
        case none
        /// Opening a connection for itself, holding a pending slot.
        case connecting
        /// Queued for a connection to free up, holding a pending slot.
        case queued
        /// A stream waiting for its endpoint's HTTP/2 connection to come up, holding a
        /// pending slot (outside the HTTP/1.1 gate: every such stream shares one connect).
        case streamConnecting
    }

    /// Takes a `max_requests` slot for a request about to use a connection.
    func admitRequest(on endpoint: EndpointRuntime) -> Bool {
        guard endpoint.resources.withBreaker({ endpoint.gate.admitOnIdle(breaker: &$0) }) else { return false }
        requestSlot = endpoint.resources
        return true
    }

    func releaseRequestSlot() {
        guard let resources = requestSlot else { return }
        requestSlot = nil
        resources.withBreaker { $0.releaseIfHeld(.requests) }
    }

    /// No idle connection: pending, then a connection of its own or a place in the queue.
    func requestConnectionFromGate(_ endpoint: EndpointRuntime) {
        switch endpoint.resources.withBreaker({ endpoint.gate.requestArrived(self, breaker: &$0) }) {
        case .overflow:
            poolOverflow(pending: true)
        case .connect:
            poolWait = .connecting
            endpoint.gatedConnectionOpened()
            startConnect(to: endpoint, stream: false)
        case .wait:
            poolWait = .queued
            waitingForConnection = true
            currentCluster?.counters.stats.upstreamConnectionOverflow += 1
        }
    }

    /// The exchange ends or the client left: a pending slot it holds goes back.
    func leavePool() {
        guard poolWait != .none, let endpoint else {
            poolWait = .none
            return
        }
        let wait = poolWait
        poolWait = .none
        endpoint.resources.withBreaker { breaker in
            switch wait {
            case .queued: endpoint.gate.cancel(self, breaker: &breaker)
            case .connecting: endpoint.gate.connectAbandoned(self, breaker: &breaker)
            case .streamConnecting: breaker.release(.pendingRequests, priority: endpoint.gate.priority)
            case .none: break
            }
        }
    }

    // MARK: hand-offs from the endpoint's gate (EndpointRuntime+Gate)

    /// A freed connection for this queued exchange; its request slot is taken.
    func poolHanded(_ connection: UpstreamHTTP1Handler) {
        poolWait = .none
        waitingForConnection = false
        guard let endpoint else { return }
        requestSlot = endpoint.resources
        attach(connection, countsRequest: true)
        flushPending()
    }

    /// The queued exchange may open a connection now (one closed); it keeps its pending slot.
    func poolSaysConnect() {
        guard let endpoint else { return }
        poolWait = .connecting
        endpoint.gatedConnectionOpened()
        startConnect(to: endpoint, stream: false)
    }

    /// Another connect of the pool failed while this exchange was pending on it (queued,
    /// or connecting on its own): it fails too, as Envoy's pool purges its pending
    /// requests (`upstream_rq_pending_failure_eject`). Its own connect, if any, goes on
    /// and serves the pool.
    func poolConnectFailed(reason: [UInt8], timedOut: Bool) {
        poolWait = .none
        guard waitingForConnection, !downstreamClosed else { return }
        currentCluster?.counters.stats.upstreamPendingFailureEject += 1
        failConnect(reason: reason, timedOut: timedOut)
    }

    /// Out of the queue without a connection: refused (`overflow`), or to ask again.
    func poolWaitEnded(overflow: Bool) {
        poolWait = .none
        waitingForConnection = false
        guard !overflow, let endpoint else { return poolOverflow(pending: false) }
        requestConnectionFromGate(endpoint)
    }

    /// A circuit breaker refused the request (`pending`: max_pending_requests, else
    /// max_requests): Envoy's router answers 503 UO, details
    /// `upstream_reset_before_response_started{overflow}`, and counts an `upstream_rq_503`.
    func poolOverflow(pending: Bool) {
        if let cluster = currentCluster {
            if pending {
                cluster.counters.stats.upstreamPendingOverflow += 1
            } else {
                cluster.counters.stats.upstreamActiveOverflow += 1
            }
        }
        waitingForConnection = false
        pendingUpstream = nil
        if case .body = requestPhase { closeAfterResponse = true }
        sendLocalReply(LocalReply.overflow)
    }
}

import ProxyCore

extension EndpointRuntime {
    /// Idle connections go to the requests waiting for one, oldest first (Envoy's
    /// `onUpstreamReady`); a waiter `max_requests` refuses gets its 503 and the next tries.
    func serveWaiters() {
        while gate.waitingCount > 0, !idle.isEmpty {
            guard let handoff = resources.withBreaker({ gate.connectionFreed(breaker: &$0) }) else { return }
            hand(handoff)
        }
    }

    func hand(_ handoff: HTTPUpstreamGate<DownstreamHTTP1Handler>.Handoff) {
        switch handoff {
        case .attach(let waiter):
            guard let connection = takeIdle() else {
                // The idle connection closed meanwhile: give the slot back and wait on.
                resources.withBreaker { $0.release(.requests, priority: gate.priority) }
                waiter.poolWaitEnded(overflow: false)
                return
            }
            waiter.poolHanded(connection)
        case .overflow(let waiter):
            waiter.poolWaitEnded(overflow: true)
        case .connect(let waiter):
            waiter.poolSaysConnect()
        }
    }
}

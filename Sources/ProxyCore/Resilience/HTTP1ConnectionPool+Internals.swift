extension HTTP1ConnectionPool {
    /// Idle connections are reused last-in first-out, as Envoy's ready list.
    func mostRecentIdle() -> Int? {
        var best: Int?
        var bestSince: UInt64 = 0
        for (i, connection) in connections.enumerated() {
            if case .idle(let since) = connection.state, best == nil || since > bestSince {
                best = i
                bestSince = since
            }
        }
        return best
    }

    /// Puts a request on a ready connection, unless the `requests` breaker is full.
    mutating func dispatch(_ request: RequestID, onConnectionAt index: Int, breaker: inout CircuitBreaker,
                           actions: inout [Action]) {
        guard breaker.admit(.requests, priority: config.priority) else {
            actions.append(.failRequest(request, .overflow))
            return
        }
        connections[index].state = .busy(request)
        connections[index].requestsServed += 1
        actions.append(.dispatch(request, on: connections[index].id))
    }

    /// A connection is free: give it the oldest pending request, or let it idle.
    mutating func becameReady(at index: Int, breaker: inout CircuitBreaker, actions: inout [Action]) {
        while let request = popPending(breaker: &breaker) {
            dispatch(request, onConnectionAt: index, breaker: &breaker, actions: &actions)
            if case .busy = connections[index].state { return }
        }
        clock += 1
        connections[index].state = .idle(since: clock)
        if let timeout = config.idleTimeoutMs {
            actions.append(.scheduleIdleTimeout(connections[index].id, afterMs: timeout, token: clock))
        }
    }

    mutating func popPending(breaker: inout CircuitBreaker) -> RequestID? {
        guard pendingHead < pending.count else { return nil }
        let request = pending[pendingHead]
        pendingHead += 1
        if pendingHead == pending.count {
            pending.removeAll(keepingCapacity: true)
            pendingHead = 0
        }
        breaker.release(.pendingRequests, priority: config.priority)
        return request
    }

    /// One connecting connection per pending request (HTTP/1.1 carries one request at a time),
    /// within the `connections` breaker, except that a pool with no connection always gets one.
    mutating func createConnectionsForPending(breaker: inout CircuitBreaker, actions: inout [Action]) {
        while pendingCount > connectingCount {
            if breaker.admit(.connections, priority: config.priority) {
                openConnection(actions: &actions)
            } else if connections.isEmpty {
                breaker.forceAdmit(.connections, priority: config.priority)
                openConnection(actions: &actions)
            } else {
                return
            }
        }
    }

    private mutating func openConnection(actions: inout [Action]) {
        let id = ConnectionID(nextConnectionID)
        nextConnectionID += 1
        connections.append(Connection(id: id, state: .connecting))
        actions.append(.connect(id))
    }
}

extension HTTP1ConnectionPool {
    /// A new request for this endpoint.
    public mutating func requestArrived(_ request: RequestID, breaker: inout CircuitBreaker, actions: inout [Action]) {
        if let index = mostRecentIdle() {
            dispatch(request, onConnectionAt: index, breaker: &breaker, actions: &actions)
            return
        }
        guard breaker.admit(.pendingRequests, priority: config.priority) else {
            actions.append(.failRequest(request, .overflow))
            return
        }
        pending.append(request)
        createConnectionsForPending(breaker: &breaker, actions: &actions)
    }

    /// A pending request was abandoned by the downstream.
    public mutating func cancel(_ request: RequestID, breaker: inout CircuitBreaker) {
        guard let index = pending[pendingHead...].firstIndex(of: request) else { return }
        pending.remove(at: index)
        breaker.release(.pendingRequests, priority: config.priority)
    }

    public mutating func connected(_ id: ConnectionID, breaker: inout CircuitBreaker, actions: inout [Action]) {
        guard let index = connections.firstIndex(where: { $0.id == id }) else { return }
        becameReady(at: index, breaker: &breaker, actions: &actions)
    }

    /// Connecting failed: Envoy fails every pending request so the router can retry elsewhere.
    public mutating func connectFailed(_ id: ConnectionID, breaker: inout CircuitBreaker, actions: inout [Action]) {
        guard let index = connections.firstIndex(where: { $0.id == id }) else { return }
        connections.remove(at: index)
        breaker.release(.connections, priority: config.priority)
        while let request = popPending(breaker: &breaker) {
            actions.append(.failRequest(request, .connectionFailure))
        }
    }

    /// The response on `id` completed; `reusable` is false for `Connection: close` / HTTP/1.0.
    public mutating func responseCompleted(on id: ConnectionID, reusable: Bool, breaker: inout CircuitBreaker,
                                           actions: inout [Action]) {
        guard let index = connections.firstIndex(where: { $0.id == id }),
              case .busy = connections[index].state else { return }
        breaker.release(.requests, priority: config.priority)
        let exhausted = config.maxRequestsPerConnection.map { connections[index].requestsServed >= $0 } ?? false
        if !reusable || exhausted {
            connections.remove(at: index)
            breaker.release(.connections, priority: config.priority)
            actions.append(.closeConnection(id))
            createConnectionsForPending(breaker: &breaker, actions: &actions)
            return
        }
        becameReady(at: index, breaker: &breaker, actions: &actions)
    }

    /// The connection closed (peer close, reset, read error). A request on it is terminated.
    public mutating func connectionClosed(_ id: ConnectionID, breaker: inout CircuitBreaker, actions: inout [Action]) {
        guard let index = connections.firstIndex(where: { $0.id == id }) else { return }
        let state = connections[index].state
        if state == .connecting {
            connectFailed(id, breaker: &breaker, actions: &actions)
            return
        }
        connections.remove(at: index)
        breaker.release(.connections, priority: config.priority)
        if case .busy(let request) = state {
            breaker.release(.requests, priority: config.priority)
            actions.append(.failRequest(request, .connectionTerminated))
        }
        createConnectionsForPending(breaker: &breaker, actions: &actions)
    }

    /// An idle timer fired; stale tokens (the connection was used since) are ignored.
    public mutating func idleTimeoutFired(_ id: ConnectionID, token: UInt64, breaker: inout CircuitBreaker,
                                          actions: inout [Action]) {
        guard let index = connections.firstIndex(where: { $0.id == id }),
              connections[index].state == .idle(since: token) else { return }
        connections.remove(at: index)
        breaker.release(.connections, priority: config.priority)
        actions.append(.closeConnection(id))
    }

    /// Close every idle connection (drain on cluster removal or endpoint ejection).
    public mutating func closeIdleConnections(breaker: inout CircuitBreaker, actions: inout [Action]) {
        connections.removeAll { connection in
            guard case .idle = connection.state else { return false }
            breaker.release(.connections, priority: config.priority)
            actions.append(.closeConnection(connection.id))
            return true
        }
    }
}

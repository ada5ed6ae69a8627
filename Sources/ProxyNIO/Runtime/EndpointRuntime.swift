import NIOCore
import ProxyCore

/// One upstream endpoint on one worker: its address and idle keep-alive
/// connections. Event-loop confined.
final class EndpointRuntime {
    let address: SocketAddress
    /// `host:port`, for logs and `x-envoy-upstream-host`-style reporting.
    let label: String
    /// `label` as bytes, for `%UPSTREAM_HOST%` without building a String.
    let labelBytes: [UInt8]
    private(set) var idle: [UpstreamHTTP1Handler] = []
    /// Idle connections that carry mirrored copies (kept apart: nobody reads their
    /// responses into a client).
    var shadowIdle: [ShadowUpstreamHandler] = []
    /// Open HTTP/1.1 connections (idle or leased).
    private(set) var openConnections = 0
    /// The circuit breaker of the endpoint's cluster, whose max_connections
    /// counts these connections together with the cluster's tcp_proxy connections.
    let resources: ClusterResources
    /// The cluster's circuit breakers as they apply to this endpoint's HTTP/1.1 pool
    /// here: its connections and the requests waiting for one (EndpointRuntime+Gate).
    var gate = HTTPUpstreamGate<DownstreamHTTP1Handler>()
    /// Exchanges in flight, for the least-request balancer.
    var activeRequests: UInt64 = 0
    /// Position in its cluster's endpoint list (`LBEndpoint.index`, the outlier detector's
    /// index); set each time the cluster is rebuilt.
    var index = 0
    /// The endpoint's HTTP/2 connection when its cluster speaks HTTP/2 upstream.
    var http2: UpstreamHTTP2Connection?
    /// TLS towards this endpoint (the cluster's transport socket, or the one its
    /// metadata picks from transport_socket_matches); nil: plain TCP.
    var tls: UpstreamTLSRuntime? {
        // Connections made with other TLS settings never go back to the pool.
        didSet { if !UpstreamTLSRuntime.same(oldValue, tls) { tlsGeneration &+= 1 } }
    }
    private(set) var tlsGeneration = 0

    init(address: SocketAddress, label: String, resources: ClusterResources) {
        self.address = address
        self.resources = resources
        self.label = label
        self.labelBytes = Array(label.utf8)
        idle.reserveCapacity(16)
    }

    /// A connection the gate did not admit (a mirror's, a replay's) is being opened,
    /// counted past the limit if need be; or an HTTP/2 `stream` (the HTTP/2 connection
    /// under it counts itself).
    func connectionOpened(stream: Bool = false) {
        openConnections += 1
        if !stream { resources.withBreaker { gate.connectionForced(breaker: &$0) } }
    }

    /// A connection the gate admitted (`.connect`) is being opened.
    func gatedConnectionOpened() {
        openConnections += 1
    }

    /// One opened by `connectionOpened` / `gatedConnectionOpened` is gone (its connect
    /// failed, or it closed): a request waiting for a connection may open one instead.
    func connectionClosed(stream: Bool = false) {
        openConnections -= 1
        guard !stream else { return }
        if let handoff = resources.withBreaker({ gate.connectionGone(breaker: &$0) }) { hand(handoff) }
    }

    /// Most recently used first: its socket is the warmest and least likely to
    /// have been closed by the upstream's idle timer.
    func takeIdle() -> UpstreamHTTP1Handler? {
        while let connection = idle.popLast() {
            if connection.isUsable { return connection }
        }
        return nil
    }

    func putIdle(_ connection: UpstreamHTTP1Handler) {
        guard connection.tlsGeneration == tlsGeneration else {
            connection.close()
            return
        }
        idle.append(connection)
        if gate.waitingCount > 0 { serveWaiters() }
    }

    func forget(_ connection: UpstreamHTTP1Handler) {
        if let index = idle.firstIndex(where: { $0 === connection }) { idle.remove(at: index) }
    }

    func closeIdle() {
        http2?.close()
        http2 = nil
        let connections = idle
        idle.removeAll()
        for connection in connections { connection.close() }
        let shadows = shadowIdle
        shadowIdle.removeAll()
        for connection in shadows { connection.close() }
    }

    func takeShadowIdle() -> ShadowUpstreamHandler? {
        while let connection = shadowIdle.popLast() {
            if connection.isUsable { return connection }
        }
        return nil
    }
}

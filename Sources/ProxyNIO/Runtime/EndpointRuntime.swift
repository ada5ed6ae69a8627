import NIOCore

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

    /// An HTTP/1.1 connection (or a mirror's) to this endpoint is being opened, or
    /// an HTTP/2 `stream` (the HTTP/2 connection under it counts itself).
    func connectionOpened(stream: Bool = false) {
        openConnections += 1
        if !stream { resources.withBreaker { $0.forceAdmit(.connections) } }
    }

    /// One opened by `connectionOpened` is gone (its connect failed, or it closed).
    func connectionClosed(stream: Bool = false) {
        openConnections -= 1
        // Never below zero: a slip in pairing must not stop the proxy.
        if !stream { resources.withBreaker { if $0.count(.connections) > 0 { $0.release(.connections) } } }
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

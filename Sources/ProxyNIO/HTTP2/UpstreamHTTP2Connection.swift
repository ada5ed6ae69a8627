import NIOCore
import NIOHTTP2
import NIOPosix
import NIOSSL
import ProxyCore

/// The HTTP/2 connection of one endpoint on one worker (clusters with
/// `http2_protocol_options`): opened on first use, shared by every exchange as
/// streams, reopened after it closes. Each stream carries an
/// `UpstreamHTTP2StreamBridge` and a single-use `UpstreamHTTP1Handler`, so the
/// exchange handler leases a stream exactly as it leases an HTTP/1.1 connection.
/// Event-loop confined.
final class UpstreamHTTP2Connection {
    private let eventLoop: any EventLoop
    private let address: SocketAddress
    let options: HTTP2Options
    /// The cluster's circuit breaker: this connection holds one connection unit while open.
    private let resources: ClusterResources
    /// TLS for new connections (kept in step with the endpoint's).
    var tls: UpstreamTLSRuntime?
    /// The TLS identities of the open connection (own URI SAN, server's), for its streams.
    private var identities: (local: String, peer: String) = ("", "")
    private var channel: (any Channel)?
    private var connecting: EventLoopFuture<any Channel>?

    init(eventLoop: any EventLoop, address: SocketAddress, options: HTTP2Options, resources: ClusterResources) {
        self.eventLoop = eventLoop
        self.address = address
        self.options = options
        self.resources = resources
    }

    /// Whether a stream opened now goes straight onto an open connection (Envoy's
    /// ready client); otherwise it waits for the connect, pending.
    var isReady: Bool { channel?.isActive ?? false }

    /// A new stream channel, ready for the request.
    func openStream(timeoutNanos: Int64) -> EventLoopFuture<any Channel> {
        let connection: EventLoopFuture<any Channel>
        if let channel, channel.isActive {
            connection = eventLoop.makeSucceededFuture(channel)
        } else if let connecting {
            connection = connecting
        } else {
            connection = connect(timeoutNanos: timeoutNanos)
        }
        return connection.assumeIsolated().flatMap { channel -> EventLoopFuture<any Channel> in
            let promise = channel.eventLoop.makePromise(of: (any Channel).self)
            let identities = self.identities
            do {
                let multiplexer = try channel.pipeline.syncOperations.handler(type: NIOHTTP2Handler.self).syncMultiplexer()
                multiplexer.createStreamChannel(promise: promise) { stream in
                    stream.eventLoop.makeCompletedFuture {
                        let upstream = UpstreamHTTP1Handler()
                        upstream.singleExchange = true
                        upstream.tlsIdentities = identities
                        try stream.pipeline.syncOperations.addHandler(UpstreamHTTP2StreamBridge())
                        try stream.pipeline.syncOperations.addHandler(upstream)
                    }
                }
            } catch {
                promise.fail(error)
            }
            return promise.futureResult
        }.nonisolated()
    }

    private func connect(timeoutNanos: Int64) -> EventLoopFuture<any Channel> {
        var connectionConfig = NIOHTTP2Handler.ConnectionConfiguration()
        connectionConfig.initialSettings = options.settings(maxHeaderListSize: 60 * 1024) + [HTTP2Setting(parameter: .enablePush, value: 0)]
        connectionConfig.targetWindowSize = HTTP2DownstreamPipeline.connectionWindow
        var streamConfig = NIOHTTP2Handler.StreamConfiguration()
        streamConfig.targetWindowSize = options.initialStreamWindowSize
        let (connectionSettings, streamSettings) = (connectionConfig, streamConfig)
        let future = UpstreamTLSConnector.connect(eventLoop: eventLoop, address: address, tls: tls, timeoutNanos: timeoutNanos) { pipeline in
            // The upstream may not open streams towards the proxy (no push).
            _ = try pipeline.configureHTTP2Pipeline(
                mode: .client, connectionConfiguration: connectionSettings, streamConfiguration: streamSettings
            ) { stream in stream.close() }
            try pipeline.addHandler(HTTP2ConnectionErrorHandler())
        }
        connecting = future
        let resources = self.resources
        resources.withBreaker { $0.forceAdmit(.connections) }
        future.assumeIsolated().whenComplete { result in
            self.connecting = nil
            guard case .success(let channel) = result else {
                resources.releaseConnection()
                return
            }
            channel.closeFuture.whenComplete { _ in resources.releaseConnection() }
            self.channel = channel
            if let tls = self.tls, let client = try? channel.pipeline.syncOperations.handler(type: NIOSSLClientHandler.self) {
                let peer = client.peerCertificate.map(SubjectAltNames.of)?.first { $0.kind == .uri }?.value ?? ""
                self.identities = (tls.localURISAN, peer)
            }
            try? channel.pipeline.syncOperations.addHandler(UpstreamHTTP2GoAwayWatcher(connection: self))
        }
        return future
    }

    /// The peer sent GOAWAY on `channel`: new streams go to a new connection; the
    /// old one closes once the peer is done with its streams.
    func retire(_ channel: any Channel) {
        if self.channel === channel { self.channel = nil }
    }

    func close() {
        channel?.close(promise: nil)
        channel = nil
    }
}

extension EndpointRuntime {
    /// Switches the endpoint to HTTP/2 (options given) or HTTP/1.1 (nil), keeping
    /// an open HTTP/2 connection whose options did not change.
    func useHTTP2(_ options: HTTP2Options?, eventLoop: any EventLoop) {
        guard let options else {
            http2?.close()
            http2 = nil
            return
        }
        if let http2, http2.options == options {
            http2.tls = tls
            return
        }
        http2?.close()
        http2 = UpstreamHTTP2Connection(eventLoop: eventLoop, address: address, options: options, resources: resources)
        http2!.tls = tls
    }
}

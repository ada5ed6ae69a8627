import NIOCore
import NIOPosix
import NIOSSL
import ProxyCore

/// Opens upstream connections, with TLS when the endpoint's transport socket
/// says so. A TLS connection counts as connected only once its handshake (and
/// the SAN check) succeeded: a failure is a connect failure (Envoy's UF), with
/// Envoy's transport failure reason.
enum UpstreamTLSConnector {
    static func connect(eventLoop: any EventLoop, address: SocketAddress, tls: UpstreamTLSRuntime?, timeoutNanos: Int64,
                        handlers: @escaping @Sendable (ChannelPipeline.SynchronousOperations) throws -> Void) -> EventLoopFuture<any Channel> {
        let bootstrap = ClientBootstrap(group: eventLoop)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .connectTimeout(.nanoseconds(timeoutNanos > 0 ? timeoutNanos : 5_000_000_000))
        guard let tls else {
            return bootstrap.channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try handlers(channel.pipeline.syncOperations) }
            }.connect(to: address)
        }
        guard let context = tls.context else {
            return eventLoop.makeFailedFuture(UpstreamTLSFailure(reason: tls.failure ?? "no TLS context"))
        }
        let outcome = HandshakeOutcome(promise: eventLoop.makePromise())
        let serverName = tls.serverName
        let matchers = tls.subjectAltNames
        let connected = bootstrap.channelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                let client = try NIOSSLClientHandler(context: context, serverHostname: serverName)
                try channel.pipeline.syncOperations.addHandler(client)
                try channel.pipeline.syncOperations.addHandler(UpstreamTLSHandshakeWatcher(tls: client, subjectAltNames: matchers, outcome: outcome))
                try handlers(channel.pipeline.syncOperations)
            }
        }.connect(to: address)
        connected.whenFailure { outcome.finish(.failure($0)) }
        let localURISAN = tls.localURISAN
        return connected.flatMap { channel in
            outcome.promise.futureResult.map {
                UpstreamTLSConnector.notePeer(channel, local: localURISAN, peer: outcome.peerURISAN)
                return channel
            }.flatMapErrorThrowing { error in
                channel.close(promise: nil)
                throw error
            }
        }
    }
}

extension UpstreamTLSConnector {
    /// Hands the TLS identities to the connection's HTTP/1.1 handler (Istio's
    /// source-side principals); HTTP/2 connections keep them for their streams.
    static func notePeer(_ channel: any Channel, local: String, peer: String) {
        if let handler = try? channel.pipeline.syncOperations.handler(type: UpstreamHTTP1Handler.self) {
            handler.tlsIdentities = (local, peer)
        }
    }
}

/// Why an upstream TLS connection failed, in Envoy's words (`TLS_error:|...:TLS_error_end`).
struct UpstreamTLSFailure: Error, CustomStringConvertible, Sendable {
    let reason: String
    var description: String { reason }
}

/// Completes a handshake promise once, from whichever of connect failure,
/// handshake result or close comes first. Confined to the connection's event
/// loop (the promise's), so the flag needs no lock.
final class HandshakeOutcome: @unchecked Sendable {
    let promise: EventLoopPromise<Void>
    private var done = false
    /// The server certificate's first URI SAN, once the handshake succeeded.
    var peerURISAN = ""

    init(promise: EventLoopPromise<Void>) {
        self.promise = promise
    }

    func finish(_ result: Result<Void, any Error>) {
        guard !done else { return }
        done = true
        promise.completeWith(result)
    }
}

import NIOCore
import NIOPosix
import ProxyCore
import Testing
@testable import ProxyNIO

/// Reads until the client's FIN, then answers with what it got and closes.
final class ReplyAtEOFHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    private var received = ""

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        received += String(buffer: unwrapInboundIn(data))
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard case ChannelEvent.inputClosed = event else { return context.fireUserInboundEventTriggered(event) }
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: "got: \(received)"))).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }
}

/// tcp_proxy half-close on real sockets, through a TLS-terminating chain (the
/// client's close_notify and FIN reach the upstream as a FIN; the reply comes back)
/// and sidecar to sidecar over mutual TLS (FIN -> close_notify -> FIN).
@Suite(.serialized, .enabled(if: TestCertificates.available, "needs the openssl CLI"))
struct TCPHalfCloseTests {
    @Test func aTLSClientsFINReachesThePlainUpstreamAndTheReplyComesBack() async throws {
        let mesh = try TLSTestMesh()
        defer { withExtendedLifetime(mesh) {} }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let upstream = try await Self.replyAtEOFUpstream(group)
        var config = EmbeddedProxy.config(endpoints: [EndpointSet.Endpoint(host: "127.0.0.1", port: upstream.localAddress!.port!)])
        config.listeners = [Self.tlsTCPListener(mesh, requireClientCertificate: false)]
        let server = try await ProxyServer(group: group, config: config)
        let port = try await server.start(config: config)[0].address.port!

        let client = try await TLSTestClient(group: group, port: port, trusting: mesh.root)
        #expect(try await client.sendAndHalfClose("hello") == "got: hello")

        try await server.shutdown()
        try await upstream.close()
        try await group.shutdownGracefully()
    }

    @Test func aFINCrossesTwoProxiesOverMutualTLS() async throws {
        let mesh = try TLSTestMesh()
        defer { withExtendedLifetime(mesh) {} }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let upstream = try await Self.replyAtEOFUpstream(group)
        // The server side: mTLS terminated, a tcp_proxy to the plain upstream.
        var inbound = EmbeddedProxy.config(endpoints: [EndpointSet.Endpoint(host: "127.0.0.1", port: upstream.localAddress!.port!)])
        inbound.listeners = [Self.tlsTCPListener(mesh, requireClientCertificate: true)]
        let serverSide = try await ProxyServer(group: group, config: inbound)
        let inboundPort = try await serverSide.start(config: inbound)[0].address.port!
        // The client side: a plain tcp_proxy listener whose cluster speaks mTLS to the server side.
        var outbound = try UpstreamTLSTests.config([EndpointSet.Endpoint(host: "127.0.0.1", port: inboundPort)], socket: .tls(UpstreamTLSTests.mutual(mesh)))
        outbound.listeners = [ListenerConfig(name: "tcp", host: "127.0.0.1", port: 0, chain: .tcp(TCPProxyConfig(statPrefix: "tcp", target: .cluster("backend"))))]
        let clientSide = try await ProxyServer(group: group, config: outbound)
        let port = try await clientSide.start(config: outbound)[0].address.port!

        let client = try BlockingClient(port: port)
        client.send("over mtls")
        client.shutdownWrite()
        #expect(client.receive { _ in false } == "got: over mtls")

        try await clientSide.shutdown()
        try await serverSide.shutdown()
        try await upstream.close()
        try await group.shutdownGracefully()
    }

    static func replyAtEOFUpstream(_ group: any EventLoopGroup) async throws -> any Channel {
        try await ServerBootstrap(group: group)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(ReplyAtEOFHandler()) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
    }

    /// A listener terminating TLS with the mesh's server certificate, a tcp_proxy to `backend`.
    static func tlsTCPListener(_ mesh: TLSTestMesh, requireClientCertificate: Bool) -> ListenerConfig {
        let tls = DownstreamTLSConfig(common: TLSContextConfig(
            certificates: [TLSCertificatePair(chain: .file(mesh.server.certificate), privateKey: .file(mesh.server.key))],
            validation: requireClientCertificate ? TLSContextConfig.Validation(trustedCA: .file(mesh.root), subjectAltNames: []) : nil),
            requireClientCertificate: requireClientCertificate)
        return ListenerConfig(name: "tls-tcp", host: "127.0.0.1", port: 0, direction: .inbound,
                              filterChains: [FilterChainConfig(chain: .tcp(TCPProxyConfig(statPrefix: "tcp", target: .cluster("backend"))), tls: tls)])
    }
}

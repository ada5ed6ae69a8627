import NIOCore
import NIOSSL
import NIOTLS
import ProxyCore

/// Sits behind the NIOSSLServerHandler of a TLS filter chain until the handshake
/// is done: checks the client certificate's SANs against the chain's matchers
/// (Envoy refuses the connection when none matches), records the peer's and the
/// proxy's identity, this hop's `x-forwarded-client-cert` element (chains that
/// write one) and the ALPN result in the connection's facts, installs the
/// chain's handler (HTTP/2 for "h2", HTTP/1.1 for "http/1.1", sniffing
/// otherwise; or the TCP proxy), hands it the held channelActive and leaves.
final class DownstreamTLSHandshakeHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    typealias Install = (ChannelPipeline.SynchronousOperations, any Channel, ConnectionFacts) throws -> Void

    private let tls: NIOSSLServerHandler
    private let subjectAltNames: [SubjectAltNameMatcher]
    private var facts: ConnectionFacts
    private let install: Install
    /// The chain writes `x-forwarded-client-cert` elements with these fields (nil: it does not).
    private let clientCertDetails: ClientCertDetails?
    private var done = false

    init(tls: NIOSSLServerHandler, runtime: DownstreamTLSRuntime, facts: ConnectionFacts, clientCertDetails: ClientCertDetails? = nil,
         install: @escaping Install) {
        self.tls = tls
        self.clientCertDetails = clientCertDetails
        self.subjectAltNames = runtime.subjectAltNames
        var facts = facts
        facts.tlsTerminated = true
        facts.localURISAN = runtime.localURISAN
        self.facts = facts
        self.install = install
    }

    func channelActive(context: ChannelHandlerContext) {
        // Held: the chain's handler sees channelActive once the handshake is done.
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard !done, case TLSUserEvent.handshakeCompleted(let negotiated)? = event as? TLSUserEvent else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        done = true
        if let peer = tls.peerCertificate {
            let names = SubjectAltNames.of(peer)
            guard SubjectAltNameMatcher.accepts(subjectAltNames, names) else {
                context.close(promise: nil)
                return
            }
            facts.mutualTLS = true
            facts.peerURISAN = names.first { $0.kind == .uri }?.value ?? ""
            if let clientCertDetails, let peerFacts = PeerCertificateReader.facts(peer) {
                facts.clientCertElement = ClientCertElement.make(localURISANs: facts.localURISAN.isEmpty ? [] : [facts.localURISAN],
                                                                 peer: peerFacts, details: clientCertDetails)
            }
        }
        facts.negotiatedProtocol = negotiated ?? ""
        do {
            try install(context.pipeline.syncOperations, context.channel, facts)
        } catch {
            context.close(promise: nil)
            return
        }
        context.fireChannelActive()
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        // NIOSSL delivers application data only after the handshake event.
        if done { context.fireChannelRead(data) }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A failed handshake (unknown CA, no client certificate, ...): Envoy closes.
        if done { context.fireErrorCaught(error) } else { context.close(promise: nil) }
    }
}

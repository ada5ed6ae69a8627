import NIOCore
import NIOSSL
import NIOTLS
import ProxyCore

/// Behind an upstream NIOSSLClientHandler: reports the handshake's outcome,
/// failing it when the server certificate's SANs match none of the cluster's
/// matchers (Envoy's "verify SAN list"), then leaves the pipeline.
final class UpstreamTLSHandshakeWatcher: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let tls: NIOSSLClientHandler
    private let subjectAltNames: [SubjectAltNameMatcher]
    private let outcome: HandshakeOutcome

    init(tls: NIOSSLClientHandler, subjectAltNames: [SubjectAltNameMatcher], outcome: HandshakeOutcome) {
        self.tls = tls
        self.subjectAltNames = subjectAltNames
        self.outcome = outcome
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard case TLSUserEvent.handshakeCompleted? = event as? TLSUserEvent else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        let names = tls.peerCertificate.map(SubjectAltNames.of) ?? []
        outcome.peerURISAN = names.first { $0.kind == .uri }?.value ?? ""
        if !subjectAltNames.isEmpty {
            guard SubjectAltNameMatcher.accepts(subjectAltNames, names) else {
                outcome.finish(.failure(UpstreamTLSFailure(reason: TLSFailureReason.sanMismatch)))
                context.close(promise: nil)
                return
            }
        }
        outcome.finish(.success(()))
        context.fireUserInboundEventTriggered(event)
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        outcome.finish(.failure(UpstreamTLSFailure(reason: TLSFailureReason.envoyText(error))))
        context.fireErrorCaught(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        outcome.finish(.failure(UpstreamTLSFailure(reason: TLSFailureReason.envoyText(NIOSSLError.uncleanShutdown))))
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        outcome.finish(.failure(ChannelError.ioOnClosedChannel))
    }
}

import NIOCore
import ProxyCore

/// The idle timer and half-close of a tcp_proxy connection: events go to the
/// TCPProxySession, its actions are carried out on the two channels.
extension TCPProxyHandler {
    /// The event loop's clock (an EmbeddedEventLoop's in tests).
    var now: Int64 { Int64(clamping: (context?.eventLoop.now ?? .now()).uptimeNanoseconds) }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard case ChannelEvent.inputClosed = event else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        // Envoy's network RBAC also runs on an end of stream without bytes.
        if !authorized {
            guard authorize(context) else { return }
        }
        perform(session.inputClosed(.downstream))
        // A socket that both received and sent its FIN closes itself; through TLS
        // the channel may stay open, so it is closed here (after what is queued).
        if session.isOutputClosed(.downstream) && !closed { Self.flushAndClose(context) }
    }

    /// The upstream sent its FIN.
    func upstreamInputClosed() {
        // Kept: closing the downstream below lets go of the relay.
        let relay = peer
        perform(session.inputClosed(.upstream))
        if session.isOutputClosed(.upstream) { relay?.flushAndClose() }
    }

    /// The upstream connection is gone.
    func upstreamClosed() {
        perform(session.closed(.upstream))
        peer = nil
    }

    /// Bytes were written to one of the connections.
    func noteActivity() {
        session.bytesMoved(nowNanos: now)
    }

    func perform(_ action: TCPProxySession.Action) {
        switch action {
        case .none:
            break
        case .armTimer(let deadline):
            guard let context else { return }
            idleTimer = context.eventLoop.assumeIsolated().scheduleTask(deadline: .uptimeNanoseconds(UInt64(max(0, deadline)))) { [weak self] in
                guard let self else { return }
                self.idleTimer = nil
                self.perform(self.session.timerFired(nowNanos: self.now))
            }
        case .shutdownOutput(.upstream):
            peer?.shutdownOutput()
        case .shutdownOutput(.downstream):
            guard let context, !closed else { return }
            context.close(mode: .output, promise: nil)
        case .flushAndClose(.upstream):
            peer?.flushAndClose()
            peer = nil
        case .flushAndClose(.downstream):
            guard let context, !closed else { return }
            Self.flushAndClose(context)
        case .closeBoth:
            // Envoy's NoFlush close of both. An idle timeout sets no response
            // flag; the maximum duration sets DT.
            if session.timedOut == .maxDuration {
                flags.insert(.durationTimeout)
                counters.stats.maxDownstreamConnectionDuration += 1
            } else {
                counters.stats.idleTimeout += 1
            }
            peer?.closeNow()
            peer = nil
            context?.close(promise: nil)
        }
    }

    /// Closes `context`'s channel once what was written to it is out.
    static func flushAndClose(_ context: ChannelHandlerContext) {
        context.writeAndFlush(NIOAny(context.channel.allocator.buffer(capacity: 0))).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }
}

import NIOCore
import NIOSSL

/// The upstream end of a tcp_proxy connection: bytes go to the downstream
/// handler, writability is mirrored, and FINs, closes and written bytes are
/// reported to it (it runs the connection's TCPProxySession).
final class TCPRelayHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private(set) var context: ChannelHandlerContext?
    var peer: TCPProxyHandler?
    /// The cluster whose max_connections counts this connection, until it closes.
    var holding: ClusterResources?
    private var readPaused = false
    private var readPending = false
    private var closed = false
    private var inputClosed = false

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        // As Envoy's tcp_proxy: the upstream's FIN is passed on, not a close.
        try? context.channel.syncOptions?.setOption(.allowRemoteHalfClosure, value: true)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let peer else { return }
        peer.write(unwrapInboundIn(data))
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        peer?.flush()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard case ChannelEvent.inputClosed = event else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        inputClosed = true
        guard let peer else {
            context.close(promise: nil)
            return
        }
        peer.upstreamInputClosed()
    }

    func channelInactive(context: ChannelHandlerContext) {
        closed = true
        holding?.releaseConnection()
        holding = nil
        peer?.upstreamClosed()
        peer = nil
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A TLS peer's FIN without close_notify: Envoy reads it as end of stream
        // (the inputClosed event follows), not as an error.
        if case NIOSSLError.uncleanShutdown = error { return }
        context.close(promise: nil)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { peer?.resumeReading() } else { peer?.pauseReading() }
        context.fireChannelWritabilityChanged()
    }

    func read(context: ChannelHandlerContext) {
        if inputClosed { return }
        if readPaused { readPending = true } else { context.read() }
    }

    var isWritable: Bool { context?.channel.isWritable ?? false }

    /// Bytes from the client; their being written counts as activity.
    func write(_ buffer: ByteBuffer) {
        guard let context else { return }
        guard let peer, peer.session.tracksActivity else {
            context.write(wrapOutboundOut(buffer), promise: nil)
            return
        }
        let promise = context.eventLoop.makePromise(of: Void.self)
        promise.futureResult.assumeIsolated().whenSuccess { [weak peer] in peer?.noteActivity() }
        context.write(wrapOutboundOut(buffer), promise: promise)
    }

    func flush() { context?.flush() }

    func pauseReading() { readPaused = true }

    func resumeReading() {
        guard readPaused else { return }
        readPaused = false
        if readPending {
            readPending = false
            if !inputClosed { context?.read() }
        }
    }

    /// The client's FIN, passed on once its bytes are written.
    func shutdownOutput() {
        guard let context, !closed else { return }
        context.close(mode: .output, promise: nil)
    }

    /// Closes once what was written is out (the client went away, or this side is done).
    func flushAndClose() {
        guard let context, !closed else { return }
        peer = nil
        TCPProxyHandler.flushAndClose(context)
    }

    /// Closes now, dropping what is queued (the idle timeout).
    func closeNow() {
        peer = nil
        guard let context, !closed else { return }
        context.close(promise: nil)
    }
}

import NIOCore
import NIOSSL

/// The upstream end of a pooled HTTP/1.1 connection: hands bytes and events to
/// the downstream exchange that leases it, and returns to its endpoint's idle
/// list between exchanges. It also holds reads back while the downstream cannot
/// take more (backpressure).
final class UpstreamHTTP1Handler: ChannelDuplexHandler {
    /// Envoy's transport failure reason when the server refused the TLS session
    /// before answering anything (nil: no such refusal).
    var tlsRefusal: String?
    /// The endpoint's TLS generation this connection was opened with.
    var tlsGeneration = 0
    /// Upstream TLS identities (own URI SAN, server's URI SAN); empty without TLS.
    var tlsIdentities: (local: String, peer: String) = ("", "")
    /// Their security-label slot in the worker's TelemetryStore, once looked up.
    var securitySlot: Int32?

    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private(set) var context: ChannelHandlerContext?
    /// The exchange using this connection, nil while idle.
    var owner: DownstreamHTTP1Handler?
    /// Set when the connection joins an endpoint's pool.
    var endpoint: EndpointRuntime?
    /// Requests completed on this connection (a reused connection may be stale).
    var exchanges = 0
    /// An HTTP/2 stream: one exchange, never pooled.
    var singleExchange = false
    private var readPaused = false
    private var readPending = false
    private var closed = false

    var isUsable: Bool { !closed && context != nil && !singleExchange }

    /// `%UPSTREAM_LOCAL_ADDRESS%` (`ip:port`), built once per connection when a
    /// log first asks (an HTTP/2 stream reports its connection's).
    private(set) lazy var localAddressBytes: [UInt8] = context?.channel.localAddress?.accessLogBytes ?? []

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        if let owner {
            owner.upstreamRead(buffer)
        } else {
            // Bytes on an idle connection: nothing can be waiting for them.
            close()
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        owner?.upstreamReadComplete()
    }

    func channelInactive(context: ChannelHandlerContext) {
        closed = true
        endpoint?.forget(self)
        endpoint?.connectionClosed(stream: singleExchange)
        endpoint = nil
        if let owner {
            self.owner = nil
            owner.upstreamClosed(self)
        }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A TLS alert before any response (the server refused our certificate).
        if exchanges == 0, error is BoringSSLError || error is NIOSSLError { tlsRefusal = TLSFailureReason.envoyText(error) }
        close()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        owner?.upstreamWritabilityChanged(writable: context.channel.isWritable)
        context.fireChannelWritabilityChanged()
    }

    func read(context: ChannelHandlerContext) {
        if readPaused {
            readPending = true
        } else {
            context.read()
        }
    }

    // MARK: used by the downstream exchange

    var isWritable: Bool { context?.channel.isWritable ?? false }

    @inline(__always) func write(_ buffer: ByteBuffer) {
        context?.write(wrapOutboundOut(buffer), promise: nil)
    }

    @inline(__always) func flush() {
        context?.flush()
    }

    func pauseReading() {
        readPaused = true
    }

    func resumeReading() {
        guard readPaused else { return }
        readPaused = false
        if readPending {
            readPending = false
            context?.read()
        }
    }

    func close() {
        guard !closed, let context else { return }
        closed = true
        context.close(promise: nil)
    }
}

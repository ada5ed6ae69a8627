import NIOCore
import ProxyCore

/// The upstream end of a mirrored (shadow) request: reads the response only to
/// count it (`upstream_rq_<code>` of the mirror cluster) and to know when the
/// connection can take the next copy; the bytes are discarded. Never reads back
/// into the primary exchange. Event-loop confined.
final class ShadowUpstreamHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    enum Phase { case idle, head, body(BodyTracker), done }

    private(set) var context: ChannelHandlerContext?
    var endpoint: EndpointRuntime?
    var counters: ClusterCounters?
    private let parser = HTTP1ResponseParser()
    private var head = HTTP1ResponseHead()
    private var inbound: ByteBuffer?
    private(set) var phase = Phase.idle
    private var requestWasHead = false
    /// The whole copy was written: only then may the connection carry another.
    var requestComplete = false
    private var reusable = true
    private var closed = false
    /// Copies carried so far; a copy's timer knows its own by this.
    private(set) var generation = 0

    var isUsable: Bool { !closed && context != nil }
    var isWritable: Bool { context?.channel.isWritable ?? false }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }
    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    /// A new copy starts on this connection.
    func begin(counters: ClusterCounters, requestWasHead: Bool) {
        generation += 1
        self.counters = counters
        self.requestWasHead = requestWasHead
        requestComplete = false
        reusable = true
        phase = .head
        inbound = nil
    }

    func write(_ buffer: ByteBuffer) {
        context?.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        if inbound == nil { inbound = buffer } else { inbound!.writeBuffer(&buffer) }
        while var bytes = inbound, bytes.readableBytes > 0 {
            inbound = nil
            switch phase {
            case .head:
                let parsed: Bool? = bytes.withUnsafeReadableBytes { try? parser.parse($0, requestWasHead: requestWasHead, into: &head) }
                guard let complete = parsed else { return close() }
                guard complete else { inbound = bytes; return }
                bytes.moveReaderIndex(forwardBy: head.length)
                if head.isInformational { break }
                counters?.stats.recordStatus(head.status)
                if head.willClose { reusable = false }
                let tracker = BodyTracker(head.framing)
                phase = tracker.isDone ? .done : .body(tracker)
            case .body(var tracker):
                guard let count = bytes.withUnsafeReadableBytes({ try? tracker.consume($0) }) else { return close() }
                bytes.moveReaderIndex(forwardBy: count)
                phase = tracker.isDone ? .done : .body(tracker)
            case .idle, .done:
                return close()
            }
            if case .done = phase { return finished(extra: bytes.readableBytes > 0) }
            if bytes.readableBytes > 0 { inbound = bytes }
        }
    }

    /// The response is through: the connection waits for the next copy, or goes.
    private func finished(extra: Bool) {
        phase = .idle
        counters = nil
        if reusable, !extra, requestComplete, isUsable, let endpoint {
            endpoint.shadowIdle.append(self)
        } else {
            close()
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        closed = true
        if let endpoint, let index = endpoint.shadowIdle.firstIndex(where: { $0 === self }) { endpoint.shadowIdle.remove(at: index) }
        // Cut before its status: the router would have made it a 503.
        if case .head = phase { counters?.stats.recordStatus(503) }
        phase = .idle
        context.fireChannelInactive()
    }

    /// Whether a copy is on this connection and its status has not arrived.
    var awaitingResponse: Bool {
        if case .head = phase { return true }
        if case .body = phase { return true }
        return false
    }

    var awaitingStatus: Bool {
        if case .head = phase { return true }
        return false
    }

    /// The copy was dropped on purpose: no status is charged for it.
    func abandon() {
        phase = .idle
        counters = nil
        close()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) { close() }

    func close() {
        guard !closed, let context else { return }
        closed = true
        context.close(promise: nil)
    }
}

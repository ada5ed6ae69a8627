import NIOCore
import ProxyCore

/// First handler of a connection on a listener with several filter chains (or
/// one with conditions): learns what the chains match on - addresses from the
/// socket, and with the TLS / HTTP inspectors the ClientHello's SNI and ALPN or
/// the plaintext HTTP version, peeked by holding the bytes back (`ConnectionInspector`)
/// - picks the chain as Envoy does, puts that chain's handler after itself,
/// replays the held bytes to it untouched and leaves.
/// No chain (and no default): the connection is closed, as Envoy does, and the
/// listener's access logs get its line (flag NR); a connection the listener
/// filters close, or whose client leaves first, gets one without a flag.
final class FilterChainSelectionHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    let worker: WorkerRuntime
    let listener: SelectingListenerRuntime
    private var facts = ConnectionFacts()
    private var inspector: ConnectionInspector
    private var held: ByteBuffer?
    private var timeout: Scheduled<Void>?
    private var decided = false
    /// Accepted at (event-loop uptime), for the listener log's duration.
    private var startNanos: Int64 = 0

    /// Facts of a redirected connection (its original destination); nil: from the socket.
    private let given: ConnectionFacts?

    init(worker: WorkerRuntime, listener: SelectingListenerRuntime, destination given: ConnectionFacts? = nil) {
        self.worker = worker
        self.listener = listener
        self.given = given
        self.inspector = listener.inspector
    }

    func channelActive(context: ChannelHandlerContext) {
        facts = given ?? ConnectionFacts.of(context.channel)
        startNanos = Self.uptimeNanos(context)
        inspector = inspector.starting(destinationPort: facts.destinationPort)
        guard inspector.waitsForBytes else {
            choose(context: context)
            return
        }
        // channelActive is held back until a chain is chosen: the chain's handler
        // (a tcp_proxy connects upstream on it) sees it then.
        let inspection = listener.config.inspection
        if inspection.timeoutNanos > 0 {
            timeout = context.eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(inspection.timeoutNanos)) { [self] in
                timedOut(context: context)
            }
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        guard !decided else {
            context.fireChannelRead(data)
            return
        }
        if held == nil { held = buffer } else { held!.writeBuffer(&buffer) }
        let step = held!.withUnsafeReadableBytes { inspector.inspect($0, facts: &facts) }
        switch step {
        case .needMoreBytes:
            return
        case .close:
            decided = true
            logUnserved(context: context, noChain: false)
            close(context: context)
        case .choose:
            choose(context: context)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        // Swallowed while inspecting: nothing has been passed on yet.
        if decided { context.fireChannelReadComplete() }
    }

    func channelInactive(context: ChannelHandlerContext) {
        timeout?.cancel()
        timeout = nil
        // The client left while the listener filters waited for its bytes.
        if !decided { logUnserved(context: context, noChain: false) }
        decided = true
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private func timedOut(context: ChannelHandlerContext) {
        timeout = nil
        guard !decided else { return }
        switch inspector.timedOut() {
        case .choose, .needMoreBytes:
            choose(context: context)
        case .close:
            decided = true
            logUnserved(context: context, noChain: false)
            close(context: context)
        }
    }

    private func close(context: ChannelHandlerContext) {
        timeout?.cancel()
        timeout = nil
        // Envoy's listener filters only peek: it closes with the client's bytes unread.
        let unread = (held?.readableBytes ?? 0) > 0
        held = nil
        if unread { context.channel.closeResetting() } else { context.close(promise: nil) }
    }

    private func choose(context: ChannelHandlerContext) {
        decided = true
        timeout?.cancel()
        timeout = nil
        guard let (index, _) = listener.config.chain(for: facts) else {
            logUnserved(context: context, noChain: true)
            close(context: context)
            return
        }
        if let name = inspector.serverNameAfterSelection { facts.serverName = name }
        do {
            try listener.install(chain: index, worker: worker, facts: facts, pipeline: context.pipeline.syncOperations, after: self)
        } catch {
            close(context: context)
            return
        }
        context.fireChannelActive()
        if let held {
            self.held = nil
            context.fireChannelRead(wrapInboundOut(held))
            context.fireChannelReadComplete()
        }
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    /// The listener's access-log line for a connection no chain took: Envoy's
    /// stream info then has the addresses, the SNI the TLS inspector saw, the
    /// time since accept, no bytes (peeked bytes are not counted) and, when no
    /// chain matched, flag NR with details `filter_chain_not_found`.
    private func logUnserved(context: ChannelHandlerContext, noChain: Bool) {
        guard !listener.accessLogs.isEmpty else { return }
        var record = TCPAccessLogFacts()
        record.durationNanos = max(0, Self.uptimeNanos(context) - startNanos)
        record.startEpochNanos = DownstreamHTTP1Handler.wallClockNanos() - record.durationNanos
        if noChain {
            record.flags = .noRouteFound
            record.responseCodeDetails = TCPAccessLogFacts.filterChainNotFound
        }
        record.setDownstream(facts, channel: context.channel)
        for log in listener.accessLogs { log.write(record, worker: worker) }
    }

    private static func uptimeNanos(_ context: ChannelHandlerContext) -> Int64 {
        Int64(clamping: context.eventLoop.now.uptimeNanoseconds)
    }
}

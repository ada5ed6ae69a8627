import NIOCore
import NIOSSL
import ProxyCore

/// Envoy's tcp_proxy for one downstream connection: picks a cluster (weighted) and
/// an endpoint, connects on the same event loop, then relays bytes both ways with
/// backpressure. Its TCPConnectStateMachine decides on circuit breakers and connect
/// attempts (TCPProxyHandler+Connect.swift); its TCPProxySession on the idle timeout
/// and half-close (TCPProxyHandler+Session.swift): a FIN is passed on, a connection
/// that goes away closes the other once its bytes are out.
final class TCPProxyHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let worker: WorkerRuntime
    let config: TCPProxyConfig
    private(set) var context: ChannelHandlerContext?
    var peer: TCPRelayHandler?
    var session: TCPProxySession
    var connecting: TCPConnectStateMachine
    /// The cluster and endpoint of the current (last) connect attempt.
    var attemptCluster: ClusterRuntime?
    var attemptEndpoint: EndpointRuntime?
    /// `tcp.<stat_prefix>.*` counters.
    let counters: TCPProxyCounters
    var idleTimer: Scheduled<Void>?
    /// Bytes read before the upstream connection is up.
    private(set) var pending: ByteBuffer?
    private var readPaused = false
    private var readPending = false
    private(set) var closed = false
    /// Istio's TCP metrics: the listener's scope, the picked cluster's service,
    /// bytes each way and why the connection ended.
    private let telemetryScope: Int32
    var telemetryService: Int32 = 0
    private(set) var telemetryOpened = false
    private(set) var receivedBytes = 0
    /// Bytes in `pending` not counted in `receivedBytes` yet.
    private var uncountedBytes = 0
    private(set) var sentBytes = 0
    var flags: ResponseFlags = []
    /// Access logs (TCPProxyHandler+AccessLog.swift): written once, when the
    /// connection ends, from what is noted here on the way (no per-byte work).
    let accessLogs: [AccessLogRuntime]
    private(set) var startNanos: Int64 = 0
    /// The cluster and endpoint picked (shared arrays: assigning them copies nothing).
    var upstreamClusterName: [UInt8] = []
    var upstreamHostLabel: [UInt8] = []
    /// Noted only when there are access logs.
    private(set) var upstreamLocal: [UInt8] = []
    var upstreamFailureReason: [UInt8] = []
    private(set) var terminationDetails: [UInt8] = []
    /// Network RBAC (ONE_TIME_ON_FIRST_BYTE) has passed; true when there is none.
    private(set) var authorized: Bool


    /// The downstream connection's facts (TLS peer identity for Istio's labels).
    let connection: ConnectionFacts
    private let securitySlot: Int32

    init(worker: WorkerRuntime, config: TCPProxyConfig, telemetryScope: Int32 = 0, connection: ConnectionFacts = ConnectionFacts(),
         accessLogs: [AccessLogRuntime] = []) {
        self.worker = worker
        self.accessLogs = accessLogs
        self.config = config
        self.telemetryScope = telemetryScope
        self.connection = connection
        let reporter = worker.telemetry.reporter(ofScope: telemetryScope)
        self.securitySlot = worker.telemetry.slot(forConnection: connection, reporter: reporter)
        self.authorized = config.rbac.isEmpty
        self.session = TCPProxySession(idleTimeoutNanos: config.idleTimeoutNanos, maxDurationNanos: config.maxDownstreamConnectionDurationNanos)
        self.connecting = TCPConnectStateMachine(maxAttempts: config.maxConnectAttempts)
        self.counters = worker.tcpProxyCounters(statPrefix: config.statPrefix)
    }

    /// Envoy's network RBAC runs when the client's first bytes arrive, before
    /// tcp_proxy sees them: a denial closes the connection and nothing reaches
    /// the upstream.
    func authorize(_ context: ChannelHandlerContext) -> Bool {
        var facts = AuthzConnection(connection)
        let channel = DownstreamHTTP1Handler.connectionFacts(context.channel)
        if facts.directRemote == nil { facts.directRemote = channel.directRemote }
        if facts.local == nil {
            facts.local = channel.local
            facts.localPort = channel.localPort
        }
        let input = AuthzInput(connection: facts)
        for filter in config.rbac {
            let verdict = filter.evaluate(input)
            guard !verdict.allowed else { continue }
            // Envoy's network RBAC: %CONNECTION_TERMINATION_DETAILS% names the policy.
            if !accessLogs.isEmpty, let enforced = verdict.enforced { terminationDetails = Array(enforced.responseCodeDetails.utf8) }
            context.close(promise: nil)
            return false
        }
        authorized = true
        return true
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        // As Envoy's tcp_proxy: the client's FIN is passed on, not a close.
        try? context.channel.syncOptions?.setOption(.allowRemoteHalfClosure, value: true)
    }

    func channelActive(context: ChannelHandlerContext) {
        counters.stats.downstreamConnectionTotal += 1
        startNanos = now
        perform(session.start(nowNanos: startNanos))
        // Nothing is read until the upstream is connected.
        readPaused = true
        advance(connecting.start())
        recordOpened()
        // Not when the connect attempt already gave up and closed the connection.
        if context.channel.isActive { context.fireChannelActive() }
    }

    /// Istio's TCP opened count, once the first cluster is known (before any close).
    func recordOpened() {
        guard !telemetryOpened else { return }
        telemetryOpened = true
        worker.telemetry.recordTCPOpened(scope: telemetryScope, service: telemetryService, security: securitySlot)
    }

    func attach(_ relay: TCPRelayHandler) {
        peer = relay
        relay.peer = self
        if !accessLogs.isEmpty, let local = relay.context?.channel.localAddress { upstreamLocal = local.accessLogBytes }
        receivedBytes += uncountedBytes
        uncountedBytes = 0
        if let pending {
            self.pending = nil
            relay.write(pending)
            relay.flush()
        }
        perform(session.upstreamConnected(nowNanos: now))
        resumeReading()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        // Counted as the connection reads them, as Envoy: a denied client's bytes
        // too (before the denial closes and logs). Bytes a listener filter held
        // back and replays before the upstream is up: Envoy's tcp_proxy reads
        // them only once it is connected, so they are counted then (attach).
        if peer == nil && authorized { uncountedBytes += buffer.readableBytes } else { receivedBytes += buffer.readableBytes }
        if !authorized {
            guard authorize(context) else { return }
        }
        session.bytesMoved(nowNanos: now)
        guard let peer else {
            if pending == nil { pending = buffer } else { pending!.writeBuffer(&buffer) }
            return
        }
        peer.write(buffer)
        if !peer.isWritable { pauseReading() }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        peer?.flush()
    }

    func channelInactive(context: ChannelHandlerContext) {
        if !closed {
            worker.telemetry.recordTCPClosed(scope: telemetryScope, service: telemetryService, flags: flags,
                                             sent: sentBytes, received: receivedBytes, security: securitySlot)
            if !accessLogs.isEmpty { writeAccessLogs(context.channel) }
        }
        closed = true
        connectingDownstreamClosed()
        idleTimer?.cancel()
        idleTimer = nil
        perform(session.closed(.downstream))
        peer = nil
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A TLS client's FIN without close_notify: Envoy reads it as end of stream
        // (the inputClosed event follows), not as an error.
        if case NIOSSLError.uncleanShutdown = error { return }
        context.close(promise: nil)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { peer?.resumeReading() } else { peer?.pauseReading() }
        context.fireChannelWritabilityChanged()
    }

    func read(context: ChannelHandlerContext) {
        if session.isInputClosed(.downstream) { return }
        if readPaused { readPending = true } else { context.read() }
    }

    // MARK: used by the upstream relay

    var isWritable: Bool { context?.channel.isWritable ?? false }

    /// Bytes from the upstream: received (activity now) and, once written, sent.
    func write(_ buffer: ByteBuffer) {
        guard let context else { return }
        sentBytes += buffer.readableBytes
        session.bytesMoved(nowNanos: now)
        if session.tracksActivity {
            let promise = context.eventLoop.makePromise(of: Void.self)
            promise.futureResult.assumeIsolated().whenSuccess { [weak self] in self?.noteActivity() }
            context.write(wrapOutboundOut(buffer), promise: promise)
        } else {
            context.write(wrapOutboundOut(buffer), promise: nil)
        }
        if !context.channel.isWritable { peer?.pauseReading() }
    }

    func flush() { context?.flush() }

    func pauseReading() { readPaused = true }

    func resumeReading() {
        guard readPaused else { return }
        readPaused = false
        if readPending {
            readPending = false
            if !session.isInputClosed(.downstream) { context?.read() }
        }
    }
}

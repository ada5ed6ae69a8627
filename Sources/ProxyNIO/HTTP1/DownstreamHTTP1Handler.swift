import NIOCore
import ProxyCore

/// The forwarding path for one downstream HTTP/1.1 connection: parses requests on
/// the received bytes, routes them, streams them to a pooled upstream connection
/// on the same event loop and streams the response back. One exchange at a time;
/// pipelined requests wait in `inbound` until the previous response is done.
///
/// Flushes are batched per read: writes made while handling a read are flushed in
/// `channelReadComplete` of the side that read.
final class DownstreamHTTP1Handler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    enum RequestPhase {
        case head
        case body(BodyTracker)
        case done
    }

    enum ResponsePhase {
        /// No exchange, or a local reply.
        case idle
        case head
        case body(BodyTracker)
        case done
    }

    let worker: WorkerRuntime
    let listener: ListenerRuntime
    var parser: HTTP1RequestParser
    let responseParser = HTTP1ResponseParser()
    var context: ChannelHandlerContext?

    var requestHead = HTTP1RequestHead()
    var responseHead = HTTP1ResponseHead()
    /// Downstream bytes not handled yet (a partial head, or pipelined requests).
    var inbound: ByteBuffer?
    /// Upstream bytes not handled yet (a partial response head).
    var upstreamInbound: ByteBuffer?
    /// Reused for the upstream request head; kept until the exchange ends so a
    /// request without body can be replayed on a fresh connection.
    var requestScratch: ByteBuffer
    var responseScratch: ByteBuffer

    var requestPhase = RequestPhase.head
    var responsePhase = ResponsePhase.idle
    /// Incremented per exchange: late connect results for an old exchange go to the pool.
    var exchangeID: UInt64 = 0
    var inExchange = false
    var selection: RouteTable.Selection?
    var weightedEntry: WeightedClusterEntry?
    var endpoint: EndpointRuntime?
    var currentCluster: ClusterRuntime?
    /// The route's (or virtual host's) retry policy; the state exists only after a failure.
    var retryPolicy: RetryPolicyConfig?
    /// This exchange's per-try timeout (the policy's or the caller's header); 0: none.
    var perTryTimeoutNanos: Int64 = 0
    var retryState: RetryStateMachine?
    var connectTimeoutNanos: Int64 = 0
    var routeTimeoutNanos: Int64 = 0
    var upstream: UpstreamHTTP1Handler?
    var waitingForConnection = false
    /// Where the exchange stands in its endpoint's pool gate (DownstreamHTTP1Handler+Pool).
    var poolWait = PoolWait.none
    /// The cluster whose `max_requests` slot the exchange holds.
    var requestSlot: ClusterResources?
    /// Request bytes produced before the upstream connection is ready.
    var pendingUpstream: ByteBuffer?
    /// The request body kept for a retry (DownstreamHTTP1Handler+RetryBody).
    var retryBody: ByteBuffer?
    var retryBodyKept = false
    var upstreamReusable = true
    var responseStarted = false
    var replayedOnFreshConnection = false
    var closeAfterResponse = false
    var requestWasHead = false
    var answeredContinue = false
    /// The current exchange is an allowed protocol upgrade (WebSocket).
    var upgrading = false
    /// Set by the HTTP/2 stream bridge for gRPC requests: local replies take gRPC's
    /// shape (DownstreamHTTP1Handler+GRPC).
    var grpcLocalReplies = false
    /// This handler serves one HTTP/2 stream behind a DownstreamHTTP2StreamBridge.
    var servesHTTP2Stream = false {
        // Envoy's HTTP/1 codec refuses unknown methods; its HTTP/2 codec does not.
        didSet { parser.knownMethodsOnly = !servesHTTP2Stream }
    }
    /// Istio's gRPC labels for the exchange, noted by the HTTP/2 bridge
    /// (TelemetryStore.notGRPC on the HTTP/1.1 path).
    var grpcResponseStatus = TelemetryStore.notGRPC
    var responseFlags: ResponseFlags = []
    /// Fault injection: the delay still to wait before this exchange goes on, and
    /// the reply to give after it (an injected abort, or a route's local reply).
    var faultDelayNanos: Int64 = 0
    var faultDeferredReply: LocalReply?
    var faultDelaying = false
    /// CORS header lines for this exchange's response (allowed origin), else empty.
    var corsLines: [UInt8] = []
    /// When the current exchange's route timeout expires (nil: none).
    var exchangeDeadline: NIODeadline?
    /// The current attempt's `per_try_timeout` (DownstreamHTTP1Handler+PerTryTimeout).
    var perTryTimer: Scheduled<Void>?
    var attemptSerial: UInt32 = 0
    var timeoutTimerArmed = false

    var needsDownstreamFlush = false
    var needsUpstreamFlush = false
    var processing = false
    var downstreamClosed = false
    /// Closing gracefully (`closeDownstreamGracefully`): the client's bytes are dropped.
    var draining = false
    var readPaused = false
    var readPending = false
    /// The peer's address as text, for `x-forwarded-for` in edge mode.
    var remoteAddressBytes: [UInt8] = []

    // Telemetry of the current exchange (DownstreamHTTP1Handler+Telemetry).
    var exchangeStartNanos: UInt64 = 0
    /// When the downstream request ended (0: not yet), for x-envoy-upstream-service-time.
    var requestDoneNanos: UInt64 = 0
    var responseCode = 0
    var requestHeadBytes = 0
    var requestBodyBytes = 0
    var responseHeadBytes = 0
    var responseBodyBytes = 0
    /// The peer workload (metadata exchange), 0: unknown.
    var peerSlot: Int32 = 0
    var telemetryService: Int32 = 0
    var requestCarriedPeerMetadata = false
    /// Only when the listener has an access log.
    var accessRecord: AccessLogRecord?
    /// What RBAC reads of this connection, gathered on first use.
    var authzConnection: AuthzConnection?
    /// jwt_authn's header changes for the current exchange's upstream request.
    var authnLines: [UInt8] = []
    var authnDrops: [[UInt8]] = []
    /// Tracing of the current exchange (DownstreamHTTP1Handler+Tracing); nil when
    /// the connection manager does not trace.
    var trace: ExchangeTrace?
    var traceGeneratedRequestID: String?
    var upstreamStartNanos: UInt64 = 0
    /// Mirrored copies of the current request still receiving its body.
    var shadows: [ShadowExchange] = []
    /// The downstream connection: addresses, SNI, and with TLS the peer's identity
    /// (what RBAC, Istio's security labels and the access log read).
    let connection: ConnectionFacts
    /// Slot of the connection's security labels in the worker's TelemetryStore.
    let securitySlot: Int32
    /// The source reporter's security labels for this exchange (its upstream's TLS).
    var upstreamSecuritySlot: Int32 = 0

    init(worker: WorkerRuntime, listener: ListenerRuntime, connection: ConnectionFacts = ConnectionFacts()) {
        self.worker = worker
        self.listener = listener
        self.connection = connection
        self.securitySlot = worker.telemetry.slot(forConnection: connection, reporter: listener.reporter)
        self.parser = HTTP1RequestParser(maxHeadBytes: listener.http.maxRequestHeadersBytes, knownMethodsOnly: true)
        let allocator = ByteBufferAllocator()
        requestScratch = allocator.buffer(capacity: 1024)
        responseScratch = allocator.buffer(capacity: 512)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if listener.http.useRemoteAddress, let ip = context.channel.remoteAddress?.ipAddress {
            remoteAddressBytes = Array(ip.utf8)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        // Closing gracefully: what the client still sends is read and dropped.
        if draining { return }
        var buffer = unwrapInboundIn(data)
        if inbound == nil {
            inbound = buffer
        } else {
            inbound!.writeBuffer(&buffer)
        }
        processInbound()
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        flushPending()
        context.fireChannelReadComplete()
    }

    func channelInactive(context: ChannelHandlerContext) {
        if inExchange {
            // The client left mid-exchange (DC) unless the proxy closed it itself.
            if !downstreamClosed { responseFlags.insert(.downstreamConnectionTermination) }
            inExchange = false
            recordExchange()
        }
        downstreamClosed = true
        if let upstream {
            // Mid-exchange: the upstream connection's state is unknown, so it goes.
            self.upstream = nil
            upstream.owner = nil
            upstream.close()
        }
        releaseRequestSlot()
        leavePool()
        cancelPerTryTimeout()
        if let endpoint {
            endpoint.activeRequests -= 1
            self.endpoint = nil
        }
        endMirrorsIfRequestDone()
        endMirrors(complete: false)
        inbound = nil
        upstreamInbound = nil
        pendingUpstream = nil
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            upstream?.resumeReading()
        } else {
            upstream?.pauseReading()
        }
        context.fireChannelWritabilityChanged()
    }

    func read(context: ChannelHandlerContext) {
        if readPaused {
            readPending = true
        } else {
            context.read()
        }
    }

    // MARK: helpers shared by the extensions

    @inline(__always) func writeDownstream(_ buffer: ByteBuffer) {
        guard let context else { return }
        context.write(wrapOutboundOut(buffer), promise: nil)
        needsDownstreamFlush = true
    }

    func flushPending() {
        if needsUpstreamFlush {
            needsUpstreamFlush = false
            upstream?.flush()
        }
        if needsDownstreamFlush {
            needsDownstreamFlush = false
            context?.flush()
        }
    }

    func pauseDownstreamReads() {
        readPaused = true
    }

    func resumeDownstreamReads() {
        guard readPaused else { return }
        readPaused = false
        if readPending {
            readPending = false
            context?.read()
        }
    }

    /// Flushes what is queued, then closes: local replies that end the connection
    /// must reach the client first.
    func closeDownstreamAfterFlush() {
        guard let context, !downstreamClosed else { return }
        downstreamClosed = true
        needsDownstreamFlush = false
        let promise = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(capacity: 0)), promise: promise)
        promise.futureResult.assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }
}

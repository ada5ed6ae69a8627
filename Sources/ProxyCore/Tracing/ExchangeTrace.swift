/// The tracing state of one HTTP exchange on a traced connection manager: the
/// incoming context (W3C first, then B3 single, then B3 headers), this proxy's
/// span ids, the sampling decision, and (only when sampled) the request facts the
/// spans are tagged with, copied out of the request bytes at the start.
public struct ExchangeTrace: Sendable {
    public var traceIDHigh: UInt64
    public var traceIDLow: UInt64
    /// The connection manager's span.
    public var spanID: UInt64
    /// The incoming span (0: this proxy starts the trace).
    public var parentSpanID: UInt64
    /// The router's span under `spanID` (0 without `spawn_upstream_span`).
    public var upstreamSpanID: UInt64
    public var sampled: Bool
    /// The connection manager's decision as the x-request-id records it (Envoy's
    /// UUID trace reason); a parent's flag may still decide the span.
    public var reason: TraceSampler.Reason
    public var b3: TraceHeaderWriter.B3Form
    /// Where the incoming `tracestate` value is, forwarded unchanged.
    public var traceState: ByteSpan
    public var request: RequestFacts?

    /// What the spans say about the request (copied only for sampled exchanges).
    public struct RequestFacts: Sendable, Equatable {
        public var method = ""
        public var authority = ""
        public var path = ""
        public var userAgent = "-"
        public var requestID = ""
        public var downstreamCluster = "-"
        public var traceState = ""
        /// Inbound: the caller's route decorator (`x-envoy-decorator-operation`),
        /// which names this proxy's span.
        public var operation: String?
        /// Custom tags with their values (literals and request headers).
        public var customTags: [(String, String)] = []

        public static func == (lhs: RequestFacts, rhs: RequestFacts) -> Bool {
            lhs.method == rhs.method && lhs.authority == rhs.authority && lhs.path == rhs.path && lhs.userAgent == rhs.userAgent
                && lhs.requestID == rhs.requestID && lhs.traceState == rhs.traceState && lhs.operation == rhs.operation
                && lhs.customTags.elementsEqual(rhs.customTags) { $0 == $1 }
        }
    }

    static let userAgentName = Array("user-agent".utf8)
    static let downstreamClusterName = Array("x-envoy-downstream-service-cluster".utf8)

    /// Reads the request's trace headers and decides. `nextRandom` gives uniform
    /// 64-bit values (ids and the sampling roll).
    public static func begin(config: TracingConfig, bytes: UnsafeRawBufferPointer, head: HTTP1RequestHead,
                             nextRandom: () -> UInt64) -> ExchangeTrace {
        var traceparent = ByteSpan.empty, b3Single = ByteSpan.empty, state = ByteSpan.empty
        var b3TraceID = ByteSpan.empty, b3SpanID = ByteSpan.empty
        var b3Sampled: ByteSpan?, b3Flags: ByteSpan?
        var requestID = ByteSpan.empty, decorator = ByteSpan.empty
        // `x-envoy-force-trace` never counts: Envoy's connection manager removes it
        // (an internal-only header) before its tracing decision.
        var clientTraceID = false
        for field in head.fields {
            switch field.kind {
            case .traceparent: traceparent = field.value
            case .tracestate: state = field.value
            case .b3: b3Single = field.value
            case .xB3TraceID: b3TraceID = field.value
            case .xB3SpanID: b3SpanID = field.value
            case .xB3Sampled: b3Sampled = field.value
            case .xB3Flags: b3Flags = field.value
            case .xRequestID: requestID = field.value
            case .xClientTraceID: clientTraceID = true
            case .xEnvoyDecoratorOperation: decorator = field.value
            default: break
            }
        }
        var parent: TraceContext?
        var b3 = TraceHeaderWriter.B3Form.none
        if !traceparent.isEmpty { parent = TraceContext.parseTraceparent(traceparent.bytes(in: bytes)) }
        if !b3Single.isEmpty {
            let context = TraceContext.parseB3Single(b3Single.bytes(in: bytes))
            if context != nil { b3 = .single }
            if parent == nil { parent = context }
        } else if !b3TraceID.isEmpty {
            let context = TraceContext.parseB3Multi(traceID: b3TraceID.bytes(in: bytes), spanID: b3SpanID.bytes(in: bytes),
                                                    sampled: b3Sampled?.bytes(in: bytes), flags: b3Flags?.bytes(in: bytes))
            if context != nil { b3 = .multi }
            if parent == nil { parent = context }
        }
        let roll = nextRandom()
        let sampling = TraceSampler.Request(parentSampled: parent?.sampled,
                                            requestIDReason: requestID.isEmpty ? nil : TraceSampler.reason(requestID: requestID.bytes(in: bytes)),
                                            hasClientTraceID: clientTraceID, random: roll)
        let reason = TraceSampler.reason(sampling, config: config)
        let sampled = sampling.parentSampled ?? reason.traced
        var trace = ExchangeTrace(traceIDHigh: parent?.traceIDHigh ?? nextRandom(), traceIDLow: parent?.traceIDLow ?? nextRandom(),
                                  spanID: nonZero(nextRandom()), parentSpanID: parent?.spanID ?? 0,
                                  upstreamSpanID: config.spawnUpstreamSpan ? nonZero(nextRandom()) : 0,
                                  sampled: sampled, reason: reason,
                                  b3: b3, traceState: parent == nil ? .empty : state, request: nil)
        if sampled {
            trace.request = facts(config: config, bytes: bytes, head: head, requestID: requestID, state: trace.traceState)
            if config.operation == .ingress && !decorator.isEmpty {
                trace.request!.operation = String(decoding: decorator.bytes(in: bytes), as: UTF8.self)
            }
        }
        return trace
    }

    @inline(__always) static func nonZero(_ value: UInt64) -> UInt64 { value == 0 ? 1 : value }

    private static func facts(config: TracingConfig, bytes: UnsafeRawBufferPointer, head: HTTP1RequestHead,
                              requestID: ByteSpan, state: ByteSpan) -> RequestFacts {
        func text(_ span: ByteSpan) -> String { String(decoding: span.bytes(in: bytes), as: UTF8.self) }
        func header(_ name: [UInt8]) -> String? {
            head.fields.first { ASCII.equalsLowercased($0.name.bytes(in: bytes), name) }.map { text($0.value) }
        }
        var facts = RequestFacts()
        facts.method = text(head.method)
        facts.authority = text(head.authority)
        facts.path = head.path.isEmpty ? "/" : text(head.path)
        facts.userAgent = header(userAgentName) ?? "-"
        facts.requestID = requestID.isEmpty ? "" : text(requestID)
        facts.downstreamCluster = header(downstreamClusterName) ?? "-"
        facts.traceState = state.isEmpty ? "" : text(state)
        for tag in config.customTags {
            switch tag {
            case .literal(let name, let value): facts.customTags.append((name, value))
            case .requestHeader(let name, let headerName, let defaultValue):
                let value = header(headerName) ?? defaultValue
                if !value.isEmpty { facts.customTags.append((name, value)) }
            }
        }
        return facts
    }

    /// The trace headers the upstream request carries: the next hop's parent is
    /// the router's span when there is one, else the connection manager's.
    public var upstreamHeaders: TraceHeaderWriter {
        let spawned = upstreamSpanID != 0
        return TraceHeaderWriter(traceIDHigh: traceIDHigh, traceIDLow: traceIDLow, spanID: spawned ? upstreamSpanID : spanID,
                                 parentSpanID: spawned ? spanID : parentSpanID, sampled: sampled, b3: b3)
    }
}

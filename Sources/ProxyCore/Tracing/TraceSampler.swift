/// Envoy's tracing decision for one request, in the order the connection manager
/// and the OpenTelemetry tracer take it: a parent's sampled flag is followed;
/// otherwise the x-request-id's trace reason (set by an earlier proxy),
/// `x-client-trace-id` with client sampling, `x-envoy-force-trace`, then random
/// sampling; overall sampling caps the result.
public enum TraceSampler {
    /// Why a request is traced, as Envoy's UUID request id records it in the
    /// UUID's version nibble (index 14).
    public enum Reason: UInt8, Sendable {
        case notTraceable = 0x34   // "4"
        case sampling = 0x39       // "9"
        case forced = 0x61         // "a"
        case client = 0x62         // "b"

        public var traced: Bool { self != .notTraceable }
    }

    public struct Request: Sendable {
        public var parentSampled: Bool?
        /// The x-request-id's reason, when the request came with one.
        public var requestIDReason: Reason?
        public var hasClientTraceID: Bool
        public var forceTrace: Bool
        /// A uniformly random value (Envoy derives it from the request id).
        public var random: UInt64

        public init(parentSampled: Bool? = nil, requestIDReason: Reason? = nil, hasClientTraceID: Bool = false, forceTrace: Bool = false, random: UInt64) {
            self.parentSampled = parentSampled
            self.requestIDReason = requestIDReason
            self.hasClientTraceID = hasClientTraceID
            self.forceTrace = forceTrace
            self.random = random
        }
    }

    /// The connection manager's reason (what it writes back into x-request-id).
    public static func reason(_ request: Request, config: TracingConfig) -> Reason {
        var reason = Reason.notTraceable
        if config.useRequestIDForTraceSampling, let carried = request.requestIDReason { reason = carried }
        if reason == .notTraceable {
            if request.hasClientTraceID && enabled(config.clientSampling, request.random) {
                reason = .client
            } else if request.forceTrace {
                reason = .forced
            } else if enabled(config.randomSampling, request.random) {
                reason = .sampling
            }
        }
        if reason != .notTraceable && !enabled(config.overallSampling, request.random) { reason = .notTraceable }
        return reason
    }

    /// Whether the span is sampled (exported and flagged to the next hop).
    public static func sampled(_ request: Request, config: TracingConfig) -> Bool {
        if let parent = request.parentSampled { return parent }
        return reason(request, config: config).traced
    }

    /// Envoy's percentage test at a millionth's resolution.
    @inline(__always) static func enabled(_ percent: Double, _ random: UInt64) -> Bool {
        guard percent > 0 else { return false }
        guard percent < 100 else { return true }
        return random % 1_000_000 < UInt64(percent * 10_000)
    }

    /// The reason in a UUID-form x-request-id (36 bytes, version nibble at 14).
    public static func reason(requestID: UnsafeRawBufferPointer) -> Reason? {
        guard requestID.count == 36, requestID[8] == UInt8(ascii: "-"), requestID[13] == UInt8(ascii: "-") else { return nil }
        return Reason(rawValue: requestID[14]) ?? .notTraceable
    }
}

/// Header names the proxy itself acts on, recognised once while parsing so that
/// later stages compare one byte instead of a name.
public enum KnownHeader: UInt8, Sendable {
    case other
    case host
    case contentLength
    case transferEncoding
    case connection
    case keepAlive
    case proxyConnection
    case te
    case upgrade
    case expect
    case xRequestID
    case xForwardedProto
    case xForwardedFor
    case server
    /// Istio's metadata exchange (`x-envoy-peer-metadata`, `-id`): read and
    /// stripped by the proxy, never passed between workloads.
    case peerMetadata
    case peerMetadataID
    // Trace context (W3C, B3) and Envoy's tracing controls: read and rewritten
    // only when the connection manager traces.
    case traceparent
    case tracestate
    case b3
    case xB3TraceID
    case xB3SpanID
    case xB3ParentSpanID
    case xB3Sampled
    case xB3Flags
    case xEnvoyForceTrace
    case xClientTraceID
    /// The caller's route decorator, naming the callee's span (Envoy).
    case xEnvoyDecoratorOperation
    /// Set by the proxy on responses and on requests it forwards (Envoy's router):
    /// a copy that arrives is replaced.
    case date
    case xEnvoyUpstreamServiceTime
    case xEnvoyExpectedRqTimeoutMs
    /// Envoy's internal-only request headers (retry, timeout and tracing controls):
    /// the connection manager removes them from requests it does not deem internal,
    /// which without `use_remote_address` and an internal address config is all.
    case envoyInternalOnly
    /// Forwarded or removed per the connection manager's forward_client_cert_details.
    case xForwardedClientCert

    /// Headers that carry a trace context: replaced by the proxy's own when it traces.
    public var isTraceContext: Bool {
        switch self {
        case .traceparent, .tracestate, .b3, .xB3TraceID, .xB3SpanID, .xB3ParentSpanID, .xB3Sampled, .xB3Flags,
             .xEnvoyDecoratorOperation: return true
        default: return false
        }
    }

    /// Hop-by-hop headers (RFC 9110 §7.6.1) describe one connection and are not
    /// forwarded. Transfer-Encoding is kept: bodies are streamed with their framing.
    public var isHopByHop: Bool {
        switch self {
        case .connection, .keepAlive, .proxyConnection, .te, .upgrade: return true
        default: return false
        }
    }

    private static let table: [(name: [UInt8], kind: KnownHeader)] = [
        (Array("host".utf8), .host),
        (Array("content-length".utf8), .contentLength),
        (Array("transfer-encoding".utf8), .transferEncoding),
        (Array("connection".utf8), .connection),
        (Array("keep-alive".utf8), .keepAlive),
        (Array("proxy-connection".utf8), .proxyConnection),
        (Array("te".utf8), .te),
        (Array("upgrade".utf8), .upgrade),
        (Array("expect".utf8), .expect),
        (Array("x-request-id".utf8), .xRequestID),
        (Array("x-forwarded-proto".utf8), .xForwardedProto),
        (Array("x-forwarded-for".utf8), .xForwardedFor),
        (Array("server".utf8), .server),
        (Array("x-envoy-peer-metadata".utf8), .peerMetadata),
        (Array("x-envoy-peer-metadata-id".utf8), .peerMetadataID),
        (Array("traceparent".utf8), .traceparent),
        (Array("tracestate".utf8), .tracestate),
        (Array("b3".utf8), .b3),
        (Array("x-b3-traceid".utf8), .xB3TraceID),
        (Array("x-b3-spanid".utf8), .xB3SpanID),
        (Array("x-b3-parentspanid".utf8), .xB3ParentSpanID),
        (Array("x-b3-sampled".utf8), .xB3Sampled),
        (Array("x-b3-flags".utf8), .xB3Flags),
        (Array("x-envoy-force-trace".utf8), .xEnvoyForceTrace),
        (Array("x-client-trace-id".utf8), .xClientTraceID),
        (Array("x-envoy-decorator-operation".utf8), .xEnvoyDecoratorOperation),
        (Array("date".utf8), .date),
        (Array("x-envoy-upstream-service-time".utf8), .xEnvoyUpstreamServiceTime),
        (Array("x-envoy-expected-rq-timeout-ms".utf8), .xEnvoyExpectedRqTimeoutMs),
        (Array("x-forwarded-client-cert".utf8), .xForwardedClientCert),
        (Array("x-envoy-internal".utf8), .envoyInternalOnly),
        (Array("x-envoy-retriable-status-codes".utf8), .envoyInternalOnly),
        (Array("x-envoy-retriable-header-names".utf8), .envoyInternalOnly),
        (Array("x-envoy-retry-on".utf8), .envoyInternalOnly),
        (Array("x-envoy-retry-grpc-on".utf8), .envoyInternalOnly),
        (Array("x-envoy-max-retries".utf8), .envoyInternalOnly),
        (Array("x-envoy-upstream-alt-stat-name".utf8), .envoyInternalOnly),
        (Array("x-envoy-upstream-rq-timeout-ms".utf8), .envoyInternalOnly),
        (Array("x-envoy-upstream-rq-per-try-timeout-ms".utf8), .envoyInternalOnly),
        (Array("x-envoy-upstream-rq-timeout-alt-response".utf8), .envoyInternalOnly),
        (Array("x-envoy-ip-tags".utf8), .envoyInternalOnly),
        (Array("x-envoy-original-url".utf8), .envoyInternalOnly),
        (Array("x-envoy-hedge-on-per-try-timeout".utf8), .envoyInternalOnly),
    ]

    /// Classifies a header name (any case).
    @inline(__always) static func classify(_ name: UnsafeRawBufferPointer) -> KnownHeader {
        // Most names are long custom ones; the length check rejects them cheaply.
        switch name.count {
        case 2, 4, 6, 7, 10, 11, 12, 14, 15, 16, 17, 19, 20, 21, 23, 24, 27, 29, 30, 32, 38, 40: break
        default: return .other
        }
        // Plain loop and nested ifs: `where` with `&&` costs a closure context per
        // entry in unoptimised builds.
        for index in table.indices {
            if table[index].name.count == name.count {
                if ASCII.equalsLowercased(name, table[index].name) { return table[index].kind }
            }
        }
        return .other
    }
}

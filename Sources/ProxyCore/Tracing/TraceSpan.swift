/// One finished span as the proxy records it (only for sampled requests), in
/// OpenTelemetry's model: ids, name, kind, times, attributes, error status.
public struct TraceSpan: Sendable, Equatable {
    public enum Kind: Int, Sendable {
        case `internal` = 1
        case server = 2
        case client = 3
    }

    public enum Value: Sendable, Equatable {
        case string(String)
        case int(Int64)
        case bool(Bool)
    }

    public struct Attribute: Sendable, Equatable {
        public var key: String
        public var value: Value

        public init(_ key: String, _ value: Value) {
            self.key = key
            self.value = value
        }
    }

    public var traceIDHigh: UInt64
    public var traceIDLow: UInt64
    public var spanID: UInt64
    /// 0: a root span.
    public var parentSpanID: UInt64
    public var traceState: String
    public var name: String
    public var kind: Kind
    public var startUnixNanos: UInt64
    public var endUnixNanos: UInt64
    public var attributes: [Attribute]
    /// Envoy marks a span failed (tag `error: true`, OTLP status ERROR) on 5xx and
    /// on requests without a response.
    public var isError: Bool

    public init(traceIDHigh: UInt64, traceIDLow: UInt64, spanID: UInt64, parentSpanID: UInt64, traceState: String = "",
                name: String, kind: Kind, startUnixNanos: UInt64, endUnixNanos: UInt64, attributes: [Attribute] = [], isError: Bool = false) {
        self.traceIDHigh = traceIDHigh
        self.traceIDLow = traceIDLow
        self.spanID = spanID
        self.parentSpanID = parentSpanID
        self.traceState = traceState
        self.name = name
        self.kind = kind
        self.startUnixNanos = startUnixNanos
        self.endUnixNanos = endUnixNanos
        self.attributes = attributes
        self.isError = isError
    }
}

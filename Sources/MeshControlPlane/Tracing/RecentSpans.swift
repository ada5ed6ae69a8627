import MeshCore
import XDSAPI

/// The control plane's in-memory trace view when no external collector is
/// configured: the most recent spans received over OTLP (a bounded ring; the
/// oldest go first), grouped into traces on demand for the console and the API.
public struct RecentSpans: Sendable {
    public struct Span: Sendable, Equatable {
        public var traceID: String
        public var spanID: String
        /// Empty for a root span.
        public var parentSpanID: String
        public var name: String
        /// OTLP's kind name: SERVER, CLIENT, INTERNAL, ...
        public var kind: String
        /// The exporting proxy's `service.name` resource attribute.
        public var service: String
        public var startUnixNanos: UInt64
        public var endUnixNanos: UInt64
        public var attributes: [String: String]
        public var isError: Bool

        public var durationMicros: UInt64 { endUnixNanos >= startUnixNanos ? (endUnixNanos - startUnixNanos) / 1000 : 0 }
    }

    public let capacity: Int
    private var ring: [Span] = []
    private var next = 0
    /// Spans received since start (including those since pushed out of the ring).
    public private(set) var received: UInt64 = 0

    public init(capacity: Int = 5000) {
        self.capacity = max(capacity, 1)
    }

    public mutating func add(_ span: Span) {
        received += 1
        if ring.count < capacity {
            ring.append(span)
        } else {
            ring[next] = span
            next = (next + 1) % capacity
        }
    }

    /// Every span held, oldest first.
    public var spans: [Span] { Array(ring[next...] + ring[..<next]) }

    /// Adds the spans of an OTLP export request; returns how many.
    @discardableResult
    public mutating func add(_ request: Opentelemetry_Proto_Collector_Trace_V1_ExportTraceServiceRequest) -> Int {
        var count = 0
        for resourceSpans in request.resourceSpans {
            let service = resourceSpans.resource.attributes.first { $0.key == "service.name" }.map { Self.text($0.value) } ?? ""
            for scope in resourceSpans.scopeSpans {
                for span in scope.spans {
                    var attributes: [String: String] = [:]
                    for attribute in span.attributes { attributes[attribute.key] = Self.text(attribute.value) }
                    add(Span(traceID: HexText.lowercase(span.traceID), spanID: HexText.lowercase(span.spanID), parentSpanID: HexText.lowercase(span.parentSpanID),
                             name: span.name, kind: Self.kindName(span.kind), service: service,
                             startUnixNanos: span.startTimeUnixNano, endUnixNanos: span.endTimeUnixNano,
                             attributes: attributes, isError: span.status.code == .error))
                    count += 1
                }
            }
        }
        return count
    }

    static func kindName(_ kind: Opentelemetry_Proto_Trace_V1_Span.SpanKind) -> String {
        switch kind {
        case .server: "SERVER"
        case .client: "CLIENT"
        case .internal: "INTERNAL"
        case .producer: "PRODUCER"
        case .consumer: "CONSUMER"
        default: "UNSPECIFIED"
        }
    }

    static func text(_ value: Opentelemetry_Proto_Common_V1_AnyValue) -> String {
        switch value.value {
        case .stringValue(let text)?: text
        case .boolValue(let flag)?: flag ? "true" : "false"
        case .intValue(let number)?: String(number)
        case .doubleValue(let number)?: String(number)
        default: ""
        }
    }
}

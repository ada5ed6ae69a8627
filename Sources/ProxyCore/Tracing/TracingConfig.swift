/// A connection manager's `tracing` block with the OpenTelemetry tracer, parsed
/// once: who samples what, what tags spans carry and where they are exported.
public struct TracingConfig: Sendable {
    /// Envoy names spans of an outbound listener (traffic direction OUTBOUND)
    /// "egress" and makes them CLIENT spans; all others "ingress", SERVER.
    public enum Operation: Sendable, Equatable {
        case ingress
        case egress
    }

    /// `custom_tags` with their values resolved where they can be (literals,
    /// environment at config time); request headers are read per request.
    public enum CustomTag: Sendable, Equatable {
        case literal(name: String, value: String)
        case requestHeader(name: String, header: [UInt8], defaultValue: String)
    }

    public var operation: Operation
    /// Percentages 0...100 (Envoy's `envoy.type.v3.Percent`).
    public var clientSampling: Double
    public var randomSampling: Double
    public var overallSampling: Double
    /// One CLIENT span per upstream request under the connection manager's span.
    public var spawnUpstreamSpan: Bool
    public var maxPathTagLength: Int
    public var customTags: [CustomTag]
    /// The x-request-id's trace reason decides before random sampling (Envoy's
    /// UUID request id extension, `use_request_id_for_trace_sampling`).
    public var useRequestIDForTraceSampling: Bool
    public var exporter: OTLPExporterConfig

    public init(operation: Operation, clientSampling: Double = 100, randomSampling: Double = 100, overallSampling: Double = 100,
                spawnUpstreamSpan: Bool = false, maxPathTagLength: Int = 256, customTags: [CustomTag] = [],
                useRequestIDForTraceSampling: Bool = true, exporter: OTLPExporterConfig) {
        self.operation = operation
        self.clientSampling = clientSampling
        self.randomSampling = randomSampling
        self.overallSampling = overallSampling
        self.spawnUpstreamSpan = spawnUpstreamSpan
        self.maxPathTagLength = maxPathTagLength
        self.customTags = customTags
        self.useRequestIDForTraceSampling = useRequestIDForTraceSampling
        self.exporter = exporter
    }
}

/// Where and how spans go: OTLP/HTTP to `http_service.http_uri` through a cluster.
public struct OTLPExporterConfig: Sendable, Hashable {
    public var cluster: String
    /// The URI's authority, sent as Host.
    public var authority: String
    public var path: String
    public var timeoutNanos: Int64
    /// `request_headers_to_add`.
    public var headers: [HeaderPair]
    /// The resource's `service.name`.
    public var serviceName: String

    public struct HeaderPair: Sendable, Hashable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    public init(cluster: String, authority: String, path: String, timeoutNanos: Int64 = 1_000_000_000, headers: [HeaderPair] = [], serviceName: String) {
        self.cluster = cluster
        self.authority = authority
        self.path = path
        self.timeoutNanos = timeoutNanos
        self.headers = headers
        self.serviceName = serviceName
    }

    /// Splits `http://host:port/path` (Envoy's `HttpUri.uri`) into authority and path.
    public static func split(uri: String) -> (authority: String, path: String)? {
        var rest = Substring(uri)
        if rest.hasPrefix("http://") { rest = rest.dropFirst(7) } else if rest.hasPrefix("https://") { rest = rest.dropFirst(8) }
        guard !rest.isEmpty else { return nil }
        if let slash = rest.firstIndex(of: "/") {
            let authority = rest[..<slash]
            guard !authority.isEmpty else { return nil }
            return (String(authority), String(rest[slash...]))
        }
        return (String(rest), "/")
    }
}

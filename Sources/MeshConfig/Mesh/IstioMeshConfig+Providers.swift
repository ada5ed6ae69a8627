extension IstioMeshConfig {
    /// One entry of `extensionProviders`: a name and exactly one provider kind.
    /// Kinds SwiftMesh does not implement are kept as data so that validation can
    /// name them and the console can show them.
    public struct ExtensionProvider: Codable, Sendable, Equatable {
        public var name: String?
        public var envoyFileAccessLog: EnvoyFileAccessLog?
        public var opentelemetry: OpenTelemetryTracing?
        public var zipkin: JSONValue?
        public var envoyOtelAls: JSONValue?
        public var envoyHttpAls: JSONValue?
        public var envoyTcpAls: JSONValue?
        public var envoyExtAuthzHttp: JSONValue?
        public var envoyExtAuthzGrpc: JSONValue?
        public var prometheus: JSONValue?
        public var skywalking: JSONValue?
        public var datadog: JSONValue?
        public var stackdriver: JSONValue?

        /// The kinds set on this entry (exactly one is valid).
        public var kinds: [String] {
            var result: [String] = []
            if envoyFileAccessLog != nil { result.append("envoyFileAccessLog") }
            if opentelemetry != nil { result.append("opentelemetry") }
            let opaque: [(String, JSONValue?)] = [
                ("zipkin", zipkin), ("envoyOtelAls", envoyOtelAls), ("envoyHttpAls", envoyHttpAls),
                ("envoyTcpAls", envoyTcpAls), ("envoyExtAuthzHttp", envoyExtAuthzHttp),
                ("envoyExtAuthzGrpc", envoyExtAuthzGrpc), ("prometheus", prometheus),
                ("skywalking", skywalking), ("datadog", datadog), ("stackdriver", stackdriver),
            ]
            result += opaque.compactMap { $0.1 == nil ? nil : $0.0 }
            return result
        }
    }

    /// `envoyFileAccessLog`: a file (or /dev/stdout) with a text or JSON (`labels`) format.
    public struct EnvoyFileAccessLog: Codable, Sendable, Equatable {
        public var path: String?
        public var logFormat: LogFormat?

        public struct LogFormat: Codable, Sendable, Equatable {
            /// An Envoy format string.
            public var text: String?
            /// JSON log: key -> Envoy command (e.g. `"%RESPONSE_CODE%"`).
            public var labels: [String: JSONValue]?
        }
    }

    /// `opentelemetry` tracing provider: OTLP to `service:port`, over gRPC, or over
    /// HTTP when `http` is set.
    public struct OpenTelemetryTracing: Codable, Sendable, Equatable {
        public var service: String?
        public var port: Int?
        public var maxTagLength: Int?
        public var http: HTTP?

        public struct HTTP: Codable, Sendable, Equatable {
            /// Default `/v1/traces`.
            public var path: String?
            /// A duration such as "10s".
            public var timeout: String?
            public var headers: [Header]?
        }

        public struct Header: Codable, Sendable, Equatable {
            public var name: String?
            public var value: String?
        }
    }
}

/// The part of Istio's MeshConfig (`mesh` in the `istio` ConfigMap, istiod's
/// `--meshConfig` file) that SwiftMesh reads: extension providers for tracing,
/// the default providers, and the legacy default sampling.
public struct IstioMeshConfig: Codable, Sendable, Hashable {
    public var extensionProviders: [ExtensionProvider]?
    public var defaultProviders: DefaultProviders?
    public var defaultConfig: ProxyDefaults?
    public var enableTracing: Bool?
    public var trustDomain: String?

    public init(extensionProviders: [ExtensionProvider]? = nil, defaultProviders: DefaultProviders? = nil) {
        self.extensionProviders = extensionProviders
        self.defaultProviders = defaultProviders
    }

    public struct DefaultProviders: Codable, Sendable, Hashable {
        public var tracing: [String]?
        public var accessLogging: [String]?
        public var metrics: [String]?

        public init(tracing: [String]? = nil) {
            self.tracing = tracing
        }
    }

    public struct ProxyDefaults: Codable, Sendable, Hashable {
        public var tracing: TracingDefaults?
    }

    public struct TracingDefaults: Codable, Sendable, Hashable {
        /// Percent 0-100 (Istio's `defaultConfig.tracing.sampling`; default 1).
        public var sampling: Double?
    }

    public struct ExtensionProvider: Codable, Sendable, Hashable {
        public var name: String
        public var opentelemetry: OpenTelemetryProvider?

        public init(name: String, opentelemetry: OpenTelemetryProvider? = nil) {
            self.name = name
            self.opentelemetry = opentelemetry
        }
    }

    public struct OpenTelemetryProvider: Codable, Sendable, Hashable {
        /// The collector's host: a mesh service's hostname (Istio's form) or, for a
        /// collector outside the registry, an IP address or DNS name.
        public var service: String
        public var port: Int
        /// Present: OTLP/HTTP; absent: OTLP/gRPC.
        public var http: HTTPExport?
        public var maxTagLength: Int?

        public init(service: String, port: Int, http: HTTPExport? = nil) {
            self.service = service
            self.port = port
            self.http = http
        }
    }

    public struct HTTPExport: Codable, Sendable, Hashable {
        public var path: String?
        /// A Go duration ("5s").
        public var timeout: String?
        public var headers: [Header]?

        public init(path: String? = nil, timeout: String? = nil, headers: [Header]? = nil) {
            self.path = path
            self.timeout = timeout
            self.headers = headers
        }
    }

    public struct Header: Codable, Sendable, Hashable {
        public var name: String
        public var value: String?
        public var envName: String?

        public init(name: String, value: String? = nil) {
            self.name = name
            self.value = value
        }
    }
}

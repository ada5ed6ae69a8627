/// Settings of the translation that are not in the config (mesh-wide defaults).
/// Part of the translator's input: nothing is read from the environment.
public struct TranslatorOptions: Sendable, Hashable {
    public var accessLog: Bool
    public var outboundCapturePort: Int
    public var inboundCapturePort: Int
    /// The proxies' system trust store (PEM bundle), used for DestinationRule TLS
    /// SIMPLE / MUTUAL without `caCertificates`, as Istio validates against the OS roots.
    public var systemCACertificates: String
    /// Where gateway servers of a given port really listen (the local mesh moves
    /// the example's 8080 to `--gateway-port` on 127.0.0.1). Empty: as configured.
    public var gatewayListenOverrides: [Int: ListenAddress] = [:]
    /// Trust domain, mTLS, authorization and path normalisation settings.
    public var security = MeshSecurityOptions()

    /// Where spans go when the mesh config names no default tracing provider
    /// (`swiftmesh up`: the control plane's own OTLP receiver); nil: nowhere.
    public var defaultTracingCollector: TracingCollector?

    /// An OTLP/HTTP collector by address.
    public struct TracingCollector: Sendable, Hashable {
        public var host: String
        public var port: Int
        public var path: String

        public init(host: String, port: Int, path: String = "/v1/traces") {
            self.host = host
            self.port = port
            self.path = path
        }
    }

    public struct ListenAddress: Sendable, Hashable {
        public var host: String
        public var port: Int

        public init(host: String, port: Int) {
            self.host = host
            self.port = port
        }
    }

    public init(accessLog: Bool = true, outboundCapturePort: Int = 15001, inboundCapturePort: Int = 15006,
                systemCACertificates: String = "/etc/ssl/certs/ca-certificates.crt") {
        self.accessLog = accessLog
        self.outboundCapturePort = outboundCapturePort
        self.inboundCapturePort = inboundCapturePort
        self.systemCACertificates = systemCACertificates
    }
}

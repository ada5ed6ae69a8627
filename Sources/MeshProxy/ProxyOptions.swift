import ProxyCore

/// How `swiftmesh proxy` was asked to run.
public struct ProxyOptions: Sendable {
    /// Envoy bootstrap (JSON); nil when only `resourcesPath` is given.
    public var bootstrapPath: String?
    /// A `swiftmesh generate --type all` dump to run as static resources.
    public var resourcesPath: String?
    /// Event-loop threads (Envoy's `--concurrency`).
    public var concurrency: Int
    /// Overrides the bootstrap's admin address; port 0 picks one.
    public var adminHost: String?
    public var adminPort: Int?
    /// ADS server (plaintext gRPC); nil: static config only.
    public var xdsHost: String?
    public var xdsPort: Int?
    /// Node id (Istio's TYPE~IP~ID~DOMAIN) and metadata (JSON object) sent on ADS.
    public var nodeID: String = ""
    public var nodeMetadataJSON: String?
    /// Where `/stats/prometheus` is served besides admin (Istio's 15090); nil: the
    /// admin host on 15090 (port 0 there when the admin port is ephemeral).
    public var prometheusHost: String?
    public var prometheusPort: Int?
    /// Where `/healthz/ready` is served (Istio's 15021); nil: the admin host on 15021.
    public var healthHost: String?
    public var healthPort: Int?
    /// The certificate agent serving SDS references to `sds-grpc` ("default",
    /// "ROOTCA"); the CA client's agent when it runs in process.
    public var secretProvider: (any SecretProvider)?
    /// Istio's file-mounted certificates (`cert-chain.pem`, `key.pem`,
    /// `root-cert.pem`) served as "default" and "ROOTCA" when no provider is given.
    public var workloadCertificatesDirectory: String?

    /// The certificate agent (pilot-agent's role); nil: no workload certificate.
    public var agent: AgentOptions?
    /// `envoy`: run stock Envoy as a child with SDS from the agent instead of serving.
    public var dataPlane: DataPlane = .swift
    public var envoyBinary: String?
    public var envoyArguments: [String] = []
    /// Where the agent keeps its files (the SDS socket for Envoy, the rewritten bootstrap).
    public var runDirectory: String?

    public enum DataPlane: String, Sendable, CaseIterable {
        case swift
        case envoy
    }

    public struct AgentOptions: Sendable {
        /// The mesh roots (root-cert.pem): the control plane's certificate is
        /// verified against them (xDS and CA over TLS) and they seed ROOTCA.
        public var caRootPath: String?
        /// The workload's token (bootstrap or Kubernetes service-account JWT).
        public var tokenPath: String?
        /// The CA; nil: the xDS server.
        public var caHost: String?
        public var caPort: Int?
        public var trustDomain = "cluster.local"
        /// nil: node metadata SERVICE_ACCOUNT, else `default`.
        public var serviceAccount: String?
        /// nil: node metadata NAMESPACE.
        public var namespace: String?
        /// 0: the CA's default lifetime.
        public var validitySeconds: Int64 = 0
        public var rsaKey = false

        public init() {}
    }

    public init(bootstrapPath: String?, resourcesPath: String? = nil, concurrency: Int = 1, adminHost: String? = nil, adminPort: Int? = nil) {
        self.bootstrapPath = bootstrapPath
        self.resourcesPath = resourcesPath
        self.concurrency = concurrency
        self.adminHost = adminHost
        self.adminPort = adminPort
    }
}

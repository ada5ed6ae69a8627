/// What the agent hands out: Istio's two SDS secrets. `default` is the workload's
/// chain (leaf + intermediates) and key; `ROOTCA` the roots it trusts (old and new
/// during a root rotation).
public struct WorkloadSecrets: Sendable, Equatable {
    public static let certificateName = "default"
    public static let rootName = "ROOTCA"

    public var certificateChainPEM: String
    public var privateKeyPEM: String
    public var trustBundlePEM: String
    /// The SPIFFE ID in the certificate.
    public var identity: String
    /// Seconds since 1970.
    public var notAfter: Double
    /// Increases with every certificate installed (SDS version_info).
    public var generation: Int
    /// The leaf's serial number (hex), for admin `/certs`.
    public var serialNumber = ""

    public init(certificateChainPEM: String, privateKeyPEM: String, trustBundlePEM: String, identity: String, notAfter: Double, generation: Int) {
        self.certificateChainPEM = certificateChainPEM
        self.privateKeyPEM = privateKeyPEM
        self.trustBundlePEM = trustBundlePEM
        self.identity = identity
        self.notAfter = notAfter
        self.generation = generation
    }
}

/// How loud an agent message is (the proxy maps it to its `secret` logger).
public enum AgentLogLevel: Sendable {
    case info
    case warning
}

public typealias AgentLog = @Sendable (AgentLogLevel, String) -> Void

/// Where the agent delivers secrets in-process (our proxy's TLS layer). The TLS
/// side swaps its contexts for new connections; open connections keep theirs.
public protocol WorkloadSecretSink: Sendable {
    func secretsChanged(_ secrets: WorkloadSecrets) async
}

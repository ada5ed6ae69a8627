/// Where TLS material comes from (Envoy's DataSource): bytes carried in the
/// config, or a file read when the TLS context is built.
public enum TLSDataSource: Sendable, Hashable {
    case inline([UInt8])
    case file(String)
}

/// A certificate chain and its private key (PEM).
public struct TLSCertificatePair: Sendable, Hashable {
    public var chain: TLSDataSource
    public var privateKey: TLSDataSource

    public init(chain: TLSDataSource, privateKey: TLSDataSource) {
        self.chain = chain
        self.privateKey = privateKey
    }
}

/// A reference to a secret delivered over SDS, by name and by who serves it.
public struct SDSSecretReference: Sendable, Hashable {
    public enum Source: Sendable, Hashable {
        /// On the ADS stream (`sds_config { ads {} }`): gateway `credentialName`.
        case ads
        /// Istio's `sds-grpc` cluster: the proxy's own certificate agent, in process
        /// (a SecretProvider), e.g. "default" and "ROOTCA".
        case agent
    }

    public var name: String
    public var source: Source

    public init(name: String, source: Source) {
        self.name = name
        self.source = source
    }
}

/// A secret's value (Envoy's Secret resource, the kinds TLS uses).
public enum TLSSecret: Sendable {
    case certificate(TLSCertificatePair)
    /// Trusted roots (PEM bundle) and SAN matchers of a validation context.
    case validation(trustedCA: TLSDataSource?, subjectAltNames: [SubjectAltNameMatcher])
}

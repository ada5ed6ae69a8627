/// What a TLS endpoint of the proxy presents and accepts (Envoy's
/// CommonTlsContext): certificates inline or from files, or by SDS; how the peer
/// is validated; ALPN protocols.
public struct TLSContextConfig: Sendable {
    /// How the peer's certificate is checked (nil: not at all).
    public struct Validation: Sendable {
        /// PEM roots; nil with `rootsSecret` set: the secret's.
        public var trustedCA: TLSDataSource?
        /// `validation_context_sds_secret_config` (alone or in a combined context):
        /// its roots (and SAN matchers) join the inline ones.
        public var rootsSecret: SDSSecretReference?
        public var subjectAltNames: [SubjectAltNameMatcher]

        public init(trustedCA: TLSDataSource? = nil, rootsSecret: SDSSecretReference? = nil, subjectAltNames: [SubjectAltNameMatcher] = []) {
            self.trustedCA = trustedCA
            self.rootsSecret = rootsSecret
            self.subjectAltNames = subjectAltNames
        }
    }

    public var certificates: [TLSCertificatePair]
    public var certificateSecrets: [SDSSecretReference]
    public var validation: Validation?
    public var alpnProtocols: [String]

    public init(certificates: [TLSCertificatePair] = [], certificateSecrets: [SDSSecretReference] = [], validation: Validation? = nil,
                alpnProtocols: [String] = []) {
        self.certificates = certificates
        self.certificateSecrets = certificateSecrets
        self.validation = validation
        self.alpnProtocols = alpnProtocols
    }

    /// Every SDS secret this context names.
    public var secretReferences: [SDSSecretReference] {
        certificateSecrets + (validation?.rootsSecret.map { [$0] } ?? [])
    }
}

/// A filter chain's DownstreamTlsContext: the proxy terminates TLS.
public struct DownstreamTLSConfig: Sendable {
    public var common: TLSContextConfig
    /// Clients without a valid certificate are refused (mTLS STRICT); without it a
    /// validation context still checks a certificate the client offers.
    public var requireClientCertificate: Bool

    public init(common: TLSContextConfig, requireClientCertificate: Bool = false) {
        self.common = common
        self.requireClientCertificate = requireClientCertificate
    }
}

/// A cluster's UpstreamTlsContext: the proxy originates TLS.
public struct UpstreamTLSConfig: Sendable {
    public var common: TLSContextConfig
    /// SNI to send; empty: none.
    public var serverName: String

    public init(common: TLSContextConfig, serverName: String = "") {
        self.common = common
        self.serverName = serverName
    }
}

/// How a cluster talks to an endpoint: plain TCP or TLS.
public enum TransportSocketConfig: Sendable {
    case plaintext
    case tls(UpstreamTLSConfig)
}

/// One of a cluster's `transport_socket_matches`: endpoints whose
/// `envoy.transport_socket_match` metadata holds every `match` pair use `socket`
/// (Istio's auto-mTLS: `tlsMode: istio` -> TLS, anything else -> plain).
public struct TransportSocketMatch: Sendable {
    public var name: String
    public var match: [String: String]
    public var socket: TransportSocketConfig

    public init(name: String, match: [String: String], socket: TransportSocketConfig) {
        self.name = name
        self.match = match
        self.socket = socket
    }

    /// The socket for an endpoint with `metadata`: the first match whose pairs it
    /// all carries, else the cluster's own transport socket (Envoy's order).
    public static func select(_ matches: [TransportSocketMatch], metadata: [String: String], fallback: TransportSocketConfig) -> TransportSocketConfig {
        firstIndex(matches, metadata: metadata).map { matches[$0].socket } ?? fallback
    }

    /// The index of the first entry `metadata` satisfies.
    public static func firstIndex(_ matches: [TransportSocketMatch], metadata: [String: String]) -> Int? {
        matches.firstIndex { candidate in candidate.match.allSatisfy { metadata[$0.key] == $0.value } }
    }
}

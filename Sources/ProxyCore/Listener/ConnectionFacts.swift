/// What the proxy knows about a downstream connection: its addresses (from the
/// socket), what listener filters found (SNI, transport and application protocols
/// from the TLS inspector, the plaintext HTTP version from the HTTP inspector) -
/// filter chain selection uses these - and, once the
/// proxy terminated TLS on it, the peer's and its own identity. The request path
/// (RBAC, Istio's metrics labels, access logs) reads the same value.
public struct ConnectionFacts: Sendable {
    public var destinationAddress: IPAddress?
    public var destinationPort: Int
    public var sourceAddress: IPAddress?
    public var sourcePort: Int
    /// Lower-cased; empty when none was found.
    public var serverName: String
    /// "raw_buffer" unless a listener filter detected another (Envoy's default).
    public var transportProtocol: String
    public var applicationProtocols: [String]
    /// The proxy terminated TLS on this connection.
    public var tlsTerminated = false
    /// The client presented a certificate that was validated (Istio's mutual_tls).
    public var mutualTLS = false
    /// The client certificate's first URI SAN (Istio: its SPIFFE principal); empty: none.
    public var peerURISAN = ""
    /// The proxy's own certificate's first URI SAN on this connection; empty: none.
    public var localURISAN = ""
    /// This hop's `x-forwarded-client-cert` element for the peer's certificate
    /// (APPEND_FORWARD / SANITIZE_SET chains), made once at the handshake; empty otherwise.
    public var clientCertElement: [UInt8] = []
    /// ALPN protocol negotiated in the proxy's handshake; empty: none.
    public var negotiatedProtocol = ""
    /// The destination was restored from a transparent-capture redirect
    /// (SO_ORIGINAL_DST): only then may an ORIGINAL_DST cluster connect to it
    /// (a direct connection to the capture port would connect to itself).
    public var redirected = false

    public init(destinationAddress: IPAddress? = nil, destinationPort: Int = 0, sourceAddress: IPAddress? = nil, sourcePort: Int = 0,
                serverName: String = "", transportProtocol: String = "raw_buffer", applicationProtocols: [String] = []) {
        self.destinationAddress = destinationAddress
        self.destinationPort = destinationPort
        self.sourceAddress = sourceAddress
        self.sourcePort = sourcePort
        self.serverName = serverName.lowercased()
        self.transportProtocol = transportProtocol
        self.applicationProtocols = applicationProtocols
    }

    /// Envoy's SAME_IP_OR_LOOPBACK: the peer is loopback or our own address.
    public var isLocal: Bool {
        guard let source = sourceAddress else { return false }
        return source.isLoopback || source == destinationAddress
    }
}

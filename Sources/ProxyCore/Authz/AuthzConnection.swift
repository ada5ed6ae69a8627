/// What authorization reads of a downstream connection: addresses, the TLS
/// server name and the peer's certificate (nil on plaintext connections).
public struct AuthzConnection: Sendable {
    /// The peer certificate's identities, as RBAC's `authenticated` reads them.
    public struct PeerCertificate: Sendable, Equatable {
        public var uriSANs: [String]
        public var dnsSANs: [String]
        public var subject: String

        public init(uriSANs: [String] = [], dnsSANs: [String] = [], subject: String = "") {
            self.uriSANs = uriSANs
            self.dnsSANs = dnsSANs
            self.subject = subject
        }
    }

    /// The directly connected peer.
    public var directRemote: IPAddress?
    /// The address the client reached (the listener's, or the original destination).
    public var local: IPAddress?
    public var localPort: Int
    /// SNI; empty when none.
    public var requestedServerName: String
    /// Set when the connection is TLS (even without a client certificate).
    public var tls: PeerCertificate?

    public init(directRemote: IPAddress? = nil, local: IPAddress? = nil, localPort: Int = 0,
                requestedServerName: String = "", tls: PeerCertificate? = nil) {
        self.directRemote = directRemote
        self.local = local
        self.localPort = localPort
        self.requestedServerName = requestedServerName
        self.tls = tls
    }
}

/// One authorization question: the connection, the HTTP request when there is
/// one (nil on TCP), the client address Envoy infers, and dynamic metadata.
public struct AuthzInput {
    public var connection: AuthzConnection
    public var request: RouteRequest?
    /// Envoy's downstream remote address: the last `x-forwarded-for` entry when the
    /// connection manager does not use the remote address itself, else the peer.
    public var remote: IPAddress?
    public var metadata: DynamicMetadata

    public init(connection: AuthzConnection, request: RouteRequest? = nil, remote: IPAddress? = nil, metadata: DynamicMetadata = DynamicMetadata()) {
        self.connection = connection
        self.request = request
        self.remote = remote ?? connection.directRemote
        self.metadata = metadata
    }

    /// Envoy's XFF original-IP detection with no trusted hops: the last address of
    /// `x-forwarded-for` (repeated headers joined), nil when absent or not an IP.
    public static func forwardedClient(_ request: RouteRequest) -> IPAddress? {
        request.withHeaderValue(named: forwardedFor) { value -> IPAddress? in
            guard let value else { return nil }
            let last = value.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false).last ?? value[...]
            var text = String(decoding: last, as: UTF8.self)
            while text.first == " " || text.first == "\t" { text.removeFirst() }
            while text.last == " " || text.last == "\t" { text.removeLast() }
            return IPAddress(text)
        }
    }

    static let forwardedFor = Array("x-forwarded-for".utf8)
}

extension AuthzConnection {
    /// From the listener's connection facts. Only the peer certificate's first
    /// URI SAN is known there (DNS SANs and subject are not kept), which is what
    /// Istio's principals match.
    public init(_ facts: ConnectionFacts) {
        self.init(directRemote: facts.sourceAddress, local: facts.destinationAddress, localPort: facts.destinationPort,
                  requestedServerName: facts.serverName,
                  tls: facts.tlsTerminated ? PeerCertificate(uriSANs: facts.peerURISAN.isEmpty ? [] : [facts.peerURISAN]) : nil)
    }
}

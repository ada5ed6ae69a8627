/// What filter chain selection knows about a new connection: its addresses (from
/// the socket) and what listener filters found (SNI, transport and application
/// protocols from the TLS inspector).
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

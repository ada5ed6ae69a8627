/// Envoy's FilterChainMatch: the conditions a connection must meet to use a
/// filter chain. Empty fields impose nothing.
public struct FilterChainMatch: Sendable, Hashable {
    public enum SourceType: Sendable, Hashable {
        case any
        /// The peer is a loopback address or the connection's own local address.
        case sameIPOrLoopback
        case external
    }

    public var destinationPort: Int?
    public var prefixRanges: [CIDRRange]
    /// Exact names or `*.suffix` wildcards, lower-cased.
    public var serverNames: [String]
    /// "" (any), "tls" or "raw_buffer".
    public var transportProtocol: String
    public var applicationProtocols: [String]
    public var sourceType: SourceType
    public var sourcePrefixRanges: [CIDRRange]
    public var sourcePorts: [Int]

    public init(destinationPort: Int? = nil, prefixRanges: [CIDRRange] = [], serverNames: [String] = [], transportProtocol: String = "",
                applicationProtocols: [String] = [], sourceType: SourceType = .any, sourcePrefixRanges: [CIDRRange] = [],
                sourcePorts: [Int] = []) {
        self.destinationPort = destinationPort
        self.prefixRanges = prefixRanges
        self.serverNames = serverNames.map { $0.lowercased() }
        self.transportProtocol = transportProtocol
        self.applicationProtocols = applicationProtocols
        self.sourceType = sourceType
        self.sourcePrefixRanges = sourcePrefixRanges
        self.sourcePorts = sourcePorts
    }

    public static let any = FilterChainMatch()

    public var isEmpty: Bool { self == .any }

    /// Whether matching needs what a TLS inspector finds in the ClientHello.
    public var usesTLSInspection: Bool {
        !serverNames.isEmpty || !transportProtocol.isEmpty || !applicationProtocols.isEmpty
    }
}

/// One filter chain of a listener: when it applies and what it does.
public struct FilterChainConfig: Sendable {
    public var name: String
    public var match: FilterChainMatch
    public var chain: ListenerConfig.Chain
    /// The chain's DownstreamTlsContext: the proxy terminates TLS (nil: plain).
    public var tls: DownstreamTLSConfig?

    public init(name: String = "", match: FilterChainMatch = .any, chain: ListenerConfig.Chain, tls: DownstreamTLSConfig? = nil) {
        self.name = name
        self.match = match
        self.chain = chain
        self.tls = tls
    }
}

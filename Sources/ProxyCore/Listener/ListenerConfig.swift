/// A listener: where it binds, its filter chains with their matches, the default
/// chain for connections no chain matches, and what the listener filters detect.
public struct ListenerConfig: Sendable {
    public enum Direction: Sendable, Equatable {
        case unspecified, inbound, outbound
    }

    /// What a filter chain's network filter does with the connection.
    public enum Chain: Sendable {
        case http(HTTPConnectionConfig)
        case tcp(TCPProxyConfig)
    }

    public var name: String
    public var host: String
    public var port: Int
    /// False for Istio's per-port listeners behind `virtualOutbound` (not bound).
    public var bindToPort: Bool
    public var useOriginalDestination: Bool
    public var direction: Direction
    public let filterChains: [FilterChainConfig]
    public let defaultFilterChain: FilterChainConfig?
    public let selector: FilterChainSelector
    public var inspection: ListenerInspection
    /// The listener's own access logs (`Listener.access_log`): written for a
    /// connection that ends before a filter chain takes it (no chain matched: NR,
    /// or the listener filters closed it). Logs that may also admit a served
    /// connection are handed to the TCP chains by the converter as well.
    public var accessLogs: [AccessLogConfig] = []

    public init(name: String, host: String, port: Int, bindToPort: Bool = true, useOriginalDestination: Bool = false,
                direction: Direction = .unspecified, filterChains: [FilterChainConfig], defaultFilterChain: FilterChainConfig? = nil,
                inspection: ListenerInspection = ListenerInspection()) {
        self.name = name
        self.host = host
        self.port = port
        self.bindToPort = bindToPort
        self.useOriginalDestination = useOriginalDestination
        self.direction = direction
        self.filterChains = filterChains
        self.defaultFilterChain = defaultFilterChain
        self.selector = FilterChainSelector(matches: filterChains.map(\.match))
        self.inspection = inspection
    }

    /// A listener with one chain that every connection takes.
    public init(name: String, host: String, port: Int, bindToPort: Bool = true, useOriginalDestination: Bool = false,
                direction: Direction = .unspecified, chain: Chain) {
        self.init(name: name, host: host, port: port, bindToPort: bindToPort, useOriginalDestination: useOriginalDestination,
                  direction: direction, filterChains: [FilterChainConfig(chain: chain)])
    }

    /// The chain every connection takes, when there is no choice to make (one
    /// chain without conditions, no default): the fast path, no selection at all.
    public var singleChain: Chain? {
        guard filterChains.count == 1, defaultFilterChain == nil, filterChains[0].match.isEmpty, filterChains[0].tls == nil else { return nil }
        return filterChains[0].chain
    }

    /// The first chain (or the default one): what single-chain callers look at.
    public var chain: Chain { (filterChains.first ?? defaultFilterChain)!.chain }

    /// Whether selection needs the TLS inspector's findings: it is configured and
    /// some chain matches on server names, transport or application protocols.
    /// (Envoy would peek even when no chain looks; skipping that keeps
    /// server-first protocols from waiting for client bytes.)
    public var needsTLSInspection: Bool {
        inspection.tlsInspector && filterChains.contains { $0.match.usesTLSInspection }
    }

    /// Whether selection needs the HTTP inspector's findings: it is configured and
    /// some chain that plaintext can reach matches an application protocol the
    /// inspector detects. (Envoy would peek anyway; see `needsTLSInspection`.)
    public var needsHTTPInspection: Bool {
        inspection.httpInspector && filterChains.contains { chain in
            chain.match.transportProtocol != "tls"
                && chain.match.applicationProtocols.contains { HTTPInspectorParser.Detected(rawValue: $0) != nil }
        }
    }

    /// Whether a chain terminates TLS: the ClientHello is then peeked even without
    /// the TLS inspector (the client speaks first anyway), for the SNI the request
    /// path reports (`%REQUESTED_SERVER_NAME%`).
    public var terminatesTLS: Bool {
        (filterChains + (defaultFilterChain.map { [$0] } ?? [])).contains { $0.tls != nil }
    }

    /// The chain for a connection: the selected one, else the default, else nil
    /// (Envoy closes the connection).
    public func chain(for facts: ConnectionFacts) -> (index: Int, config: FilterChainConfig)? {
        if let index = selector.select(facts) { return (index, filterChains[index]) }
        return defaultFilterChain.map { (filterChains.count, $0) }
    }
}

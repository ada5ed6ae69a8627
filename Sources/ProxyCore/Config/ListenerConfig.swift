/// A listener: where it binds and what its (single, for now) filter chain does.
public struct ListenerConfig: Sendable {
    public enum Direction: Sendable, Equatable {
        case unspecified, inbound, outbound
    }

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
    public var chain: Chain

    public init(name: String, host: String, port: Int, bindToPort: Bool = true, useOriginalDestination: Bool = false,
                direction: Direction = .unspecified, chain: Chain) {
        self.name = name
        self.host = host
        self.port = port
        self.bindToPort = bindToPort
        self.useOriginalDestination = useOriginalDestination
        self.direction = direction
        self.chain = chain
    }
}

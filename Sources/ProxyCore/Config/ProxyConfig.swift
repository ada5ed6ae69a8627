/// Everything the data plane runs on, as one immutable value: listeners, route
/// tables (by RDS name), clusters and their endpoints. The xDS client builds a new
/// one per accepted update and the workers swap it in whole.
public struct ProxyConfig: Sendable {
    public var version: String
    public var listeners: [ListenerConfig]
    public var routeTables: [String: RouteTable]
    public var clusters: [String: ClusterConfig]
    /// Endpoints by cluster name (EDS, or a cluster's inline load assignment).
    public var endpoints: [String: EndpointSet]
    /// Secrets received over ADS (SDS), by name.
    public var secrets: [String: TLSSecret] = [:]

    public init(version: String = "", listeners: [ListenerConfig] = [], routeTables: [String: RouteTable] = [:],
                clusters: [String: ClusterConfig] = [:], endpoints: [String: EndpointSet] = [:]) {
        self.version = version
        self.listeners = listeners
        self.routeTables = routeTables
        self.clusters = clusters
        self.endpoints = endpoints
    }

    public static let empty = ProxyConfig()

    /// The route table an HTTP listener uses: inline, or the named RDS one.
    public func routeTable(for http: HTTPConnectionConfig) -> RouteTable? {
        switch http.routes {
        case .inline(let table): return table
        case .rds(let name): return routeTables[name]
        }
    }

    /// Endpoints of a cluster: its EDS service name's set, else by cluster name.
    public func endpoints(of cluster: ClusterConfig) -> EndpointSet? {
        switch cluster.discovery {
        case .eds(let serviceName): return endpoints[serviceName.isEmpty ? cluster.name : serviceName]
        default: return endpoints[cluster.name]
        }
    }
}

import XDSAPI

/// Everything one proxy is sent, by xDS type, each list sorted by resource name.
public struct ProxyResources: Sendable {
    public var listeners: [Envoy_Config_Listener_V3_Listener] = []
    public var routes: [Envoy_Config_Route_V3_RouteConfiguration] = []
    public var clusters: [Envoy_Config_Cluster_V3_Cluster] = []
    public var endpoints: [Envoy_Config_Endpoint_V3_ClusterLoadAssignment] = []
    public var secrets: [Envoy_Extensions_TransportSockets_Tls_V3_Secret] = []

    public init() {}

    mutating func sort() {
        listeners.sort { $0.name < $1.name }
        routes.sort { $0.name < $1.name }
        clusters.sort { $0.name < $1.name }
        endpoints.sort { $0.clusterName < $1.clusterName }
        secrets.sort { $0.name < $1.name }
    }
}

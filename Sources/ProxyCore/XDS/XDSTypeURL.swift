/// The xDS resource type URLs the proxy subscribes to, and the warming phase each belongs to.
public enum XDSTypeURL {
    public static let cluster = "type.googleapis.com/envoy.config.cluster.v3.Cluster"
    public static let endpoint = "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment"
    public static let listener = "type.googleapis.com/envoy.config.listener.v3.Listener"
    public static let route = "type.googleapis.com/envoy.config.route.v3.RouteConfiguration"
    public static let secret = "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret"

    /// Request order on a new stream: clusters and what they need first, then listeners and
    /// routes (Envoy initialises CDS before LDS).
    static let order = [cluster, endpoint, secret, listener, route]

    /// Listeners and routes wait until clusters and their endpoints have warmed.
    static func isListenerPhase(_ typeURL: String) -> Bool { typeURL == listener || typeURL == route }
}

/// xDS resource type URLs (Envoy v3).
public enum TypeURL {
    public static let listener = "type.googleapis.com/envoy.config.listener.v3.Listener"
    public static let route = "type.googleapis.com/envoy.config.route.v3.RouteConfiguration"
    public static let cluster = "type.googleapis.com/envoy.config.cluster.v3.Cluster"
    public static let endpoint = "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment"
    public static let secret = "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret"

    /// The order Envoy needs them in (clusters before listeners, endpoints before routes).
    public static let all = [cluster, endpoint, listener, route, secret]

    /// LDS and CDS are wildcard subscriptions: an empty name list means "everything".
    public static func isWildcardType(_ url: String) -> Bool { url == listener || url == cluster }

    public static func shortName(_ url: String) -> String {
        switch url {
        case listener: "LDS"
        case route: "RDS"
        case cluster: "CDS"
        case endpoint: "EDS"
        case secret: "SDS"
        default: url
        }
    }
}

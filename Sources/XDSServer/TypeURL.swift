import XDSAPI

/// xDS resource type URLs (Envoy v3).
public enum TypeURL {
    public static let listener = XDSTypeURL.listener
    public static let route = XDSTypeURL.routeConfiguration
    public static let cluster = XDSTypeURL.cluster
    public static let endpoint = XDSTypeURL.clusterLoadAssignment
    public static let secret = XDSTypeURL.secret

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

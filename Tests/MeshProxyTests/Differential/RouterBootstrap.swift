import Foundation

/// A bootstrap (JSON) with one HTTP listener whose routes all go through the router
/// filter, an admin port and the given clusters: the shape the retry and timeout
/// differential tests share.
enum RouterBootstrap {
    static func json(listenPort: Int, adminPort: Int, log: URL, format: String, routes: [[String: Any]], clusters: [[String: Any]]) -> String {
        let manager: [String: Any] = [
            "@type": "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager",
            "stat_prefix": "in", "generate_request_id": false,
            "access_log": [TCPAccessLogBootstrap.fileLog(log, ["text_format_source": ["inline_string": format]])],
            "route_config": ["name": "local", "virtual_hosts": [["name": "all", "domains": ["*"], "routes": routes]]],
            "http_filters": [["name": "envoy.filters.http.router",
                              "typed_config": ["@type": "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router"]]],
        ]
        let root: [String: Any] = [
            "admin": CircuitBreakerBootstrap.admin(port: adminPort),
            "static_resources": [
                "listeners": [["name": "in", "address": ["socket_address": ["address": "127.0.0.1", "port_value": listenPort]],
                               "filter_chains": [["filters": [["name": "envoy.filters.network.http_connection_manager", "typed_config": manager]]]]]],
                "clusters": clusters,
            ],
        ]
        return String(decoding: try! JSONSerialization.data(withJSONObject: root, options: [.sortedKeys]), as: UTF8.self)
    }
}

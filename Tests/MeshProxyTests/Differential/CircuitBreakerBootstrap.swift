import Foundation

/// HTTP listeners in front of clusters with circuit breakers (Istio's circuit-breaking
/// task as Envoy config): `pending` routes to a cluster with max_connections 1 and
/// max_pending_requests 1, `requests` to one with max_requests 1; a text access log
/// of path, status, flags and details, and an admin for the overflow counters.
final class CircuitBreakerBootstrap: @unchecked Sendable {
    enum Listener: String, CaseIterable { case pending, requests }

    let directory: URL
    let upstreamPort: Int
    /// Listen port of the data plane's first listener -> each listener's port.
    private(set) var ports: [Int: [Listener: Int]] = [:]
    private(set) var adminPorts: [Int: Int] = [:]

    init(directory: URL, upstreamPort: Int) {
        self.directory = directory
        self.upstreamPort = upstreamPort
    }

    func log(_ port: Int) -> URL { directory.appendingPathComponent("cb-\(port).log") }

    static let format = "%REQ(:PATH)% %RESPONSE_CODE% %RESPONSE_FLAGS% %RESPONSE_CODE_DETAILS%\n"

    func json(listenPort port: Int) -> String {
        let assigned: [Listener: Int] = [.pending: port, .requests: try! DifferentialRun.freePort()]
        ports[port] = assigned
        adminPorts[port] = try! DifferentialRun.freePort()
        let logs: [[String: Any]] = [TCPAccessLogBootstrap.fileLog(log(port), ["text_format_source": ["inline_string": Self.format]])]
        func listener(_ name: Listener, cluster: String) -> [String: Any] {
            Self.httpListener(name.rawValue, port: assigned[name]!, cluster: cluster, accessLogs: logs)
        }
        let root: [String: Any] = [
            "admin": Self.admin(port: adminPorts[port]!),
            "static_resources": [
                "listeners": [listener(.pending, cluster: "pending"), listener(.requests, cluster: "requests")],
                "clusters": [
                    TCPAccessLogBootstrap.cluster("pending", ports: [upstreamPort], thresholds: ["max_connections": 1, "max_pending_requests": 1]),
                    TCPAccessLogBootstrap.cluster("requests", ports: [upstreamPort], thresholds: ["max_requests": 1]),
                ],
            ],
        ]
        return String(decoding: try! JSONSerialization.data(withJSONObject: root, options: [.sortedKeys]), as: UTF8.self)
    }

    /// A listener whose HTTP connection manager routes everything to `cluster` and logs with `accessLogs`.
    static func httpListener(_ name: String, port: Int, cluster: String, accessLogs: [[String: Any]]) -> [String: Any] {
        ["name": name, "address": ["socket_address": ["address": "127.0.0.1", "port_value": port]],
         "filter_chains": [["filters": [[
             "name": "envoy.filters.network.http_connection_manager",
             "typed_config": ["@type": "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager",
                              "stat_prefix": name, "generate_request_id": false, "access_log": accessLogs,
                              "route_config": ["name": "local", "virtual_hosts": [["name": "all", "domains": ["*"],
                                               "routes": [["match": ["prefix": "/"], "route": ["cluster": cluster]]]]]],
                              "http_filters": [["name": "envoy.filters.http.router",
                                                "typed_config": ["@type": "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router"]]]],
         ]]]]]
    }

    static func admin(port: Int) -> [String: Any] {
        ["address": ["socket_address": ["address": "127.0.0.1", "port_value": port]]]
    }
}

import Foundation
import MeshCore

/// Listeners whose tcp_proxy writes Istio's text format and Istio's JSON labels
/// to two files, one listener per outcome: served by an upstream, refused
/// connect (UF,URX), no endpoint (UH), no cluster (NC), maximum duration (DT),
/// idle timeout (no flag), a TLS ClientHello matched by SNI behind a
/// tls_inspector (the requested server name), a connection network RBAC denies
/// (the connection termination details); an HTTP request whose upstream
/// refuses (the router's details and reason, same format); circuit breakers: a
/// cluster at max_connections (UO) and one at max_pending_requests while its
/// connect times out (URX; the timeout's UF,URX and its failure reason);
/// max_connect_attempts: a refused connect retried on the cluster's other host
/// (UF, served) and attempts used up on a refusing host (UF,URX); a client that
/// leaves while the connect hangs (noticed when the connect times out, as Envoy
/// reads nothing from it meanwhile). Each data plane gets its own ports and files.
final class TCPAccessLogBootstrap {
    enum Scenario: String, CaseIterable {
        case served, refused, noEndpoint, noCluster, maxDuration, idle, sni, denied, httpRefused
        case overflowHolder, overflow, timeout, pendingOverflow, retryProbe, retried, attemptsUsed, clientLeft

        /// The scenario whose connection is held open while this one runs (it fills the cluster).
        var heldOpen: Scenario? {
            switch self {
            case .overflow: .overflowHolder
            case .pendingOverflow: .timeout
            default: nil
            }
        }
    }

    let directory: URL
    let upstreamPort: Int
    /// A port nothing listens on (the refused connect).
    let closedPort: Int
    /// A listening socket whose accept queue is full: a connect to it hangs (the connect timeout).
    let blackholePort: Int
    /// Listen port of each scenario, by the main (first) listen port.
    private(set) var ports: [Int: [Scenario: Int]] = [:]
    /// Admin port, by the main listen port (the clusters' counters).
    private(set) var adminPorts: [Int: Int] = [:]

    init(directory: URL, upstreamPort: Int, closedPort: Int, blackholePort: Int) {
        self.directory = directory
        self.upstreamPort = upstreamPort
        self.closedPort = closedPort
        self.blackholePort = blackholePort
    }

    /// Istio's formats, as the translator writes them.
    static let istioText = IstioAccessLogFormat.text
    static let istioJSON = IstioAccessLogFormat.jsonLabels

    /// Istio's shape of a DENY AuthorizationPolicy matching every client.
    static func denyAll() -> [String: Any] { [
        "name": "envoy.filters.network.rbac",
        "typed_config": ["@type": "type.googleapis.com/envoy.extensions.filters.network.rbac.v3.RBAC", "stat_prefix": "tcp.",
                         "rules": ["action": "DENY", "policies": ["ns[default]-policy[deny-all]-rule[0]":
                            ["permissions": [["any": true]], "principals": [["any": true]]]]]],
    ] }

    func textLog(_ port: Int) -> URL { directory.appendingPathComponent("tcp-text-\(port).log") }
    func jsonLog(_ port: Int) -> URL { directory.appendingPathComponent("tcp-json-\(port).log") }

    /// The bootstrap for data plane listening first on `port` (the others on free ports).
    func json(listenPort port: Int) -> String {
        var assigned: [Scenario: Int] = [.served: port]
        for scenario in Scenario.allCases where scenario != .served { assigned[scenario] = try! DifferentialRun.freePort() }
        ports[port] = assigned
        adminPorts[port] = try! DifferentialRun.freePort()
        let logs: [[String: Any]] = [
            Self.fileLog(textLog(port), ["text_format_source": ["inline_string": Self.istioText]]),
            Self.fileLog(jsonLog(port), ["json_format": Self.istioJSON]),
        ]
        func listener(_ scenario: Scenario, cluster: String, extra: [String: Any] = [:], serverNames: [String]? = nil,
                      before: [[String: Any]] = []) -> [String: Any] {
            var proxy: [String: Any] = ["@type": "type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy",
                                        "stat_prefix": scenario.rawValue, "cluster": cluster, "access_log": logs]
            proxy.merge(extra) { $1 }
            let last: [String: Any] = scenario == .httpRefused ? httpConnectionManager(cluster: cluster, logs: logs)
                : ["name": "envoy.filters.network.tcp_proxy", "typed_config": proxy]
            var chain: [String: Any] = ["filters": before + [last]]
            var result: [String: Any] = ["name": scenario.rawValue,
                                         "address": ["socket_address": ["address": "127.0.0.1", "port_value": assigned[scenario]!]]]
            if let serverNames {
                chain["filter_chain_match"] = ["server_names": serverNames]
                result["listener_filters"] = [["name": "envoy.filters.listener.tls_inspector", "typed_config":
                    ["@type": "type.googleapis.com/envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector"]]]
            }
            result["filter_chains"] = [chain]
            return result
        }
        let root: [String: Any] = ["admin": ["address": ["socket_address": ["address": "127.0.0.1", "port_value": adminPorts[port]!]]], "static_resources": [
            "listeners": [
                listener(.served, cluster: "backend"), listener(.refused, cluster: "closed"), listener(.noEndpoint, cluster: "empty"),
                listener(.noCluster, cluster: "nothere"),
                listener(.maxDuration, cluster: "backend", extra: ["idle_timeout": "10s", "max_downstream_connection_duration": "1s"]),
                listener(.idle, cluster: "backend", extra: ["idle_timeout": "1s"]),
                listener(.sni, cluster: "backend", serverNames: ["db.example.com"]),
                listener(.denied, cluster: "backend", before: [Self.denyAll()]),
                listener(.httpRefused, cluster: "closed"),
                listener(.overflowHolder, cluster: "limited"), listener(.overflow, cluster: "limited"),
                listener(.timeout, cluster: "blackhole"), listener(.pendingOverflow, cluster: "blackhole"),
                listener(.retryProbe, cluster: "pair"), listener(.retried, cluster: "pair", extra: ["max_connect_attempts": 2]),
                listener(.attemptsUsed, cluster: "closed", extra: ["max_connect_attempts": 3]),
                listener(.clientLeft, cluster: "stalled"),
            ],
            "clusters": [Self.cluster("backend", ports: [upstreamPort]), Self.cluster("closed", ports: [closedPort]), Self.cluster("empty", ports: []),
                         Self.cluster("limited", ports: [upstreamPort], thresholds: ["max_connections": 1]),
                         Self.cluster("blackhole", ports: [blackholePort], thresholds: ["max_pending_requests": 1]),
                         Self.cluster("pair", ports: [closedPort, upstreamPort]), Self.cluster("stalled", ports: [blackholePort])],
        ]]
        return String(decoding: try! JSONSerialization.data(withJSONObject: root, options: [.sortedKeys]), as: UTF8.self)
    }

    /// One route to `cluster`, no generated request ids (they would differ).
    private func httpConnectionManager(cluster: String, logs: [[String: Any]]) -> [String: Any] {
        ["name": "envoy.filters.network.http_connection_manager",
         "typed_config": ["@type": "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager",
                          "stat_prefix": "http", "generate_request_id": false, "access_log": logs,
                          "route_config": ["name": "local", "virtual_hosts": [["name": "all", "domains": ["*"],
                                                                                 "routes": [["match": ["prefix": "/"], "route": ["cluster": cluster]]]]]],
                          "http_filters": [["name": "envoy.filters.http.router",
                                            "typed_config": ["@type": "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router"]]]]]
    }

    static func fileLog(_ path: URL, _ format: [String: Any]) -> [String: Any] {
        ["name": "envoy.access_loggers.file",
         "typed_config": ["@type": "type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog", "path": path.path, "log_format": format]]
    }

    static func cluster(_ name: String, port: Int?) -> [String: Any] {
        cluster(name, ports: port.map { [$0] } ?? [])
    }

    static func cluster(_ name: String, ports: [Int], thresholds: [String: Any]? = nil) -> [String: Any] {
        let hosts: [[String: Any]] = ports.map { ["endpoint": ["address": ["socket_address": ["address": "127.0.0.1", "port_value": $0]]]] }
        var cluster: [String: Any] = ["name": name, "type": "STATIC", "connect_timeout": "1s",
                                      "load_assignment": ["cluster_name": name, "endpoints": hosts.isEmpty ? [] : [["lb_endpoints": hosts]]]]
        if let thresholds { cluster["circuit_breakers"] = ["thresholds": [thresholds]] }
        return cluster
    }
}

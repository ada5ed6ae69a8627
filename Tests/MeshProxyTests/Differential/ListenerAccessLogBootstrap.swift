import Foundation

/// Listeners with Istio's listener-level access log - the text format and the
/// JSON labels, each behind `response_flag_filter: NR` as istiod writes them - and
/// a third, unfiltered text log (Envoy writes a listener's logs for every
/// connection it closes), one listener per scenario of `ListenerAccessLogDifferentialTests`.
/// Their chains proxy to a closed port (a served connection logs UF,URX in the
/// unfiltered log). Each data plane gets its own ports and files.
final class ListenerAccessLogBootstrap {
    /// How a scenario's listener picks its one chain.
    enum Match {
        /// A tls_inspector and `server_names: [foo.example.com]`.
        case serverName
        /// `destination_port: 1`: no connection to the listener matches it.
        case otherPort
        /// As `serverName`, with a 300 ms listener filter timeout that closes.
        case serverNameWithTimeout
    }

    let directory: URL
    /// A port nothing listens on.
    let closedPort: Int
    /// Listen port of each scenario (by name), by the main (first) listen port.
    private(set) var ports: [Int: [String: Int]] = [:]

    init(directory: URL, closedPort: Int) {
        self.directory = directory
        self.closedPort = closedPort
    }

    func textLog(_ port: Int) -> URL { directory.appendingPathComponent("listener-text-\(port).log") }
    func jsonLog(_ port: Int) -> URL { directory.appendingPathComponent("listener-json-\(port).log") }
    func allLog(_ port: Int) -> URL { directory.appendingPathComponent("listener-all-\(port).log") }

    /// The bootstrap for the data plane listening first on `port` (the first
    /// scenario's listener), the others on free ports.
    func json(listenPort port: Int, scenarios: [(name: String, match: Match)]) -> String {
        var assigned: [String: Int] = [:]
        for (index, scenario) in scenarios.enumerated() { assigned[scenario.name] = index == 0 ? port : try! DifferentialRun.freePort() }
        ports[port] = assigned
        let noChain: [String: Any] = ["response_flag_filter": ["flags": ["NR"]]]
        var text = TCPAccessLogBootstrap.fileLog(textLog(port), ["text_format_source": ["inline_string": TCPAccessLogBootstrap.istioText]])
        text["filter"] = noChain
        var json = TCPAccessLogBootstrap.fileLog(jsonLog(port), ["json_format": TCPAccessLogBootstrap.istioJSON])
        json["filter"] = noChain
        let all = TCPAccessLogBootstrap.fileLog(allLog(port), ["text_format_source": ["inline_string": TCPAccessLogBootstrap.istioText]])
        let tlsInspector: [String: Any] = ["name": "envoy.filters.listener.tls_inspector", "typed_config":
            ["@type": "type.googleapis.com/envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector"]]
        let listeners: [[String: Any]] = scenarios.map { scenario in
            var listener: [String: Any] = ["name": scenario.name, "access_log": [text, json, all],
                                           "address": ["socket_address": ["address": "127.0.0.1", "port_value": assigned[scenario.name]!]]]
            let match: [String: Any]
            switch scenario.match {
            case .serverName, .serverNameWithTimeout:
                match = ["server_names": ["foo.example.com"]]
                listener["listener_filters"] = [tlsInspector]
                if scenario.match == .serverNameWithTimeout { listener["listener_filters_timeout"] = "0.300s" }
            case .otherPort:
                match = ["destination_port": 1]
            }
            listener["filter_chains"] = [["filter_chain_match": match, "filters": [["name": "envoy.filters.network.tcp_proxy", "typed_config": [
                "@type": "type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy", "stat_prefix": "closed", "cluster": "closed"]]]]]
            return listener
        }
        let root: [String: Any] = ["static_resources": ["listeners": listeners, "clusters": [TCPAccessLogBootstrap.cluster("closed", port: closedPort)]]]
        return String(decoding: try! JSONSerialization.data(withJSONObject: root, options: [.sortedKeys]), as: UTF8.self)
    }
}

/// Listeners with the HTTP inspector that both data planes run.
enum HTTPInspectorBootstrap {
    /// Istio's inbound shape: tls_inspector + http_inspector; plaintext HTTP/1.1
    /// and h2c to an HTTP connection manager (AUTO codec, routing to the echo
    /// upstream), everything else to a tcp_proxy whose upstream tags itself "tcp".
    /// A silent client goes on after 1 s (continue_on_listener_filters_timeout).
    static func inbound(listenPort: Int, httpPort: Int, tcpPort: Int) -> String {
        let hcm = """
        {"name": "envoy.filters.network.http_connection_manager", "typed_config": {
          "@type": "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager",
          "stat_prefix": "inbound_http", "codec_type": "AUTO", "generate_request_id": false,
          "route_config": {"name": "local", "virtual_hosts": [{"name": "all", "domains": ["*"], "routes": [
            {"match": {"prefix": "/"}, "route": {"cluster": "web"}}]}]},
          "http_filters": [{"name": "envoy.filters.http.router",
            "typed_config": {"@type": "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router", "suppress_envoy_headers": true}}]}}
        """
        let chains = [
            #"{"name": "http", "filter_chain_match": {"application_protocols": ["http/1.1", "h2c"]}, "filters": [\#(hcm)]}"#,
            #"{"name": "tcp", "filters": [\#(tcpProxy("tcp"))]}"#,
        ]
        // Istio-style filter_disabled predicates that leave this port's inspectors on.
        let own = #"{"destination_port_range": {"start": \#(listenPort), "end": \#(listenPort + 1)}}"#
        let disabled = [
            "tls_inspector": #"{"destination_port_range": {"start": 1, "end": 2}}"#,
            "http_inspector": #"{"or_match": {"rules": [{"destination_port_range": {"start": 1, "end": 2}}, {"not_match": \#(own)}]}}"#,
        ]
        return bootstrap(name: "inbound", listenPort: listenPort, listenerFilters: ["tls_inspector", "http_inspector"], disabled: disabled,
                         timeout: "1s", continueOnTimeout: true, chains: chains, defaultChain: nil,
                         clusters: ["web": httpPort, "tcp": tcpPort])
    }

    /// Tags for the protocol table listener's chains: one per detected protocol,
    /// "none" (the default chain) when nothing was detected.
    static let protocolTags = ["http/1.0": "http10", "http/1.1": "http11", "h2c": "h2c"]

    /// The HTTP inspector alone, a tcp_proxy chain per detected protocol, each to
    /// an upstream tagged with it: which chain a byte sequence reaches is what the
    /// inspector decided. A silent client is closed after 1 s.
    /// `disabledOnOwnPort`: the inspector's filter_disabled matches the listener's
    /// port, so nothing is detected.
    static func table(listenPort: Int, upstreamPorts: [String: Int], disabledOnOwnPort: Bool = false) -> String {
        let chains = protocolTags.sorted { $0.key < $1.key }.map { protocolName, tag in
            #"{"filter_chain_match": {"application_protocols": ["\#(protocolName)"]}, "filters": [\#(tcpProxy(tag))]}"#
        }
        let own = #"{"destination_port_range": {"start": \#(listenPort), "end": \#(listenPort + 1)}}"#
        let disabled = disabledOnOwnPort ? ["http_inspector": #"{"and_match": {"rules": [{"any_match": true}, \#(own)]}}"#] : [:]
        return bootstrap(name: "table", listenPort: listenPort, listenerFilters: ["http_inspector"], disabled: disabled,
                         timeout: "1s", continueOnTimeout: false,
                         chains: chains, defaultChain: #"{"filters": [\#(tcpProxy("none"))]}"#, clusters: upstreamPorts)
    }

    static func tcpProxy(_ cluster: String) -> String {
        """
        {"name": "envoy.filters.network.tcp_proxy", "typed_config": {
          "@type": "type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy", "stat_prefix": "\(cluster)", "cluster": "\(cluster)"}}
        """
    }

    static func bootstrap(name: String, listenPort: Int, listenerFilters: [String], disabled: [String: String], timeout: String,
                          continueOnTimeout: Bool, chains: [String], defaultChain: String?, clusters: [String: Int]) -> String {
        let filters = listenerFilters.map { filter in
            let type = filter == "tls_inspector" ? "tls_inspector.v3.TlsInspector" : "http_inspector.v3.HttpInspector"
            let predicate = disabled[filter].map { #", "filter_disabled": \#($0)"# } ?? ""
            return #"{"name": "envoy.filters.listener.\#(filter)", "typed_config": {"@type": "type.googleapis.com/envoy.extensions.filters.listener.\#(type)"}\#(predicate)}"#
        }
        let clusterJSON = clusters.sorted { $0.key < $1.key }.map { name, port in
            """
            {"name": "\(name)", "type": "STATIC", "connect_timeout": "1s", "load_assignment": {"cluster_name": "\(name)", "endpoints": [{"lb_endpoints": [
              {"endpoint": {"address": {"socket_address": {"address": "127.0.0.1", "port_value": \(port)}}}}]}]}}
            """
        }
        return """
        {
          "static_resources": {
            "listeners": [{
              "name": "\(name)",
              "address": {"socket_address": {"address": "127.0.0.1", "port_value": \(listenPort)}},
              "listener_filters": [\(filters.joined(separator: ", "))],
              "listener_filters_timeout": "\(timeout)",
              "continue_on_listener_filters_timeout": \(continueOnTimeout),
              "filter_chains": [\(chains.joined(separator: ",\n"))]\(defaultChain.map { ",\n\"default_filter_chain\": \($0)" } ?? "")
            }],
            "clusters": [\(clusterJSON.joined(separator: ",\n"))]
          }
        }
        """
    }
}

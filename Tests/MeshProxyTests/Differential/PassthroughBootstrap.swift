/// An SNI listener both data planes run: the TLS inspector, chains by exact and
/// wildcard server name, by ALPN, by transport protocol, and a default chain;
/// each chain a tcp_proxy to its own tagged upstream.
enum PassthroughBootstrap {
    /// Cluster names, which are also the tags their upstreams answer with.
    static let clusters = ["exact", "exact-h2", "wildcard", "tls", "default"]

    static func json(listenPort: Int, upstreamPorts: [String: Int]) -> String {
        func chain(_ cluster: String, match: String?) -> String {
            """
            {\(match.map { "\"filter_chain_match\": \($0), " } ?? "")"filters": [{"name": "envoy.filters.network.tcp_proxy", "typed_config": {
              "@type": "type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy", "stat_prefix": "\(cluster)", "cluster": "\(cluster)"}}]}
            """
        }
        let chains = [
            chain("exact", match: #"{"server_names": ["a.example.com"]}"#),
            chain("exact-h2", match: #"{"server_names": ["a.example.com"], "application_protocols": ["h2"]}"#),
            chain("wildcard", match: #"{"server_names": ["*.example.com"]}"#),
            chain("tls", match: #"{"transport_protocol": "tls"}"#),
        ]
        let clusters = Self.clusters.map { name in
            """
            {"name": "\(name)", "type": "STATIC", "connect_timeout": "1s", "load_assignment": {"cluster_name": "\(name)", "endpoints": [{"lb_endpoints": [
              {"endpoint": {"address": {"socket_address": {"address": "127.0.0.1", "port_value": \(upstreamPorts[name]!)}}}}]}]}}
            """
        }
        return """
        {
          "static_resources": {
            "listeners": [{
              "name": "passthrough",
              "address": {"socket_address": {"address": "127.0.0.1", "port_value": \(listenPort)}},
              "listener_filters": [{"name": "envoy.filters.listener.tls_inspector",
                "typed_config": {"@type": "type.googleapis.com/envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector"}}],
              "filter_chains": [\(chains.joined(separator: ",\n"))],
              "default_filter_chain": \(chain("default", match: nil))
            }],
            "clusters": [\(clusters.joined(separator: ",\n"))]
          }
        }
        """
    }
}

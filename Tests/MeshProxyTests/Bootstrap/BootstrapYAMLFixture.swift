/// YAML bootstraps for the decoder tests that need a listener but are about one
/// part of it: a static listener on 127.0.0.1 whose connection manager answers
/// every host through the given routes.
enum BootstrapYAMLFixture {
    /// Listener (and stat prefix) `name` on `port`. `routes` is the virtual host's
    /// route list and `httpFilters` the manager's filter list, each written from
    /// column 0. The first route starts on line 16.
    static func httpListener(_ name: String, port: Int, routes: String, httpFilters: String? = nil) -> String {
        let listener = """
        static_resources:
          listeners:
          - name: \(name)
            address: {socket_address: {address: 127.0.0.1, port_value: \(port)}}
            filter_chains:
            - filters:
              - name: envoy.filters.network.http_connection_manager
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                  stat_prefix: \(name)
                  route_config:
                    virtual_hosts:
                    - name: all
                      domains: ["*"]
                      routes:

        """
        let filters = httpFilters.map { "\n          http_filters:\n" + indented($0, by: 10) } ?? ""
        return listener + indented(routes, by: 14) + filters
    }

    private static func indented(_ text: String, by width: Int) -> String {
        let margin = String(repeating: " ", count: width)
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { margin + $0 }.joined(separator: "\n")
    }
}

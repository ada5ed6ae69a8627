/// The HTTP/2 differential's bootstrap: an AUTO-codec listener routing `/pkg.`
/// to an HTTP/2 (gRPC) cluster, `/none.` to a cluster without endpoints and the
/// rest to the HTTP/1.1 echo upstream.
enum HTTP2Bootstrap {
    static func json(listenPort: Int, upstreamPort: Int, grpcPort: Int) -> String {
        """
        {
          "static_resources": {
            "listeners": [{
              "name": "h2",
              "address": {"socket_address": {"address": "127.0.0.1", "port_value": \(listenPort)}},
              "filter_chains": [{"filters": [{
                "name": "envoy.filters.network.http_connection_manager",
                "typed_config": {
                  "@type": "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager",
                  "stat_prefix": "h2", "codec_type": "AUTO", "generate_request_id": false,
                  "route_config": {"name": "local", "virtual_hosts": [{"name": "all", "domains": ["*"], "routes": [
                    {"match": {"prefix": "/pkg."}, "route": {"cluster": "grpc"}},
                    {"match": {"prefix": "/none."}, "route": {"cluster": "empty"}},
                    {"match": {"prefix": "/"}, "route": {"cluster": "upstream"}}
                  ]}]},
                  "http_filters": [{"name": "envoy.filters.http.router",
                    "typed_config": {"@type": "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router", "suppress_envoy_headers": true}}]
                }
              }]}]
            }],
            "clusters": [
              {"name": "upstream", "type": "STATIC", "connect_timeout": "1s",
               "load_assignment": {"cluster_name": "upstream", "endpoints": [{"lb_endpoints": [{"endpoint":
                 {"address": {"socket_address": {"address": "127.0.0.1", "port_value": \(upstreamPort)}}}}]}]}},
              {"name": "grpc", "type": "STATIC", "connect_timeout": "1s",
               "typed_extension_protocol_options": {"envoy.extensions.upstreams.http.v3.HttpProtocolOptions": {
                 "@type": "type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions",
                 "explicit_http_config": {"http2_protocol_options": {}}}},
               "load_assignment": {"cluster_name": "grpc", "endpoints": [{"lb_endpoints": [{"endpoint":
                 {"address": {"socket_address": {"address": "127.0.0.1", "port_value": \(grpcPort)}}}}]}]}},
              {"name": "empty", "type": "STATIC", "connect_timeout": "1s",
               "load_assignment": {"cluster_name": "empty", "endpoints": []}}
            ]
          }
        }
        """
    }
}

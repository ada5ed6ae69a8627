/// One Envoy bootstrap (JSON) that both data planes run: routes covering the
/// behaviours a client can see (local replies, redirects, rewrites, header
/// changes, missing clusters and endpoints, the x-envoy-* headers the router adds
/// with and without a per-try timeout), each logged to `accessLog` with `format`
/// (path, status, flags, details).
enum DifferentialBootstrap {
    static let format = "%REQ(:PATH)% %RESPONSE_CODE% %RESPONSE_FLAGS% %RESPONSE_CODE_DETAILS%\\n"

    static func json(listenPort: Int, upstreamPort: Int, accessLog: String) -> String {
        """
        {
          "static_resources": {
            "listeners": [{
              "name": "differential",
              "address": {"socket_address": {"address": "127.0.0.1", "port_value": \(listenPort)}},
              "filter_chains": [{"filters": [{
                "name": "envoy.filters.network.http_connection_manager",
                "typed_config": {
                  "@type": "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager",
                  "stat_prefix": "differential",
                  "generate_request_id": false,
                  "access_log": [{"name": "envoy.access_loggers.file", "typed_config": {
                    "@type": "type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog",
                    "path": "\(accessLog)", "log_format": {"text_format_source": {"inline_string": "\(format)"}}}}],
                  "route_config": {"name": "local", "validate_clusters": false, "virtual_hosts": [{
                    "name": "svc", "domains": ["svc", "svc:8080", "*.wild.example"],
                    "routes": [
                      {"match": {"path": "/direct"}, "direct_response": {"status": 418, "body": {"inline_string": "teapot"}},
                       "response_headers_to_add": [{"header": {"key": "x-resp", "value": "direct"}}]},
                      {"match": {"prefix": "/redirect"}, "redirect": {"https_redirect": true, "prefix_rewrite": "/new", "response_code": "PERMANENT_REDIRECT"},
                       "response_headers_to_add": [{"header": {"key": "x-resp", "value": "redirect"}}]},
                      {"match": {"prefix": "/rewrite/"}, "route": {"cluster": "upstream", "prefix_rewrite": "/rewritten/", "timeout": "3s"},
                       "request_headers_to_add": [{"header": {"key": "x-added", "value": "yes"}, "append_action": "OVERWRITE_IF_EXISTS_OR_ADD"}],
                       "request_headers_to_remove": ["x-removed"],
                       "response_headers_to_add": [{"header": {"key": "x-resp", "value": "1"}}],
                       "response_headers_to_remove": ["x-drop-me"]},
                      {"match": {"prefix": "/header", "headers": [{"name": "x-user", "string_match": {"exact": "jason"}}]},
                       "direct_response": {"status": 200, "body": {"inline_string": "jason"}}},
                      {"match": {"prefix": "/header"}, "direct_response": {"status": 200, "body": {"inline_string": "someone"}}},
                      {"match": {"prefix": "/query", "query_parameters": [{"name": "v", "string_match": {"exact": "2"}}]},
                       "direct_response": {"status": 200, "body": {"inline_string": "v2"}}},
                      {"match": {"safe_regex": {"regex": "/users/[0-9]+"}}, "direct_response": {"status": 200, "body": {"inline_string": "user"}}},
                      {"match": {"prefix": "/CaseLess", "case_sensitive": false}, "direct_response": {"status": 200, "body": {"inline_string": "caseless"}}},
                      {"match": {"prefix": "/nocluster"}, "route": {"cluster": "does-not-exist"},
                       "response_headers_to_add": [{"header": {"key": "x-resp", "value": "nocluster"}}]},
                      {"match": {"path": "/server-direct"}, "direct_response": {"status": 200, "body": {"inline_string": "s"}},
                       "response_headers_to_add": [{"header": {"key": "server", "value": "route"}, "append_action": "OVERWRITE_IF_EXISTS_OR_ADD"}]},
                      {"match": {"prefix": "/server-upstream"}, "route": {"cluster": "upstream"},
                       "response_headers_to_add": [{"header": {"key": "server", "value": "route"}, "append_action": "OVERWRITE_IF_EXISTS_OR_ADD"}]},
                      {"match": {"prefix": "/empty"}, "route": {"cluster": "empty"},
                       "response_headers_to_add": [{"header": {"key": "x-resp", "value": "empty"}}]},
                      {"match": {"prefix": "/"}, "route": {"cluster": "upstream", "retry_policy": {"retry_on": "connect-failure", "per_try_timeout": "2s"}}}
                    ]
                  }]},
                  "http_filters": [{"name": "envoy.filters.http.router",
                    "typed_config": {"@type": "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router"}}]
                }
              }]}]
            }],
            "clusters": [
              {"name": "upstream", "type": "STATIC", "connect_timeout": "1s",
               "load_assignment": {"cluster_name": "upstream", "endpoints": [{"lb_endpoints": [{"endpoint":
                 {"address": {"socket_address": {"address": "127.0.0.1", "port_value": \(upstreamPort)}}}}]}]}},
              {"name": "empty", "type": "STATIC", "connect_timeout": "1s",
               "load_assignment": {"cluster_name": "empty", "endpoints": []}}
            ]
          }
        }
        """
    }
}

/// A bootstrap with Istio's jwt_authn shape (one provider `origins-0`,
/// requires_any [provider, allow_missing], payload in metadata) followed by an
/// ALLOW RBAC filter: `/secure` needs requestPrincipal `<issuer>/alice`,
/// `/admin` needs claim groups containing `admin`, everything else passes.
enum JWTDifferentialBootstrap {
    static let issuer = "https://issuer.example"

    static func json(port: Int, upstreamPort: Int, jwks: String, accessLog: String) -> String {
        let escaped = jwks.replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "")
        return """
        {
          "admin": {"address": {"socket_address": {"address": "127.0.0.1", "port_value": 0}}},
          "static_resources": {
            "listeners": [{"name": "jwt", "address": {"socket_address": {"address": "127.0.0.1", "port_value": \(port)}},
              "filter_chains": [{"filters": [{"name": "envoy.filters.network.http_connection_manager", "typed_config": {
                "@type": "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager",
                "stat_prefix": "jwt", "generate_request_id": false, "normalize_path": true,
                "access_log": [{"name": "envoy.access_loggers.file", "typed_config": {
                  "@type": "type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog", "path": "\(accessLog)",
                  "log_format": {"text_format_source": {"inline_string": "%RESPONSE_CODE% %RESPONSE_FLAGS% %RESPONSE_CODE_DETAILS%\\n"}}}}],
                "route_config": {"name": "jwt", "virtual_hosts": [{"name": "all", "domains": ["*"],
                  "routes": [{"match": {"prefix": "/"}, "route": {"cluster": "upstream"}}]}]},
                "http_filters": [
                  {"name": "envoy.filters.http.jwt_authn", "typed_config": {"@type": "type.googleapis.com/envoy.extensions.filters.http.jwt_authn.v3.JwtAuthentication",
                    "providers": {"origins-0": {"issuer": "\(issuer)", "audiences": ["svc.example"],
                      "local_jwks": {"inline_string": "\(escaped)"}, "payload_in_metadata": "payload",
                      "forward_payload_header": "x-jwt-payload", "claim_to_headers": [{"header_name": "x-sub", "claim_name": "sub"}]}},
                    "rules": [{"match": {"prefix": "/"}, "requires": {"requires_any": {"requirements": [{"provider_name": "origins-0"}, {"allow_missing": {}}]}}}]}},
                  {"name": "envoy.filters.http.rbac", "typed_config": {"@type": "type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBAC",
                    "rules": {"action": "ALLOW", "policies": {
                      "ns[default]-policy[secure]-rule[0]": {"permissions": [{"url_path": {"path": {"prefix": "/secure"}}}],
                        "principals": [{"and_ids": {"ids": [
                          {"metadata": {"filter": "envoy.filters.http.jwt_authn", "path": [{"key": "payload"}, {"key": "iss"}], "value": {"string_match": {"exact": "\(issuer)"}}}},
                          {"metadata": {"filter": "envoy.filters.http.jwt_authn", "path": [{"key": "payload"}, {"key": "sub"}], "value": {"string_match": {"exact": "alice"}}}}]}}]},
                      "ns[default]-policy[admin]-rule[0]": {"permissions": [{"url_path": {"path": {"prefix": "/admin"}}}],
                        "principals": [{"metadata": {"filter": "envoy.filters.http.jwt_authn", "path": [{"key": "payload"}, {"key": "groups"}],
                          "value": {"list_match": {"one_of": {"string_match": {"exact": "admin"}}}}}}]},
                      "ns[default]-policy[open]-rule[0]": {"permissions": [{"not_rule": {"or_rules": {"rules": [
                          {"url_path": {"path": {"prefix": "/secure"}}}, {"url_path": {"path": {"prefix": "/admin"}}}]}}}],
                        "principals": [{"any": true}]}}}}},
                  {"name": "envoy.filters.http.router", "typed_config": {"@type": "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router", "suppress_envoy_headers": true}}]
              }}]}]}],
            "clusters": [{"name": "upstream", "type": "STATIC", "connect_timeout": "1s",
              "load_assignment": {"cluster_name": "upstream", "endpoints": [{"lb_endpoints": [{"endpoint":
                {"address": {"socket_address": {"address": "127.0.0.1", "port_value": \(upstreamPort)}}}}]}]}}]
          }
        }
        """
    }
}

/// One Envoy bootstrap both data planes run for the bypass corpus: two listeners
/// with the same RBAC filters as Istio's translator writes them (a DENY filter,
/// then an ALLOW filter), one with Istio's default path handling (normalise,
/// merge slashes, escaped slashes kept) and one that also decodes `%2F` / `%5C`
/// (Istio's DECODE_AND_MERGE_SLASHES).
enum AuthzBypassBootstrap {
    /// `accessLog`: a file both listeners log every request to, one line each:
    /// status, flags, details and the (normalised) path.
    static func json(keepPort: Int, decodePort: Int, upstreamPort: Int, accessLog: String) -> String {
        """
        {
          "admin": {"address": {"socket_address": {"address": "127.0.0.1", "port_value": 0}}},
          "static_resources": {
            "listeners": [\(listener("keep", keepPort, escapedSlashes: "KEEP_UNCHANGED", accessLog)), \(listener("decode", decodePort, escapedSlashes: "UNESCAPE_AND_FORWARD", accessLog))],
            "clusters": [{"name": "upstream", "type": "STATIC", "connect_timeout": "1s",
              "load_assignment": {"cluster_name": "upstream", "endpoints": [{"lb_endpoints": [{"endpoint":
                {"address": {"socket_address": {"address": "127.0.0.1", "port_value": \(upstreamPort)}}}}]}]}}]
          }
        }
        """
    }

    static func listener(_ name: String, _ port: Int, escapedSlashes: String, _ accessLog: String) -> String {
        """
        {"name": "\(name)", "address": {"socket_address": {"address": "127.0.0.1", "port_value": \(port)}},
         "filter_chains": [{"filters": [{"name": "envoy.filters.network.http_connection_manager", "typed_config": {
           "@type": "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager",
           "stat_prefix": "\(name)", "generate_request_id": false,
           "normalize_path": true, "merge_slashes": true, "path_with_escaped_slashes_action": "\(escapedSlashes)",
           "access_log": [{"name": "envoy.access_loggers.file", "typed_config": {
             "@type": "type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog", "path": "\(accessLog)",
             "log_format": {"text_format_source": {"inline_string": "%RESPONSE_CODE% %RESPONSE_FLAGS% %RESPONSE_CODE_DETAILS% %REQ(:PATH)%\\n"}}}}],
           "route_config": {"name": "\(name)", "virtual_hosts": [{"name": "all", "domains": ["*"],
             "routes": [{"match": {"prefix": "/"}, "route": {"cluster": "upstream"}}]}]},
           "http_filters": [\(denyFilter), \(allowFilter),
             {"name": "envoy.filters.http.router", "typed_config": {"@type": "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router", "suppress_envoy_headers": true}}]
         }}]}]}
        """
    }

    /// Istio's shape for one rule: and_rules of or_rules per field, principals and_ids of or_ids.
    static func rule(_ permission: String, principal: String = #"{"any": true}"#) -> String {
        """
        {"permissions": [{"and_rules": {"rules": [{"or_rules": {"rules": [\(permission)]}}]}}],
         "principals": [{"and_ids": {"ids": [\(principal)]}}]}
        """
    }

    static func authority(_ host: String) -> String {
        """
        {"header": {"name": ":authority", "string_match": {"exact": "\(host)", "ignore_case": true}}},
        {"header": {"name": ":authority", "string_match": {"prefix": "\(host):", "ignore_case": true}}}
        """
    }

    /// Istio's `{*}` / `{**}` paths as Envoy's URI template matcher.
    static func template(_ path: String) -> String {
        """
        {"uri_template": {"name": "envoy.path.match.uri_template.uri_template_matcher", "typed_config": {
          "@type": "type.googleapis.com/envoy.extensions.path.match.uri_template.v3.UriTemplateMatchConfig", "path_template": "\(path)"}}}
        """
    }

    /// AuthorizationPolicy DENY: paths `/admin*`, `/secret`, `/api/{*}/delete`, `/files/{**}/raw`, header `x-evil`,
    /// method DELETE, host `blocked.example`, remoteIpBlocks 10.66.0.0/16.
    static let denyFilter = """
    {"name": "envoy.filters.http.rbac", "typed_config": {"@type": "type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBAC",
     "rules": {"action": "DENY", "policies": {
       "ns[default]-policy[deny-admin]-rule[0]": \(rule(#"{"url_path": {"path": {"prefix": "/admin"}}}"#)),
       "ns[default]-policy[deny-secret]-rule[0]": \(rule(#"{"url_path": {"path": {"exact": "/secret"}}}"#)),
       "ns[default]-policy[deny-evil]-rule[0]": \(rule(#"{"header": {"name": "x-evil", "present_match": true}}"#)),
       "ns[default]-policy[deny-delete]-rule[0]": \(rule(#"{"header": {"name": ":method", "string_match": {"exact": "DELETE"}}}"#)),
       "ns[default]-policy[deny-host]-rule[0]": \(rule(authority("blocked.example"))),
       "ns[default]-policy[deny-template]-rule[0]": \(rule(template("/api/*/delete") + ", " + template("/files/**/raw"))),
       "ns[default]-policy[deny-remote]-rule[0]": \(rule(#"{"any": true}"#, principal: #"{"or_ids": {"ids": [{"remote_ip": {"address_prefix": "10.66.0.0", "prefix_len": 16}}]}}"#))
     }},
     "shadow_rules_stat_prefix": "istio_dry_run_deny_"}}
    """

    /// AuthorizationPolicy ALLOW: every path but `/private*` (notPaths).
    static let allowFilter = """
    {"name": "envoy.filters.http.rbac", "typed_config": {"@type": "type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBAC",
     "rules": {"action": "ALLOW", "policies": {
       "ns[default]-policy[allow-public]-rule[0]": \(rule(#"{"not_rule": {"or_rules": {"rules": [{"url_path": {"path": {"prefix": "/private"}}}]}}}"#))
     }},
     "shadow_rules_stat_prefix": "istio_dry_run_allow_"}}
    """
}

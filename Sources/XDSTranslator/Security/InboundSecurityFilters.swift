import MeshSnapshot
import XDSAPI

/// What a workload's inbound (or a gateway's) connection managers and TCP chains
/// carry for request authentication and authorization: jwt_authn first, then the
/// RBAC filters (AUDIT, DENY, ALLOW); RBAC alone before tcp_proxy on TCP chains.
struct InboundSecurityFilters {
    var http: [Envoy_Extensions_Filters_Network_HttpConnectionManager_V3_HttpFilter] = []
    var tcp: [Envoy_Config_Listener_V3_Filter] = []
    /// Rules left out (e.g. HTTP-only attributes on TCP chains) and JWT keys that
    /// could not be had, for diagnostics.
    var problems: [String] = []

    init() {}

    init(namespace: String, labels: [String: String], snapshot: MeshSnapshot, options: TranslatorOptions) {
        guard options.security.authorization else { return }
        let jwtRules = RequestAuthenticationSelection.rules(namespace: namespace, labels: labels, snapshot: snapshot)
        if let jwt = JWTAuthenticationBuilder.filter(rules: jwtRules, jwks: snapshot.jwks, problems: &problems) { http.append(jwt) }
        let selection = AuthorizationPolicySelection(namespace: namespace, labels: labels, snapshot: snapshot)
        if !selection.isEmpty {
            var builder = RBACFilterBuilder(selection: selection)
            http += builder.httpFilters()
            tcp = builder.tcpFilters()
            problems += builder.skipped
        }
    }
}

/// Envoy's VirtualHost: domains, ordered routes, host-level header changes and
/// retry policy.
public final class VirtualHostConfig: Sendable {
    public let name: String
    public let domains: [String]
    public let routes: [RouteEntry]
    public let requestHeaders: HeaderMutation
    public let responseHeaders: HeaderMutation
    public let retryPolicy: RetryPolicyConfig?
    /// `require_tls: ALL` (or EXTERNAL_ONLY): plain requests get a 301 to https.
    public let requireTLS: Bool

    public init(name: String, domains: [String], routes: [RouteEntry], requestHeaders: HeaderMutation = .none,
                responseHeaders: HeaderMutation = .none, retryPolicy: RetryPolicyConfig? = nil, requireTLS: Bool = false) {
        self.name = name
        self.domains = domains
        self.routes = routes
        self.requestHeaders = requestHeaders
        self.responseHeaders = responseHeaders
        self.retryPolicy = retryPolicy
        self.requireTLS = requireTLS
    }
}

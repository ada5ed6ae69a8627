/// One RBAC filter (`envoy.filters.http.rbac` or `envoy.filters.network.rbac`):
/// enforced rules and shadow rules. Unset rules enforce nothing.
public struct RBACFilterConfig: Sendable {
    /// The filter's name in the chain (stats and metadata use it).
    public let name: String
    public let rules: RBACPolicySet?
    /// Evaluated and reported (Istio's dry run), never enforced.
    public let shadowRules: RBACPolicySet?

    public init(name: String, rules: RBACPolicySet?, shadowRules: RBACPolicySet? = nil) {
        self.name = name
        self.rules = rules
        self.shadowRules = shadowRules
    }

    /// The filter's verdict: enforced decision (nil: no rules) and the shadow one.
    public struct Verdict: Sendable, Equatable {
        public let enforced: RBACPolicySet.Decision?
        public let shadow: RBACPolicySet.Decision?

        public var allowed: Bool { enforced?.allowed ?? true }
    }

    public func evaluate(_ input: AuthzInput) -> Verdict {
        Verdict(enforced: rules?.evaluate(input), shadow: shadowRules?.evaluate(input))
    }
}

/// The HTTP filters before the router that can stop a request, in chain order.
public enum HTTPAuthzFilter: Sendable {
    case rbac(RBACFilterConfig)
    /// Authenticates first; its payloads are the metadata later RBAC filters read.
    case jwtAuthn(JWTAuthnConfig)
}

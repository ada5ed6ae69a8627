/// One `envoy.config.rbac.v3.RBAC`: an action and named policies, evaluated in
/// name order (Envoy keeps them in a sorted map); the first match names the
/// effective policy.
public struct RBACPolicySet: Sendable {
    public enum Action: Sendable, Equatable {
        case allow, deny, log
    }

    public struct Policy: Sendable {
        public let name: String
        /// Any permission and any principal must match.
        public let permissions: [RBACPermission]
        public let principals: [RBACPrincipal]

        public init(name: String, permissions: [RBACPermission], principals: [RBACPrincipal]) {
            self.name = name
            self.permissions = permissions
            self.principals = principals
        }
    }

    /// The outcome of one evaluation.
    public struct Decision: Sendable, Equatable {
        public let allowed: Bool
        /// The first matching policy, if any.
        public let matchedPolicy: String?

        public init(allowed: Bool, matchedPolicy: String?) {
            self.allowed = allowed
            self.matchedPolicy = matchedPolicy
        }

        /// Envoy's response code details for a denial:
        /// `rbac_access_denied_matched_policy[NAME]` (`none` without a match).
        public var responseCodeDetails: String {
            "rbac_access_denied_matched_policy[\(matchedPolicy ?? "none")]"
        }
    }

    public let action: Action
    public let policies: [Policy]

    /// Policies are sorted by name here, as Envoy's map orders them.
    public init(action: Action, policies: [Policy]) {
        self.action = action
        self.policies = policies.sorted { Array($0.name.utf8).lexicographicallyPrecedes(Array($1.name.utf8)) }
    }

    /// ALLOW admits what some policy matches (nothing when there are no policies),
    /// DENY refuses it (everything passes when there are none), LOG admits all.
    public func evaluate(_ input: AuthzInput) -> Decision {
        let matched = policies.first { $0.matches(input) }?.name
        switch action {
        case .allow: return Decision(allowed: matched != nil, matchedPolicy: matched)
        case .deny: return Decision(allowed: matched == nil, matchedPolicy: matched)
        case .log: return Decision(allowed: true, matchedPolicy: matched)
        }
    }
}

extension RBACPolicySet.Policy {
    func matches(_ input: AuthzInput) -> Bool {
        permissions.contains { $0.matches(input) } && principals.contains { $0.matches(input) }
    }
}

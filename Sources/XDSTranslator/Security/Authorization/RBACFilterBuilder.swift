import MeshConfig
import XDSAPI

/// Istio's authorization builder: per action one RBAC filter, AUDIT (Envoy LOG)
/// then DENY then ALLOW, each policy rule a named Envoy policy
/// `ns[NS]-policy[NAME]-rule[N]`. A policy without rules gets a policy that never
/// matches (ALLOW with no rules denies everything; `rules: [{}]` allows all).
/// Dry-run policies go to shadow rules. Rules that cannot be translated are left
/// out (see RBACRuleModel.policy), each reported in `skipped`.
struct RBACFilterBuilder {
    let selection: AuthorizationPolicySelection
    private(set) var skipped: [String] = []

    init(selection: AuthorizationPolicySelection) {
        self.selection = selection
    }

    typealias HTTPFilter = Envoy_Extensions_Filters_Network_HttpConnectionManager_V3_HttpFilter
    typealias NetworkFilter = Envoy_Config_Listener_V3_Filter

    mutating func httpFilters() -> [HTTPFilter] {
        actions().compactMap { action, policies in
            guard let (rules, shadow) = rules(policies, action: action, forTCP: false) else { return nil }
            var config = Envoy_Extensions_Filters_Http_Rbac_V3_RBAC()
            if let rules { config.rules = rules }
            if let shadow {
                config.shadowRules = shadow
                config.shadowRulesStatPrefix = Self.shadowPrefix(action)
            }
            return ConnectionManagerBuilder.httpFilter("envoy.filters.http.rbac", config)
        }
    }

    mutating func tcpFilters() -> [NetworkFilter] {
        actions().compactMap { action, policies in
            guard let (rules, shadow) = rules(policies, action: action, forTCP: true) else { return nil }
            var config = Envoy_Extensions_Filters_Network_Rbac_V3_RBAC()
            config.statPrefix = "tcp."
            if let rules { config.rules = rules }
            if let shadow {
                config.shadowRules = shadow
                config.shadowRulesStatPrefix = Self.shadowPrefix(action)
            }
            var filter = NetworkFilter()
            filter.name = "envoy.filters.network.rbac"
            filter.typedConfig = Proto.any(config)
            return filter
        }
    }

    func actions() -> [(Envoy_Config_Rbac_V3_RBAC.Action, [AuthorizationPolicySelection.Selected])] {
        [(.log, selection.audit), (.deny, selection.deny), (.allow, selection.allow)].filter { !$0.1.isEmpty }
    }

    static func shadowPrefix(_ action: Envoy_Config_Rbac_V3_RBAC.Action) -> String {
        switch action {
        case .allow: "istio_dry_run_allow_"
        case .deny: "istio_dry_run_deny_"
        default: ""
        }
    }

    /// Enforced and shadow rule sets (nil where no policy of that kind exists).
    mutating func rules(_ policies: [AuthorizationPolicySelection.Selected], action: Envoy_Config_Rbac_V3_RBAC.Action,
                        forTCP: Bool) -> (Envoy_Config_Rbac_V3_RBAC?, Envoy_Config_Rbac_V3_RBAC?)? {
        var enforced: Envoy_Config_Rbac_V3_RBAC?
        var shadow: Envoy_Config_Rbac_V3_RBAC?
        for selected in policies {
            var target = (selected.dryRun ? shadow : enforced) ?? {
                var rbac = Envoy_Config_Rbac_V3_RBAC()
                rbac.action = action
                return rbac
            }()
            let policy = selected.policy
            let rules = policy.spec.rules ?? []
            for (index, rule) in rules.enumerated() {
                let name = "ns[\(policy.namespace)]-policy[\(policy.name)]-rule[\(index)]"
                do throws(RBACGenerationError) {
                    let model = try RBACRuleModel(rule, policyNamespace: policy.namespace)
                    target.policies[name] = try model.policy(forTCP: forTCP, action: action)
                } catch {
                    skipped.append("\(name) on \(forTCP ? "TCP" : "HTTP") chains: \(error)")
                }
            }
            if rules.isEmpty { target.policies["ns[\(policy.namespace)]-policy[\(policy.name)]-rule[0]"] = RBACPolicyShapes.matchNever }
            if selected.dryRun { shadow = target } else { enforced = target }
        }
        return (enforced, shadow)
    }
}

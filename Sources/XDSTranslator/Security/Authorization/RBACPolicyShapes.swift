import XDSAPI

/// and / or / not / any for RBAC permissions and principals.
enum RBACPolicyShapes {
    typealias Permission = Envoy_Config_Rbac_V3_Permission
    typealias Principal = Envoy_Config_Rbac_V3_Principal

    static func or(_ rules: [Permission]) -> Permission? {
        guard !rules.isEmpty else { return nil }
        var set = Permission.Set()
        set.rules = rules
        var permission = Permission()
        permission.orRules = set
        return permission
    }

    static func and(_ rules: [Permission]) -> Permission {
        var set = Permission.Set()
        set.rules = rules.isEmpty ? [anyPermission] : rules
        var permission = Permission()
        permission.andRules = set
        return permission
    }

    static func not(_ rule: Permission) -> Permission {
        var permission = Permission()
        permission.notRule = rule
        return permission
    }

    static var anyPermission: Permission {
        var permission = Permission()
        permission.any = true
        return permission
    }

    static func or(_ ids: [Principal]) -> Principal? {
        guard !ids.isEmpty else { return nil }
        var set = Principal.Set()
        set.ids = ids
        var principal = Principal()
        principal.orIds = set
        return principal
    }

    static func and(_ ids: [Principal]) -> Principal {
        var set = Principal.Set()
        set.ids = ids.isEmpty ? [anyPrincipal] : ids
        var principal = Principal()
        principal.andIds = set
        return principal
    }

    static func not(_ id: Principal) -> Principal {
        var principal = Principal()
        principal.notID = id
        return principal
    }

    static var anyPrincipal: Principal {
        var principal = Principal()
        principal.any = true
        return principal
    }

    /// Istio's policy for a rule-less ALLOW / DENY: matches nothing (so ALLOW
    /// allows nothing, DENY denies nothing).
    static var matchNever: Envoy_Config_Rbac_V3_Policy {
        var policy = Envoy_Config_Rbac_V3_Policy()
        policy.permissions = [not(anyPermission)]
        policy.principals = [not(anyPrincipal)]
        return policy
    }
}

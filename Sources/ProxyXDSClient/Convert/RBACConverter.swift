import ProxyCore
import SwiftProtobuf
import XDSAPI

/// `envoy.filters.http.rbac` / `envoy.filters.network.rbac` typed configs ->
/// ProxyCore's RBAC model. Everything Istio's translator emits is converted;
/// anything else (CEL conditions, matcher trees, extension matchers, filter
/// state) is refused with its field path, never ignored.
enum RBACConverter {
    static let httpFilter = "envoy.filters.http.rbac"
    static let networkFilter = "envoy.filters.network.rbac"

    static func http(_ config: Envoy_Extensions_Filters_Http_Rbac_V3_RBAC, name: String, _ scope: ConversionScope) throws(XDSConversionError) -> RBACFilterConfig {
        try UnknownFields.refuse(config, scope, names: [4: "matcher", 5: "shadow_matcher", 8: "enable_per_rule_stats"])
        return RBACFilterConfig(name: name,
                                rules: config.hasRules ? try policySet(config.rules, scope.child("rules")) : nil,
                                shadowRules: config.hasShadowRules ? try policySet(config.shadowRules, scope.child("shadow_rules")) : nil)
    }

    static func network(_ config: Envoy_Extensions_Filters_Network_Rbac_V3_RBAC, name: String, _ scope: ConversionScope) throws(XDSConversionError) -> RBACFilterConfig {
        try UnknownFields.refuse(config, scope, names: [6: "matcher", 7: "shadow_matcher"])
        guard !config.statPrefix.isEmpty else { throw scope.child("stat_prefix").error("stat_prefix is required") }
        if config.enforcementType != .oneTimeOnFirstByte {
            throw scope.child("enforcement_type").unsupported("enforcement_type \(config.enforcementType)")
        }
        if config.hasDelayDeny, config.delayDeny.seconds != 0 || config.delayDeny.nanos != 0 {
            throw scope.child("delay_deny").unsupported("delaying a denial")
        }
        return RBACFilterConfig(name: name,
                                rules: config.hasRules ? try policySet(config.rules, scope.child("rules")) : nil,
                                shadowRules: config.hasShadowRules ? try policySet(config.shadowRules, scope.child("shadow_rules")) : nil)
    }

    static func policySet(_ rbac: Envoy_Config_Rbac_V3_RBAC, _ scope: ConversionScope) throws(XDSConversionError) -> RBACPolicySet {
        try UnknownFields.refuse(rbac, scope, names: [3: "audit_logging_options"])
        let action: RBACPolicySet.Action
        switch rbac.action {
        case .allow: action = .allow
        case .deny: action = .deny
        case .log: action = .log
        case .UNRECOGNIZED(let value): throw scope.child("action").error("unknown action \(value)")
        }
        var policies: [RBACPolicySet.Policy] = []
        for name in rbac.policies.keys.sorted() {
            let policy = rbac.policies[name]!
            let policyScope = scope.child("policies[\(name)]")
            try UnknownFields.refuse(policy, policyScope, names: [3: "condition", 4: "checked_condition"])
            guard !policy.permissions.isEmpty else { throw policyScope.child("permissions").error("at least one permission is required") }
            guard !policy.principals.isEmpty else { throw policyScope.child("principals").error("at least one principal is required") }
            var permissions: [RBACPermission] = []
            for (index, permission) in policy.permissions.enumerated() {
                permissions.append(try Self.permission(permission, policyScope.index("permissions", index)))
            }
            var principals: [RBACPrincipal] = []
            for (index, principal) in policy.principals.enumerated() {
                principals.append(try Self.principal(principal, policyScope.index("principals", index)))
            }
            policies.append(RBACPolicySet.Policy(name: name, permissions: permissions, principals: principals))
        }
        return RBACPolicySet(action: action, policies: policies)
    }

    static func permission(_ permission: Envoy_Config_Rbac_V3_Permission, _ scope: ConversionScope) throws(XDSConversionError) -> RBACPermission {
        try UnknownFields.refuse(permission, scope)
        switch permission.rule {
        case .andRules(let set): return .and(try rules(set.rules, scope.child("and_rules")))
        case .orRules(let set): return .or(try rules(set.rules, scope.child("or_rules")))
        case .any(let value):
            guard value else { throw scope.child("any").error("any must be true") }
            return .any
        case .header(let header): return .header(try RouteMatchConverter.header(header, scope.child("header")))
        case .urlPath(let path): return .urlPath(try Self.path(path, scope.child("url_path")))
        case .destinationIp(let range): return .destinationIP(try cidr(range, scope.child("destination_ip")))
        case .destinationPort(let port):
            guard port <= 65535 else { throw scope.child("destination_port").error("port \(port) is out of range") }
            return .destinationPort(Int(port))
        case .destinationPortRange(let range):
            guard range.start >= 0, range.end <= 65536, range.start < range.end else {
                throw scope.child("destination_port_range").error("invalid range [\(range.start), \(range.end))")
            }
            return .destinationPortRange(start: Int(range.start), end: Int(range.end))
        case .metadata(let matcher): return .metadata(try metadata(matcher, scope.child("metadata")))
        case .notRule(let inner): return .not(try Self.permission(inner, scope.child("not_rule")))
        case .requestedServerName(let matcher):
            return .requestedServerName(try StringMatchConverter.convert(matcher, scope.child("requested_server_name")))
        case .uriTemplate(let extensionConfig):
            return .uriTemplate(try uriTemplate(extensionConfig, scope.child("uri_template")))
        case .matcher(let extensionConfig):
            throw scope.child("matcher").unsupported("the RBAC matcher extension \(extensionConfig.name.isEmpty ? extensionConfig.typedConfig.typeURL : extensionConfig.name)")
        case nil: throw scope.error("a permission needs a rule")
        }
    }

    static func principal(_ principal: Envoy_Config_Rbac_V3_Principal, _ scope: ConversionScope) throws(XDSConversionError) -> RBACPrincipal {
        try UnknownFields.refuse(principal, scope)
        switch principal.identifier {
        case .andIds(let set): return .and(try ids(set.ids, scope.child("and_ids")))
        case .orIds(let set): return .or(try ids(set.ids, scope.child("or_ids")))
        case .any(let value):
            guard value else { throw scope.child("any").error("any must be true") }
            return .any
        case .authenticated(let authenticated):
            guard authenticated.hasPrincipalName else { return .authenticated(nil) }
            return .authenticated(try StringMatchConverter.convert(authenticated.principalName, scope.child("authenticated.principal_name")))
        case .sourceIp(let range): return .directRemoteIP(try cidr(range, scope.child("source_ip")))
        case .directRemoteIp(let range): return .directRemoteIP(try cidr(range, scope.child("direct_remote_ip")))
        case .remoteIp(let range): return .remoteIP(try cidr(range, scope.child("remote_ip")))
        case .header(let header): return .header(try RouteMatchConverter.header(header, scope.child("header")))
        case .urlPath(let path): return .urlPath(try Self.path(path, scope.child("url_path")))
        case .metadata(let matcher): return .metadata(try metadata(matcher, scope.child("metadata")))
        case .filterState: throw scope.child("filter_state").unsupported("filter state matching")
        case .notID(let inner): return .not(try Self.principal(inner, scope.child("not_id")))
        case nil: throw scope.error("a principal needs an identifier")
        }
    }

    private static func rules(_ rules: [Envoy_Config_Rbac_V3_Permission], _ scope: ConversionScope) throws(XDSConversionError) -> [RBACPermission] {
        guard !rules.isEmpty else { throw scope.child("rules").error("at least one rule is required") }
        var converted: [RBACPermission] = []
        for (index, rule) in rules.enumerated() { converted.append(try permission(rule, scope.index("rules", index))) }
        return converted
    }

    private static func ids(_ ids: [Envoy_Config_Rbac_V3_Principal], _ scope: ConversionScope) throws(XDSConversionError) -> [RBACPrincipal] {
        guard !ids.isEmpty else { throw scope.child("ids").error("at least one id is required") }
        var converted: [RBACPrincipal] = []
        for (index, id) in ids.enumerated() { converted.append(try principal(id, scope.index("ids", index))) }
        return converted
    }

    private static func path(_ matcher: Envoy_Type_Matcher_V3_PathMatcher, _ scope: ConversionScope) throws(XDSConversionError) -> StringMatch {
        guard case .path(let path)? = matcher.rule else { throw scope.error("a path matcher needs path") }
        return try StringMatchConverter.convert(path, scope.child("path"))
    }

    /// `envoy.path.match.uri_template.uri_template_matcher` (Istio's `{*}` / `{**}` paths).
    static func uriTemplate(_ config: Envoy_Config_Core_V3_TypedExtensionConfig, _ scope: ConversionScope) throws(XDSConversionError) -> URITemplate {
        let match: Envoy_Extensions_Path_Match_UriTemplate_V3_UriTemplateMatchConfig = try ListenerConverter.unpack(config.typedConfig, scope.child("typed_config"))
        do {
            return try URITemplate(match.pathTemplate)
        } catch {
            throw scope.child("typed_config.path_template").error("invalid path template \(match.pathTemplate): \(error.reason)")
        }
    }

    static func cidr(_ range: Envoy_Config_Core_V3_CidrRange, _ scope: ConversionScope) throws(XDSConversionError) -> CIDRRange {
        let length = range.hasPrefixLen ? Int(range.prefixLen.value) : 0
        guard let cidr = CIDRRange(address: range.addressPrefix, length: length) else {
            throw scope.error("invalid CIDR \(range.addressPrefix)/\(length)")
        }
        return cidr
    }
}

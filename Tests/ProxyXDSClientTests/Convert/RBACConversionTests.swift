import Foundation
import ProxyCore
import SwiftProtobuf
import Testing
import XDSAPI
@testable import ProxyXDSClient

@Suite struct RBACConversionTests {
    typealias F = XDSFixtures
    typealias Permission = Envoy_Config_Rbac_V3_Permission
    typealias Principal = Envoy_Config_Rbac_V3_Principal
    static let resource = "Listener 127.0.0.1_9080"
    static let filterPath = "filter_chains[0].filters[0].typed_config.http_filters[0].typed_config"

    /// Istio's shape: deny `/admin*` or DELETE for anyone; allow a principal by SPIFFE id and JWT claim.
    static func istioLikeRBAC() -> Envoy_Extensions_Filters_Http_Rbac_V3_RBAC {
        var path = Permission()
        path.urlPath.path.prefix = "/admin"
        var method = Permission()
        method.header.name = ":method"
        method.header.stringMatch.exact = "DELETE"
        var anyOf = Permission()
        anyOf.orRules.rules = [path, method]
        var permission = Permission()
        permission.andRules.rules = [anyOf]
        var spiffe = Principal()
        spiffe.authenticated.principalName.exact = "spiffe://cluster.local/ns/default/sa/sleep"
        var claim = Principal()
        claim.metadata.filter = "envoy.filters.http.jwt_authn"
        claim.metadata.path = ["payload", "groups"].map { var segment = Envoy_Type_Matcher_V3_MetadataMatcher.PathSegment(); segment.key = $0; return segment }
        claim.metadata.value.listMatch.oneOf.stringMatch.exact = "admin"
        var principal = Principal()
        principal.andIds.ids = [spiffe, claim]
        var anyone = Principal()
        anyone.any = true
        var policy = Envoy_Config_Rbac_V3_Policy()
        policy.permissions = [permission]
        policy.principals = [principal, anyone]
        var rbac = Envoy_Extensions_Filters_Http_Rbac_V3_RBAC()
        rbac.rules.action = .deny
        rbac.rules.policies["ns[foo]-policy[deny]-rule[0]"] = policy
        return rbac
    }

    static func manager(_ rbac: Envoy_Extensions_Filters_Http_Rbac_V3_RBAC) -> Envoy_Extensions_Filters_Network_HttpConnectionManager_V3_HttpConnectionManager {
        var manager = F.connectionManager()
        manager.httpFilters.insert(F.httpFilter("envoy.filters.http.rbac", rbac), at: 0)
        return manager
    }

    static func convert(_ manager: Envoy_Extensions_Filters_Network_HttpConnectionManager_V3_HttpConnectionManager) throws -> HTTPConnectionConfig {
        var warnings = ConversionWarnings()
        guard case .http(let http) = try ListenerConverter.convert(F.listener(manager: manager), warnings: &warnings).chain else {
            throw XDSConversionError(resource: "", field: "", reason: "not HTTP")
        }
        return http
    }

    @Test func httpFiltersConvertInOrder() throws {
        var manager = Self.manager(Self.istioLikeRBAC())
        var allow = Envoy_Extensions_Filters_Http_Rbac_V3_RBAC()
        allow.rules.action = .allow
        manager.httpFilters.insert(F.httpFilter("envoy.filters.http.rbac", allow), at: 1)
        let http = try Self.convert(manager)
        #expect(http.authzFilters.count == 2)
        guard case .rbac(let deny) = http.authzFilters[0], case .rbac(let allowAll) = http.authzFilters[1] else {
            Issue.record("expected two RBAC filters")
            return
        }
        #expect(deny.rules?.action == .deny)
        #expect(deny.rules?.policies.map(\.name) == ["ns[foo]-policy[deny]-rule[0]"])
        #expect(allowAll.rules?.action == .allow)
        #expect(allowAll.rules?.policies.isEmpty == true)
        // Istio's connection manager options reach the path normalisation.
        #expect(http.pathNormalization == PathNormalization(normalizePath: true, mergeSlashes: true, escapedSlashes: .keepUnchanged))
    }

    @Test func escapedSlashActionsConvert() throws {
        var manager = F.connectionManager()
        manager.pathWithEscapedSlashesAction = .unescapeAndRedirect
        #expect(try Self.convert(manager).pathNormalization.escapedSlashes == .unescapeAndRedirect)
        manager.pathWithEscapedSlashesAction = .rejectRequest
        #expect(try Self.convert(manager).pathNormalization.escapedSlashes == .reject)
    }

    @Test func whatCannotBeHonouredIsRefusedByName() {
        var condition = Self.istioLikeRBAC()
        // Policy.condition (CEL, field 3) is not in our subset: it arrives unknown.
        var bytes: Data = try! condition.rules.policies["ns[foo]-policy[deny]-rule[0]"]!.serializedBytes()
        bytes.append(contentsOf: [0x1A, 0x00])
        let policy = try! Envoy_Config_Rbac_V3_Policy(serializedBytes: bytes)
        condition.rules.policies["ns[foo]-policy[deny]-rule[0]"] = policy
        #expect(throws: XDSConversionError(resource: Self.resource, field: Self.filterPath + ".rules.policies[ns[foo]-policy[deny]-rule[0]].condition",
                                           reason: "envoy.config.rbac.v3.Policy.condition is not supported by this proxy")) {
            try Self.convert(Self.manager(condition))
        }
        var filterState = Self.istioLikeRBAC()
        var state = Principal()
        state.filterState.key = "k"
        filterState.rules.policies["ns[foo]-policy[deny]-rule[0]"]!.principals = [state]
        #expect(throws: XDSConversionError(resource: Self.resource, field: Self.filterPath + ".rules.policies[ns[foo]-policy[deny]-rule[0]].principals[0].filter_state",
                                           reason: "filter state matching is not supported by this proxy")) {
            try Self.convert(Self.manager(filterState))
        }
        var empty = Self.istioLikeRBAC()
        empty.rules.policies["ns[foo]-policy[deny]-rule[0]"]!.permissions[0].andRules.rules = []
        #expect(throws: XDSConversionError(resource: Self.resource, field: Self.filterPath + ".rules.policies[ns[foo]-policy[deny]-rule[0]].permissions[0].and_rules.rules",
                                           reason: "at least one rule is required")) {
            try Self.convert(Self.manager(empty))
        }
        var extensionMatcher = Self.istioLikeRBAC()
        var matcher = Permission()
        matcher.matcher.name = "envoy.path.match.uri_template.uri_template_matcher"
        extensionMatcher.rules.policies["ns[foo]-policy[deny]-rule[0]"]!.permissions = [matcher]
        #expect(throws: XDSConversionError(resource: Self.resource, field: Self.filterPath + ".rules.policies[ns[foo]-policy[deny]-rule[0]].permissions[0].matcher",
                                           reason: "the RBAC matcher extension envoy.path.match.uri_template.uri_template_matcher is not supported by this proxy")) {
            try Self.convert(Self.manager(extensionMatcher))
        }
        var badTemplate = Self.istioLikeRBAC()
        var template = Permission()
        var templateConfig = Envoy_Extensions_Path_Match_UriTemplate_V3_UriTemplateMatchConfig()
        templateConfig.pathTemplate = "/api/**/x/*"
        template.uriTemplate.name = "envoy.path.match.uri_template.uri_template_matcher"
        template.uriTemplate.typedConfig = F.any(templateConfig)
        badTemplate.rules.policies["ns[foo]-policy[deny]-rule[0]"]!.permissions = [template]
        #expect(throws: XDSConversionError(resource: Self.resource, field: Self.filterPath + ".rules.policies[ns[foo]-policy[deny]-rule[0]].permissions[0].uri_template.typed_config.path_template",
                                           reason: "invalid path template /api/**/x/*: Glob after text glob.")) {
            try Self.convert(Self.manager(badTemplate))
        }
        templateConfig.pathTemplate = "/api/*/items"
        template.uriTemplate.typedConfig = F.any(templateConfig)
        badTemplate.rules.policies["ns[foo]-policy[deny]-rule[0]"]!.permissions = [template]
        #expect(throws: Never.self) { try Self.convert(Self.manager(badTemplate)) }
        // After faults / CORS the filter would not run where Envoy runs it.
        var late = F.connectionManager()
        late.httpFilters.insert(F.httpFilter("envoy.filters.http.rbac", Self.istioLikeRBAC()), at: 2)
        #expect(throws: XDSConversionError.self) { try Self.convert(late) }
    }

    @Test func networkRBACPrecedesTCPProxy() throws {
        var proxy = Envoy_Extensions_Filters_Network_TcpProxy_V3_TcpProxy()
        proxy.statPrefix = "tcp"
        proxy.cluster = "c"
        var rbac = Envoy_Extensions_Filters_Network_Rbac_V3_RBAC()
        rbac.statPrefix = "tcp."
        rbac.rules = Self.istioLikeRBAC().rules
        var listener = F.listener()
        var rbacFilter = Envoy_Config_Listener_V3_Filter()
        rbacFilter.name = "envoy.filters.network.rbac"
        rbacFilter.typedConfig = F.any(rbac)
        listener.filterChains[0].filters = [rbacFilter, listener.filterChains[0].filters[0]]
        listener.filterChains[0].filters[1].name = "envoy.filters.network.tcp_proxy"
        listener.filterChains[0].filters[1].typedConfig = F.any(proxy)
        var warnings = ConversionWarnings()
        guard case .tcp(let tcp) = try ListenerConverter.convert(listener, warnings: &warnings).chain else {
            Issue.record("expected a TCP chain")
            return
        }
        #expect(tcp.rbac.count == 1)
        #expect(tcp.rbac.first?.rules?.action == .deny)
        rbac.enforcementType = .continuous
        listener.filterChains[0].filters[0].typedConfig = F.any(rbac)
        #expect(throws: XDSConversionError(resource: Self.resource, field: "filter_chains[0].filters[0].typed_config.enforcement_type",
                                           reason: "enforcement_type continuous is not supported by this proxy")) {
            try ListenerConverter.convert(listener, warnings: &warnings)
        }
    }
}

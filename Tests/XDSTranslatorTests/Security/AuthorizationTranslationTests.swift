import Testing
import XDSAPI
@testable import XDSTranslator

@Suite struct AuthorizationTranslationTests {
    typealias Fixture = SecurityFixture
    typealias Permission = Envoy_Config_Rbac_V3_Permission
    typealias Principal = Envoy_Config_Rbac_V3_Principal

    static func policy(_ name: String, namespace: String = "default", action: String = "ALLOW", selector: String = "app: reviews", rules: String?) -> String {
        """
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: \(name), namespace: \(namespace)}
        spec:
          \(selector.isEmpty ? "" : "selector: {matchLabels: {\(selector)}}")
          action: \(action)
          \(rules.map { "rules: " + $0 } ?? "")
        """
    }

    func httpRBAC(_ yaml: String) throws -> [Envoy_Extensions_Filters_Http_Rbac_V3_RBAC] {
        try Fixture.inboundHCM(try Fixture.translate(yaml)).httpFilters.filter { $0.name == "envoy.filters.http.rbac" }.map(Fixture.rbac)
    }

    func onlyPolicy(_ yaml: String) throws -> Envoy_Config_Rbac_V3_Policy {
        let filters = try httpRBAC(yaml)
        #expect(filters.count == 1)
        return try #require(filters.first?.rules.policies.values.first)
    }

    @Test func filtersInIstiosOrderBeforeFaultAndRouter() throws {
        let yaml = [Self.policy("a", action: "ALLOW", rules: "[{}]"), Self.policy("d", action: "DENY", rules: "[{to: [{operation: {paths: [/x]}}]}]"),
                    Self.policy("l", action: "AUDIT", rules: "[{}]")].joined(separator: "\n---\n")
        let hcm = try Fixture.inboundHCM(try Fixture.translate(yaml))
        #expect(hcm.httpFilters.map(\.name) == ["envoy.filters.http.rbac", "envoy.filters.http.rbac", "envoy.filters.http.rbac",
                                                 "envoy.filters.http.fault", "envoy.filters.http.cors", "envoy.filters.http.router"])
        #expect(try hcm.httpFilters.prefix(3).map { try Fixture.rbac($0).rules.action } == [.log, .deny, .allow])
        #expect(try Fixture.rbac(hcm.httpFilters[1]).rules.policies.keys.sorted() == ["ns[default]-policy[d]-rule[0]"])
    }

    @Test func noPolicyNoFilter() throws {
        let hcm = try Fixture.inboundHCM(try Fixture.translate(Self.policy("other", selector: "app: ratings", rules: "[{}]")))
        #expect(!hcm.httpFilters.contains { $0.name == "envoy.filters.http.rbac" })
    }

    @Test func allowWithoutRulesDeniesAllAndEmptyRuleAllowsAll() throws {
        let none = try onlyPolicy(Self.policy("none", rules: nil))
        #expect(none.permissions.first?.notRule.any == true && none.principals.first?.notID.any == true)
        let all = try onlyPolicy(Self.policy("all", rules: "[{}]"))
        #expect(all.permissions.first?.andRules.rules.first?.any == true)
        #expect(all.principals.first?.andIds.ids.first?.any == true)
    }

    @Test func rootNamespacePoliciesApplyTargetRefPoliciesDoNot() throws {
        let root = Self.policy("mesh", namespace: "istio-system", selector: "", rules: "[{}]")
        let targeted = """
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: gw, namespace: default}
        spec:
          targetRefs: [{kind: Gateway, group: gateway.networking.k8s.io, name: gw}]
          action: DENY
          rules: [{}]
        """
        let filters = try httpRBAC(root + "\n---\n" + targeted)
        #expect(filters.map { $0.rules.policies.keys.sorted() } == [["ns[istio-system]-policy[mesh]-rule[0]"]])
    }

    @Test func sourceFields() throws {
        let rules = """
        [{from: [{source: {principals: [cluster.local/ns/shop/sa/shop, "prefix-*", "*-suffix", "*"], notPrincipals: [cluster.local/ns/x/sa/y],
                           namespaces: [shop, "team-*"], notNamespaces: [kube-system], ipBlocks: [10.0.0.1, 10.1.0.0/16], notIpBlocks: [10.1.2.0/24],
                           remoteIpBlocks: [192.168.0.0/16], requestPrincipals: [https://issuer.test/alice]}}]}]
        """
        let ids = try #require(try onlyPolicy(Self.policy("src", rules: rules)).principals.first?.andIds.ids)
        // Istio's order: principals, requestPrincipals, namespaces, remoteIpBlocks, ipBlocks.
        let principals = ids[0].orIds.ids.map(\.authenticated.principalName)
        #expect(principals[0].exact == "spiffe://cluster.local/ns/shop/sa/shop")
        #expect(principals[1].prefix == "spiffe://prefix-")
        #expect(principals[2].safeRegex.regex == "spiffe://.*-suffix")
        #expect(principals[3].safeRegex.regex == ".+")
        #expect(ids[1].notID.orIds.ids.first?.authenticated.principalName.exact == "spiffe://cluster.local/ns/x/sa/y")
        let request = ids[2].andIds.ids.map(\.metadata)
        #expect(request.map(\.filter) == ["envoy.filters.http.jwt_authn", "envoy.filters.http.jwt_authn"])
        #expect(request.map { $0.path.map(\.key) } == [["payload", "iss"], ["payload", "sub"]])
        #expect(request.map(\.value.stringMatch.exact) == ["https://issuer.test", "alice"])
        #expect(ids[3].orIds.ids.map(\.authenticated.principalName.safeRegex.regex) == [".*/ns/shop/.*", ".*/ns/team-.*/.*"])
        #expect(ids[4].notID.orIds.ids.first?.authenticated.principalName.safeRegex.regex == ".*/ns/kube-system/.*")
        #expect(ids[5].orIds.ids.first?.remoteIp.addressPrefix == "192.168.0.0")
        #expect(ids[5].orIds.ids.first?.remoteIp.prefixLen.value == 16)
        #expect(ids[6].orIds.ids.map { "\($0.directRemoteIp.addressPrefix)/\($0.directRemoteIp.prefixLen.value)" } == ["10.0.0.1/32", "10.1.0.0/16"])
        #expect(ids[7].notID.orIds.ids.first?.directRemoteIp.prefixLen.value == 24)
    }

    @Test func requestPrincipalWildcards() {
        func parts(_ value: String) -> [Envoy_Type_Matcher_V3_StringMatcher] {
            RBACAttribute.requestPrincipal(value).andIds.ids.map(\.metadata.value.stringMatch)
        }
        #expect(parts("*").map(\.safeRegex.regex) == [".+", ".+"])
        #expect(parts("https://a.test/*")[0].exact == "https://a.test")
        #expect(parts("https://a.test/*")[1].safeRegex.regex == ".+")
        #expect(parts("*/bob")[0].safeRegex.regex == ".+")
        #expect(parts("*/bob")[1].exact == "bob")
        #expect(parts("*.test/bob")[0].suffix == ".test")
        #expect(parts("*.test/bob")[1].exact == "bob")
        #expect(parts("https://a.test/al*")[1].prefix == "al")
    }

    @Test func operationFields() throws {
        let rules = """
        [{to: [{operation: {hosts: [www.example.com, "*.example.org", "*"], notHosts: [admin.example.com], methods: [GET], notMethods: [DELETE],
                             paths: [/exact, "/prefix/*", "*/suffix", "/t/{*}/x/{**}"], notPaths: [/private], ports: ["8080"], notPorts: ["9000"]}}]}]
        """
        let rules_ = try #require(try onlyPolicy(Self.policy("op", rules: rules)).permissions.first?.andRules.rules)
        // Istio's order: hosts, methods, paths, ports (each followed by its not-form).
        let hosts = rules_[0].orRules.rules.map(\.header)
        #expect(hosts.map(\.name) == [":authority", ":authority", ":authority"])
        #expect(hosts[0].stringMatch.exact == "www.example.com" && hosts[0].stringMatch.ignoreCase)
        #expect(hosts[1].stringMatch.suffix == ".example.org")
        #expect(hosts[2].presentMatch)
        #expect(rules_[1].notRule.orRules.rules.first?.header.stringMatch.exact == "admin.example.com")
        #expect(rules_[2].orRules.rules.first?.header.name == ":method")
        #expect(rules_[3].notRule.orRules.rules.first?.header.stringMatch.exact == "DELETE")
        let paths = rules_[4].orRules.rules
        #expect(paths[0].urlPath.path.exact == "/exact")
        #expect(paths[1].urlPath.path.prefix == "/prefix/")
        #expect(paths[2].urlPath.path.suffix == "/suffix")
        let template = try Envoy_Extensions_Path_Match_UriTemplate_V3_UriTemplateMatchConfig(unpackingAny: paths[3].uriTemplate.typedConfig)
        #expect(template.pathTemplate == "/t/*/x/**")
        #expect(rules_[5].notRule.orRules.rules.first?.urlPath.path.exact == "/private")
        #expect(rules_[6].orRules.rules.first?.destinationPort == 8080)
        #expect(rules_[7].notRule.orRules.rules.first?.destinationPort == 9000)
    }

    @Test func conditions() throws {
        let rules = """
        [{when: [{key: "request.headers[x-user]", values: [alice]}, {key: source.ip, values: [10.0.0.0/8]}, {key: remote.ip, notValues: [1.2.3.4]},
                 {key: source.namespace, values: [shop]}, {key: source.principal, values: [cluster.local/ns/shop/sa/shop]},
                 {key: request.auth.principal, values: [iss/sub]}, {key: request.auth.audiences, values: [api]},
                 {key: request.auth.presenter, values: [web]}, {key: "request.auth.claims[groups]", values: [admins, ops]},
                 {key: "request.auth.claims[realm][role]", values: [boss]},
                 {key: destination.ip, values: [10.0.0.11]}, {key: destination.port, values: ["9080"]}, {key: connection.sni, values: ["*.local"]},
                 {key: "experimental.envoy.filters.network.mysql_proxy[db.table]", values: ["[update]"]}]}]
        """
        let policy = try onlyPolicy(Self.policy("when", rules: rules))
        let permissions = try #require(policy.permissions.first?.andRules.rules)
        #expect(permissions[0].orRules.rules.first?.destinationIp.addressPrefix == "10.0.0.11")
        #expect(permissions[1].orRules.rules.first?.destinationPort == 9080)
        #expect(permissions[2].orRules.rules.first?.requestedServerName.suffix == ".local")
        #expect(permissions[3].metadata.filter == "envoy.filters.network.mysql_proxy")
        #expect(permissions[3].metadata.path.map(\.key) == ["db.table"])
        #expect(permissions[3].metadata.value.listMatch.oneOf.stringMatch.exact == "update")
        let ids = try #require(policy.principals.first?.andIds.ids)
        #expect(ids[0].orIds.ids.first?.header.name == "x-user")
        #expect(ids[1].orIds.ids.first?.directRemoteIp.prefixLen.value == 8)
        #expect(ids[2].notID.orIds.ids.first?.remoteIp.addressPrefix == "1.2.3.4")
        #expect(ids[3].orIds.ids.first?.authenticated.principalName.safeRegex.regex == ".*/ns/shop/.*")
        #expect(ids[4].orIds.ids.first?.authenticated.principalName.exact == "spiffe://cluster.local/ns/shop/sa/shop")
        #expect(ids[5].andIds.ids.count == 2)
        #expect(ids[6].metadata.path.map(\.key) == ["payload", "aud"])
        #expect(ids[6].metadata.value.orMatch.valueMatchers.first?.listMatch.oneOf.stringMatch.exact == "api")
        #expect(ids[7].metadata.path.map(\.key) == ["payload", "azp"])
        let groups = ids[8].metadata
        #expect(groups.path.map(\.key) == ["payload", "groups"])
        // A string claim or a list claim holding one of the values.
        let alternatives = groups.value.orMatch.valueMatchers
        #expect(alternatives[0].listMatch.oneOf.orMatch.valueMatchers.map(\.stringMatch.exact) == ["admins", "ops"])
        #expect(alternatives[1].orMatch.valueMatchers.map(\.stringMatch.exact) == ["admins", "ops"])
        #expect(ids[9].metadata.path.map(\.key) == ["payload", "realm", "role"])
    }

    @Test func tcpChainsDropHTTPRulesFromAllowAndHTTPAttributesFromDeny() throws {
        let yaml = Self.policy("allow", rules: "[{to: [{operation: {paths: [/a]}}]}, {to: [{operation: {ports: [\"9090\"]}}]}]")
            + "\n---\n" + Self.policy("deny", action: "DENY", rules: "[{from: [{source: {namespaces: [evil]}}], to: [{operation: {methods: [POST], ports: [\"9090\"]}}]}]")
        let chain = try #require(try Fixture.translate(yaml).listener("10.0.0.11_9090").filterChains.first)
        #expect(chain.filters.map(\.name) == ["envoy.filters.network.rbac", "envoy.filters.network.rbac", "envoy.filters.network.tcp_proxy"])
        let deny = try Envoy_Extensions_Filters_Network_Rbac_V3_RBAC(unpackingAny: chain.filters[0].typedConfig)
        #expect(deny.statPrefix == "tcp.")
        #expect(deny.rules.action == .deny)
        let denyRules = try #require(deny.rules.policies["ns[default]-policy[deny]-rule[0]"]?.permissions.first?.andRules.rules)
        #expect(denyRules.count == 1 && denyRules.first?.orRules.rules.first?.destinationPort == 9090)
        let allow = try Envoy_Extensions_Filters_Network_Rbac_V3_RBAC(unpackingAny: chain.filters[1].typedConfig)
        #expect(allow.rules.policies.keys.sorted() == ["ns[default]-policy[allow]-rule[1]"])
    }

    @Test func dryRunPoliciesAreShadowRules() throws {
        let yaml = """
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: trial, namespace: default, annotations: {istio.io/dry-run: "true"}}
        spec:
          selector: {matchLabels: {app: reviews}}
          action: DENY
          rules: [{}]
        """
        let filter = try #require(try httpRBAC(yaml).first)
        #expect(!filter.hasRules)
        #expect(filter.shadowRules.policies.keys.sorted() == ["ns[default]-policy[trial]-rule[0]"])
        #expect(filter.shadowRulesStatPrefix == "istio_dry_run_deny_")
    }

    @Test func authorizationCanBeSwitchedOffForProxiesWithoutRBAC() throws {
        var options = TranslatorOptions()
        options.security.authorization = false
        let hcm = try Fixture.inboundHCM(try Fixture.translate(Self.policy("all", rules: "[{}]"), options: options))
        #expect(!hcm.httpFilters.contains { $0.name == "envoy.filters.http.rbac" })
    }

    @Test func gatewaysEnforceThePoliciesSelectingThem() throws {
        let yaml = """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: gw, namespace: istio-system}
        spec:
          selector: {istio: ingressgateway}
          servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["*"]}]
        ---
        """ + "\n" + Self.policy("ingress", namespace: "istio-system", action: "DENY", selector: "istio: ingressgateway", rules: "[{from: [{source: {ipBlocks: [1.2.3.4]}}]}]")
        let listener = try Fixture.translate(yaml, proxy: TranslatorFixture.gateway()).listener("0.0.0.0_80")
        let hcm = try Unpack.hcm(try #require(listener.filterChains.first?.filters.first))
        #expect(hcm.httpFilters.first?.name == "envoy.filters.http.rbac")
        #expect(hcm.normalizePath.value && !hcm.mergeSlashes && hcm.pathWithEscapedSlashesAction == .keepUnchanged)
    }

    @Test func gatewayTCPServersGetNetworkRBAC() throws {
        let yaml = """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: gw, namespace: istio-system}
        spec:
          selector: {istio: ingressgateway}
          servers: [{port: {number: 31400, name: tcp, protocol: TCP}, hosts: ["*"]}]
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: tcp, namespace: istio-system}
        spec:
          hosts: ["*"]
          gateways: [gw]
          tcp: [{route: [{destination: {host: reviews.default.svc.cluster.local, port: {number: 9090}}}]}]
        ---

        """ + Self.policy("ingress", namespace: "istio-system", action: "DENY", selector: "istio: ingressgateway", rules: "[{from: [{source: {ipBlocks: [1.2.3.4]}}]}]")
        let listener = try Fixture.translate(yaml, proxy: TranslatorFixture.gateway()).listener("0.0.0.0_31400")
        #expect(listener.filterChains.first?.filters.map(\.name) == ["envoy.filters.network.rbac", "envoy.filters.network.tcp_proxy"])
    }

    @Test(arguments: [("NONE", false, false, Envoy_Extensions_Filters_Network_HttpConnectionManager_V3_HttpConnectionManager.PathWithEscapedSlashesAction.keepUnchanged),
                      ("BASE", true, false, .keepUnchanged), ("MERGE_SLASHES", true, true, .keepUnchanged),
                      ("DECODE_AND_MERGE_SLASHES", true, true, .unescapeAndForward)])
    func pathNormalizationFromMeshConfig(mode: String, normalize: Bool, merge: Bool, escaped: Envoy_Extensions_Filters_Network_HttpConnectionManager_V3_HttpConnectionManager.PathWithEscapedSlashesAction) throws {
        let yaml = """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: istio, namespace: istio-system}
        data:
          mesh: |
            pathNormalization: {normalization: \(mode)}
        """
        let hcm = try Fixture.inboundHCM(try Fixture.translate(yaml))
        #expect(hcm.normalizePath.value == normalize)
        #expect(hcm.mergeSlashes == merge)
        #expect(hcm.pathWithEscapedSlashesAction == escaped)
    }
}

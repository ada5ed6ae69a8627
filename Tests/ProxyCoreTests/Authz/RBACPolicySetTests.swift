import Testing
@testable import ProxyCore

@Suite struct RBACPolicySetTests {
    typealias Policy = RBACPolicySet.Policy

    static func exact(_ text: String, ignoreCase: Bool = false) -> StringMatch { StringMatch(.exact(Array(text.utf8)), ignoreCase: ignoreCase) }
    static func prefix(_ text: String) -> StringMatch { StringMatch(.prefix(Array(text.utf8))) }
    static func cidr(_ text: String, _ length: Int) -> CIDRRange { CIDRRange(address: text, length: length)! }

    static let plain = AuthzConnection(directRemote: IPAddress("10.1.2.3"), local: IPAddress("127.0.0.5"), localPort: 9080)
    static let mutual = AuthzConnection(directRemote: IPAddress("10.1.2.3"), local: IPAddress("127.0.0.5"), localPort: 9080,
                                        requestedServerName: "outbound_.9080_._.reviews.default.svc.cluster.local",
                                        tls: .init(uriSANs: ["spiffe://cluster.local/ns/default/sa/productpage"], dnsSANs: ["pp.local"], subject: "CN=pp"))

    /// Evaluates `set` for a request built from the arguments.
    static func decide(_ set: RBACPolicySet, _ target: String = "/", method: String = "GET", headers: [(String, String)] = [],
                       connection: AuthzConnection = plain, metadata: DynamicMetadata = DynamicMetadata()) -> RBACPolicySet.Decision {
        RouteTestSupport.withRequest(target, method: method, headers: headers) { request in
            set.evaluate(AuthzInput(connection: connection, request: request, remote: AuthzInput.forwardedClient(request), metadata: metadata))
        }
    }

    static func one(_ action: RBACPolicySet.Action, _ permissions: [RBACPermission], _ principals: [RBACPrincipal] = [.any], name: String = "p") -> RBACPolicySet {
        RBACPolicySet(action: action, policies: [Policy(name: name, permissions: permissions, principals: principals)])
    }

    @Test func emptyPolicySetsFollowTheAction() {
        #expect(!Self.decide(RBACPolicySet(action: .allow, policies: [])).allowed)
        #expect(Self.decide(RBACPolicySet(action: .deny, policies: [])).allowed)
        #expect(Self.decide(RBACPolicySet(action: .log, policies: [])).allowed)
        #expect(Self.decide(RBACPolicySet(action: .allow, policies: [])).responseCodeDetails == "rbac_access_denied_matched_policy[none]")
    }

    @Test func denyAndAllowByPathMethodAndHeader() {
        let deny = Self.one(.deny, [.or([.urlPath(Self.prefix("/admin")), .header(HeaderMatch(name: ":method", rule: .string(Self.exact("DELETE"))))])],
                            name: "ns[foo]-policy[deny]-rule[0]")
        let denied = Self.decide(deny, "/admin/x?y=1")
        #expect(!denied.allowed)
        #expect(denied.responseCodeDetails == "rbac_access_denied_matched_policy[ns[foo]-policy[deny]-rule[0]]")
        #expect(!Self.decide(deny, "/x", method: "DELETE").allowed)
        #expect(Self.decide(deny, "/x", method: "delete").allowed)
        #expect(Self.decide(deny, "/x?/admin").allowed)
        #expect(Self.decide(deny, "/Admin").allowed)
        let allow = Self.one(.allow, [.header(HeaderMatch(name: "x-user", rule: .string(Self.exact("jason"))))])
        #expect(Self.decide(allow, headers: [("X-User", "jason")]).allowed)
        // Repeated headers are joined with "," before matching, as Envoy does.
        #expect(!Self.decide(allow, headers: [("x-user", "jason"), ("x-user", "bob")]).allowed)
        let present = Self.one(.deny, [.header(HeaderMatch(name: "x-evil", rule: .present(true)))])
        #expect(!Self.decide(present, headers: [("X-EVIL", "")]).allowed)
    }

    @Test func policiesAreEvaluatedInNameOrder() {
        let set = RBACPolicySet(action: .deny, policies: [
            Policy(name: "b", permissions: [.any], principals: [.any]),
            Policy(name: "a", permissions: [.any], principals: [.any]),
        ])
        #expect(Self.decide(set).matchedPolicy == "a")
    }

    @Test func connectionRules() {
        #expect(!Self.decide(Self.one(.allow, [.destinationPort(9081)])).allowed)
        #expect(Self.decide(Self.one(.allow, [.destinationPort(9080)])).allowed)
        #expect(Self.decide(Self.one(.allow, [.destinationPortRange(start: 9000, end: 9081)])).allowed)
        #expect(!Self.decide(Self.one(.allow, [.destinationPortRange(start: 9000, end: 9080)])).allowed)
        #expect(Self.decide(Self.one(.allow, [.destinationIP(Self.cidr("127.0.0.0", 8))])).allowed)
        #expect(Self.decide(Self.one(.allow, [.any], [.directRemoteIP(Self.cidr("10.1.0.0", 16))])).allowed)
        #expect(!Self.decide(Self.one(.allow, [.any], [.directRemoteIP(Self.cidr("10.2.0.0", 16))])).allowed)
        let sni = Self.one(.allow, [.requestedServerName(StringMatch(.suffix(Array(".svc.cluster.local".utf8))))])
        #expect(!Self.decide(sni).allowed)
        #expect(Self.decide(sni, connection: Self.mutual).allowed)
    }

    @Test func remoteIPFollowsTheLastForwardedHop() {
        let set = Self.one(.deny, [.any], [.remoteIP(Self.cidr("1.2.3.4", 32))])
        #expect(Self.decide(set).allowed)
        #expect(!Self.decide(set, headers: [("X-Forwarded-For", "9.9.9.9, 1.2.3.4")]).allowed)
        #expect(Self.decide(set, headers: [("X-Forwarded-For", "1.2.3.4, 9.9.9.9")]).allowed)
        // Not an address: the peer is used.
        let peer = Self.one(.deny, [.any], [.remoteIP(Self.cidr("10.1.2.3", 32))])
        #expect(!Self.decide(peer, headers: [("X-Forwarded-For", "garbage")]).allowed)
        // direct_remote_ip ignores the header.
        #expect(Self.decide(Self.one(.deny, [.any], [.directRemoteIP(Self.cidr("1.2.3.4", 32))]), headers: [("X-Forwarded-For", "1.2.3.4")]).allowed)
    }

    @Test func authenticatedPrincipals() {
        let spiffe = Self.one(.allow, [.any], [.authenticated(Self.exact("spiffe://cluster.local/ns/default/sa/productpage"))])
        #expect(!Self.decide(spiffe).allowed)
        #expect(Self.decide(spiffe, connection: Self.mutual).allowed)
        let namespace = Self.one(.allow, [.any], [.authenticated(StringMatch(.regex(try! .init(".*/ns/default/.*"))))])
        #expect(Self.decide(namespace, connection: Self.mutual).allowed)
        #expect(Self.decide(Self.one(.allow, [.any], [.authenticated(Self.exact("pp.local"))]), connection: Self.mutual).allowed)
        #expect(Self.decide(Self.one(.allow, [.any], [.authenticated(Self.exact("CN=pp"))]), connection: Self.mutual).allowed)
        #expect(Self.decide(Self.one(.allow, [.any], [.authenticated(nil)]), connection: Self.mutual).allowed)
        #expect(!Self.decide(Self.one(.allow, [.any], [.authenticated(nil)])).allowed)
    }

    @Test func notAndAnd() {
        let set = Self.one(.allow, [.and([.urlPath(Self.prefix("/api")), .not(.urlPath(Self.prefix("/api/private")))])])
        #expect(Self.decide(set, "/api/x").allowed)
        #expect(!Self.decide(set, "/api/private/x").allowed)
        let principals = Self.one(.allow, [.any], [.not(.any)])
        #expect(!Self.decide(principals).allowed)
    }

    @Test func jwtClaimsThroughMetadata() {
        let filter = "envoy.filters.http.jwt_authn"
        var metadata = DynamicMetadata()
        metadata.set(filter: filter, key: "payload", .structValue([
            "iss": .string("issuer.example"), "sub": .string("alice"),
            "groups": .list([.string("dev"), .string("admin")]), "level": .number(3), "admin": .bool(true),
        ]))
        let requestPrincipal = RBACPrincipal.and([
            .metadata(MetadataMatch(filter: filter, path: ["payload", "iss"], rule: .string(Self.exact("issuer.example")))),
            .metadata(MetadataMatch(filter: filter, path: ["payload", "sub"], rule: .string(Self.exact("alice")))),
        ])
        #expect(Self.decide(Self.one(.allow, [.any], [requestPrincipal]), metadata: metadata).allowed)
        #expect(!Self.decide(Self.one(.allow, [.any], [requestPrincipal])).allowed)
        let group = MetadataMatch(filter: filter, path: ["payload", "groups"], rule: .listOneOf(.string(Self.exact("admin"))))
        #expect(Self.decide(Self.one(.allow, [.any], [.metadata(group)]), metadata: metadata).allowed)
        let stringOrList = MetadataMatch(filter: filter, path: ["payload", "sub"],
                                         rule: .or([.listOneOf(.string(Self.exact("alice"))), .string(Self.exact("alice"))]))
        #expect(Self.decide(Self.one(.allow, [.any], [.metadata(stringOrList)]), metadata: metadata).allowed)
        let number = MetadataMatch(filter: filter, path: ["payload", "level"], rule: .doubleRange(start: 1, end: 4))
        #expect(Self.decide(Self.one(.allow, [.any], [.metadata(number)]), metadata: metadata).allowed)
        let flag = MetadataMatch(filter: filter, path: ["payload", "admin"], rule: .bool(true))
        #expect(Self.decide(Self.one(.allow, [.any], [.metadata(flag)]), metadata: metadata).allowed)
        let absent = MetadataMatch(filter: filter, path: ["payload", "missing"], rule: .present(true), invert: true)
        #expect(Self.decide(Self.one(.allow, [.any], [.metadata(absent)]), metadata: metadata).allowed)
        let wrongKind = MetadataMatch(filter: filter, path: ["payload", "groups"], rule: .string(Self.exact("admin")))
        #expect(!Self.decide(Self.one(.allow, [.any], [.metadata(wrongKind)]), metadata: metadata).allowed)
    }

    @Test func tcpHasNoHeadersOrPath() {
        let input = AuthzInput(connection: Self.plain)
        #expect(Self.one(.deny, [.urlPath(Self.prefix("/"))]).evaluate(input).allowed)
        #expect(!Self.one(.deny, [.header(HeaderMatch(name: "x-evil", rule: .present(false)))]).evaluate(input).allowed)
        #expect(!Self.one(.deny, [.destinationPort(9080)]).evaluate(input).allowed)
    }

    @Test func filterVerdictsIgnoreShadowRules() {
        let filter = RBACFilterConfig(name: "envoy.filters.http.rbac", rules: nil, shadowRules: Self.one(.allow, [.destinationPort(1)]))
        let verdict = filter.evaluate(AuthzInput(connection: Self.plain))
        #expect(verdict.allowed)
        #expect(verdict.shadow?.allowed == false)
    }
}

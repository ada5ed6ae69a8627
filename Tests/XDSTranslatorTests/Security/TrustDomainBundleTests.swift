import Testing
import XDSAPI
@testable import XDSTranslator

@Suite struct TrustDomainBundleTests {
    @Test func principalsOfTheBundleOrClusterLocalMatchInEveryTrustDomain() {
        let bundle = TrustDomainBundle(trustDomain: "td2", aliases: ["td1"])
        #expect(bundle.replacingAliases(["td1/ns/foo/sa/bar"]) == ["td2/ns/foo/sa/bar", "td1/ns/foo/sa/bar"])
        #expect(bundle.replacingAliases(["cluster.local/ns/foo/sa/bar"]) == ["td2/ns/foo/sa/bar", "td1/ns/foo/sa/bar"])
        // Not enforced, not the shape, or foreign: as written.
        #expect(bundle.replacingAliases(["*/ns/foo/sa/bar", "sa/bar", "other/ns/foo/sa/bar"]) == ["*/ns/foo/sa/bar", "sa/bar", "other/ns/foo/sa/bar"])
        // A wildcard trust domain is not one of the bundle's (Istio compares it as a value): kept.
        #expect(bundle.replacingAliases(["*d1/ns/foo/sa/bar"]) == ["*d1/ns/foo/sa/bar"])
        // A bundle trust domain given as a pattern matches principals of that shape.
        #expect(TrustDomainBundle(trustDomain: "td2", aliases: ["*-old"]).replacingAliases(["a-old/ns/foo/sa/bar"]) == ["td2/ns/foo/sa/bar", "*-old/ns/foo/sa/bar"])
        #expect(bundle.expanding(["td1", "x"]) == ["td2", "td1", "x"])
    }

    @Test func meshConfigAliasesReachTheRBACPrincipals() throws {
        let yaml = """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: istio, namespace: istio-system}
        data:
          mesh: |
            trustDomain: new.example
            trustDomainAliases: [old.example]
        ---
        """ + "\n" + AuthorizationTranslationTests.policy("p", rules: "[{from: [{source: {principals: [cluster.local/ns/default/sa/client]}}]}]")
        let hcm = try SecurityFixture.inboundHCM(try SecurityFixture.translate(yaml))
        let rbac = try SecurityFixture.rbac(try #require(hcm.httpFilters.first { $0.name == "envoy.filters.http.rbac" }))
        let ids = try #require(rbac.rules.policies.values.first?.principals.first?.andIds.ids.first?.orIds.ids)
        #expect(ids.map(\.authenticated.principalName.exact) == ["spiffe://new.example/ns/default/sa/client", "spiffe://old.example/ns/default/sa/client"])
    }
}

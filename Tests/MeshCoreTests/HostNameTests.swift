import Testing
@testable import MeshCore

@Suite struct HostNameTests {
    @Test(arguments: ["reviews", "reviews.default", "reviews.default.svc.cluster.local", "*", "*.example.com", "*example.com", "*-api.example.com", "Api.Example.COM", "example.com."])
    func acceptsIstioHosts(host: String) {
        #expect(HostName.wildcardDomainProblem(host) == nil, "\(host)")
    }

    @Test(arguments: ["", "foo.*.com", "a..b", "-leading.example.com", "trailing-.example.com", "under_score.com", "*.*.com", String(repeating: "a", count: 64) + ".com", String(repeating: "a.", count: 130) + "com"])
    func rejectsBadHosts(host: String) {
        #expect(HostName.wildcardDomainProblem(host) != nil, "\(host)")
    }

    @Test func wildcardsCanBeForbidden() {
        #expect(HostName.wildcardDomainProblem("*.example.com", allowWildcard: false) != nil)
    }

    @Test func kubernetesNamesAreLowerCase() {
        #expect(HostName.isDNS1123Subdomain("reviews-v1.shop"))
        #expect(!HostName.isDNS1123Subdomain("Reviews"))
        #expect(HostName.isDNS1123LowercaseLabel("shop"))
        #expect(!HostName.isDNS1123LowercaseLabel("shop.prod"))
    }
}

@Suite struct LabelRulesTests {
    @Test func keysAndValues() {
        #expect(LabelRules.keyProblem("app") == nil)
        #expect(LabelRules.keyProblem("app.kubernetes.io/name") == nil)
        #expect(LabelRules.keyProblem("") != nil)
        #expect(LabelRules.keyProblem("/name") != nil)
        #expect(LabelRules.keyProblem("Bad_Prefix/name") != nil)
        #expect(LabelRules.keyProblem("name-") != nil)
        #expect(LabelRules.valueProblem("") == nil)
        #expect(LabelRules.valueProblem("v1.2_beta") == nil)
        #expect(LabelRules.valueProblem("has space") != nil)
        #expect(LabelRules.valueProblem(String(repeating: "a", count: 64)) != nil)
    }
}

import Testing
@testable import ProxyCore

/// A route's hash policy reads the parsed request as Envoy does: every value of a
/// header (case-insensitive name), the query string, the peer's IP.
struct RouteHashInputTests {
    @Test func headerValuesPathAndSourceIPFeedTheHash() {
        let policy = ForwardAction(target: .cluster("c"), hashPolicies: [.header(name: "x-user")]).requestHashPolicy
        let jason = RouteTestSupport.withRequest("/", headers: [("X-User", "jason")]) { request in
            let input = RouteHashInput(request: request, sourceIP: nil)
            #expect(input.headerValues(named: "x-user") == ["jason"])
            return policy.hash(input).hash
        }
        let again = RouteTestSupport.withRequest("/other", headers: [("x-user", "jason")]) { policy.hash(RouteHashInput(request: $0, sourceIP: nil)).hash }
        let alice = RouteTestSupport.withRequest("/", headers: [("x-user", "alice")]) { policy.hash(RouteHashInput(request: $0, sourceIP: nil)).hash }
        let none = RouteTestSupport.withRequest("/") { policy.hash(RouteHashInput(request: $0, sourceIP: nil)).hash }
        #expect(jason != nil && jason == again, "same user, same key, whatever the path")
        #expect(jason != alice)
        #expect(none == nil, "no header: no key, the balancer picks at random as Envoy")
    }

    @Test func queryParameterAndSourceIP() {
        let query = ForwardAction(target: .cluster("c"), hashPolicies: [.queryParameter(name: "cart")]).requestHashPolicy
        let one = RouteTestSupport.withRequest("/buy?cart=7&x=1") { query.hash(RouteHashInput(request: $0, sourceIP: nil)).hash }
        let two = RouteTestSupport.withRequest("/view?x=2&cart=7") { query.hash(RouteHashInput(request: $0, sourceIP: nil)).hash }
        #expect(one != nil && one == two)
        let source = ForwardAction(target: .cluster("c"), hashPolicies: [.sourceIP]).requestHashPolicy
        let a = RouteTestSupport.withRequest("/") { source.hash(RouteHashInput(request: $0, sourceIP: "10.0.0.1")).hash }
        let b = RouteTestSupport.withRequest("/") { source.hash(RouteHashInput(request: $0, sourceIP: "10.0.0.2")).hash }
        #expect(a != nil && a != b)
    }
}

import Testing
@testable import ProxyCore

@Suite struct DomainIndexTests {
    func host(_ table: RouteTable, _ authority: String) -> String? {
        RouteTestSupport.withRequest("/", host: authority) { table.virtualHost(for: $0.authorityBytes)?.name }
    }

    @Test func envoyOrderExactSuffixPrefixDefault() throws {
        let routes = [RouteTestSupport.route("r", RouteTestSupport.prefix("/"))]
        let table = try RouteTestSupport.table([
            ("default", ["*"], routes),
            ("prefix", ["api.*"], routes),
            ("short-suffix", ["*.com"], routes),
            ("long-suffix", ["*.example.com"], routes),
            ("dash-suffix", ["*-bar.example.com"], routes),
            ("exact", ["www.example.com", "www.example.com:8080"], routes),
        ])
        #expect(host(table, "www.example.com") == "exact")
        #expect(host(table, "WWW.Example.COM") == "exact")
        #expect(host(table, "www.example.com:8080") == "exact")
        // The port is part of the name: no suffix matches "...com:9090".
        #expect(host(table, "www.example.com:9090") == "default")
        #expect(host(table, "foo-bar.example.com") == "dash-suffix")
        #expect(host(table, "a.example.com") == "long-suffix")
        #expect(host(table, "other.com") == "short-suffix")
        // The wildcard must stand for at least one character.
        #expect(host(table, ".com") == "default")
        #expect(host(table, "api.internal") == "prefix")
        #expect(host(table, "nothing") == "default")
    }

    @Test func noDefaultMeansNoHost() throws {
        let table = try RouteTestSupport.table([("a", ["reviews", "reviews:9080"], [RouteTestSupport.route("r", RouteTestSupport.prefix("/"))])])
        #expect(host(table, "reviews:9080") == "a")
        #expect(host(table, "ratings") == nil)
        #expect(RouteTestSupport.select(table, "/", host: "ratings") == nil)
    }

    @Test func duplicateAndInvalidDomainsAreRejected() {
        #expect(throws: DomainIndex.DuplicateDomain.self) {
            try RouteTestSupport.table([("a", ["x.com"], []), ("b", ["X.com"], [])])
        }
        #expect(throws: DomainIndex.InvalidDomain.self) {
            try RouteTestSupport.table([("a", ["a*b.com"], [])])
        }
    }
}

import MeshCore
import Testing
@testable import ProxyCore

@Suite struct RouteTableTests {
    typealias S = RouteTestSupport

    func table(_ routes: [RouteEntry]) throws -> RouteTable {
        try S.table([("host", ["*"], routes)])
    }

    @Test func firstMatchingRouteWinsInOrder() throws {
        let table = try table([
            S.route("exact", PathMatch(.exact(Array("/api".utf8)))),
            S.route("api", S.prefix("/api")),
            S.route("root", S.prefix("/")),
        ])
        #expect(S.select(table, "/api") == "exact")
        #expect(S.select(table, "/api?x=1") == "exact")
        #expect(S.select(table, "/api/v1") == "api")
        #expect(S.select(table, "/apix") == "api")
        #expect(S.select(table, "/other") == "root")
    }

    @Test func caseInsensitivePaths() throws {
        let table = try table([S.route("ci", S.prefix("/API", caseSensitive: false)), S.route("root", S.prefix("/"))])
        #expect(S.select(table, "/api/x") == "ci")
        #expect(S.select(table, "/Api") == "ci")
        let sensitive = try self.table([S.route("cs", S.prefix("/API"))])
        #expect(S.select(sensitive, "/api") == nil)
    }

    @Test func pathSeparatedPrefix() throws {
        let table = try table([S.route("sep", PathMatch(.separatedPrefix(Array("/api".utf8))))])
        #expect(S.select(table, "/api") == "sep")
        #expect(S.select(table, "/api/x") == "sep")
        #expect(S.select(table, "/api?x") == "sep")
        #expect(S.select(table, "/apix") == nil)
    }

    @Test func regexPathsMatchWholePathWithoutQuery() throws {
        let table = try table([S.route("re", PathMatch(.regex(try RegexPattern("/users/[0-9]+"))))])
        #expect(S.select(table, "/users/42") == "re")
        #expect(S.select(table, "/users/42?x=1") == "re")
        #expect(S.select(table, "/users/42/x") == nil)
    }

    @Test func headerMatchers() throws {
        func header(_ rule: HeaderMatch.Rule, invert: Bool = false, name: String = "x-user") -> RouteEntry {
            S.route("h", S.prefix("/"), headers: [HeaderMatch(name: name, rule: rule, invert: invert)])
        }
        let exact = try table([header(.string(StringMatch(.exact(Array("jason".utf8)))))])
        #expect(S.select(exact, "/", headers: [("X-User", "jason")]) == "h")
        #expect(S.select(exact, "/", headers: [("x-user", "Jason")]) == nil)
        #expect(S.select(exact, "/") == nil)
        let inverted = try table([header(.string(StringMatch(.exact(Array("jason".utf8)))), invert: true)])
        #expect(S.select(inverted, "/", headers: [("x-user", "bob")]) == "h")
        #expect(S.select(inverted, "/", headers: [("x-user", "jason")]) == nil)
        #expect(S.select(inverted, "/") == "h")
        let prefix = try table([header(.string(StringMatch(.prefix(Array("ja".utf8)))))])
        #expect(S.select(prefix, "/", headers: [("x-user", "jane")]) == "h")
        let suffix = try table([header(.string(StringMatch(.suffix(Array("SON".utf8)), ignoreCase: true)))])
        #expect(S.select(suffix, "/", headers: [("x-user", "jason")]) == "h")
        let contains = try table([header(.string(StringMatch(.contains(Array("as".utf8)))))])
        #expect(S.select(contains, "/", headers: [("x-user", "jason")]) == "h")
        let regex = try table([header(.string(StringMatch(.regex(try RegexPattern("j.*n")))))])
        #expect(S.select(regex, "/", headers: [("x-user", "jason")]) == "h")
        #expect(S.select(regex, "/", headers: [("x-user", "jasons")]) == nil)
        let present = try table([header(.present(true))])
        #expect(S.select(present, "/", headers: [("x-user", "")]) == "h")
        #expect(S.select(present, "/") == nil)
        let absent = try table([header(.present(false))])
        #expect(S.select(absent, "/") == "h")
        let range = try table([header(.range(start: 10, end: 20))])
        #expect(S.select(range, "/", headers: [("x-user", "15")]) == "h")
        #expect(S.select(range, "/", headers: [("x-user", "20")]) == nil)
    }

    @Test func repeatedHeadersAreJoinedWithComma() throws {
        let table = try table([S.route("h", S.prefix("/"), headers: [HeaderMatch(name: "x-v", rule: .string(StringMatch(.exact(Array("a,b".utf8)))))])])
        #expect(S.select(table, "/", headers: [("x-v", "a"), ("X-V", "b")]) == "h")
    }

    @Test func pseudoHeaders() throws {
        let method = try table([S.route("m", S.prefix("/"), headers: [HeaderMatch(name: ":method", rule: .string(StringMatch(.exact(Array("POST".utf8)))))])])
        #expect(S.select(method, "/", method: "POST") == "m")
        #expect(S.select(method, "/") == nil)
        let authority = try table([S.route("a", S.prefix("/"), headers: [HeaderMatch(name: ":authority", rule: .string(StringMatch(.prefix(Array("api.".utf8)))))])])
        #expect(S.select(authority, "/", host: "api.example.com") == "a")
        let scheme = try table([S.route("s", S.prefix("/"), headers: [HeaderMatch(name: ":scheme", rule: .string(StringMatch(.exact(Array("http".utf8)))))])])
        #expect(S.select(scheme, "/") == "s")
    }

    @Test func queryParameters() throws {
        let table = try table([
            S.route("exact", S.prefix("/"), query: [QueryParameterMatch(name: "v", rule: .string(StringMatch(.exact(Array("2".utf8)))))]),
            S.route("present", S.prefix("/"), query: [QueryParameterMatch(name: "debug", rule: .present)]),
            S.route("root", S.prefix("/")),
        ])
        #expect(S.select(table, "/p?a=1&v=2") == "exact")
        #expect(S.select(table, "/p?v=3") == "root")
        #expect(S.select(table, "/p?debug") == "present")
        #expect(S.select(table, "/p?debug=1") == "present")
        #expect(S.select(table, "/p#v=2") == "root")
    }

    @Test func runtimeFractionUsesTheStreamRandomValue() throws {
        let table = try table([S.route("ten", S.prefix("/"), fraction: FractionalPercent(numerator: 10, denominator: 100)), S.route("rest", S.prefix("/"))])
        #expect(S.select(table, "/", random: 5) == "ten")
        #expect(S.select(table, "/", random: 105) == "ten")
        #expect(S.select(table, "/", random: 50) == "rest")
    }

    @Test func weightedClusterSelection() {
        let target = ClusterTarget.weighted([WeightedClusterEntry(name: "a", weight: 20), WeightedClusterEntry(name: "b", weight: 80)], totalWeight: 100)
        #expect(target.select(random: 0).name == "a")
        #expect(target.select(random: 19).name == "a")
        #expect(target.select(random: 20).name == "b")
        #expect(target.select(random: 199).name == "b")
        #expect(ClusterTarget.cluster("c").select(random: 7).name == "c")
    }

    @Test func retryConditionsParse() {
        let parsed = RetryPolicyConfig.Conditions.parse("connect-failure,refused-stream, unavailable,cancelled,retriable-status-codes")
        #expect(parsed == .success([.connectFailure, .refusedStream, .unavailable, .cancelled, .retriableStatusCodes]))
        #expect(RetryPolicyConfig.Conditions.parse("5xx,bogus") == .failure(RetryPolicyConfig.UnknownCondition(name: "bogus")))
    }

    @Test func headerMutationDrops() {
        let mutation = HeaderMutation(additions: [.init(name: "X-Set", value: "1", action: .overwriteIfExistsOrAdd),
                                                  .init(name: "x-add", value: "1", action: .appendIfExistsOrAdd)],
                                      removals: ["X-Gone"])
        func drops(_ name: String) -> Bool { Array(name.utf8).withUnsafeBytes { mutation.drops($0) } }
        #expect(drops("x-gone"))
        #expect(drops("x-SET"))
        #expect(!drops("x-add"))
    }
}

import Testing
@testable import ProxyCore

struct FakeRequest: HashPolicyRequest {
    var headers: [(String, String)] = []
    var sourceIP: String? = "10.1.2.3"
    var remoteAddress: String? = "10.1.2.3:5555"
    var localAddress: String? = "10.0.0.9:8080"
    var path: Substring = "/"

    func headerValues(named name: String) -> [Substring] {
        headers.filter { $0.0 == name }.map { Substring($0.1) }
    }
}

@Suite struct HashPolicyTests {
    @Test func headerHashIsXXHashOfTheValue() {
        let policy = HashPolicy([.init(.header(name: "x-user"))])
        let result = policy.hash(FakeRequest(headers: [("x-user", "alice")]))
        #expect(result.hash == XXHash64.hash("alice"))
        #expect(policy.hash(FakeRequest()).hash == nil)
    }

    @Test func multipleHeaderValuesAreSortedThenConcatenated() {
        let policy = HashPolicy([.init(.header(name: "x-tag"))])
        let a = policy.hash(FakeRequest(headers: [("x-tag", "foo"), ("x-tag", "bar")])).hash
        let b = policy.hash(FakeRequest(headers: [("x-tag", "bar"), ("x-tag", "foo")])).hash
        #expect(a == b)
        #expect(a == XXHash64.hash("barfoo"))
    }

    @Test func cookieValueIsFoundAndUnquoted() {
        let policy = HashPolicy([.init(.cookie(name: "session"))])
        let request = FakeRequest(headers: [("cookie", "theme=dark; session=\"abc123\"; x=1")])
        #expect(policy.hash(request).hash == XXHash64.hash("abc123"))
        #expect(policy.hash(request).setCookie == nil)
    }

    @Test func missingCookieWithTTLIsGenerated() {
        let policy = HashPolicy([.init(.cookie(name: "sticky", ttlSeconds: 60, path: "/app"))])
        let result = policy.hash(FakeRequest())
        let value = HashPolicy.hex16(XXHash64.hash("10.1.2.3:5555" + "10.0.0.9:8080"))
        #expect(value.count == 16)
        #expect(result.hash == XXHash64.hash(value))
        #expect(result.setCookie == "sticky=\"\(value)\"; Max-Age=60; Path=/app; HttpOnly")
        #expect(HashPolicy([.init(.cookie(name: "sticky"))]).hash(FakeRequest()).hash == nil)
    }

    @Test func sourceIPAndQueryParameter() {
        #expect(HashPolicy([.init(.sourceIP)]).hash(FakeRequest()).hash == XXHash64.hash("10.1.2.3"))
        let query = HashPolicy([.init(.queryParameter(name: "user"))])
        #expect(query.hash(FakeRequest(path: "/p?a=1&user=bob&user=eve")).hash == XXHash64.hash("bob"))
        #expect(query.hash(FakeRequest(path: "/p?user")).hash == XXHash64.hash(""))
        #expect(query.hash(FakeRequest(path: "/p?username=x")).hash == nil)
    }

    @Test func rulesCombineByRotateAndXor() {
        let h1 = XXHash64.hash("alice"), h2 = XXHash64.hash("10.1.2.3")
        let both = HashPolicy([.init(.header(name: "x-user")), .init(.sourceIP)])
        #expect(both.hash(FakeRequest(headers: [("x-user", "alice")])).hash == ((h1 << 1) | (h1 >> 63)) ^ h2)
        let terminal = HashPolicy([.init(.header(name: "x-user"), terminal: true), .init(.sourceIP)])
        #expect(terminal.hash(FakeRequest(headers: [("x-user", "alice")])).hash == h1)
        // A terminal rule that produced nothing does not stop evaluation.
        #expect(terminal.hash(FakeRequest()).hash == h2)
    }
}

import Testing
@testable import ProxyCore

/// Envoy's CORS decisions: preflights from allowed origins are answered, actual
/// requests get the allow-origin headers, other origins get nothing.
struct CorsPolicyConfigTests {
    let policy = CorsPolicyConfig(allowOrigins: [StringMatch(.exact(Array("https://a.example".utf8)))], allowMethods: "GET,POST",
                                  allowHeaders: "x-h", exposeHeaders: "x-e", maxAge: "60", allowCredentials: true)

    func decide(_ origin: String?, preflight: Bool, _ policy: CorsPolicyConfig? = nil) -> CorsPolicyConfig.Decision {
        guard let origin else { return (policy ?? self.policy).decide(origin: nil, preflight: preflight) }
        return Array(origin.utf8).withUnsafeBytes { (policy ?? self.policy).decide(origin: $0, preflight: preflight) }
    }

    @Test func preflightAndActualRequests() {
        let preflight = "access-control-allow-origin: https://a.example\r\naccess-control-allow-credentials: true\r\n"
            + "access-control-allow-methods: GET,POST\r\naccess-control-allow-headers: x-h\r\naccess-control-max-age: 60\r\n"
        #expect(decide("https://a.example", preflight: true) == .preflight(Array(preflight.utf8)))
        let actual = "access-control-allow-origin: https://a.example\r\naccess-control-allow-credentials: true\r\naccess-control-expose-headers: x-e\r\n"
        #expect(decide("https://a.example", preflight: false) == .respond(Array(actual.utf8)))
    }

    @Test func otherOriginsAndNoOrigin() {
        #expect(decide("https://b.example", preflight: false) == .none)
        #expect(decide("https://b.example", preflight: true) == .none, "forwarded upstream by default")
        #expect(decide(nil, preflight: true) == .none)
        var strict = policy
        strict.forwardNotMatchingPreflights = false
        #expect(decide("https://b.example", preflight: true, strict) == .rejectPreflight)
    }
}

import Foundation
import Testing
@testable import ProxyCore
@testable import ProxyJWT

@Suite struct JWTAuthenticatorTests {
    static let tokens = TestTokens()
    static let now: Int64 = 1_800_000_000
    static let issuer = "https://issuer.example"

    /// Istio's shape: one provider `origins-0`, requires_any [provider, allow_missing].
    static func config(audiences: [String] = [], locations: [JWTProviderConfig.Location] = [],
                       requirement: JWTRequirement = .any([.provider("origins-0", audiences: nil), .allowMissing(providers: [])])) throws -> JWTAuthnConfig {
        var provider = JWTProviderConfig(name: "origins-0", issuer: issuer, audiences: audiences, keys: try JWKSKeySet(json: tokens.jwks), locations: locations)
        provider.payloadInMetadata = "payload"
        provider.forwardPayloadHeader = Array("x-jwt-payload".utf8)
        provider.claimToHeaders = [(Array("x-sub".utf8), "sub")]
        provider.spaceDelimitedClaims = ["scope"]
        return JWTAuthnConfig(providers: ["origins-0": provider],
                              rules: [(RouteMatchRule(path: PathMatch(.prefix(Array("/".utf8)))), requirement)])
    }

    static func run(_ config: JWTAuthnConfig, _ target: String = "/", headers: [(String, String)] = []) -> JWTAuthenticator.Result {
        var text = "GET \(target) HTTP/1.1\r\nHost: svc\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        let bytes = Array((text + "\r\n").utf8)
        return bytes.withUnsafeBytes { buffer in
            var head = HTTP1RequestHead()
            _ = try! HTTP1RequestParser().parse(buffer, into: &head)
            return JWTAuthenticator.run(config, request: RouteRequest(bytes: buffer, head: head, random: 0), nowSeconds: now)
        }
    }

    static func bearer(_ token: String) -> [(String, String)] { [("Authorization", "Bearer \(token)")] }

    nonisolated(unsafe) static let good: [String: Any] = ["iss": issuer, "sub": "alice", "exp": now + 600, "aud": "svc.example", "scope": "read write"]

    @Test func istioRequirementAcceptsMissingAndValidTokens() throws {
        let config = try Self.config()
        #expect(Self.run(config).status == .ok)
        let valid = Self.run(config, headers: Self.bearer(Self.tokens.token(Self.good)))
        #expect(valid.status == .ok)
        guard case .structValue(let payload)? = valid.metadata["payload"] else {
            Issue.record("no payload metadata")
            return
        }
        #expect(payload["sub"] == .string("alice"))
        #expect(payload["scope"] == .list([.string("read"), .string("write")]))
        // The token is consumed (forward: false), the payload and claim are forwarded.
        #expect(valid.removedHeaders.contains(Array("authorization".utf8)))
        let lines = String(decoding: valid.addedLines, as: UTF8.self)
        #expect(lines.contains("x-jwt-payload: "))
        #expect(lines.contains("x-sub: alice\r\n"))
        // RS256 with the RSA key works too.
        #expect(Self.run(config, headers: Self.bearer(Self.tokens.token(Self.good, algorithm: .rs256, kid: "rsa-1"))).status == .ok)
    }

    @Test func failuresGiveEnvoysStatuses() throws {
        let config = try Self.config(audiences: ["svc.example"])
        var expired = Self.good
        expired["exp"] = Self.now - 61
        #expect(Self.run(config, headers: Self.bearer(Self.tokens.token(expired))).status == .expired)
        var skewed = Self.good
        skewed["exp"] = Self.now - 30
        #expect(Self.run(config, headers: Self.bearer(Self.tokens.token(skewed))).status == .ok)
        var early = Self.good
        early["nbf"] = Self.now + 120
        #expect(Self.run(config, headers: Self.bearer(Self.tokens.token(early))).status == .notYetValid)
        var stranger = Self.good
        stranger["iss"] = "https://other.example"
        #expect(Self.run(config, headers: Self.bearer(Self.tokens.token(stranger))).status == .unknownIssuer)
        var audience = Self.good
        audience["aud"] = ["other"]
        let wrongAudience = Self.run(config, headers: Self.bearer(Self.tokens.token(audience)))
        #expect(wrongAudience.status == .audienceNotAllowed)
        #expect(wrongAudience.status.httpStatus == 403)
        // "https://svc.example/" counts as "svc.example" (jwt_verify_lib's sanitising).
        audience["aud"] = "https://svc.example/"
        #expect(Self.run(config, headers: Self.bearer(Self.tokens.token(audience))).status == .ok)
        let otherKey = Self.tokens.token(Self.good, signer: .init())
        #expect(Self.run(config, headers: Self.bearer(otherKey)).status == .verificationFailed)
        #expect(Self.run(config, headers: Self.bearer(Self.tokens.token(Self.good, kid: "nope"))).status == .kidAlgMismatch)
        #expect(Self.run(config, headers: Self.bearer("not-a-jwt")).status == .badFormat)
        #expect(Self.run(config, headers: Self.bearer("e30.e30.!!")).status == .headerBadAlg)
        #expect(JWTStatus.missing.message == "Jwt is missing")
        #expect(JWTStatus.verificationFailed.message == "Jwt verification fails")
    }

    @Test func requiredProviderRefusesMissingTokens() throws {
        let config = try Self.config(requirement: .provider("origins-0", audiences: nil))
        #expect(Self.run(config).status == .missing)
        #expect(Self.run(config, headers: [("Authorization", "Basic abc")]).status == .missing)
        // Every token must verify: a good and a bad one do not pass.
        let good = Self.tokens.token(Self.good)
        #expect(Self.run(config, "/?access_token=garbage.x.y", headers: Self.bearer(good)).status != .ok)
        #expect(Self.run(config, "/?access_token=\(good)").status == .ok)
    }

    @Test func customLocations() throws {
        let config = try Self.config(locations: [.header(name: Array("x-token".utf8), prefix: Array("Token ".utf8)), .cookie("session")],
                                     requirement: .provider("origins-0", audiences: nil))
        let token = Self.tokens.token(Self.good)
        #expect(Self.run(config, headers: [("X-Token", "Token \(token)")]).status == .ok)
        #expect(Self.run(config, headers: [("Cookie", "a=b; session=\(token)")]).status == .ok)
        #expect(Self.run(config, headers: Self.bearer(token)).status == .missing)
    }

    @Test func allowMissingOrFailedAlwaysPasses() throws {
        let config = try Self.config(requirement: .allowMissingOrFailed(providers: []))
        #expect(Self.run(config, headers: Self.bearer("bad.bad.bad")).status == .ok)
        #expect(Self.run(config, headers: Self.bearer(Self.tokens.token(Self.good))).metadata["payload"] != nil)
    }

    @Test func parserAndBase64() {
        #expect(Base64URL.decode(Array("aGk".utf8)) == Array("hi".utf8))
        #expect(Base64URL.decode(Array("aGk=".utf8)) == Array("hi".utf8))
        #expect(Base64URL.decode(Array("a".utf8)) == nil)
        #expect(JSONValueParser.parse(Array(#"{"a": [1, "x\u00e9", true, null, {"b": -2.5e1}]}"#.utf8))
                == .structValue(["a": .list([.number(1), .string("x\u{e9}"), .bool(true), .null, .structValue(["b": .number(-25)])])]))
        #expect(JSONValueParser.parse(Array("{\"a\": 1,}".utf8)) == nil)
    }
}

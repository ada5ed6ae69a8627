import Foundation
import MeshSnapshot
import Testing
import XDSAPI
@testable import XDSTranslator

@Suite struct JWTTranslationTests {
    typealias Fixture = SecurityFixture
    typealias JwtAuthentication = Envoy_Extensions_Filters_Http_JwtAuthn_V3_JwtAuthentication

    static let keys = #"{"keys":[{"kty":"RSA","e":"AQAB","n":"abc"}]}"#

    static func requestAuthentication(_ rules: String, name: String = "jwt", namespace: String = "default", selector: String = "app: reviews") -> String {
        """
        apiVersion: security.istio.io/v1
        kind: RequestAuthentication
        metadata: {name: \(name), namespace: \(namespace)}
        spec:
          \(selector.isEmpty ? "" : "selector: {matchLabels: {\(selector)}}")
          jwtRules: \(rules)
        """
    }

    func jwtFilter(_ yaml: String, jwks: [String: JWKSFetch] = [:]) throws -> (JwtAuthentication, [String]) {
        var snapshot = try Fixture.snapshot(yaml)
        snapshot.jwks = jwks
        let resources = XDSTranslator().resources(for: Fixture.reviewsProxy, in: snapshot)
        let hcm = try Fixture.inboundHCM(resources)
        let filter = try #require(hcm.httpFilters.first)
        #expect(filter.name == "envoy.filters.http.jwt_authn")
        let filters = InboundSecurityFilters(namespace: "default", labels: Fixture.reviewsProxy.labels, snapshot: snapshot, options: TranslatorOptions())
        return (try JwtAuthentication(unpackingAny: filter.typedConfig), filters.problems)
    }

    @Test func everyRuleFieldReachesItsProvider() throws {
        let rules = """
        [{issuer: https://issuer.test, audiences: [shop, api], jwks: '\(Self.keys)', fromHeaders: [{name: x-token, prefix: "Token "}],
          fromParams: [token], fromCookies: [session], outputPayloadToHeader: x-payload, forwardOriginalToken: true,
          outputClaimToHeaders: [{header: x-sub, claim: sub}], spaceDelimitedClaims: [roles]}]
        """
        let (config, problems) = try jwtFilter(Self.requestAuthentication(rules))
        #expect(problems.isEmpty)
        let provider = try #require(config.providers["origins-0"])
        #expect(provider.issuer == "https://issuer.test")
        #expect(provider.audiences == ["shop", "api"])
        #expect(provider.localJwks.inlineString == Self.keys)
        #expect(provider.fromHeaders.map { "\($0.name)|\($0.valuePrefix)" } == ["x-token|Token "])
        #expect(provider.fromParams == ["token"] && provider.fromCookies == ["session"])
        #expect(provider.forwardPayloadHeader == "x-payload" && provider.forward)
        #expect(provider.claimToHeaders.map { "\($0.headerName)=\($0.claimName)" } == ["x-sub=sub"])
        #expect(provider.payloadInMetadata == "payload")
        #expect(provider.normalizePayloadInMetadata.spaceDelimitedClaims == ["scope", "permission", "roles"])
        // Any provider, or no token at all (AuthorizationPolicy decides), on every path.
        let rule = try #require(config.rules.first)
        #expect(rule.match.prefix == "/")
        let requirements = rule.requires.requiresAny.requirements
        #expect(requirements.map(\.providerName) == ["origins-0", ""])
        let last = try #require(requirements.last)
        guard case .allowMissing? = last.requiresType else { Issue.record("the last requirement is not allow_missing: \(last)"); return }
        #expect(config.bypassCorsPreflight)
    }

    @Test func rulesOfRootAndWorkloadPoliciesCombine() throws {
        let yaml = Self.requestAuthentication("[{issuer: a, jwks: '\(Self.keys)'}]", name: "mesh", namespace: "istio-system", selector: "")
            + "\n---\n" + Self.requestAuthentication("[{issuer: b, jwks: '\(Self.keys)'}, {issuer: c, jwks: '\(Self.keys)'}]")
            + "\n---\n" + Self.requestAuthentication("[{issuer: d, jwks: '\(Self.keys)'}]", name: "other", selector: "app: ratings")
        let (config, _) = try jwtFilter(yaml)
        #expect(config.providers.keys.sorted() == ["origins-0", "origins-1", "origins-2"])
        #expect(Set(config.providers.values.map(\.issuer)) == ["a", "b", "c"])
    }

    @Test func fetchedKeysAreInlinedAndFailuresRefuseEveryToken() throws {
        let yaml = Self.requestAuthentication("[{issuer: a, jwksUri: https://idp.test/keys}]")
        let fetched = try jwtFilter(yaml, jwks: ["https://idp.test/keys": .keys(Self.keys)])
        #expect(fetched.0.providers["origins-0"]?.localJwks.inlineString == Self.keys)
        #expect(fetched.1.isEmpty)
        let failed = try jwtFilter(yaml, jwks: ["https://idp.test/keys": .failed("connection refused")])
        #expect(failed.0.providers["origins-0"]?.localJwks.inlineString == JWTAuthenticationBuilder.unusableJWKS)
        #expect(failed.1 == ["issuer a: jwksUri https://idp.test/keys: connection refused; tokens are refused until it can be fetched"])
        let pending = try jwtFilter(yaml)
        #expect(pending.0.providers["origins-0"]?.localJwks.inlineString == JWTAuthenticationBuilder.unusableJWKS)
        #expect(pending.1.first?.contains("not fetched yet") == true)
    }

    @Test func theUnusableKeyIsAWellFormedRSAKey() throws {
        let document = try #require(try JSONSerialization.jsonObject(with: Data(JWTAuthenticationBuilder.unusableJWKS.utf8)) as? [String: Any])
        let key = try #require((document["keys"] as? [[String: Any]])?.first)
        #expect(key["kty"] as? String == "RSA")
        // 2048 bits of modulus, base64url without padding.
        #expect((key["n"] as? String)?.count == 342)
    }

    @Test func jwtComesBeforeRBAC() throws {
        let yaml = Self.requestAuthentication("[{issuer: a, jwks: '\(Self.keys)'}]") + "\n---\n" + AuthorizationTranslationTests.policy("p", rules: "[{from: [{source: {requestPrincipals: [\"*\"]}}]}]")
        let hcm = try Fixture.inboundHCM(try Fixture.translate(yaml))
        #expect(hcm.httpFilters.prefix(2).map(\.name) == ["envoy.filters.http.jwt_authn", "envoy.filters.http.rbac"])
    }
}

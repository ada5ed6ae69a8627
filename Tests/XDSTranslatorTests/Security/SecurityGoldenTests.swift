import Foundation
import Testing
@testable import XDSTranslator

/// A server and a client proxy under STRICT mTLS, DENY + ALLOW + AUDIT policies and
/// a RequestAuthentication, as Envoy JSON compared with Golden/security-*.json.
/// Refresh with `UPDATE_GOLDEN=1 swift test --filter SecurityGoldenTests`.
@Suite struct SecurityGoldenTests {
    static let config = """
    apiVersion: security.istio.io/v1
    kind: PeerAuthentication
    metadata: {name: default, namespace: default}
    spec: {mtls: {mode: STRICT}}
    ---
    apiVersion: security.istio.io/v1
    kind: PeerAuthentication
    metadata: {name: reviews-tcp, namespace: default}
    spec:
      selector: {matchLabels: {app: reviews}}
      portLevelMtls: {"9090": {mode: PERMISSIVE}}
    ---
    apiVersion: networking.istio.io/v1
    kind: DestinationRule
    metadata: {name: reviews, namespace: default}
    spec:
      host: reviews.default.svc.cluster.local
      trafficPolicy: {tls: {mode: ISTIO_MUTUAL}}
      subsets: [{name: v1, labels: {version: v1}}]
    ---
    apiVersion: security.istio.io/v1
    kind: RequestAuthentication
    metadata: {name: jwt, namespace: default}
    spec:
      selector: {matchLabels: {app: reviews}}
      jwtRules:
      - issuer: https://issuer.test
        audiences: [reviews]
        jwks: '{"keys":[{"kty":"RSA","e":"AQAB","n":"abc"}]}'
        fromHeaders: [{name: x-jwt, prefix: "Bearer "}]
        outputClaimToHeaders: [{header: x-sub, claim: sub}]
    ---
    apiVersion: security.istio.io/v1
    kind: AuthorizationPolicy
    metadata: {name: deny-admin, namespace: default}
    spec:
      selector: {matchLabels: {app: reviews}}
      action: DENY
      rules:
      - to: [{operation: {paths: ["/admin/*"], notPorts: ["9090"]}}]
        from: [{source: {notNamespaces: [ops]}}]
    ---
    apiVersion: security.istio.io/v1
    kind: AuthorizationPolicy
    metadata: {name: readers, namespace: default}
    spec:
      selector: {matchLabels: {app: reviews}}
      action: ALLOW
      rules:
      - from: [{source: {principals: [cluster.local/ns/default/sa/client]}}]
        to: [{operation: {methods: [GET], paths: ["/reviews/{*}", "/static/*"]}}]
      - from: [{source: {requestPrincipals: ["https://issuer.test/*"]}}]
        when: [{key: "request.auth.claims[groups]", values: [editors]}]
      - to: [{operation: {ports: ["9090"]}}]
    ---
    apiVersion: security.istio.io/v1
    kind: AuthorizationPolicy
    metadata: {name: audit, namespace: istio-system}
    spec:
      action: AUDIT
      rules: [{to: [{operation: {methods: [DELETE]}}]}]
    """

    @Test(arguments: ["security-reviews-sidecar", "security-client-sidecar"])
    func securityTranslationMatchesGolden(name: String) throws {
        let proxy = name == "security-reviews-sidecar" ? SecurityFixture.reviewsProxy : SecurityFixture.client
        let actual = try SecurityFixture.translate(Self.config, proxy: proxy).json()
        let path = "\(GoldenTests.goldenDirectory)/\(name).json"
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] != nil {
            try actual.write(toFile: path, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOfFile: path, encoding: .utf8)
        #expect(actual == expected, "translation of \(name) differs from \(path); rerun with UPDATE_GOLDEN=1 and review the diff")
    }
}

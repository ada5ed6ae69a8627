import Testing
@testable import MeshValidation

/// PeerAuthentication and RequestAuthentication: CRD schema and CEL rules plus Istio's
/// webhook rules (`ValidatePeerAuthentication`, `ValidateRequestAuthentication`).
@Suite struct SecurityPolicyValidationTests {
    /// Istio's sample JWKS (samples/jwt-server), one RSA key.
    static let jwks = #"{"keys":[{"e":"AQAB","kid":"DHFbpoIUqrY8t2zpA2qXfCmr5VO5ZEr4RzHU_-envvQ","kty":"RSA","n":"xAE7eB6qugXyCAG3yhh7pkDkT65pHymX-P7KfIupjf59vsdo91bSP9C8H07pSAGQO1MV_xFj9VswgsCg4R6otmg5PV2He95lZdHtOcU5DXIg_pbhLdKXbi66GlVeK6ABZOUW3WYtnNHD-91gVuoeJT_DwtGGcp4ignkgXfkiEm4sw-4sfb4qdt5oLbyVpmW6x9cfa7vs2WTfURiCrBoUqgBo_-4WTiULmmHSGZHOjzwa8WtrtOQGsAFjIbno85jp6MnGGGZPYZbDAa_b3y5u-YpW7ypZrvD8BgtKVjgtQgZhLAGezMt0ua3DRrWnKqTZ0BJ_EyxOGuHJrLsn00fnMQ"}]}"#

    static let invalidPeerAuthentication: [ValidationCase] = [
        .istio("PeerAuthentication", "port-level-without-selector", spec: """
        mtls: {mode: STRICT}
        portLevelMtls:
          "8080": {mode: DISABLE}
        """, path: "spec", message: "portLevelMtls requires selector"),
        .istio("PeerAuthentication", "port-level-empty-selector", spec: """
        selector: {matchLabels: {}}
        portLevelMtls:
          "8080": {mode: PERMISSIVE}
        """, path: "spec", message: "portLevelMtls requires selector"),
        .istio("PeerAuthentication", "port-key-zero", spec: """
        selector: {matchLabels: {app: reviews}}
        portLevelMtls:
          "0": {mode: DISABLE}
        """, path: "spec.portLevelMtls", message: "port must be between 1-65535"),
        .istio("PeerAuthentication", "port-key-too-large", spec: """
        selector: {matchLabels: {app: reviews}}
        portLevelMtls:
          "70000": {mode: DISABLE}
        """, path: "spec.portLevelMtls", message: "port must be between 1-65535"),
        .istio("PeerAuthentication", "port-key-name", spec: """
        selector: {matchLabels: {app: reviews}}
        portLevelMtls:
          http: {mode: DISABLE}
        """, path: "spec.portLevelMtls", message: "port must be between 1-65535"),
        .istio("PeerAuthentication", "port-level-empty-map", spec: """
        selector: {matchLabels: {app: reviews}}
        portLevelMtls: {}
        """, path: "spec.portLevelMtls", message: "at least 1"),
        .istio("PeerAuthentication", "bad-mode", spec: """
        mtls: {mode: STRICTEST}
        """, path: "spec.mtls.mode", message: "unsupported value"),
        .istio("PeerAuthentication", "bad-port-mode", spec: """
        selector: {matchLabels: {app: reviews}}
        portLevelMtls:
          "9080": {mode: permissive}
        """, path: "spec.portLevelMtls.9080.mode", message: "unsupported value"),
        .istio("PeerAuthentication", "selector-wildcard-key", spec: """
        selector: {matchLabels: {"app*": reviews}}
        mtls: {mode: STRICT}
        """, path: "spec.selector.matchLabels", message: "wildcard"),
        .istio("PeerAuthentication", "misspelt-field", spec: """
        mTLS: {mode: STRICT}
        """, path: "spec.mTLS", message: "did you mean \"mtls\""),
        .istio("PeerAuthentication", "target-ref-not-in-schema", spec: """
        targetRef: {kind: Service, name: reviews}
        mtls: {mode: STRICT}
        """, path: "spec.targetRef", message: "unknown field"),
    ]

    static let invalidRequestAuthentication: [ValidationCase] = [
        .istio("RequestAuthentication", "no-issuer-no-jwks-uri", spec: """
        jwtRules:
        - audiences: [bookinfo]
        """, path: "spec.jwtRules[0].issuer", message: "issuer or jwksUri"),
        .istio("RequestAuthentication", "empty-issuer", spec: """
        jwtRules:
        - issuer: ""
          jwksUri: https://example.com/.well-known/jwks.json
        """, path: "spec.jwtRules[0].issuer", message: "at least 1"),
        .istio("RequestAuthentication", "ftp-jwks-uri", spec: """
        jwtRules:
        - issuer: https://example.com
          jwksUri: ftp://example.com/jwks.json
        """, path: "spec.jwtRules[0].jwksUri", message: "http:// or https://"),
        .istio("RequestAuthentication", "jwks-uri-bad-port", spec: """
        jwtRules:
        - issuer: https://example.com
          jwksUri: "https://example.com:abc/jwks.json"
        """, path: "spec.jwtRules[0].jwksUri", message: "non-numeric port"),
        .istio("RequestAuthentication", "jwks-and-jwks-uri", spec: """
        jwtRules:
        - issuer: https://example.com
          jwksUri: https://example.com/jwks.json
          jwks: '\(jwks)'
        """, path: "spec.jwtRules[0]", message: "only one of jwks or jwksUri"),
        .istio("RequestAuthentication", "jwks-garbage", spec: """
        jwtRules:
        - issuer: https://example.com
          jwks: "not a key set"
        """, path: "spec.jwtRules[0].jwks", message: "JSON Web Key"),
        .istio("RequestAuthentication", "jwks-keys-not-list", spec: """
        jwtRules:
        - issuer: https://example.com
          jwks: '{"keys": "abc"}'
        """, path: "spec.jwtRules[0].jwks", message: "JSON Web Key"),
        .istio("RequestAuthentication", "output-header-underscore", spec: """
        jwtRules:
        - issuer: https://example.com
          outputClaimToHeaders:
          - {header: x_jwt_sub, claim: sub}
        """, path: "spec.jwtRules[0].outputClaimToHeaders[0].header", message: "not a valid header name"),
        .istio("RequestAuthentication", "output-header-space", spec: """
        jwtRules:
        - issuer: https://example.com
          outputClaimToHeaders:
          - {header: "x jwt", claim: sub}
        """, path: "spec.jwtRules[0].outputClaimToHeaders[0].header", message: "does not match"),
        .istio("RequestAuthentication", "output-missing-claim", spec: """
        jwtRules:
        - issuer: https://example.com
          outputClaimToHeaders:
          - {header: x-jwt-sub}
        """, path: "spec.jwtRules[0].outputClaimToHeaders[0].claim", message: "required"),
        .istio("RequestAuthentication", "from-header-empty-name", spec: """
        jwtRules:
        - issuer: https://example.com
          fromHeaders: [{name: "", prefix: "Bearer "}]
        """, path: "spec.jwtRules[0].fromHeaders[0].name", message: "at least 1"),
        .istio("RequestAuthentication", "from-params-empty", spec: """
        jwtRules:
        - issuer: https://example.com
          fromParams: [token, ""]
        """, path: "spec.jwtRules[0].fromParams[1]", message: "at least 1"),
        .istio("RequestAuthentication", "empty-audience", spec: """
        jwtRules:
        - issuer: https://example.com
          audiences: [""]
        """, path: "spec.jwtRules[0].audiences[0]", message: "at least 1"),
        .istio("RequestAuthentication", "timeout-too-small", spec: """
        jwtRules:
        - issuer: https://example.com
          jwksUri: https://example.com/jwks.json
          timeout: 0.5ms
        """, path: "spec.jwtRules[0].timeout", message: "1ms"),
        .istio("RequestAuthentication", "timeout-sub-ms", spec: """
        jwtRules:
        - issuer: https://example.com
          timeout: 1500us
        """, path: "spec.jwtRules[0].timeout", message: "ms precision"),
        .istio("RequestAuthentication", "target-ref-namespace", spec: """
        targetRef: {kind: Gateway, group: gateway.networking.k8s.io, name: ingress, namespace: istio-system}
        jwtRules:
        - issuer: https://example.com
        """, path: "spec.targetRef.namespace", message: "cross namespace"),
        .istio("RequestAuthentication", "selector-and-target-refs", spec: """
        selector: {matchLabels: {app: web}}
        targetRefs: [{kind: Service, group: "", name: web}]
        jwtRules:
        - issuer: https://example.com
        """, path: "spec", message: "only one of targetRefs or selector"),
        .istio("RequestAuthentication", "target-ref-without-name", spec: """
        targetRef: {kind: Service, group: ""}
        jwtRules:
        - issuer: https://example.com
        """, path: "spec.targetRef.name", message: "required"),
    ]

    static let validPeerAuthentication: [ValidationCase] = [
        .istio("PeerAuthentication", "v1beta1-mesh-strict", apiVersion: "security.istio.io/v1beta1", spec: """
        mtls: {mode: STRICT}
        """),
        .istio("PeerAuthentication", "namespace-permissive", spec: """
        mtls: {mode: PERMISSIVE}
        """),
        .istio("PeerAuthentication", "empty-spec-inherits", spec: "{}"),
        .istio("PeerAuthentication", "port-level-with-selector", spec: """
        selector: {matchLabels: {app: reviews, version: v1}}
        mtls: {mode: STRICT}
        portLevelMtls:
          "8080": {mode: DISABLE}
          9080: {mode: PERMISSIVE}
          "65535": {mode: UNSET}
        """),
    ]

    static let validRequestAuthentication: [ValidationCase] = [
        .istio("RequestAuthentication", "v1beta1-jwks-uri", apiVersion: "security.istio.io/v1beta1", spec: """
        selector: {matchLabels: {app: productpage}}
        jwtRules:
        - issuer: "testing@secure.istio.io"
          jwksUri: "https://raw.githubusercontent.com/istio/istio/release-1.22/security/tools/jwt/samples/jwks.json"
        """),
        .istio("RequestAuthentication", "inline-jwks", spec: """
        jwtRules:
        - issuer: https://issuer.example.com
          jwks: '\(jwks)'
          audiences: [bookinfo, reviews]
        """),
        .istio("RequestAuthentication", "jwks-uri-only", spec: """
        jwtRules:
        - jwksUri: "http://jwks.internal:8080/keys"
          timeout: 5s
        """),
        .istio("RequestAuthentication", "token-locations", spec: """
        jwtRules:
        - issuer: https://issuer.example.com
          jwksUri: https://issuer.example.com/jwks
          fromHeaders:
          - {name: x-jwt-assertion}
          - {name: Authorization, prefix: "Bearer "}
          fromParams: [access_token]
          fromCookies: [session]
          forwardOriginalToken: true
        """),
        .istio("RequestAuthentication", "outputs", spec: """
        jwtRules:
        - issuer: https://issuer.example.com
          jwksUri: https://issuer.example.com/jwks
          outputPayloadToHeader: x-jwt-payload
          outputClaimToHeaders:
          - {header: x-jwt-sub, claim: sub}
          - {header: X-Jwt-Groups, claim: groups}
        """),
        .istio("RequestAuthentication", "target-ref-gateway-two-issuers", spec: """
        targetRef: {kind: Gateway, group: gateway.networking.k8s.io, name: ingress}
        jwtRules:
        - issuer: https://a.example.com
          jwksUri: "https://[2001:db8::1]:8443/keys"
        - issuer: https://b.example.com
          jwks_uri: https://b.example.com/keys
        """),
    ]

    @Test(arguments: invalidPeerAuthentication + invalidRequestAuthentication)
    func rejects(_ testCase: ValidationCase) { expectRejected(testCase) }

    @Test(arguments: validPeerAuthentication + validRequestAuthentication)
    func accepts(_ testCase: ValidationCase) { expectAccepted(testCase) }

    /// Istio's webhook does not check `outputPayloadToHeader`; an odd name is admitted
    /// (the proxy rejects it later), so it is only a warning here.
    @Test func oddPayloadHeaderIsOnlyAWarning() {
        let report = ValidationCase.istio("RequestAuthentication", "payload-header", spec: """
        jwtRules:
        - issuer: https://issuer.example.com
          outputPayloadToHeader: "x payload"
        """).validate()
        #expect(report.errors.isEmpty)
        #expect(report.warnings.contains { $0.path.description == "spec.jwtRules[0].outputPayloadToHeader" })
    }

    @Test func repeatedIssuerWarns() {
        let report = ValidationCase.istio("RequestAuthentication", "same-issuer", spec: """
        jwtRules:
        - issuer: https://issuer.example.com
        - issuer: https://issuer.example.com
          fromHeaders: [{name: x-token}]
        """).validate()
        #expect(report.errors.isEmpty)
        #expect(report.warnings.contains { $0.path.description == "spec.jwtRules[1].issuer" })
    }
}

import Testing

/// Istio's CRDs do not require `spec`: without one, each kind means what its empty
/// spec means.
@Suite struct MissingSpecTests {
    @Test func allowNothingPolicyWithoutSpecIsAccepted() {
        expectAccepted(.raw("AuthorizationPolicy without spec", "apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: allow-nothing, namespace: shop}\n"))
    }

    @Test func virtualServiceWithoutSpecNeedsRoutes() {
        expectRejected(.raw("VirtualService without spec", "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: empty}\n", path: "spec", message: "http, tcp or tls"))
    }
}

import Foundation
import MeshLocal
import Testing

/// PeerAuthentication and DestinationRule TLS on stock Envoy with certificates from
/// the mesh CA: STRICT refuses plaintext every time (the listener's access log
/// says NR) and accepts sidecar traffic,
/// PERMISSIVE accepts both, DISABLE is plaintext; ISTIO_MUTUAL to a STRICT server
/// works and DISABLE fails with Envoy's flag (UC); principals and namespaces
/// authorise. Needs the mesh CA and agent (`control-plane --ca-dir`, `proxy
/// --data-plane envoy`); skipped with a message where this build has none.
@Suite(.serialized)
struct MutualTLSIntegrationTests {
    /// The namespace's PeerAuthentication and the client's DestinationRule for
    /// reviews (TLS mode when given). One request per upstream connection, so each
    /// request shows the config in force rather than a pooled connection's.
    static func peerAuthentication(_ mode: String, destinationTLS: String? = nil) -> String {
        """
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {name: default, namespace: default}
        spec: {mtls: {mode: \(mode)}}
        ---
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: reviews, namespace: default}
        spec:
          host: reviews.default.svc.cluster.local
          trafficPolicy:
            connectionPool: {http: {maxRequestsPerConnection: 1}}
            \(destinationTLS.map { "tls: {mode: \($0)}" } ?? "")
        """
    }

    @Test(arguments: AuthorizationIntegrationTests.planes)
    func peerAuthenticationModesAndDestinationRuleTLS(plane: DataPlane) throws {
        if AuthorizationIntegrationTests.skipWithoutEnvoy() || MutualTLSMesh.skipWithoutCA() { return }
        let mesh = try MutualTLSMesh(plane: plane, config: Self.peerAuthentication("STRICT"))
        defer { mesh.stop() }
        // STRICT: sidecar traffic (auto-mTLS) is served, plaintext never.
        let served = mesh.viaClient("/")
        #expect(served.status == 200)
        // The app learns its caller as under Istio: the inbound sidecar appends its hop
        // to x-forwarded-client-cert (APPEND_FORWARD; the demo app echoes headers as JSON).
        let forwarded = served.body.components(separatedBy: "\"x-forwarded-client-cert\":\"").dropFirst().first?.prefix { $0 != "," } ?? ""
        #expect(forwarded.hasPrefix("By=spiffe://cluster.local/ns/default/sa/reviews;Hash="), "\(served.body)")
        #expect(forwarded.hasSuffix(";URI=spiffe://cluster.local/ns/default/sa/client\""), "\(served.body)")
        let plaintext = (0..<20).map { _ in mesh.plaintextToServer() }
        #expect(plaintext.allSatisfy { $0 == 0 }, "plaintext answered under STRICT: \(plaintext)")
        // Plaintext matches no chain of the STRICT listener: Istio's listener access log (NR).
        let inbound = "\(mesh.harness.address(mesh.serverHost)):19080"
        try mesh.harness.waitUntil("the server's listener log shows NR", timeout: 10) {
            mesh.harness.log("reviews-v1").split(separator: "\n").contains { $0.contains(" 0 NR filter_chain_not_found ") && $0.contains(" \(inbound) ") }
        }

        // PERMISSIVE: both.
        try mesh.replaceConfig(Self.peerAuthentication("PERMISSIVE"))
        try mesh.harness.waitUntil("PERMISSIVE in force", timeout: 15) { mesh.plaintextToServer() == 200 }
        #expect(mesh.viaClient("/").status == 200)

        // DISABLE: plaintext only; clients stop using mTLS to it (auto-mTLS sees DISABLE).
        try mesh.replaceConfig(Self.peerAuthentication("DISABLE"))
        try mesh.harness.waitUntil("DISABLE in force", timeout: 15) { mesh.plaintextToServer() == 200 && mesh.viaClient("/").status == 200 }

        // ISTIO_MUTUAL to a STRICT server works; DISABLE (plaintext) to it fails: the
        // server has no chain for plaintext and closes, Envoy's flag is UC.
        try mesh.replaceConfig(Self.peerAuthentication("STRICT", destinationTLS: "ISTIO_MUTUAL"))
        try mesh.harness.waitUntil("STRICT with ISTIO_MUTUAL", timeout: 15) { mesh.plaintextToServer() == 0 && mesh.viaClient("/").status == 200 }
        try mesh.replaceConfig(Self.peerAuthentication("STRICT", destinationTLS: "DISABLE"))
        try mesh.harness.waitUntil("DISABLE towards STRICT fails", timeout: 15) { mesh.viaClient("/").status == 503 }
        let failed = mesh.viaClient("/")
        #expect(failed.status == 503)
        #expect(failed.body.contains("upstream connect error or disconnect/reset before headers"), "\(failed.body)")
        try mesh.harness.waitUntil("the client's access log shows UC", timeout: 20) {
            mesh.harness.log("client").split(separator: "\n").contains { $0.contains("\" 503 UC upstream_reset_before_response_started{connection_termination}") }
        }
    }

    @Test(arguments: AuthorizationIntegrationTests.planes)
    func principalsAndNamespacesAuthorise(plane: DataPlane) throws {
        if AuthorizationIntegrationTests.skipWithoutEnvoy() || MutualTLSMesh.skipWithoutCA() { return }
        func policy(_ source: String) -> String {
            Self.peerAuthentication("STRICT") + """

            ---
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: callers, namespace: default}
            spec:
              selector: {matchLabels: {app: reviews}}
              action: ALLOW
              rules: [{from: [{source: {\(source)}}]}]
            """
        }
        let mesh = try MutualTLSMesh(plane: plane, config: policy("principals: [cluster.local/ns/default/sa/client]"))
        defer { mesh.stop() }
        #expect(mesh.viaClient("/").status == 200)
        try mesh.replaceConfig(policy("principals: [cluster.local/ns/default/sa/someone-else]"))
        try mesh.harness.waitUntil("another principal only", timeout: 15) { mesh.viaClient("/").status == 403 }
        try mesh.replaceConfig(policy("namespaces: [default]"))
        try mesh.harness.waitUntil("the namespace allowed", timeout: 15) { mesh.viaClient("/").status == 200 }
        try mesh.replaceConfig(policy("namespaces: [shop]"))
        try mesh.harness.waitUntil("another namespace only", timeout: 15) { mesh.viaClient("/").status == 403 }
        try mesh.replaceConfig(policy("notPrincipals: [cluster.local/ns/default/sa/client]"))
        try mesh.harness.waitUntil("the client excluded", timeout: 15) { mesh.viaClient("/").status == 403 }
    }
}

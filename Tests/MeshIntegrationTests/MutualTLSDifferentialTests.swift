import Foundation
import MeshLocal
import Testing

/// Mutual TLS between the two data planes, each way: a client sidecar with a
/// DestinationRule MUTUAL (client certificate and roots from files) calls a
/// gateway terminating MUTUAL TLS (server certificate, client roots from files).
/// Every pairing gets the same checks: the call goes through; a client
/// certificate from another root is refused by the gateway; a gateway whose
/// certificate the client's roots do not cover is refused by the client; both
/// refusals are Envoy's 503 connect failure with the same body.
@Suite(.serialized, .enabled(if: MeshHarness.envoyBinary != nil && FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl"),
                             "needs stock Envoy and openssl"))
struct MutualTLSDifferentialTests {
    static let host = "shop.example.com"
    static let gatewayHost = 51

    /// What stock Envoy 1.40 answers when the upstream TLS session fails (after
    /// Istio's default connect-failure retries); the transport failure reason
    /// stays out of the body.
    static let refusedBody = "upstream connect error or disconnect/reset before headers. retried and the latest reset reason: remote connection failure"

    static let pairings: [(client: DataPlane, gateway: DataPlane)] = [(.envoy, .swift), (.swift, .envoy), (.swift, .swift), (.envoy, .envoy)]

    func config(_ harness: MeshHarness, port: Int, gateway: (String, String), roots: String,
                client: (String, String), clientRoots: String) -> String {
        """
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: shop, namespace: default}
        spec:
          hosts: [\(Self.host)]
          location: MESH_EXTERNAL
          resolution: STATIC
          ports: [{number: 9080, name: http, protocol: HTTP}]
          endpoints: [{address: \(harness.address(Self.gatewayHost)), ports: {http: \(port)}}]
        ---
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: shop, namespace: default}
        spec:
          host: \(Self.host)
          trafficPolicy:
            tls: {mode: MUTUAL, clientCertificate: \(client.0), privateKey: \(client.1), caCertificates: \(clientRoots), sni: \(Self.host)}
        ---
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: secure, namespace: default}
        spec:
          selector: {istio: ingressgateway}
          servers:
          - port: {number: \(port), name: https, protocol: HTTPS}
            bind: \(harness.address(Self.gatewayHost))
            hosts: ["\(Self.host)"]
            tls: {mode: MUTUAL, serverCertificate: \(gateway.0), privateKey: \(gateway.1), caCertificates: \(roots)}
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: secure, namespace: default}
        spec:
          hosts: [\(Self.host)]
          gateways: [secure]
          http:
          - route: [{destination: {host: reviews, subset: v1, port: {number: 9080}}}]
        """
    }

    @Test(arguments: pairings.indices) func mutualTLSBetweenDataPlanes(_ pairing: Int) throws {
        let (clientPlane, gatewayPlane) = Self.pairings[pairing]
        let port = try MeshHarness.freePort()
        // Both proxies log the TLS peer facts (MeshConfig's access log, Envoy's operators).
        let logFile = FileManager.default.temporaryDirectory.appendingPathComponent("swiftmesh-mtls-\(pairing)-\(UUID().uuidString.prefix(8)).log")
        defer { try? FileManager.default.removeItem(at: logFile) }
        let meshConfig = """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: istio, namespace: istio-system}
        data:
          mesh: |
            accessLogFile: \(logFile.path)
            accessLogFormat: "%DOWNSTREAM_PEER_URI_SAN% %DOWNSTREAM_LOCAL_URI_SAN% %REQUESTED_SERVER_NAME% %RESPONSE_CODE% %RESPONSE_FLAGS% %UPSTREAM_TRANSPORT_FAILURE_REASON%\\n"
        """
        let mesh = try ReviewsMesh(dataPlane: clientPlane, apps: [ReviewsMesh.App(version: "v1", host: 2)], routing: nil, extraConfig: meshConfig)
        defer { mesh.stop() }
        let harness = mesh.harness
        let root = try harness.makeRootCertificate("mesh-root")
        let rogueRoot = try harness.makeRootCertificate("rogue-root")
        let gateway = try harness.makeLeafCertificate("gateway", issuer: root, sans: ["DNS:\(Self.host)", "URI:spiffe://cluster.local/ns/default/sa/gateway"])
        let client = try harness.makeLeafCertificate("client", issuer: root, sans: ["URI:spiffe://cluster.local/ns/default/sa/client"])
        let rogueClient = try harness.makeLeafCertificate("rogue-client", issuer: rogueRoot, sans: ["URI:spiffe://cluster.local/ns/default/sa/client"])
        try harness.write("shop.yaml", config(harness, port: port, gateway: gateway, roots: root.0, client: client, clientRoots: root.0))
        try harness.startProxy(gatewayPlane, "gateway", nodeID: "router~\(harness.address(Self.gatewayHost))~gateway.default~default.svc.cluster.local",
                               labels: ["istio": "ingressgateway"], waitFor: ["\(harness.address(Self.gatewayHost))_\(port)"])
        var response: HTTPProbe.Response?
        try harness.waitUntil("mTLS call \(clientPlane) -> \(gatewayPlane)", timeout: 20) {
            response = mesh.get(host: Self.host)
            return response?.status == 200
        }
        #expect(response?.headers["x-served-by"] == "reviews-v1")
        // The gateway's line names the client's certificate, its own and the SNI.
        let gatewayLine = "spiffe://cluster.local/ns/default/sa/client spiffe://cluster.local/ns/default/sa/gateway \(Self.host) 200 - -"
        try harness.waitUntil("gateway access log", timeout: 10) {
            _ = mesh.get(host: Self.host)
            return ((try? String(contentsOf: logFile, encoding: .utf8)) ?? "").split(separator: "\n").contains { $0 == gatewayLine }
        }

        // The client presents a certificate from another root: the gateway refuses it.
        try harness.write("shop.yaml", config(harness, port: port, gateway: gateway, roots: root.0, client: rogueClient, clientRoots: root.0))
        try harness.waitUntil("rogue client refused by \(gatewayPlane)", timeout: 20) {
            response = mesh.get(host: Self.host)
            return response?.status == 503
        }
        #expect(response?.body == Self.refusedBody)
        // The client's line: a connect failure after retries, with BoringSSL's reason
        // for the gateway's alert (Envoy's access log turns spaces into `_`).
        try Self.waitForLine(harness, logFile, "- - - 503 URX,UF TLS_error:|268436504:SSL_routines:OPENSSL_internal:TLSV1_ALERT_UNKNOWN_CA:TLS_error_end") {
            _ = mesh.get(host: Self.host)
        }
        // Back to good, so the next failure is the next config's.
        try harness.write("shop.yaml", config(harness, port: port, gateway: gateway, roots: root.0, client: client, clientRoots: root.0))
        try harness.waitUntil("mTLS call again", timeout: 20) { mesh.get(host: Self.host)?.status == 200 }

        // The client does not trust the gateway's root: the client refuses the gateway.
        try harness.write("shop.yaml", config(harness, port: port, gateway: gateway, roots: root.0, client: client, clientRoots: rogueRoot.0))
        try harness.waitUntil("gateway refused by \(clientPlane)", timeout: 20) {
            response = mesh.get(host: Self.host)
            return response?.status == 503
        }
        #expect(response?.body == Self.refusedBody)
        // Envoy 1.40 appends X509 detail (":verify_cert_failed:_X509_verify_cert:_certificate_verification_error_at_depth_0:...")
        // that NIOSSL does not expose; the BoringSSL part is the same.
        try Self.waitForLine(harness, logFile, "- - - 503 URX,UF TLS_error:|268435581:SSL_routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED:", prefix: true) {
            _ = mesh.get(host: Self.host)
        }
    }

    /// Waits (sending requests with `poke`) until the access log holds `line`
    /// (or, with `prefix`, a line starting with it).
    static func waitForLine(_ harness: MeshHarness, _ file: URL, _ line: String, prefix: Bool = false, poke: () -> Void) throws {
        do {
            try harness.waitUntil("access log line \(line)", timeout: 15) {
                poke()
                return ((try? String(contentsOf: file, encoding: .utf8)) ?? "").split(separator: "\n").contains { prefix ? $0.hasPrefix(line) : $0 == line }
            }
        } catch {
            let lines = Set(((try? String(contentsOf: file, encoding: .utf8)) ?? "").split(separator: "\n")).sorted().joined(separator: "\n")
            Issue.record("no line \(line) in\n\(lines)")
            throw error
        }
    }
}

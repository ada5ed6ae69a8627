import Foundation
import MeshLocal
import Testing

/// The example mesh under `swiftmesh up` with PeerAuthentication STRICT and 6 s
/// workload certificates, on each data plane: every hop from the gateway on is
/// mutual TLS with certificates from the agents, and requests keep succeeding
/// while those certificates roll. Plaintext and a certificate from another root
/// are refused at a sidecar's inbound port.
@Suite(.serialized) struct SidecarRotationTests {
    static let strict = """
    apiVersion: security.istio.io/v1
    kind: PeerAuthentication
    metadata: {name: default, namespace: shop}
    spec:
      mtls: {mode: STRICT}
    """

    @Test(arguments: ["swift", "envoy"])
    func mutualTLSBetweenSidecarsSurvivesCertificateRotation(dataPlane: String) throws {
        if dataPlane == "envoy" && MeshHarness.envoyBinary == nil {
            print("skipped: stock Envoy not installed (scripts/install-deps.sh)")
            return
        }
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("swiftmesh-rot-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: base) }
        let config = base.appendingPathComponent("config")
        try FileManager.default.createDirectory(at: config, withIntermediateDirectories: true)
        for file in try FileManager.default.contentsOfDirectory(atPath: MeshHarness.packageRoot + "/examples") where file.hasSuffix(".yaml") {
            guard file != "security.yaml" else { continue }  // only mTLS here; authorization has its own tests
            try FileManager.default.copyItem(atPath: MeshHarness.packageRoot + "/examples/" + file, toPath: config.appendingPathComponent(file).path)
        }
        try Self.strict.write(to: config.appendingPathComponent("security.yaml"), atomically: true, encoding: .utf8)
        let run = base.appendingPathComponent("run")
        let gatewayPort = try MeshHarness.freePort()
        let up = try UpProcess([config.path, "--gateway-port", "\(gatewayPort)", "--http-port", "0", "--xds-port", "0", "--secure-xds-port", "0",
                                "--workload-cert-ttl", "6s", "--enable-mtls", "--run-dir", run.path, "--start-timeout", "30", "--data-plane", dataPlane], directory: base)
        defer { up.stop() }
        try up.waitUntilUp()

        var failures: [String] = [], successes = 0
        let end = Date().addingTimeInterval(20)
        while Date() < end {
            let response = HTTPProbe.get("127.0.0.1", gatewayPort, timeoutSeconds: 5)
            if response?.status == 200, response?.body.contains("stock") == true { successes += 1 } else {
                failures.append("\(response?.status ?? 0) \(response?.body.prefix(200) ?? "")")
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        print("\(dataPlane): \(successes) requests through mTLS sidecars ok, \(failures.count) failed while 6 s certificates rolled")
        #expect(failures.isEmpty, "\(failures.prefix(5))")
        #expect(successes > 100)
        for sidecar in ["shop-v1", "catalog-v1", "stock-v1", "ingressgateway"] {
            let log = (try? String(contentsOf: run.appendingPathComponent("\(sidecar).log"), encoding: .utf8)) ?? ""
            let installs = log.components(separatedBy: "agent: installed certificate").count - 1
            #expect(installs >= 5, "\(sidecar)'s agent installed \(installs) certificates in 20 s of 6 s certificates")
        }

        if dataPlane == "swift" {
            // Istio's security labels on the server side of gateway -> shop.
            let metrics = HTTPProbe.get("127.0.10.1", 15090, path: "/stats/prometheus", timeoutSeconds: 3)?.body ?? ""
            let inbound = metrics.split(separator: "\n").filter { $0.hasPrefix("istio_requests_total{") && $0.contains("reporter=\"destination\"") }
            #expect(inbound.contains { $0.contains("connection_security_policy=\"mutual_tls\"") && $0.contains("source_principal=\"spiffe://cluster.local/ns/shop/sa/ingressgateway\"") },
                    "\(inbound.prefix(3))")
        }

        // STRICT: the shop sidecar's inbound port takes only mesh certificates.
        let plaintext = HTTPProbe.get("127.0.10.1", 19080, timeoutSeconds: 3)
        #expect(plaintext?.status != 200, "a plaintext client reached shop through STRICT mTLS")
        let scratch = try MeshHarness()
        defer { scratch.stopAll() }
        let foreign = try CertificateRotationTests.foreignCertificate(in: scratch, identity: "spiffe://cluster.local/ns/shop/sa/ingressgateway")
        let refused = try CertificateRotationTests.curl(scratch, ["-sk", "--max-time", "5", "-o", "/dev/null", "-w", "%{http_code}",
                                                                           "--cert", foreign.cert, "--key", foreign.key, "https://127.0.10.1:19080/"])
        #expect(refused.output != "200", "a certificate from another root was accepted: \(refused)")
    }
}

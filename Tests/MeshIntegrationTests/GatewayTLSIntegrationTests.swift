import Foundation
import Testing

/// HTTPS termination at the gateway, on both data planes with the same checks:
/// certificate files named in the Gateway, and a Kubernetes Secret named by
/// `credentialName` served over SDS — including a rotated Secret reaching the
/// running gateway.
@Suite(.serialized, .enabled(if: MeshHarness.envoyBinary != nil && FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl")
        && FileManager.default.isExecutableFile(atPath: "/usr/bin/curl"), "needs stock Envoy, openssl and curl"))
struct GatewayTLSIntegrationTests {
    static let host = "shop.example.com"

    /// A self-signed certificate for `host`; returns (certificate path, key path).
    func makeCertificate(_ harness: MeshHarness, _ name: String) throws -> (String, String) {
        try harness.makeSelfSignedCertificate(name, host: Self.host)
    }

    func gateway(_ harness: MeshHarness, port: Int, tls: String) -> String {
        """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: secure, namespace: default}
        spec:
          selector: {istio: ingressgateway}
          servers:
          - port: {number: \(port), name: https, protocol: HTTPS}
            bind: \(harness.address(51))
            hosts: ["\(Self.host)"]
            tls: \(tls)
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

    func secret(certificate: String, key: String) throws -> String {
        let chain = try Data(contentsOf: URL(fileURLWithPath: certificate)).base64EncodedString()
        let privateKey = try Data(contentsOf: URL(fileURLWithPath: key)).base64EncodedString()
        return """
        apiVersion: v1
        kind: Secret
        metadata: {name: shop-credential, namespace: default}
        type: kubernetes.io/tls
        data:
          tls.crt: \(chain)
          tls.key: \(privateKey)
        """
    }

    /// curl verifying the gateway's certificate against `trusted`.
    func fetch(_ harness: MeshHarness, port: Int, trusted: String) throws -> String {
        let curl = Process()
        curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        curl.arguments = ["-s", "--cacert", trusted, "-D", "-", "--resolve", "\(Self.host):\(port):\(harness.address(51))", "https://\(Self.host):\(port)/"]
        let pipe = Pipe()
        curl.standardOutput = pipe
        try curl.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        curl.waitUntilExit()
        return output
    }

    func startGateway(_ plane: DataPlane, _ harness: MeshHarness, port: Int) throws {
        try harness.startProxy(plane, "gateway", nodeID: "router~\(harness.address(51))~gateway.default~default.svc.cluster.local",
                               labels: ["istio": "ingressgateway"], waitFor: ["\(harness.address(51))_\(port)"])
    }

    @Test(arguments: DataPlane.allCases) func httpsTerminationWithCertificateFiles(_ plane: DataPlane) throws {
        let mesh = try ReviewsMesh(apps: [ReviewsMesh.App(version: "v1", host: 2)], routing: nil)
        defer { mesh.stop() }
        let harness = mesh.harness
        let (certificate, key) = try makeCertificate(harness, "files")
        let port = try MeshHarness.freePort()
        try harness.write("gateway.yaml", gateway(harness, port: port, tls: "{mode: SIMPLE, serverCertificate: \(certificate), privateKey: \(key)}"))
        try startGateway(plane, harness, port: port)
        var output = ""
        try harness.waitUntil("HTTPS through the gateway", timeout: 15) {
            output = try fetch(harness, port: port, trusted: certificate)
            return output.contains(" 200")
        }
        #expect(output.lowercased().contains("x-served-by: reviews-v1"))
    }

    @Test(arguments: DataPlane.allCases) func httpsTerminationWithCredentialNameOverSDSAndRotation(_ plane: DataPlane) throws {
        let mesh = try ReviewsMesh(apps: [ReviewsMesh.App(version: "v1", host: 2)], routing: nil)
        defer { mesh.stop() }
        let harness = mesh.harness
        let (first, firstKey) = try makeCertificate(harness, "first")
        let (second, secondKey) = try makeCertificate(harness, "second")
        let port = try MeshHarness.freePort()
        try harness.write("secret.yaml", try secret(certificate: first, key: firstKey))
        try harness.write("gateway.yaml", gateway(harness, port: port, tls: "{mode: SIMPLE, credentialName: shop-credential}"))
        try startGateway(plane, harness, port: port)
        var output = ""
        try harness.waitUntil("HTTPS with the Secret's certificate", timeout: 15) {
            output = try fetch(harness, port: port, trusted: first)
            return output.contains(" 200")
        }
        #expect(output.lowercased().contains("x-served-by: reviews-v1"))
        // Rotating the Secret: the gateway serves the new certificate without a restart.
        try harness.write("secret.yaml", try secret(certificate: second, key: secondKey))
        try harness.waitUntil("HTTPS with the rotated certificate", timeout: 15) {
            try fetch(harness, port: port, trusted: second).contains(" 200")
        }
        #expect(!(try fetch(harness, port: port, trusted: first).contains(" 200")))
    }
}

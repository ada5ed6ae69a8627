import Foundation
import Testing

/// TLS passthrough at a `swiftmesh proxy` gateway: a Gateway server with mode
/// PASSTHROUGH for two SNI names, a VirtualService `tls` route per name to its own
/// TLS upstream (`openssl s_server` with its own self-signed certificate). Each
/// name reaches its upstream with the bytes untouched (curl verifies that
/// upstream's certificate end to end); an unknown name is closed and logged by
/// the listener's access log (NR).
@Suite(.serialized, .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl")
        && FileManager.default.isExecutableFile(atPath: "/usr/bin/curl"), "needs openssl and curl"))
struct GatewayPassthroughIntegrationTests {
    static let names = ["a.example.com", "b.example.com"]
    static let gatewayHost = 51

    func config(_ harness: MeshHarness, gatewayPort: Int, upstreamPorts: [Int]) -> String {
        var yaml = """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: passthrough, namespace: default}
        spec:
          selector: {istio: ingressgateway}
          servers:
          - port: {number: \(gatewayPort), name: tls, protocol: TLS}
            bind: \(harness.address(Self.gatewayHost))
            hosts: [\(Self.names.joined(separator: ", "))]
            tls: {mode: PASSTHROUGH}
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: passthrough, namespace: default}
        spec:
          hosts: [\(Self.names.joined(separator: ", "))]
          gateways: [passthrough]
          tls:
        """
        for name in Self.names {
            yaml += """

              - match: [{port: \(gatewayPort), sniHosts: [\(name)]}]
                route: [{destination: {host: \(name), port: {number: 8443}}}]
            """
        }
        for (index, name) in Self.names.enumerated() {
            yaml += """

            ---
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: upstream-\(index), namespace: default}
            spec:
              hosts: [\(name)]
              location: MESH_EXTERNAL
              resolution: STATIC
              ports: [{number: 8443, name: tls, protocol: TLS}]
              endpoints: [{address: \(harness.address(2 + index)), ports: {tls: \(upstreamPorts[index])}}]
            """
        }
        return yaml + "\n"
    }

    /// curl through the gateway to `name`, trusting `certificate`: the HTTP status
    /// ("000" when the connection failed) and curl's exit code.
    func fetch(_ harness: MeshHarness, name: String, port: Int, certificate: String?) throws -> (String, Int32) {
        let curl = Process()
        curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        let trust = certificate.map { ["--cacert", $0] } ?? ["-k"]
        curl.arguments = ["-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "5"] + trust
            + ["--resolve", "\(name):\(port):\(harness.address(Self.gatewayHost))", "https://\(name):\(port)/"]
        let pipe = Pipe()
        curl.standardOutput = pipe
        try curl.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        curl.waitUntilExit()
        return (output, curl.terminationStatus)
    }

    @Test func eachServerNameReachesItsOwnUpstreamAndUnknownNamesAreClosed() throws {
        let harness = try MeshHarness()
        defer { harness.stopAll() }
        var certificates: [String] = []
        var upstreamPorts: [Int] = []
        for (index, name) in Self.names.enumerated() {
            let (certificate, key) = try harness.makeSelfSignedCertificate(name, host: name)
            let port = try MeshHarness.freePort()
            try harness.launch("s_server-\(name)", "/usr/bin/openssl", ["s_server", "-accept", "\(harness.address(2 + index)):\(port)",
                                                                      "-cert", certificate, "-key", key, "-www"])
            certificates.append(certificate)
            upstreamPorts.append(port)
        }
        let gatewayPort = try MeshHarness.freePort()
        try harness.write("mesh.yaml", config(harness, gatewayPort: gatewayPort, upstreamPorts: upstreamPorts))
        try harness.startControlPlane()
        let listener = "\(harness.address(Self.gatewayHost))_\(gatewayPort)"
        try harness.startSwiftMeshProxy("gateway", nodeID: "router~\(harness.address(Self.gatewayHost))~gateway.default~default.svc.cluster.local",
                                        labels: ["istio": "ingressgateway"], waitFor: [listener])
        for (index, name) in Self.names.enumerated() {
            var result = ("", Int32(0))
            try harness.waitUntil("HTTPS to \(name) through the passthrough gateway", timeout: 15) {
                result = try fetch(harness, name: name, port: gatewayPort, certificate: certificates[index])
                return result.0 == "200"
            }
            // The other upstream's certificate does not verify for this name: the
            // connection really reached the upstream the SNI names.
            let other = certificates[1 - index]
            #expect(try fetch(harness, name: name, port: gatewayPort, certificate: other).0 == "000")
        }
        // A name without a chain: the gateway closes the connection.
        let unknown = try fetch(harness, name: "c.example.com", port: gatewayPort, certificate: nil)
        #expect(unknown.0 == "000")
        #expect(unknown.1 != 0)
        // ... and, as Istio's listener access log (NR filter, the mesh default
        // stdout log), writes one line for it.
        let local = "\(harness.address(Self.gatewayHost)):\(gatewayPort)"
        try harness.waitUntil("the listener's NR line", timeout: 5) {
            harness.log("gateway").split(separator: "\n").contains { $0.contains(" NR filter_chain_not_found ") && $0.contains(" \(local) ")
                && $0.hasSuffix(" c.example.com -") }
        }
        #expect(!harness.log("gateway").contains("NACK"), "\(harness.log("gateway"))")
    }
}

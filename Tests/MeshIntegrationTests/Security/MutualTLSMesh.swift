import Foundation
import MeshLocal

/// Two workloads with sidecars under the certificate agent (`swiftmesh proxy
/// --data-plane envoy`, pilot-agent's role): `client` (egress 9080 on its address)
/// and `reviews` (inbound 19080 to the app on 18080), certificates from the control
/// plane's CA, mesh mTLS translated (`--enable-mtls`). Security config is written by
/// each test.
final class MutualTLSMesh: @unchecked Sendable {
    let harness: MeshHarness
    let clientHost = 1
    let serverHost = 2

    let plane: DataPlane

    init(plane: DataPlane, config: String) throws {
        self.plane = plane
        harness = try MeshHarness()
        let topology = TwoSidecarTopology(clientWorkloadEntry: true)
        try harness.write("services.yaml", topology.yaml(harness, clientHost: clientHost, serverHost: serverHost))
        try harness.write("security.yaml", config)
        try harness.startApp("reviews", version: "v1", host: serverHost)
        let ca = harness.directory.appendingPathComponent("ca").path
        let tokens = harness.directory.appendingPathComponent("tokens").path
        try harness.startControlPlane(extra: ["--enable-mtls", "--ca-dir", ca, "--workload-tokens", tokens, "--secure-xds-port", "0"])
        let log = harness.log("control-plane")
        guard let secure = log.range(of: "xDS+CA over TLS at 127.0.0.1:").map({ Int(log[$0.upperBound...].prefix { $0.isNumber }) ?? 0 }), secure > 0 else {
            throw MutualTLSMeshError(description: "the control plane did not start its CA port: \(log.suffix(800))")
        }
        for (name, host, account, labels, listener) in [("reviews-v1", serverHost, "reviews", ["app": "reviews", "version": "v1"], "\(harness.address(serverHost))_19080"),
                                                        ("client", clientHost, "client", ["app": "client"], "\(harness.address(clientHost))_9080")] {
            try startAgentProxy(name, host: host, account: account, labels: labels, listener: listener, caPort: secure, caDirectory: ca, tokens: tokens)
        }
        try harness.waitUntil("the server answers through both sidecars", timeout: 30) {
            let status = self.viaClient("/").status
            return status != 0 && status != 503
        }
    }

    /// The mesh CA and the certificate agent come with the CA work; without them
    /// there are no certificates to test mTLS with.
    static func skipWithoutCA() -> Bool {
        let help = Process()
        help.executableURL = URL(fileURLWithPath: MeshHarness.swiftmesh)
        help.arguments = ["control-plane", "--help"]
        let pipe = Pipe()
        help.standardOutput = pipe
        help.standardError = pipe
        guard (try? help.run()) != nil else { return true }
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        help.waitUntilExit()
        if text.contains("--ca-dir") { return false }
        print("skipped: this build has no mesh CA (control-plane --ca-dir) to issue workload certificates")
        return true
    }

    struct MutualTLSMeshError: Error, CustomStringConvertible {
        let description: String
    }

    /// A sidecar under the agent: it asks the CA for the workload's certificate
    /// (with the WorkloadEntry's bootstrap token) and serves it over SDS to stock
    /// Envoy, or in process to our proxy.
    func startAgentProxy(_ name: String, host: Int, account: String, labels: [String: String], listener: String, caPort: Int, caDirectory: String, tokens: String) throws {
        let admin = try MeshHarness.freePort()
        let metadata = try String(decoding: JSONSerialization.data(withJSONObject: ["NAMESPACE": "default", "SERVICE_ACCOUNT": account, "LABELS": labels] as [String: Any]), as: UTF8.self)
        let bootstrap = Process()
        bootstrap.executableURL = URL(fileURLWithPath: MeshHarness.swiftmesh)
        bootstrap.arguments = ["envoy-bootstrap", "--node", "sidecar~\(harness.address(host))~\(name).default~default.svc.cluster.local",
                               // The agent speaks xDS over TLS to the CA port (Istio's 15012).
                               "--control-plane", "127.0.0.1:\(caPort)", "--admin-port", "\(admin)", "--metadata", metadata]
        let pipe = Pipe()
        bootstrap.standardOutput = pipe
        try bootstrap.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        bootstrap.waitUntilExit()
        let file = harness.directory.appendingPathComponent("\(name).json")
        try data.write(to: file)
        let agent = ["--ca-root", "\(caDirectory)/root-cert.pem", "--token-file", "\(tokens)/\(name).default.token"]
        switch plane {
        case .envoy:
            guard let envoy = MeshHarness.envoyBinary else { throw MutualTLSMeshError(description: "no stock Envoy") }
            try harness.launch(name, MeshHarness.swiftmesh, ["proxy", "--data-plane", "envoy", "-c", file.path, "--envoy-binary", envoy,
                                                             "--run-dir", harness.directory.appendingPathComponent("agent-\(name)").path] + agent)
        case .swift:
            try harness.launch(name, MeshHarness.swiftmesh, ["proxy", "-c", file.path, "--concurrency", "1"] + agent)
        }
        try harness.waitUntil("\(name) listener \(listener)", timeout: 30) {
            (HTTPProbe.get("127.0.0.1", admin, path: "/listeners")?.body ?? "").contains(listener)
        }
        admins[name] = admin
    }

    private(set) var admins: [String: Int] = [:]

    func stop() { harness.stopAll() }

    /// Through the client's sidecar (mesh mTLS when the translation says so).
    func viaClient(_ path: String) -> (status: Int, body: String) {
        let response = HTTPProbe.get(harness.address(clientHost), 9080, path: path, headers: ["Host": "reviews"], timeoutSeconds: 3)
        return (response?.status ?? 0, response?.body ?? "")
    }

    /// Straight to the server's sidecar in plaintext, as a client outside the mesh.
    func plaintextToServer(_ path: String = "/") -> Int {
        HTTPProbe.get(harness.address(serverHost), 19080, path: path, headers: ["Host": "reviews"], timeoutSeconds: 3)?.status ?? 0
    }

    /// Writes the security config and waits until the control plane applied it.
    func replaceConfig(_ config: String) throws {
        let marker = "config/security.yaml objects="
        let before = harness.log("control-plane").components(separatedBy: marker).count
        try harness.write("security.yaml", config)
        try harness.waitUntil("security.yaml applied", timeout: 10) { self.harness.log("control-plane").components(separatedBy: marker).count > before }
    }
}

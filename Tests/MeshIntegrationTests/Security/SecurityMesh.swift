import Foundation
import MeshLocal

/// Two sidecars for security scenarios: `client` (egress bound on its address,
/// port 9080) calls the `reviews` service, whose workload has its own sidecar
/// (ingress bound on its address, port 19080, forwarding to the app on 18080) that
/// enforces the workload's policies. Policies are written by each test.
final class SecurityMesh: @unchecked Sendable {
    let harness: MeshHarness
    let clientHost = 1
    let serverHost = 2

    init(plane: DataPlane, policies: String, controlPlaneArguments: [String] = [], beforeControlPlane: (MeshHarness) throws -> Void = { _ in }) throws {
        harness = try MeshHarness()
        // The same application also behind a TCP port (tcp_proxy, network RBAC).
        let topology = TwoSidecarTopology(ports: [(9080, 19080, "HTTP"), (9090, 19090, "TCP")])
        try harness.write("services.yaml", topology.yaml(harness, clientHost: clientHost, serverHost: serverHost))
        try harness.write("policies.yaml", policies)
        try harness.startApp("reviews", version: "v1", host: serverHost)
        try beforeControlPlane(harness)
        try harness.startControlPlane(extra: controlPlaneArguments)
        try harness.startProxy(plane, "server", nodeID: "sidecar~\(harness.address(serverHost))~reviews-v1.default~default.svc.cluster.local",
                               labels: ["app": "reviews", "version": "v1"], waitFor: ["\(harness.address(serverHost))_19080", "\(harness.address(serverHost))_19090"])
        try harness.startProxy(plane, "client", nodeID: "sidecar~\(harness.address(clientHost))~client.default~default.svc.cluster.local",
                               labels: ["app": "client"], waitFor: ["\(harness.address(clientHost))_9080", "\(harness.address(clientHost))_9090"])
        try harness.waitUntil("the server answers through both sidecars", timeout: 20) {
            let status = self.request("/").status
            return status != 0 && status != 404 && status != 503
        }
    }

    func stop() { harness.stopAll() }

    /// Status and body through the client sidecar (0 when nothing came back); `tcp`
    /// goes through the TCP port (tcp_proxy on both sidecars).
    func request(_ path: String, method: String = "GET", headers: [String: String] = [:], tcp: Bool = false) -> (status: Int, body: String) {
        var all = headers
        all["Host"] = "reviews"
        let response = HTTPProbe.request(method, harness.address(clientHost), tcp ? 9090 : 9080, path: path, headers: all, timeoutSeconds: 3)
        return (response?.status ?? 0, response?.body ?? "")
    }
}

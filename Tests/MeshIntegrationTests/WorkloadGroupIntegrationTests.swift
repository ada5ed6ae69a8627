import Foundation
import MeshLocal
import Testing

/// WorkloadGroup auto-registration (Istio's VM onboarding): a proxy whose metadata
/// names a group becomes a workload of the group's template while connected, so a
/// ServiceEntry selecting those labels routes to it; after it leaves and the grace
/// period passes, it is gone.
@Suite(.serialized, .enabled(if: MeshHarness.envoyBinary != nil, "stock Envoy not installed (scripts/install-deps.sh)"))
struct WorkloadGroupIntegrationTests {
    static let vmHost = 40

    @Test func aConnectingProxyJoinsItsGroupAndLeavesAfterTheGrace() throws {
        let group = """
        apiVersion: networking.istio.io/v1
        kind: WorkloadGroup
        metadata: {name: reviews-vm, namespace: default}
        spec:
          metadata: {labels: {app: reviews, version: v3}}
          template: {serviceAccount: reviews}
        """
        let routing = ReviewsMesh.virtualService("""
          - route: [{destination: {host: reviews, subset: v3}}]
        """)
        let mesh = try ReviewsMesh(apps: [ReviewsMesh.App(version: "v1", host: 2)], routing: routing, extraConfig: group,
                                   controlPlaneArguments: ["--auto-registration-grace", "1s"])
        defer { mesh.stop() }
        let harness = mesh.harness
        try harness.startApp("reviews", version: "v3", host: Self.vmHost)
        #expect(mesh.get()?.status == 503, "no v3 workload yet")

        try harness.write("vm.yaml", """
        apiVersion: networking.istio.io/v1
        kind: Sidecar
        metadata: {name: vm, namespace: default}
        spec:
          workloadSelector: {labels: {version: v3}}
          egress:
          - port: {number: 9080, protocol: HTTP, name: http}
            bind: \(harness.address(Self.vmHost))
            captureMode: NONE
            hosts: ["./*"]
        """)
        try harness.startEnvoy("vm", nodeID: "sidecar~\(harness.address(Self.vmHost))~reviews-vm-1.default~default.svc.cluster.local",
                               labels: ["app": "reviews", "version": "v3"], metadata: ["AUTO_REGISTER_GROUP": "reviews-vm"], waitFor: ["\(harness.address(Self.vmHost))_9080"])
        try harness.waitUntil("the VM serves v3", timeout: 10) { mesh.get()?.headers["x-served-by"] == "reviews-v3" }
        let registry = HTTPProbe.get("127.0.0.1", harness.httpPort, path: "/debug/registryz")?.body ?? ""
        #expect(registry.contains(harness.address(Self.vmHost)))

        harness.stop("vm")
        try harness.waitUntil("the VM's endpoint is withdrawn after the grace", timeout: 10) { mesh.get()?.status == 503 }
    }
}

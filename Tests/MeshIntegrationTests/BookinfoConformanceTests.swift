import Foundation
import MeshLocal
import Testing

/// Istio's own Bookinfo configuration (from ../shared, present in CI), file by file,
/// through our control plane into stock Envoy: every update must be ACKed.
enum BookinfoFiles {
    static let root: String? = {
        let path = MeshHarness.packageRoot + "/../shared/istio/bookinfo"
        return FileManager.default.fileExists(atPath: path + "/platform/bookinfo.yaml") ? path : nil
    }()
}

@Suite(.serialized, .enabled(if: MeshHarness.envoyBinary != nil && BookinfoFiles.root != nil, "needs stock Envoy and ../shared/istio (CI has both)"))
struct EnvoyBookinfoConformanceTests {

    /// Endpoints of our own for the Bookinfo services (the platform file has no pods).
    static func endpoints(_ harness: MeshHarness) -> String {
        [("productpage", 10), ("details", 11), ("reviews", 12), ("ratings", 13)].map { service, host in
            """
            apiVersion: v1
            kind: Endpoints
            metadata: {name: \(service), namespace: default}
            subsets:
            - addresses: [{ip: \(harness.address(host))}]
              ports: [{name: http, port: 9080}]
            """
        }.joined(separator: "\n---\n")
    }

    @Test func everyNetworkingFileIsAckedByEnvoy() throws {
        let root = try #require(BookinfoFiles.root)
        let harness = try MeshHarness()
        defer { harness.stopAll() }
        try harness.write("bookinfo.yaml", String(contentsOfFile: root + "/platform/bookinfo.yaml", encoding: .utf8))
        try harness.write("endpoints.yaml", Self.endpoints(harness))
        try harness.write("destination-rules.yaml", String(contentsOfFile: root + "/networking/destination-rule-all.yaml", encoding: .utf8))
        try harness.startControlPlane()
        var admins: [String: Int] = [:]
        admins["productpage"] = try harness.startEnvoy("productpage", nodeID: "sidecar~\(harness.address(10))~productpage-v1.default~default.svc.cluster.local",
                                                       labels: ["app": "productpage", "version": "v1"], waitFor: ["0.0.0.0_9080"])
        let gatewayPortsFree = [8080, 80].allSatisfy { HTTPProbe.get("127.0.0.1", $0, timeoutSeconds: 1) == nil }
        if gatewayPortsFree {
            admins["gateway"] = try harness.startEnvoy("gateway", nodeID: "router~\(harness.address(20))~istio-ingressgateway.istio-system~istio-system.svc.cluster.local",
                                                       namespace: "istio-system", labels: ["istio": "ingressgateway"], waitFor: [])
        } else {
            print("ports 80/8080 are in use on this machine: the gateway proxy is not started")
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: root + "/networking").filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(files.count >= 20)
        for file in files {
            let applied = harness.log("control-plane").components(separatedBy: "networking.yaml").count
            try harness.write("networking.yaml", String(contentsOfFile: root + "/networking/" + file, encoding: .utf8))
            try harness.waitUntil("\(file) applied", timeout: 10) {
                harness.log("control-plane").components(separatedBy: "networking.yaml").count > applied
            }
            Thread.sleep(forTimeInterval: 0.4)
            for (proxy, admin) in admins {
                let stats = HTTPProbe.get("127.0.0.1", admin, path: "/stats")?.body ?? ""
                let rejected = stats.split(separator: "\n").filter { $0.contains("update_rejected") && !$0.hasSuffix(": 0") }
                #expect(rejected.isEmpty, "\(file) NACKed by \(proxy): \(rejected)")
            }
        }
        #expect(!harness.log("control-plane").contains("config rejected"), "\(harness.log("control-plane"))")
        let dump = HTTPProbe.get("127.0.0.1", admins["productpage"]!, path: "/config_dump")?.body ?? ""
        #expect(dump.contains("outbound|9080|v1|reviews.default.svc.cluster.local"))
        #expect(dump.contains("\"name\": \"9080\""))
        if let gateway = admins["gateway"] {
            try harness.write("networking.yaml", String(contentsOfFile: root + "/networking/bookinfo-gateway.yaml", encoding: .utf8))
            try harness.waitUntil("gateway listener", timeout: 10) {
                (HTTPProbe.get("127.0.0.1", gateway, path: "/listeners")?.body ?? "").contains("0.0.0.0_8080")
            }
            let routes = HTTPProbe.get("127.0.0.1", gateway, path: "/config_dump?resource=dynamic_route_configs")?.body ?? ""
            #expect(routes.contains("\"name\": \"http.8080\""))
            #expect(routes.contains("outbound|9080||productpage.default.svc.cluster.local"))
        }
    }
}

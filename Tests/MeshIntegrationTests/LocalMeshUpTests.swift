import Foundation
import MeshLocal
import Testing

/// `swiftmesh up` on the project's examples, as a user runs it: everything up
/// within 30 s, a request through the gateway crosses the whole chain, and
/// SIGTERM leaves no process behind - with our proxy (the default) and with stock
/// Envoy as sidecars and gateway.
@Suite(.serialized)
struct LocalMeshUpTests {
    @Test(arguments: ["swift", "envoy"])
    func upRunsTheExampleMeshAndStopsCleanly(dataPlane: String) throws {
        if dataPlane == "envoy" && MeshHarness.envoyBinary == nil {
            print("skipped: stock Envoy not installed (scripts/install-deps.sh)")
            return
        }
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("swiftmesh-up-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: base) }
        let run = base.appendingPathComponent("run")
        let gatewayPort = try MeshHarness.freePort()
        let up = try UpProcess([MeshHarness.packageRoot + "/examples", "--gateway-port", "\(gatewayPort)", "--http-port", "0", "--xds-port", "0", "--secure-xds-port", "0",
                                "--run-dir", run.path, "--start-timeout", "30", "--data-plane", dataPlane], directory: base)
        defer { up.killIfRunning() }
        let elapsed = try up.waitUntilUp()
        print("swiftmesh up (\(dataPlane)): everything ready in \(String(format: "%.1f", elapsed)) s")
        #expect(elapsed < 30)

        // shop -> catalog (80/20 v1/v2; jason -> v3 -> pricing) and stock.
        let response = try #require(HTTPProbe.get("127.0.0.1", gatewayPort, headers: ["end-user": "jason"]))
        #expect(response.status == 200)
        #expect(response.body.contains("\"service\":\"shop\"") || response.body.contains("\"service\": \"shop\""), "\(response.body)")
        for part in ["catalog", "v3", "pricing", "stock"] { #expect(response.body.contains(part), "\(part) missing from \(response.body)") }

        // Envoy's /config_dump shape on the sidecar's admin, from either proxy.
        let dump = try #require(HTTPProbe.get("127.0.10.1", 15000, path: "/config_dump")?.body)
        let configs = try #require((try JSONSerialization.jsonObject(with: Data(dump.utf8)) as? [String: Any])?["configs"] as? [[String: Any]])
        func section(_ type: String) -> [String: Any]? { configs.first { ($0["@type"] as? String)?.hasSuffix("." + type) == true } }
        let listeners = (section("ListenersConfigDump")?["dynamic_listeners"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        #expect(listeners.contains("127.0.10.1_9080"), "\(listeners)")
        let clusters = (section("ClustersConfigDump")?["dynamic_active_clusters"] as? [[String: Any]] ?? [])
            .compactMap { ($0["cluster"] as? [String: Any])?["name"] as? String }
        #expect(clusters.contains("outbound|9080||catalog.shop.svc.cluster.local"), "\(clusters)")
        let routes = (section("RoutesConfigDump")?["dynamic_route_configs"] as? [[String: Any]] ?? [])
            .compactMap { ($0["route_config"] as? [String: Any])?["name"] as? String }
        #expect(routes.contains("9080"), "\(routes)")

        // Every proxy runs under the certificate agent: xDS came over TLS (15012) and
        // each workload got its own SPIFFE certificate with its token.
        let controlPlane = try String(contentsOf: run.appendingPathComponent("control-plane.log"), encoding: .utf8)
        for account in ["shop", "catalog", "pricing", "stock", "ingressgateway"] {
            #expect(controlPlane.contains("identity=spiffe://cluster.local/ns/shop/sa/\(account) "), "no certificate issued for \(account)")
        }
        #expect(!controlPlane.contains("certificate refused"))
        if dataPlane == "swift" {
            let certs = HTTPProbe.get("127.0.10.1", 15000, path: "/certs")?.body ?? ""
            #expect(certs.contains("spiffe://cluster.local/ns/shop/sa/shop"), "\(certs)")
        }

        let pids = try String(contentsOf: run.appendingPathComponent("pids"), encoding: .utf8)
            .split(separator: "\n").compactMap { Int32($0.split(separator: " ").first ?? "") }
        #expect(pids.count == 14, "control plane + 6 apps + 6 sidecars + gateway")
        up.stop()
        #expect(up.log.contains("stopped 14 processes"))
        for pid in pids { #expect(kill(pid, 0) == -1, "pid \(pid) still running after swiftmesh up stopped") }
    }
}

import Foundation
import MeshLocal
import Testing

/// Istio's metrics and Envoy's access logs from our proxy in the example mesh
/// (`swiftmesh up --data-plane swift`): known traffic through the gateway shows
/// up on the right proxies' 15090 with Istio's labels, as both reporters, and
/// the access logs carry the right response flags.
@Suite(.serialized)
struct TelemetryIntegrationTests {
    /// Sums `istio_requests_total` series whose labels include all of `labels`.
    static func requests(_ host: String, _ port: Int, _ labels: [String: String]) -> Int {
        guard let response = HTTPProbe.get(host, port, path: "/stats/prometheus", timeoutSeconds: 5), response.status == 200 else { return -1 }
        return response.body.split(separator: "\n").filter { line in
            line.hasPrefix("istio_requests_total{") && labels.allSatisfy { line.contains("\($0.key)=\"\($0.value)\"") }
        }.compactMap { Int($0.split(separator: " ").last ?? "") }.reduce(0, +)
    }

    @Test func metricsAndAccessLogsThroughTheExampleMesh() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("swiftmesh-tele-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: base) }
        // The example with the gateway's catch-all narrowed to `/`, so that other
        // paths get Envoy's 404 NR.
        let config = base.appendingPathComponent("config")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: MeshHarness.packageRoot + "/examples", toPath: config.path)
        let gatewayFile = config.appendingPathComponent("gateway.yaml")
        let gatewayYAML = try String(contentsOf: gatewayFile, encoding: .utf8)
        try #require(gatewayYAML.contains("- uri: {prefix: /}"))
        try gatewayYAML.replacingOccurrences(of: "- uri: {prefix: /}", with: "- uri: {exact: /}").write(to: gatewayFile, atomically: true, encoding: .utf8)

        let run = base.appendingPathComponent("run")
        let gatewayPort = try MeshHarness.freePort()
        let up = try UpProcess([config.path, "--gateway-port", "\(gatewayPort)", "--http-port", "0", "--xds-port", "0", "--secure-xds-port", "0",
                                "--run-dir", run.path, "--start-timeout", "30", "--data-plane", "swift"], directory: base)
        defer { up.stop() }
        try up.waitUntilUp()
        func log() -> String { up.log }
        let statsLine = try #require(log().split(separator: "\n").first { $0.contains("gateway stats") }, "\(log())")
        let gatewayStats = try #require(Int(statsLine.split(separator: ":").last?.split(separator: "/").first ?? ""))

        let catalogs = ["127.0.10.2", "127.0.10.3", "127.0.10.4"]
        let toCatalog = ["reporter": "destination", "destination_service": "catalog.shop.svc.cluster.local",
                         "response_code": "200", "source_workload": "shop-v1"]
        let fromShop = ["reporter": "source", "source_workload": "shop-v1", "destination_service": "catalog.shop.svc.cluster.local",
                        "response_code": "200", "destination_app": "catalog"]
        let fromGateway = ["reporter": "source", "source_workload": "ingressgateway", "destination_workload": "shop-v1",
                           "destination_service": "shop.shop.svc.cluster.local", "response_code": "200"]
        func catalogCount() -> Int { catalogs.map { Self.requests($0, 15090, toCatalog) }.reduce(0, +) }
        // The readiness probes already sent some traffic: compare before and after.
        let before = (catalogCount(), Self.requests("127.0.10.1", 15090, fromShop), Self.requests("127.0.0.1", gatewayStats, fromGateway))
        #expect(before.0 >= 0 && before.1 >= 0 && before.2 >= 0, "every proxy serves /stats/prometheus")

        let sent = 10
        for _ in 0..<sent {
            let response = try #require(HTTPProbe.get("127.0.0.1", gatewayPort, path: "/", timeoutSeconds: 5))
            #expect(response.status == 200)
        }
        let noRoute = try #require(HTTPProbe.get("127.0.0.1", gatewayPort, path: "/nope", timeoutSeconds: 5))
        #expect(noRoute.status == 404)

        #expect(catalogCount() - before.0 == sent, "catalog sidecars count shop's calls as destination")
        #expect(Self.requests("127.0.10.1", 15090, fromShop) - before.1 == sent, "shop's sidecar counts its calls as source")
        #expect(Self.requests("127.0.10.1", 15000, fromShop) - before.1 == sent, "admin serves the same text")
        #expect(Self.requests("127.0.0.1", gatewayStats, fromGateway) - before.2 == sent, "the gateway reports as source")
        #expect(Self.requests("127.0.0.1", gatewayStats, ["reporter": "source", "response_code": "404", "response_flags": "NR"]) == 1)

        // Access logs are flushed within a second (Envoy's file flush interval).
        Thread.sleep(forTimeInterval: 1.5)
        let gatewayLog = try String(contentsOf: run.appendingPathComponent("ingressgateway.log"), encoding: .utf8)
        #expect(gatewayLog.contains("\"GET /nope HTTP/1.1\" 404 NR route_not_found"), "\(gatewayLog.suffix(1500))")
        #expect(gatewayLog.contains("\"GET / HTTP/1.1\" 200 - via_upstream"), "\(gatewayLog.suffix(1500))")
        let shopLog = try String(contentsOf: run.appendingPathComponent("shop-v1.log"), encoding: .utf8)
        #expect(shopLog.contains("\"GET /items HTTP/1.1\" 200 - via_upstream"), "\(shopLog.suffix(1500))")
        #expect(shopLog.contains("outbound|9080|v1|catalog.shop.svc.cluster.local") || shopLog.contains("outbound|9080|v2|catalog.shop.svc.cluster.local"))

        up.stop()
        #expect(log().contains("stopped 14 processes"))
    }
}

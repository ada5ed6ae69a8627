import Foundation
import MeshLocal
import Testing

/// The console's live tap on both data planes: `swiftmesh up` (spans to the control
/// plane), requests through the gateway, and `/api/v1/tap` long-polls the
/// requests one sidecar handled - direction, method, url, status, flags, latency -
/// each once, resuming after the last sequence number.
@Suite(.serialized)
struct TapIntegrationTests {
    static func json(_ response: HTTPProbe.Response?) -> [String: Any] {
        guard let body = response?.body, let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] else { return [:] }
        return object
    }

    @Test(arguments: DataPlane.allCases) func tapStreamsOneSidecarsRequests(_ plane: DataPlane) throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("swiftmesh-tap-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: base) }
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        let gatewayPort = try MeshHarness.freePort()
        let up = try UpProcess([MeshHarness.packageRoot + "/examples", "--gateway-port", "\(gatewayPort)", "--http-port", "0", "--xds-port", "0",
                                "--secure-xds-port", "0", "--run-dir", base.appendingPathComponent("run").path, "--data-plane", plane.rawValue],
                               directory: base)
        defer { up.stop() }
        try up.waitUntilUp()
        let port = try #require(up.port(in: "console"), "no console URL in the summary:\n\(up.log)")
        // Start from now: the readiness probes before are not part of the tap.
        let start = Self.json(HTTPProbe.get("127.0.0.1", port, path: "/api/v1/tap?wait=0&proxy=shop-v1"))["seq"] as? Int ?? 0
        for index in 0..<5 {
            #expect(HTTPProbe.get("127.0.0.1", gatewayPort, path: "/?tap=\(index)")?.status == 200)
        }
        // Envoy exports every 5 s: poll until the five inbound requests arrived.
        var items: [[String: Any]] = []
        var after = start
        let deadline = Date().addingTimeInterval(30)
        func tapped() -> [[String: Any]] {
            items.filter { $0["direction"] as? String == "inbound" && ($0["url"] as? String ?? "").contains("tap=") }
        }
        // Spans of earlier requests (readiness probes) may still arrive: only ours are counted.
        while Date() < deadline && tapped().count < 5 {
            let answer = Self.json(HTTPProbe.get("127.0.0.1", port, path: "/api/v1/tap?wait=5&proxy=shop-v1&after=\(after)", timeoutSeconds: 10))
            items += answer["items"] as? [[String: Any]] ?? []
            after = answer["seq"] as? Int ?? after
        }
        let inbound = tapped()
        #expect(inbound.count == 5, "\(plane): \(items)")
        #expect(inbound.allSatisfy { $0["method"] as? String == "GET" && $0["status"] as? String == "200" }, "\(plane): \(inbound)")
        #expect(items.contains { $0["direction"] as? String == "outbound" && ($0["upstreamCluster"] as? String ?? "").contains("catalog") },
                "shop's calls to catalog are tapped too: \(items)")
        #expect(Set(items.compactMap { $0["seq"] as? Int }).count == items.count, "each request once")
        #expect(items.allSatisfy { ($0["node"] as? String ?? "").contains("shop-v1") })
    }
}

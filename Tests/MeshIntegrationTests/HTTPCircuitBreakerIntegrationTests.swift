import Foundation
import MeshLocal
import Testing

/// Istio's "Circuit Breaking" task on both data planes: a DestinationRule with
/// `connectionPool.tcp.maxConnections: 1` and `http.http1MaxPendingRequests: 1` on
/// reviews (which answers after 1 s), four overlapping requests through the client
/// sidecar: at least one is refused with a local 503, `UO` and
/// `upstream_reset_before_response_started{overflow}` in the access log, and
/// `upstream_rq_pending_overflow` counted. (Four, not three: a sidecar with two
/// workers may open a second connection, as each worker's empty pool may.)
@Suite(.serialized, .enabled(if: MeshHarness.envoyBinary != nil, "stock Envoy not installed (scripts/install-deps.sh)"))
struct HTTPCircuitBreakerIntegrationTests {
    typealias App = ReviewsMesh.App

    final class Statuses: @unchecked Sendable {
        private let lock = NSLock()
        private var values: [Int] = []
        func add(_ status: Int) { lock.withLock { values.append(status) } }
        var all: [Int] { lock.withLock { values } }
    }

    @Test(arguments: DataPlane.allCases) func destinationRuleOverflowsPendingHTTPRequests(_ plane: DataPlane) throws {
        let logFile = FileManager.default.temporaryDirectory.appendingPathComponent("swiftmesh-http-cb-\(plane)-\(UUID().uuidString.prefix(8)).log")
        defer { try? FileManager.default.removeItem(at: logFile) }
        let mesh = try ReviewsMesh(dataPlane: plane, apps: [App(version: "v1", host: 2, extra: ["--delay", "1s"])], routing: nil,
                                   extraConfig: TCPAccessLogIntegrationTests.meshConfig(logFile: logFile),
                                   trafficPolicy: "{connectionPool: {tcp: {maxConnections: 1}, http: {http1MaxPendingRequests: 1}}}")
        defer { mesh.stop() }
        let client = mesh.harness.address(mesh.clientHost)
        let statuses = Statuses()
        let group = DispatchGroup()
        for i in 0..<4 {
            group.enter()
            Thread {
                defer { group.leave() }
                usleep(UInt32(i * 100_000))
                statuses.add(HTTPProbe.get(client, 9080, path: "/cb-\(i)", headers: ["Host": "reviews"], timeoutSeconds: 8)?.status ?? 0)
            }.start()
        }
        group.wait()
        let seen = statuses.all
        print("\(plane) statuses: \(seen)")
        #expect(seen.contains(503) && seen.contains(200), "\(plane): \(seen)")
        var lines: [String] = []
        try mesh.harness.waitUntil("UO log line", timeout: 20) {
            lines = ((try? String(contentsOf: logFile, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
                .filter { $0.contains("/cb-") && $0.contains(" 503 UO ") }
            return !lines.isEmpty
        }
        #expect(lines.count == seen.filter { $0 == 503 }.count, "\(plane): \(lines)")
        #expect(lines.allSatisfy { $0.contains(" upstream_reset_before_response_started{overflow} ") }, "\(plane): \(lines)")
        #expect(mesh.stat("cluster.outbound|9080||reviews.default.svc.cluster.local.upstream_rq_pending_overflow") == lines.count, "\(plane)")
    }
}

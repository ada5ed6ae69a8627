import Foundation
import MeshLocal
import Synchronization
import Testing

/// The control plane stopped under load: the sidecar keeps routing with the last
/// config it has (no failed request), reconnects when the control plane is back
/// and takes the config changed meanwhile. On both data planes.
@Suite(.serialized, .enabled(if: MeshHarness.envoyBinary != nil, "stock Envoy not installed (scripts/install-deps.sh)"))
struct ControlPlaneOutageTests {
    typealias App = ReviewsMesh.App

    /// Requests in a loop on a background thread until stopped.
    final class Load: Sendable {
        struct Tally: Sendable {
            var sent = 0
            var failed: [Int] = []
            /// Seconds since the load started, of each failure.
            var failedAt: [Double] = []
            var servedBy: [String: Int] = [:]
        }

        let tally = Mutex(Tally())
        let running = Atomic(true)

        init(_ mesh: ReviewsMesh) {
            let start = Date()
            let thread = Thread { [self] in
                while running.load(ordering: .relaxed) {
                    let response = mesh.get()
                    tally.withLock { tally in
                        tally.sent += 1
                        if response?.status == 200 {
                            tally.servedBy[response?.headers["x-served-by"] ?? "?", default: 0] += 1
                        } else {
                            tally.failed.append(response?.status ?? 0)
                            tally.failedAt.append(Date().timeIntervalSince(start))
                        }
                    }
                }
            }
            thread.start()
        }

        func stop() -> Tally {
            running.store(false, ordering: .relaxed)
            Thread.sleep(forTimeInterval: 0.3)
            return tally.withLock { $0 }
        }
    }

    @Test(arguments: DataPlane.allCases) func proxiesKeepRoutingWhileTheControlPlaneIsDown(_ plane: DataPlane) throws {
        let mesh = try ReviewsMesh(dataPlane: plane, apps: [App(version: "v1", host: 2), App(version: "v2", host: 3)],
                                   routing: ReviewsMesh.virtualService("  - route: [{destination: {host: reviews, subset: v1}}]"))
        defer { mesh.stop() }
        let load = Load(mesh)
        Thread.sleep(forTimeInterval: 0.5)
        mesh.harness.stop("control-plane")
        let down = Date()
        Thread.sleep(forTimeInterval: 2)
        // Changed while nobody serves it: the proxy must pick it up after reconnecting.
        try mesh.harness.write("routing.yaml", ReviewsMesh.virtualService("  - route: [{destination: {host: reviews, subset: v2}}]"))
        try mesh.harness.restartControlPlane()
        try mesh.harness.waitUntil("the proxy resynced (v2 serving)", timeout: 40) {
            load.tally.withLock { $0.servedBy["reviews-v2", default: 0] } > 0
        }
        let resynced = Date().timeIntervalSince(down)
        Thread.sleep(forTimeInterval: 0.5)
        let tally = load.stop()
        print("control plane outage (\(plane)): \(tally.sent) requests, \(tally.failed.count) failed, served by \(tally.servedBy); resynced \(String(format: "%.1f", resynced)) s after the stop")
        #expect(tally.failed.isEmpty, "failed statuses: \(tally.failed.prefix(10)) at \(tally.failedAt.first ?? 0)...\(tally.failedAt.last ?? 0) s; proxy log: \(mesh.harness.log("client").suffix(1500))")
        #expect(tally.servedBy["reviews-v1", default: 0] > 50, "v1 kept serving while the control plane was down")
    }
}

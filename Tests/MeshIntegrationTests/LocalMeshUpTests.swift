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
        let run = FileManager.default.temporaryDirectory.appendingPathComponent("swiftmesh-up-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: run) }
        let gatewayPort = try MeshHarness.freePort()
        let up = Process()
        up.executableURL = URL(fileURLWithPath: MeshHarness.swiftmesh)
        up.arguments = ["up", MeshHarness.packageRoot + "/examples", "--gateway-port", "\(gatewayPort)", "--http-port", "0", "--xds-port", "0",
                        "--run-dir", run.path, "--start-timeout", "30", "--data-plane", dataPlane]
        var environment = ProcessInfo.processInfo.environment
        if let envoy = MeshHarness.envoyBinary { environment["ENVOY_BIN"] = envoy }
        up.environment = environment
        let output = run.appendingPathExtension("log")
        FileManager.default.createFile(atPath: output.path, contents: nil)
        up.standardOutput = try FileHandle(forWritingTo: output)
        up.standardError = up.standardOutput
        let started = Date()
        try up.run()
        defer { if up.isRunning { kill(up.processIdentifier, SIGKILL) } }
        func log() -> String { (try? String(contentsOf: output, encoding: .utf8)) ?? "" }
        while !log().contains("SwiftMesh is up.") && up.isRunning && Date().timeIntervalSince(started) < 60 { Thread.sleep(forTimeInterval: 0.1) }
        let elapsed = Date().timeIntervalSince(started)
        try #require(log().contains("SwiftMesh is up."), "\(log())")
        print("swiftmesh up (\(dataPlane)): everything ready in \(String(format: "%.1f", elapsed)) s")
        #expect(elapsed < 30)

        // shop -> catalog (80/20 v1/v2; jason -> v3 -> pricing) and stock.
        let response = try #require(HTTPProbe.get("127.0.0.1", gatewayPort, headers: ["end-user": "jason"]))
        #expect(response.status == 200)
        #expect(response.body.contains("\"service\":\"shop\"") || response.body.contains("\"service\": \"shop\""), "\(response.body)")
        for part in ["catalog", "v3", "pricing", "stock"] { #expect(response.body.contains(part), "\(part) missing from \(response.body)") }

        let pids = try String(contentsOf: run.appendingPathComponent("pids"), encoding: .utf8)
            .split(separator: "\n").compactMap { Int32($0.split(separator: " ").first ?? "") }
        #expect(pids.count == 14, "control plane + 6 apps + 6 sidecars + gateway")
        kill(up.processIdentifier, SIGTERM)
        up.waitUntilExit()
        #expect(log().contains("stopped 14 processes"))
        for pid in pids { #expect(kill(pid, 0) == -1, "pid \(pid) still running after swiftmesh up stopped") }
    }
}

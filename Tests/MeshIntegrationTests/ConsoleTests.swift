import Foundation
import MeshLocal
import Testing

/// The web console in real headless Chromium against `swiftmesh up` on a copy of
/// the examples: pages load without errors, the topology shows the example's calls,
/// and the weighted-routing form's change reaches the data plane.
@Suite(.serialized, .enabled(if: ConsoleBrowser.missingPrerequisite == nil,
                             "chromium or websocket-client in .venv missing (scripts/install-deps.sh installs both)"))
struct ConsoleTests {
    static let chromium = ConsoleBrowser.chromium
    static let python = ConsoleBrowser.python
    static let script = MeshHarness.packageRoot + "/Tests/MeshIntegrationTests/Console/console_check.py"

    @Test func consolePagesTopologyAndWeightedRoutingInChromium() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("swiftmesh-console-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: base) }
        // The form writes the config: a copy keeps the project's examples as they are.
        let examples = base.appendingPathComponent("examples")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: MeshHarness.packageRoot + "/examples", toPath: examples.path)
        let gatewayPort = try MeshHarness.freePort()
        let up = try UpProcess([examples.path, "--gateway-port", "\(gatewayPort)", "--http-port", "0", "--xds-port", "0", "--secure-xds-port", "0",
                                "--run-dir", base.appendingPathComponent("run").path, "--data-plane", "swift"], directory: base)
        defer { up.stop() }
        try up.waitUntilUp()
        let consolePort = try #require(up.port(in: "console"), "no console URL in the summary:\n\(up.log)")

        // Traffic for every edge: jason's requests reach catalog v3, which calls pricing.
        for index in 0..<40 {
            let response = HTTPProbe.get("127.0.0.1", gatewayPort, headers: index % 4 == 0 ? ["end-user": "jason"] : [:])
            #expect(response?.status == 200)
        }

        // Steady traffic while the browser looks, so the topology has rates.
        let load = BackgroundTraffic(port: gatewayPort)
        load.start()
        let artifacts = FileManager.default.temporaryDirectory.appendingPathComponent("swiftmesh-console-artifacts-\(UUID().uuidString.prefix(8))")
        let (status, output) = try Self.runScript(["--url", "http://127.0.0.1:\(consolePort)", "--artifacts", artifacts.path,
                                                   "--chromium", Self.chromium!], timeout: 240)
        load.stop()
        print(output)
        print("console test artifacts (screenshots): \(artifacts.path)")
        #expect(status == 0, "console_check.py failed:\n\(output)")

        // The form set catalog v2 = 100: everyone but jason now gets v2; jason still v3.
        let harness = try MeshHarness()
        defer { harness.stopAll() }
        try harness.waitUntil("only catalog v2 through the gateway", timeout: 15) {
            (0..<10).allSatisfy { _ in Self.catalogVersions(HTTPProbe.get("127.0.0.1", gatewayPort)?.body) == ["v2"] }
        }
        #expect(Self.catalogVersions(HTTPProbe.get("127.0.0.1", gatewayPort, headers: ["end-user": "jason"])?.body) == ["v3"])
    }

    /// Every `"version"` of an object whose `"service"` is catalog, anywhere in the reply.
    static func catalogVersions(_ body: String?) -> Set<String> {
        guard let body, let json = try? JSONSerialization.jsonObject(with: Data(body.utf8)) else { return [] }
        var versions: Set<String> = []
        func walk(_ value: Any) {
            if let object = value as? [String: Any] {
                if object["service"] as? String == "catalog", let version = object["version"] as? String { versions.insert(version) }
                object.values.forEach(walk)
            } else if let array = value as? [Any] {
                array.forEach(walk)
            } else if let text = value as? String, text.hasPrefix("{"), let nested = try? JSONSerialization.jsonObject(with: Data(text.utf8)) {
                walk(nested)
            }
        }
        walk(json)
        return versions
    }

    /// Runs the DevTools script; stops it by PID when it outlives `timeout`.
    static func runScript(_ arguments: [String], timeout: Double) throws -> (Int32, String) {
        let process = Process()
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("console-check-\(UUID().uuidString.prefix(8)).log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: log) }
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-u", script] + arguments
        process.standardOutput = try FileHandle(forWritingTo: log)
        process.standardError = process.standardOutput
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.2) }
        if process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
        }
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return (process.terminationReason == .exit ? process.terminationStatus : -1, output)
    }
}

/// What the console test needs: a Chromium and the venv's websocket-client.
enum ConsoleBrowser {
    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static let python = MeshHarness.packageRoot + "/.venv/bin/python"

    static let missingPrerequisite: String? = {
        guard chromium != nil else { return "chromium" }
        guard FileManager.default.isExecutableFile(atPath: python) else { return ".venv" }
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: python)
        probe.arguments = ["-c", "import websocket"]
        probe.standardError = FileHandle.nullDevice
        guard (try? probe.run()) != nil else { return "python" }
        probe.waitUntilExit()
        return probe.terminationStatus == 0 ? nil : "websocket-client"
    }()
}

/// About ten requests a second through the gateway on a thread of its own.
final class BackgroundTraffic: @unchecked Sendable {
    let port: Int
    private let lock = NSLock()
    private var running = true
    private let done = DispatchSemaphore(value: 0)

    init(port: Int) {
        self.port = port
    }

    func start() {
        Thread.detachNewThread { [self] in
            while lock.withLock({ running }) {
                _ = HTTPProbe.get("127.0.0.1", port)
                Thread.sleep(forTimeInterval: 0.1)
            }
            done.signal()
        }
    }

    func stop() {
        lock.withLock { running = false }
        done.wait()
    }
}

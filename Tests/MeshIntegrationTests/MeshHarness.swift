import Foundation
import MeshLocal

/// Real processes on loopback for integration tests: the control plane, stock Envoy
/// sidecars, demo apps. Every process is stopped by its PID when the harness ends;
/// each harness uses its own 127.x.y.z addresses and ephemeral ports.
final class MeshHarness: @unchecked Sendable {
    static let packageRoot = String(String(#filePath).split(separator: "/Tests/")[0])
    static let envoyBinary: String? = {
        if let explicit = ProcessInfo.processInfo.environment["ENVOY_BIN"] { return explicit }
        let lib = packageRoot + "/.venv/lib"
        for python in (try? FileManager.default.contentsOfDirectory(atPath: lib)) ?? [] {
            let path = "\(lib)/\(python)/site-packages/envoy/_bin/envoy"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }()
    static let swiftmesh: String = {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("swiftmesh").path
    }()

    let directory: URL
    let configDirectory: URL
    /// `127.A.B.` prefix unique to this harness.
    let network: String
    private var processes: [(name: String, process: Process, kill: Int32)] = []
    private(set) var xdsPort = 0
    private(set) var httpPort = 0
    /// Runs every launched command under this prefix (e.g. `ip netns exec NAME`),
    /// which execs the command: the PID stopped is the command's own.
    var commandPrefix: [String] = []

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("swiftmesh-it-\(UUID().uuidString.prefix(8))")
        configDirectory = directory.appendingPathComponent("config")
        try FileManager.default.createDirectory(at: configDirectory, withIntermediateDirectories: true)
        network = "127.\(Int.random(in: 30...250)).\(Int.random(in: 1...250))."
    }

    deinit { stopAll() }

    func address(_ host: Int) -> String { network + String(host) }

    func write(_ name: String, _ yaml: String) throws {
        // Write then rename: the watcher never sees half a file.
        let temporary = directory.appendingPathComponent(".\(name).tmp")
        try yaml.write(to: temporary, atomically: false, encoding: .utf8)
        _ = rename(temporary.path, configDirectory.appendingPathComponent(name).path)
    }

    func remove(_ name: String) throws {
        try FileManager.default.removeItem(at: configDirectory.appendingPathComponent(name))
    }

    @discardableResult
    func launch(_ name: String, _ executable: String, _ arguments: [String], kill signal: Int32 = SIGTERM) throws -> Process {
        let process = Process()
        if let first = commandPrefix.first {
            process.executableURL = URL(fileURLWithPath: first)
            process.arguments = Array(commandPrefix.dropFirst()) + [executable] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        }
        let log = directory.appendingPathComponent("\(name).log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        processes.append((name, process, signal))
        return process
    }

    func log(_ name: String) -> String {
        (try? String(contentsOf: directory.appendingPathComponent("\(name).log"), encoding: .utf8)) ?? ""
    }

    func startControlPlane(debounce: String = "100ms", extra: [String] = []) throws {
        try launch("control-plane", Self.swiftmesh, ["control-plane", "--config", configDirectory.path, "--xds-port", "0", "--http-port", "0", "--debounce", debounce] + extra)
        try waitUntil("control plane listening", timeout: 20) {
            let text = self.log("control-plane")
            guard let range = text.range(of: "xDS on 127.0.0.1:") else { return false }
            let digits = text[range.upperBound...].prefix { $0.isNumber }
            self.xdsPort = Int(digits) ?? 0
            if let http = text.range(of: "HTTP on 127.0.0.1:") {
                self.httpPort = Int(text[http.upperBound...].prefix { $0.isNumber }) ?? 0
            }
            return self.xdsPort > 0
        }
    }

    /// Starts the control plane again on the ports it had (after `stop("control-plane")`):
    /// proxies reconnect to the address in their bootstrap.
    func restartControlPlane(as name: String = "control-plane-2", debounce: String = "100ms") throws {
        try launch(name, Self.swiftmesh, ["control-plane", "--config", configDirectory.path, "--xds-port", "\(xdsPort)",
                                          "--http-port", "\(httpPort)", "--debounce", debounce])
        try waitUntil("\(name) listening on \(xdsPort)", timeout: 20) { self.log(name).contains("xDS on 127.0.0.1:\(self.xdsPort)") }
    }

    func startApp(_ service: String, version: String, host: Int, port: Int = 18080, extra: [String] = []) throws {
        let name = "app-\(service)-\(version)-\(host)"
        try launch(name, Self.swiftmesh, ["demo-app", "--service", service, "--version", version, "--listen", "\(address(host)):\(port)"] + extra)
        try waitUntil("\(name) listening", timeout: 20) { self.log(name).contains("listening on") }
    }

    /// Starts stock Envoy as the sidecar (or gateway) `nodeID`; returns its admin port.
    @discardableResult
    func startEnvoy(_ name: String, nodeID: String, namespace: String = "default", labels: [String: String], metadata extra: [String: String] = [:], waitFor listeners: [String], delta: Bool = false) throws -> Int {
        try startProxy(.envoy, name, nodeID: nodeID, namespace: namespace, labels: labels, metadata: extra, waitFor: listeners, delta: delta)
    }

    /// Starts the sidecar (or gateway) `nodeID` on the given data plane, from the
    /// bootstrap `swiftmesh envoy-bootstrap` prints (one file starts either proxy);
    /// returns its admin port once `listeners` are in force.
    @discardableResult
    func startProxy(_ plane: DataPlane, _ name: String, nodeID: String, namespace: String = "default", labels: [String: String], metadata extra: [String: String] = [:], waitFor listeners: [String], delta: Bool = false) throws -> Int {
        let admin = try Self.freePort()
        var fields: [String: Any] = extra
        fields["NAMESPACE"] = namespace
        fields["LABELS"] = labels
        let metadata = try String(decoding: JSONSerialization.data(withJSONObject: fields), as: UTF8.self)
        let bootstrap = Process()
        bootstrap.executableURL = URL(fileURLWithPath: Self.swiftmesh)
        bootstrap.arguments = ["envoy-bootstrap", "--node", nodeID, "--control-plane", "127.0.0.1:\(xdsPort)", "--admin-port", "\(admin)", "--metadata", metadata] + (delta ? ["--delta"] : [])
        let pipe = Pipe()
        bootstrap.standardOutput = pipe
        try bootstrap.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        bootstrap.waitUntilExit()
        let file = directory.appendingPathComponent("\(name).json")
        try data.write(to: file)
        switch plane {
        case .envoy:
            guard let envoy = Self.envoyBinary else { throw HarnessError.noEnvoy }
            // Envoy started from a test runner may ignore SIGTERM: stop it with SIGKILL.
            try launch(name, envoy, ["-c", file.path, "--disable-hot-restart", "-l", "warning", "--concurrency", "1"], kill: SIGKILL)
        case .swift:
            try launch(name, Self.swiftmesh, ["proxy", "-c", file.path, "--concurrency", "1"])
        }
        try waitUntil("\(name) listeners \(listeners)", timeout: 30) {
            guard let body = HTTPProbe.get("127.0.0.1", admin, path: "/listeners", timeoutSeconds: 2)?.body else { return false }
            return listeners.allSatisfy { body.contains($0) }
        }
        return admin
    }

    func waitUntil(_ what: String, timeout: Double, _ condition: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try condition() { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw HarnessError.timeout(what, logs: processes.map { "--- \($0.name)\n\(log($0.name).suffix(2000))" }.joined(separator: "\n"))
    }

    /// Stops one process started as `name` (by its PID).
    func stop(_ name: String) {
        for (label, process, signal) in processes where label == name && process.isRunning {
            kill(process.processIdentifier, signal)
            process.waitUntilExit()
        }
    }

    func stopAll() {
        for (_, process, signal) in processes.reversed() where process.isRunning {
            kill(process.processIdentifier, signal)
        }
        for (_, process, _) in processes {
            let deadline = Date().addingTimeInterval(5)
            while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
        }
        processes.removeAll()
        if ProcessInfo.processInfo.environment["SWIFTMESH_KEEP_TEST_DIR"] == nil { try? FileManager.default.removeItem(at: directory) }
    }

    static func freePort() throws -> Int {
        try LocalMesh.freePort()
    }

    enum HarnessError: Error, CustomStringConvertible {
        case noEnvoy
        case timeout(String, logs: String)
        var description: String {
            switch self {
            case .noEnvoy: "stock Envoy not found (scripts/install-deps.sh installs it into .venv)"
            case .timeout(let what, let logs): "timed out waiting for \(what)\n\(logs)"
            }
        }
    }
}

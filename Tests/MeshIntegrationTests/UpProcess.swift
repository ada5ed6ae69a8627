import Foundation
import MeshLocal
import Testing

/// `swiftmesh up` run as a user runs it, its output in a file; stopped with
/// SIGTERM (its own shutdown stops its children by PID). Spawned and reaped with
/// MeshLocal's ChildProcesses: Foundation's Process once missed the exit of a
/// stopped `swiftmesh up` and its waitUntilExit() hung the suite.
final class UpProcess {
    private let processes = ChildProcesses()
    private let child: ChildProcesses.Child
    let output: URL
    let started = Date()

    init(_ arguments: [String], directory: URL) throws {
        output = directory.appendingPathComponent("up.log")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: output.path, contents: nil)
        // The child inherits this environment; the value is the same for every test.
        if let envoy = MeshHarness.envoyBinary { setenv("ENVOY_BIN", envoy, 1) }
        child = try processes.spawn("swiftmesh up", MeshHarness.swiftmesh, ["up"] + arguments, log: output.path)
    }

    private var isRunning: Bool { processes.exitStatus(child) == nil }

    var log: String { (try? String(contentsOf: output, encoding: .utf8)) ?? "" }

    /// Waits for "SwiftMesh is up."; the seconds it took.
    @discardableResult
    func waitUntilUp(timeout: Double = 60) throws -> Double {
        while !log.contains("SwiftMesh is up.") && isRunning && Date().timeIntervalSince(started) < timeout {
            Thread.sleep(forTimeInterval: 0.1)
        }
        try #require(log.contains("SwiftMesh is up."), "\(log)")
        return Date().timeIntervalSince(started)
    }

    /// The port in the summary line that starts with `label`.
    func port(in label: String) -> Int? {
        guard let line = log.split(separator: "\n").first(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix(label) }),
              let url = line.split(separator: " ").first(where: { $0.hasPrefix("http://") }) else { return nil }
        return Int(url.dropFirst("http://".count).split(separator: "/").first?.split(separator: ":").last ?? "")
    }

    /// The safety net after a failed test: SIGKILL if it still runs.
    func killIfRunning() {
        guard isRunning else { return }
        kill(child.pid, SIGKILL)
        processes.stopAll(grace: 5)
    }

    /// SIGTERM, then up to a minute for its own orderly shutdown.
    func stop() {
        processes.stopAll(grace: 60)
    }
}

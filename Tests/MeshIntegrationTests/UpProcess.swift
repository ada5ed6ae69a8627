import Foundation
import Testing

/// `swiftmesh up` run as a user runs it, its output in a file; stopped with
/// SIGTERM (its own shutdown stops its children by PID).
final class UpProcess {
    let process = Process()
    let output: URL
    let started = Date()

    init(_ arguments: [String], directory: URL) throws {
        output = directory.appendingPathComponent("up.log")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: output.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: MeshHarness.swiftmesh)
        process.arguments = ["up"] + arguments
        var environment = ProcessInfo.processInfo.environment
        if let envoy = MeshHarness.envoyBinary { environment["ENVOY_BIN"] = envoy }
        process.environment = environment
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = process.standardOutput
        try process.run()
    }

    var log: String { (try? String(contentsOf: output, encoding: .utf8)) ?? "" }

    /// Waits for "SwiftMesh is up."; the seconds it took.
    @discardableResult
    func waitUntilUp(timeout: Double = 60) throws -> Double {
        while !log.contains("SwiftMesh is up.") && process.isRunning && Date().timeIntervalSince(started) < timeout {
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

    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
    }
}

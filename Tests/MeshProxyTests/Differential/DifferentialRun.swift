import Foundation
import Synchronization
@testable import MeshProxy

/// Runs one bootstrap through stock Envoy 1.40 (a process, from ENVOY_BIN or the
/// repository's .venv as TOOLCHAIN.md installs it) and through `swiftmesh proxy`
/// (in process), and the same exchanges against each one's listener.
enum DifferentialRun {
    static func envoyBinary() -> String? {
        if let path = ProcessInfo.processInfo.environment["ENVOY_BIN"] { return path }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let lib = root.appendingPathComponent(".venv/lib")
        for version in (try? FileManager.default.contentsOfDirectory(atPath: lib.path)) ?? [] {
            let candidate = lib.appendingPathComponent("\(version)/site-packages/envoy/_bin/envoy").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// A port free on 127.0.0.1 that this test process has not handed out before.
    /// bind(0) picks at random, so a bootstrap of twenty listeners drew the same
    /// port twice about once in a hundred runs (one proxy then failed to bind).
    static func freePort() throws -> Int {
        for _ in 0..<64 {
            let port = try kernelFreePort()
            if handedOut.withLock({ $0.insert(port).inserted }) { return port }
        }
        throw POSIXError(.EADDRINUSE)
    }

    private static let handedOut = Mutex<Set<Int>>([])

    private static func kernelFreePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard bound == 0 else { throw POSIXError(.EADDRNOTAVAIL) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    struct EnvoyExited: Error, CustomStringConvertible {
        let status: Int32
        var description: String { "Envoy exited with status \(status) before it listened (a port of the bootstrap taken?)" }
    }

    struct NotListening: Error, CustomStringConvertible {
        let port: Int
        var description: String { "nothing listened on 127.0.0.1:\(port) within 10 s" }
    }

    /// Until `port` accepts; stops early with the error `stopped` returns (Envoy exited,
    /// our proxy's start failed: each does when a listener cannot bind).
    static func waitForListener(_ port: Int, stopped: () -> (any Error)? = { nil }) async throws {
        for _ in 0..<200 {
            if let fd = LoopbackSocket.connect(port: port) {
                close(fd)
                return
            }
            if let error = stopped() { throw error }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw NotListening(port: port)
    }

    /// `bootstrap` makes the JSON for a listen port; `exchange` runs against a
    /// listening port. nil when no Envoy binary is found (the test is skipped).
    /// `envoyArguments` are added to Envoy's command line.
    static func throughBoth<T>(_ name: String, envoyArguments: [String] = [], bootstrap: (Int) -> String,
                               exchange: (Int) throws -> T) async throws -> (envoy: T, ours: T)? {
        guard let envoy = envoyBinary() else { return nil }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("swiftmesh-\(name)-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        let envoyPort = try freePort()
        let envoyConfig = directory.appendingPathComponent("envoy.json")
        try bootstrap(envoyPort).write(to: envoyConfig, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: envoy)
        process.arguments = ["-c", envoyConfig.path, "--concurrency", "1", "--disable-hot-restart", "--log-level", "critical"] + envoyArguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer {
            // SIGKILL: a child spawned from a test thread inherits a signal mask that
            // can block SIGTERM.
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try await waitForListener(envoyPort) { process.isRunning ? nil : EnvoyExited(status: process.terminationStatus) }
        let fromEnvoy = try exchange(envoyPort)

        return (fromEnvoy, try await ours(directory, bootstrap: bootstrap, exchange: exchange))
    }

    /// Our side alone (no Envoy binary: the conformance half of a differential).
    static func throughOurs<T>(_ name: String, bootstrap: (Int) -> String, exchange: (Int) throws -> T) async throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("swiftmesh-\(name)-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        return try await ours(directory, bootstrap: bootstrap, exchange: exchange)
    }

    private static func ours<T>(_ directory: URL, bootstrap: (Int) -> String, exchange: (Int) throws -> T) async throws -> T {
        let ourPort = try freePort()
        let ourConfig = directory.appendingPathComponent("swiftmesh.json")
        try bootstrap(ourPort).write(to: ourConfig, atomically: true, encoding: .utf8)
        let failure = Mutex<(any Error)?>(nil)
        let proxy = Task {
            do {
                try await ProxyProcess.run(ProxyOptions(bootstrapPath: ourConfig.path)) { _ in }
            } catch {
                failure.withLock { $0 = error }
                throw error
            }
        }
        try await waitForListener(ourPort) { failure.withLock { $0 } }
        let fromUs = try exchange(ourPort)
        proxy.cancel()
        _ = await proxy.result
        return fromUs
    }
}

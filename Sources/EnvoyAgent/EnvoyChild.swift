import Foundation
import MeshCore
import ProxyAgent
#if canImport(Glibc)
import Glibc
#endif

/// Stock Envoy as the agent's child (pilot-agent starts Envoy the same way),
/// spawned with ChildSpawn's default signal handling (our process ignores SIGTERM
/// to handle it itself; Envoy must not inherit that) and stopped by its PID. Its
/// output is ours.
public final class EnvoyChild: @unchecked Sendable {
    public let pid: pid_t
    private let lock = NSLock()
    private var status: Int32?

    public init(binary: String, bootstrapPath: String, arguments: [String]) throws {
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw AgentError("Envoy binary \(binary) is not an executable file (set --envoy-binary or ENVOY_BIN)")
        }
        do {
            pid = try ChildSpawn(binary, ["-c", bootstrapPath] + arguments).spawn()
        } catch {
            throw AgentError("cannot start Envoy: \(error)")
        }
    }

    /// nil while Envoy runs; its wait status once it has exited (reaped here).
    public var exitStatus: Int32? {
        lock.withLock {
            if status == nil { status = ChildSpawn.exitStatus(of: pid) }
            return status
        }
    }

    /// SIGTERM, then SIGKILL if Envoy has not exited after `grace` seconds.
    public func stop(grace: Double = 5) {
        guard exitStatus == nil else { return }
        kill(pid, SIGTERM)
        let raw = ChildSpawn.waitOrKill(pid, grace: .milliseconds(Int(grace * 1000)))
        lock.withLock { status = raw }
    }
}

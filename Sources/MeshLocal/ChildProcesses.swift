import Foundation
import MeshCore
#if canImport(Glibc)
import Glibc
#endif

/// The processes of a local mesh, started with MeshCore's ChildSpawn so that
/// each gets default signal dispositions (a parent that handles SIGTERM itself
/// must not pass "ignore" on, or Envoy and the demo apps would ignore it) and its own
/// process group (a Ctrl-C reaches only `swiftmesh up`, which then stops the
/// children in order). Output goes to one log file per process. Stopped by PID.
public final class ChildProcesses: @unchecked Sendable {
    public struct Child: Sendable {
        public let name: String
        public let pid: pid_t
        public let log: String
    }

    public struct SpawnError: Error, CustomStringConvertible {
        public let description: String
    }

    private let lock = NSLock()
    private var children: [Child] = []

    public init() {}

    public var running: [Child] { lock.withLock { children } }

    @discardableResult
    public func spawn(_ name: String, _ executable: String, _ arguments: [String], log: String) throws -> Child {
        var spawn = ChildSpawn(executable, arguments)
        spawn.standardInput = .null
        spawn.standardOutput = .file(log)
        spawn.standardError = .standardOutput
        spawn.newProcessGroup = true
        let pid: pid_t
        do {
            pid = try spawn.spawn()
        } catch {
            throw SpawnError(description: "\(name): \(error)")
        }
        let child = Child(name: name, pid: pid, log: log)
        lock.withLock { children.append(child) }
        return child
    }

    /// nil while running; the exit status once it has ended (reaped here).
    public func exitStatus(_ child: Child) -> Int32? {
        guard let status = ChildSpawn.exitStatus(of: child.pid) else { return nil }
        lock.withLock { children.removeAll { $0.pid == child.pid } }
        return status
    }

    /// SIGTERM to every child, newest first; SIGKILL to whatever is left after
    /// `grace`; every child reaped. Returns how many were stopped.
    @discardableResult
    public func stopAll(grace: Double = 5) -> Int {
        let all = lock.withLock { children }
        for child in all.reversed() { kill(child.pid, SIGTERM) }
        // One grace period for all of them, not one each.
        let deadline = ContinuousClock.now.advanced(by: .milliseconds(Int(grace * 1000)))
        for child in all {
            ChildSpawn.waitOrKill(child.pid, grace: max(.zero, deadline - ContinuousClock.now))
        }
        lock.withLock { children.removeAll() }
        return all.count
    }
}

import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The processes of a local mesh, started with posix_spawn so that each gets
/// default signal dispositions (a parent that handles SIGTERM itself must not
/// pass "ignore" on, or Envoy and the demo apps would ignore it) and its own
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
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGQUIT] { sigaddset(&defaults, signal) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        guard result == 0 else {
            throw SpawnError(description: "cannot start \(name) (\(executable)): \(String(cString: strerror(result)))")
        }
        let child = Child(name: name, pid: pid, log: log)
        lock.withLock { children.append(child) }
        return child
    }

    /// nil while running; the exit status once it has ended (reaped here).
    public func exitStatus(_ child: Child) -> Int32? {
        var status: Int32 = 0
        let result = waitpid(child.pid, &status, WNOHANG)
        guard result == child.pid else { return result == 0 ? nil : -1 }
        lock.withLock { children.removeAll { $0.pid == child.pid } }
        return status
    }

    /// SIGTERM to every child, newest first; SIGKILL to whatever is left after
    /// `grace`; every child reaped. Returns how many were stopped.
    @discardableResult
    public func stopAll(grace: Double = 5) -> Int {
        let all = lock.withLock { children }
        for child in all.reversed() { kill(child.pid, SIGTERM) }
        let deadline = Date().addingTimeInterval(grace)
        var remaining = all
        while !remaining.isEmpty && Date() < deadline {
            remaining.removeAll { child in
                var status: Int32 = 0
                return waitpid(child.pid, &status, WNOHANG) != 0
            }
            if !remaining.isEmpty { usleep(20_000) }
        }
        for child in remaining {
            kill(child.pid, SIGKILL)
            var status: Int32 = 0
            waitpid(child.pid, &status, 0)
        }
        lock.withLock { children.removeAll() }
        return all.count
    }
}

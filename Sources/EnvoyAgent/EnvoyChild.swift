import Foundation
import ProxyAgent
#if canImport(Glibc)
import Glibc
#endif

/// Stock Envoy as the agent's child (pilot-agent starts Envoy the same way),
/// spawned with default signal handling (our process ignores SIGTERM to handle it
/// itself; Envoy must not inherit that) and stopped by its PID. Its output is ours.
public final class EnvoyChild: @unchecked Sendable {
    public let pid: pid_t
    private let lock = NSLock()
    private var status: Int32?

    public init(binary: String, bootstrapPath: String, arguments: [String]) throws {
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw AgentError("Envoy binary \(binary) is not an executable file (set --envoy-binary or ENVOY_BIN)")
        }
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
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        let argv = ([binary, "-c", bootstrapPath] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, binary, nil, &attributes, argv, environ)
        guard result == 0 else { throw AgentError("cannot start Envoy (\(binary)): \(String(cString: strerror(result)))") }
        self.pid = pid
    }

    /// nil while Envoy runs; its wait status once it has exited (reaped here).
    public var exitStatus: Int32? {
        lock.withLock {
            if let status { return status }
            var raw: Int32 = 0
            guard waitpid(pid, &raw, WNOHANG) == pid else { return nil }
            status = raw
            return raw
        }
    }

    /// SIGTERM, then SIGKILL if Envoy has not exited after `grace` seconds.
    public func stop(grace: Double = 5) {
        guard exitStatus == nil else { return }
        kill(pid, SIGTERM)
        let deadline = Date().addingTimeInterval(grace)
        while exitStatus == nil && Date() < deadline { usleep(20_000) }
        if exitStatus == nil {
            kill(pid, SIGKILL)
            var raw: Int32 = 0
            waitpid(pid, &raw, 0)
            lock.withLock { status = raw }
        }
    }
}

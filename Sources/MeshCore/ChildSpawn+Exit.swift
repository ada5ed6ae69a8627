#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ChildSpawn {
    /// The raw wait status of an ended child (reaped now), nil while it runs;
    /// -1 when the pid is not a child of this process (already reaped).
    public static func exitStatus(of pid: pid_t) -> Int32? {
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        if result == pid { return status }
        return result == 0 ? nil : -1
    }

    /// Waits for the child to end; its raw wait status.
    public static func waitForExit(of pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            guard errno == EINTR else { return -1 }
        }
        return status
    }

    /// SIGTERM, then SIGKILL if the child has not ended after `grace`; reaped
    /// either way. Its raw wait status.
    @discardableResult
    public static func stop(_ pid: pid_t, grace: Duration = .seconds(5)) -> Int32 {
        if let status = exitStatus(of: pid) { return status }
        kill(pid, SIGTERM)
        return waitOrKill(pid, grace: grace)
    }

    /// Polls until the child ends (every 20 ms), SIGKILL after `grace`.
    public static func waitOrKill(_ pid: pid_t, grace: Duration) -> Int32 {
        let deadline = ContinuousClock.now.advanced(by: grace)
        while ContinuousClock.now < deadline {
            if let status = exitStatus(of: pid) { return status }
            usleep(20_000)
        }
        kill(pid, SIGKILL)
        return waitForExit(of: pid)
    }

    /// The status as a shell reports it: the exit code, or 128 + the signal
    /// (WIFEXITED / WTERMSIG are C macros Swift does not import).
    public static func shellStatus(_ status: Int32) -> Int32 {
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }
}

import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A child process started with `posix_spawn`, its signal mask empty and every
/// signal at its default action. Foundation's `Process` passes the spawning
/// thread's mask and ignored signals on to the child, and `exec` keeps both: the
/// Envoy that proxy-bench.sh started under swiftmesh-bench arrived with SIGTERM
/// blocked and never stopped on TERM. MeshLocal's ChildProcesses does the same
/// for children that log to a file (the xds benchmark's control plane uses it);
/// this one is for children whose stderr the bench reads through a pipe.
final class ChildProcess {
    /// Where the child's stdout or stderr goes.
    enum Output {
        case inherit
        case discard
        /// A pipe; the bench reads it from `standardOutput` / `standardError`.
        case pipe
    }

    struct SpawnError: Error, CustomStringConvertible {
        var description: String
    }

    let pid: pid_t
    /// The read end of the child's stdout, when it is `.pipe`.
    let standardOutput: FileHandle?
    /// The read end of the child's stderr, when it is `.pipe`.
    let standardError: FileHandle?

    init(_ executable: String, _ arguments: [String], environment: [String: String],
         standardOutput stdout: Output = .inherit, standardError stderr: Output = .inherit) throws {
        var actions = posix_spawn_file_actions_t()
        try Self.check(posix_spawn_file_actions_init(&actions), "posix_spawn_file_actions_init")
        defer { posix_spawn_file_actions_destroy(&actions) }
        let out = try Self.redirect(STDOUT_FILENO, to: stdout, in: &actions)
        let err = try Self.redirect(STDERR_FILENO, to: stderr, in: &actions)
        // As Process does: no other descriptor of the bench (the pipes' own ends
        // included) reaches the child, so a long-lived grandchild cannot hold a pipe
        // open. (posix_spawn_file_actions_addclosefrom_np is not imported into Swift.)
        for fd in Self.openDescriptors() where fd > STDERR_FILENO {
            try Self.check(posix_spawn_file_actions_addclose(&actions, fd), "posix_spawn_file_actions_addclose")
        }

        var attributes = posix_spawnattr_t()
        try Self.check(posix_spawnattr_init(&attributes), "posix_spawnattr_init")
        defer { posix_spawnattr_destroy(&attributes) }
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        var defaults = sigset_t()
        sigfillset(&defaults)
        try Self.check(posix_spawnattr_setsigmask(&attributes, &unblocked), "posix_spawnattr_setsigmask")
        try Self.check(posix_spawnattr_setsigdefault(&attributes, &defaults), "posix_spawnattr_setsigdefault")
        try Self.check(posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)), "posix_spawnattr_setflags")

        let argv = Self.cStrings([executable] + arguments)
        let envp = Self.cStrings(environment.map { "\($0.key)=\($0.value)" })
        defer { for pointer in argv + envp { free(pointer) } }
        var child: pid_t = 0
        let result = posix_spawn(&child, executable, &actions, &attributes, argv + [nil], envp + [nil])
        // The child has its own copies of the write ends now: reads end when it exits.
        try out?.fileHandleForWriting.close()
        try err?.fileHandleForWriting.close()
        guard result == 0 else { throw SpawnError(description: "cannot start \(executable): \(String(cString: strerror(result)))") }
        pid = child
        standardOutput = out?.fileHandleForReading
        standardError = err?.fileHandleForReading
    }

    /// Waits for the child to end: its exit status, or 128 + the signal that ended
    /// it, as a shell reports it.
    func waitForExit() throws -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            guard errno == EINTR else { throw SpawnError(description: "waitpid \(pid): \(String(cString: strerror(errno)))") }
        }
        return Self.shellStatus(status)
    }

    /// WIFEXITED / WEXITSTATUS / WTERMSIG are C macros Swift does not import.
    private static func shellStatus(_ status: Int32) -> Int32 {
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }

    private static func redirect(_ fd: Int32, to output: Output, in actions: inout posix_spawn_file_actions_t) throws -> Pipe? {
        switch output {
        case .inherit:
            return nil
        case .discard:
            try check(posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", O_WRONLY, 0), "posix_spawn_file_actions_addopen")
            return nil
        case .pipe:
            let pipe = Pipe()
            try check(posix_spawn_file_actions_adddup2(&actions, pipe.fileHandleForWriting.fileDescriptor, fd), "posix_spawn_file_actions_adddup2")
            return pipe
        }
    }

    /// This process's open descriptors, from /proc/self/fd (the one that lists it is
    /// closed by then; closing a closed descriptor in the child is not an error).
    private static func openDescriptors() -> [Int32] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []).compactMap { Int32($0) }
    }

    private static func cStrings(_ strings: [String]) -> [UnsafeMutablePointer<CChar>?] {
        strings.map { strdup($0) }
    }

    private static func check(_ result: Int32, _ call: String) throws {
        guard result == 0 else { throw SpawnError(description: "\(call): \(String(cString: strerror(result)))") }
    }
}

import Foundation
import MeshCore
#if canImport(Glibc)
import Glibc
#endif

/// A child process started with MeshCore's ChildSpawn: its signal mask empty and
/// every signal at its default action. Foundation's `Process` passes the spawning
/// thread's mask and ignored signals on to the child, and `exec` keeps both: the
/// Envoy that proxy-bench.sh started under swiftmesh-bench arrived with SIGTERM
/// blocked and never stopped on TERM. This adds what the bench needs on top: an
/// environment of its own and output it reads through pipes.
final class ChildProcess {
    /// Where the child's stdout or stderr goes.
    enum Output {
        case inherit
        case discard
        /// A pipe; the bench reads it from `standardOutput` / `standardError`.
        case pipe
    }

    let pid: pid_t
    /// The read end of the child's stdout, when it is `.pipe`.
    let standardOutput: FileHandle?
    /// The read end of the child's stderr, when it is `.pipe`.
    let standardError: FileHandle?

    init(_ executable: String, _ arguments: [String], environment: [String: String],
         standardOutput stdout: Output = .inherit, standardError stderr: Output = .inherit) throws {
        let out = stdout == .pipe ? Pipe() : nil
        let err = stderr == .pipe ? Pipe() : nil
        var spawn = ChildSpawn(executable, arguments)
        spawn.environment = environment.map { "\($0.key)=\($0.value)" }
        spawn.standardOutput = Self.target(stdout, out)
        spawn.standardError = Self.target(stderr, err)
        // As Process does: no other descriptor of the bench (the pipes' own ends
        // included) reaches the child, so a long-lived grandchild cannot hold a pipe open.
        spawn.closeOtherDescriptors = true
        let result = Result { try spawn.spawn() }
        // The child has its own copies of the write ends now: reads end when it exits.
        try out?.fileHandleForWriting.close()
        try err?.fileHandleForWriting.close()
        pid = try result.get()
        standardOutput = out?.fileHandleForReading
        standardError = err?.fileHandleForReading
    }

    /// Waits for the child to end: its exit status, or 128 + the signal that ended
    /// it, as a shell reports it.
    func waitForExit() -> Int32 {
        ChildSpawn.shellStatus(ChildSpawn.waitForExit(of: pid))
    }

    private static func target(_ output: Output, _ pipe: Pipe?) -> ChildSpawn.Output {
        switch output {
        case .inherit: .inherit
        case .discard: .null
        case .pipe: .descriptor(pipe!.fileHandleForWriting.fileDescriptor)
        }
    }
}

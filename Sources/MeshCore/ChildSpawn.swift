#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How the project starts a child process (Envoy under the agent, the processes
/// of `swiftmesh up`, the benchmark's harness): posix_spawn with an empty signal
/// mask and every signal at its default action. A parent that handles SIGTERM
/// itself blocks or ignores it, and exec passes both on: the child would then
/// never stop on TERM (Foundation's Process does exactly that).
public struct ChildSpawn: Sendable {
    public enum Input: Sendable {
        case inherit
        case null
    }

    public enum Output: Sendable {
        case inherit
        case null
        /// Appended to, created (0644) if missing.
        case file(String)
        /// A descriptor of the parent, e.g. a pipe's write end.
        case descriptor(Int32)
        /// Where standard output goes (for standard error).
        case standardOutput
    }

    public struct SpawnError: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    public var executable: String
    public var arguments: [String]
    /// `KEY=value` entries; nil passes this process's environment on.
    public var environment: [String]?
    public var standardInput: Input = .inherit
    public var standardOutput: Output = .inherit
    public var standardError: Output = .inherit
    /// Its own process group: a Ctrl-C at the terminal reaches only the parent.
    public var newProcessGroup = false
    /// No descriptor beyond 0-2 reaches the child (a long-lived grandchild
    /// cannot then hold one of the parent's pipes open).
    public var closeOtherDescriptors = false

    public init(_ executable: String, _ arguments: [String] = []) {
        self.executable = executable
        self.arguments = arguments
    }

    /// Starts the child; its pid.
    public func spawn() throws(SpawnError) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        try check(posix_spawn_file_actions_init(&actions), "posix_spawn_file_actions_init")
        defer { posix_spawn_file_actions_destroy(&actions) }
        if case .null = standardInput {
            try check(posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0), "posix_spawn_file_actions_addopen")
        }
        try redirect(1, standardOutput, &actions)
        try redirect(2, standardError, &actions)
        if closeOtherDescriptors {
            for fd in Self.openDescriptors() where fd > 2 {
                try check(posix_spawn_file_actions_addclose(&actions, fd), "posix_spawn_file_actions_addclose")
            }
        }

        var attributes = posix_spawnattr_t()
        try check(posix_spawnattr_init(&attributes), "posix_spawnattr_init")
        defer { posix_spawnattr_destroy(&attributes) }
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        var defaults = sigset_t()
        sigfillset(&defaults)
        try check(posix_spawnattr_setsigmask(&attributes, &unblocked), "posix_spawnattr_setsigmask")
        try check(posix_spawnattr_setsigdefault(&attributes, &defaults), "posix_spawnattr_setsigdefault")
        var flags = Int32(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)
        if newProcessGroup {
            try check(posix_spawnattr_setpgroup(&attributes, 0), "posix_spawnattr_setpgroup")
            flags |= Int32(POSIX_SPAWN_SETPGROUP)
        }
        try check(posix_spawnattr_setflags(&attributes, Int16(flags)), "posix_spawnattr_setflags")

        let argv = ([executable] + arguments).map { strdup($0) }
        let envp = environment.map { $0.map { strdup($0) } }
        defer { for pointer in argv + (envp ?? []) { free(pointer) } }
        var pid: pid_t = 0
        let result = envp.map { posix_spawn(&pid, executable, &actions, &attributes, argv + [nil], $0 + [nil]) }
            ?? posix_spawn(&pid, executable, &actions, &attributes, argv + [nil], environ)
        guard result == 0 else { throw SpawnError(description: "cannot start \(executable): \(String(cString: strerror(result)))") }
        return pid
    }

    private func redirect(_ fd: Int32, _ output: Output, _ actions: inout posix_spawn_file_actions_t) throws(SpawnError) {
        switch output {
        case .inherit:
            return
        case .null:
            try check(posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", O_WRONLY, 0), "posix_spawn_file_actions_addopen")
        case .file(let path):
            try check(posix_spawn_file_actions_addopen(&actions, fd, path, O_WRONLY | O_CREAT | O_APPEND, 0o644), "posix_spawn_file_actions_addopen \(path)")
        case .descriptor(let source):
            try check(posix_spawn_file_actions_adddup2(&actions, source, fd), "posix_spawn_file_actions_adddup2")
        case .standardOutput:
            try check(posix_spawn_file_actions_adddup2(&actions, 1, fd), "posix_spawn_file_actions_adddup2")
        }
    }

    private func check(_ result: Int32, _ call: String) throws(SpawnError) {
        guard result == 0 else { throw SpawnError(description: "cannot start \(executable): \(call): \(String(cString: strerror(result)))") }
    }

    /// This process's open descriptors (closing one that is gone by then is no
    /// error in the child).
    static func openDescriptors() -> [Int32] {
        guard let directory = opendir("/proc/self/fd") else { return [] }
        defer { closedir(directory) }
        var result: [Int32] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
                String(decoding: bytes.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if let fd = Int32(name) { result.append(fd) }
        }
        return result
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `swiftmesh proxy` (swift data plane) replaces itself with the lean
/// `swiftmesh-proxy` executable built beside it: same arguments, same pid, but a
/// process that maps no full Foundation, ICU or control-plane code (about 6 MiB
/// less resident, 0.5 MiB of it private). Without that file, or when the file is
/// left from an older build, it serves in process.
public enum LeanProxyHandOver {
    public static let executableName = "swiftmesh-proxy"
    /// Set (to anything) to keep serving inside `swiftmesh`.
    public static let disableVariable = "SWIFTMESH_PROXY_IN_PROCESS"

    /// The lean executable next to the running one, if it exists and may run.
    public static func leanExecutable() -> String? {
        guard getenv(disableVariable) == nil else { return nil }
        var buffer = [CChar](repeating: 0, count: 4096)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard length > 0 else { return nil }
        let path = String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard let slash = path.lastIndex(of: "/") else { return nil }
        let candidate = String(path[...slash]) + executableName
        guard access(candidate, X_OK) == 0, let own = modified(path), let lean = modified(candidate),
              isCurrent(leanModified: lean, selfModified: own) else { return nil }
        return candidate
    }

    /// Seconds two executables linked by one `swift build` can lie apart.
    static let sameBuildSlack = 600

    /// A lean executable much older than this one is left from an earlier build
    /// (`swift run swiftmesh` relinks only `swiftmesh`): serving in process then
    /// runs the code that was just built instead of stale code.
    static func isCurrent(leanModified: Int, selfModified: Int) -> Bool {
        leanModified + sameBuildSlack >= selfModified
    }

    private static func modified(_ path: String) -> Int? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Int(info.st_mtim.tv_sec)
    }

    /// The arguments after the `proxy` subcommand, as the lean executable takes them.
    public static func forwardedArguments(_ arguments: [String], subcommand: String = "proxy") -> [String]? {
        guard let index = arguments.dropFirst().firstIndex(of: subcommand) else { return nil }
        return Array(arguments[(index + 1)...])
    }

    /// Execs the lean executable with the `proxy` arguments of this process;
    /// returns only when there is nothing to hand over to (or exec failed).
    public static func execIfPresent(arguments: [String] = CommandLine.arguments) {
        guard let executable = leanExecutable(), let forwarded = forwardedArguments(arguments) else { return }
        let argv = ([executable] + forwarded).map { strdup($0) } + [nil]
        execv(executable, argv)
        // Only reached when exec failed: serve in process.
        for pointer in argv { free(pointer) }
    }
}

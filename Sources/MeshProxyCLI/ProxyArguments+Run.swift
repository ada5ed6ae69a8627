import ArgumentParser
import MeshProxy

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ProxyArguments {
    /// Serves with this proxy in this process until SIGTERM / SIGINT, printing
    /// the "listening" line supervisors wait for.
    public func runSwiftDataPlane(_ options: ProxyOptions) async throws {
        do {
            try await SignalHandling.runUntilTerminated {
                try await ProxyProcess.run(options) { started in
                    for warning in started.warnings { StandardError.write("warning: \(warning)") }
                    var line = "swiftmesh proxy listening"
                    for listener in started.listeners {
                        line += " \(listener.name)=\(listener.address.ipAddress ?? ""):\(listener.address.port ?? 0)"
                    }
                    if let admin = started.admin { line += " admin=\(admin.ipAddress ?? ""):\(admin.port ?? 0)" }
                    if let prometheus = started.prometheus { line += " prometheus=\(prometheus.ipAddress ?? ""):\(prometheus.port ?? 0)" }
                    if let health = started.health { line += " health=\(health.ipAddress ?? ""):\(health.port ?? 0)" }
                    print(line)
                    // Supervisors wait for this line; stdout is a pipe there (nil: all streams).
                    fflush(nil)
                }
            }
        } catch {
            StandardError.write("swiftmesh proxy: \(error)")
            throw ExitCode.failure
        }
    }
}

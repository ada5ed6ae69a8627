import ArgumentParser
import MeshProxy

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct ProxyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "proxy",
        abstract: "Run SwiftMesh's own data-plane proxy (Envoy's role) from an Envoy bootstrap.",
        discussion: """
        Reads an Envoy v3 bootstrap in JSON (node, admin, static_resources with
        listeners and clusters) - the same file can start stock Envoy - and serves
        its HTTP listeners: HTTP/1.1 parsed on the received bytes, routed like
        Envoy's route tables, forwarded over pooled keep-alive upstream
        connections. Anything in the file the proxy cannot honour stops it with
        an error naming the field; settings it accepts but does not apply yet
        (access logs, path normalisation, ...) are printed as warnings.

        Prints "swiftmesh proxy listening NAME=ADDR:PORT ..." once serving; exits
        0 on SIGTERM or SIGINT.

        Example:
          swiftmesh proxy -c bootstrap.json --concurrency 1 --admin-address 127.0.0.1:15000
          swiftmesh generate --config examples/ --node ID > node.json && swiftmesh proxy --resources node.json
        """
    )

    @Option(name: [.customShort("c"), .customLong("config-path")], help: ArgumentHelp("Envoy bootstrap (JSON).", valueName: "file"))
    var configPath: String?

    @Option(help: ArgumentHelp("Also run these resources: the output of `swiftmesh generate --type all -o json` (no xDS stream).", valueName: "file"))
    var resources: String?

    @Option(help: "Event-loop threads (Envoy's --concurrency).")
    var concurrency: Int = 1

    @Option(help: ArgumentHelp("Admin address, overriding the bootstrap's (Istio uses 127.0.0.1:15000).", valueName: "addr:port"))
    var adminAddress: String?

    func run() async throws {
        var streams = StandardStreams()
        guard configPath != nil || resources != nil else { throw ValidationError("give -c BOOTSTRAP and/or --resources FILE") }
        var options = ProxyOptions(bootstrapPath: configPath, resourcesPath: resources, concurrency: concurrency)
        if let adminAddress {
            guard let colon = adminAddress.lastIndex(of: ":"), let port = Int(adminAddress[adminAddress.index(after: colon)...]) else {
                throw ValidationError("--admin-address must be ADDR:PORT")
            }
            options.adminHost = String(adminAddress[..<colon]).trimmingCharacters(in: "[]")
            options.adminPort = port
        }
        let chosen = options
        do {
            try await SignalHandling.runUntilTerminated {
                try await ProxyProcess.run(chosen) { started in
                    var streams = StandardStreams()
                    for warning in started.warnings { streams.error("warning: \(warning)") }
                    for name in started.skipped { streams.error("warning: listener \(name): original-destination listeners are not served yet") }
                    var line = "swiftmesh proxy listening"
                    for listener in started.listeners {
                        line += " \(listener.name)=\(listener.address.ipAddress ?? ""):\(listener.address.port ?? 0)"
                    }
                    if let admin = started.admin { line += " admin=\(admin.ipAddress ?? ""):\(admin.port ?? 0)" }
                    streams.print(line)
                    // Supervisors wait for this line; stdout is a pipe there (nil: all streams).
                    fflush(nil)
                }
            }
        } catch {
            streams.error("swiftmesh proxy: \(error)")
            throw ExitCode.failure
        }
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var slice = self[...]
        while let first = slice.first, set.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, set.contains(last) { slice = slice.dropLast() }
        return String(slice)
    }
}

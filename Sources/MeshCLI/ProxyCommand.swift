import ArgumentParser
import EnvoyAgent
import MeshLocal
import MeshProxy
import MeshProxyCLI

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct ProxyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "proxy",
        abstract: ProxyArguments.abstract,
        discussion: ProxyArguments.discussion
    )

    @OptionGroup var arguments: ProxyArguments

    func run() async throws {
        let options = try arguments.proxyOptions()
        if options.dataPlane == .envoy {
            return try await runEnvoy(options)
        }
        // The lean sidecar executable, when built beside this one, takes over (same pid).
        LeanProxyHandOver.execIfPresent()
        try await arguments.runSwiftDataPlane(options)
    }
}

extension ProxyCommand {
    func runEnvoy(_ chosen: ProxyOptions) async throws {
        var options = chosen
        options.envoyBinary = arguments.envoyBinary ?? EnvoyLocator.find()
        options.envoyArguments = arguments.envoyArg.isEmpty ? ["--disable-hot-restart", "--concurrency", "\(arguments.concurrency)", "-l", "warning"] : arguments.envoyArg
        if options.runDirectory == nil { options.runDirectory = "swiftmesh-agent" }
        let final = options
        do {
            try await SignalHandling.runUntilTerminated {
                try await EnvoyAgentProcess.run(final) { pid, bootstrap in
                    var streams = StandardStreams()
                    streams.print("swiftmesh proxy (envoy) started envoy pid=\(pid) bootstrap=\(bootstrap)")
                    fflush(nil)
                }
            }
        } catch {
            var streams = StandardStreams()
            streams.error("swiftmesh proxy: \(error)")
            throw ExitCode.failure
        }
    }
}

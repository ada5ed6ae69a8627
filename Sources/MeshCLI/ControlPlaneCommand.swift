import ArgumentParser
import Foundation
import Logging
import MeshControlPlane
import MeshCore

struct ControlPlaneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "control-plane",
        abstract: "Run the control plane (istiod's role): watch a config directory, serve xDS to proxies.",
        discussion: """
        Reads every .yaml/.yml/.json file under --config (Istio kinds plus Services,
        Endpoints, Pods, ServiceEntry/WorkloadEntry for workloads), validates it, and serves
        each connecting proxy (stock Envoy or `swiftmesh proxy`) its listeners, routes,
        clusters and endpoints over ADS (gRPC, state of the world). Edits to the directory
        apply within about a second; a file that stops validating is rejected with its errors
        logged and its last good version stays in force.
        """
    )

    @Option(name: .long, help: ArgumentHelp("The config directory to serve and watch.", valueName: "dir"))
    var config: String

    @Option(name: .long, help: "Address to serve xDS on.")
    var host = "127.0.0.1"

    @Option(name: .customLong("xds-port"), help: "xDS (ADS, plaintext gRPC) port; 0 picks a free one.")
    var xdsPort = 15010

    @Option(name: .customLong("http-port"), help: "HTTP port for /metrics, /ready and /debug/*; 0 picks a free one.")
    var httpPort = 15014

    @Option(name: .long, help: ArgumentHelp("Quiet time before pushing a change (Go duration).", valueName: "duration"))
    var debounce = "100ms"

    @Option(name: .customLong("push-throttle"), help: "How many proxies may be sent responses at once (istiod's PILOT_PUSH_THROTTLE).")
    var pushThrottle = 100

    @Option(name: .customLong("gateway-listen"), help: ArgumentHelp("Make gateway servers of PORT listen on HOST:PORT2 instead (repeatable; used by `swiftmesh up --gateway-port`).", valueName: "PORT=HOST:PORT2"))
    var gatewayListen: [String] = []

    @Option(name: .customLong("auto-registration-grace"), help: ArgumentHelp("How long a WorkloadGroup-registered workload outlives its proxy's connection (Go duration).", valueName: "duration"))
    var autoRegistrationGrace = "10s"

    @Flag(name: .customLong("trace-to-self"), help: "When the mesh config (ConfigMap istio) sets no default tracing provider, proxies export spans to this control plane (POST /v1/traces on the HTTP port; shown by the console).")
    var traceToSelf = false

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel = "info"

    func run() async throws {
        guard let level = Logger.Level(rawValue: logLevel) else { throw ValidationError("unknown log level \(logLevel)") }
        let nanos = try DurationOption.parse(debounce, name: "--debounce")
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        var options = ControlPlane.Options(configDirectory: config)
        options.xdsHost = host
        options.xdsPort = xdsPort
        options.httpPort = httpPort
        options.debounce = .nanoseconds(nanos)
        guard pushThrottle > 0 else { throw ValidationError("--push-throttle must be at least 1") }
        options.pushThrottle = pushThrottle
        for entry in gatewayListen {
            let parts = entry.split(separator: "=", maxSplits: 1)
            let target = parts.count == 2 ? parts[1].split(separator: ":") : []
            guard parts.count == 2, let from = Int(parts[0]), target.count == 2, let to = Int(target[1]) else {
                throw ValidationError("--gateway-listen must be PORT=HOST:PORT, got \"\(entry)\"")
            }
            options.translator.gatewayListenOverrides[from] = .init(host: String(target[0]), port: to)
        }
        options.autoRegistrationGrace = .nanoseconds(try DurationOption.parse(autoRegistrationGrace, name: "--auto-registration-grace"))
        options.traceToSelf = traceToSelf
        let controlPlane = ControlPlane(options: options)
        try await SignalHandling.runUntilTerminated {
            try await controlPlane.run { port, http in
                // Unbuffered: scripts and tests wait for this line.
                FileHandle.standardOutput.write(Data("control plane: xDS on \(host):\(port), HTTP on \(host):\(http ?? 0), config \(config)\n".utf8))
            }
        }
    }
}

enum DurationOption {
    static func parse(_ text: String, name: String) throws -> Int64 {
        do {
            return try GoDuration.parse(text)
        } catch {
            throw ValidationError("\(name): \(error)")
        }
    }
}

import ArgumentParser
import Dispatch
import Foundation
import MeshLocal

struct UpCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "up",
        abstract: "Run a whole mesh on this machine: control plane, gateway, sidecars and demo workloads.",
        discussion: """
        Reads DIR (default: ./examples when run from the project, else the example mesh
        compiled into swiftmesh, written to RUN-DIR/examples) and starts, each on the
        workload's own loopback address (its WorkloadEntry address):
          - the control plane (xDS, and HTTP with /metrics and /debug on --http-port),
          - a demo app per WorkloadEntry (what it calls: annotation demo.swiftmesh.io/calls),
          - a sidecar per workload and the ingress gateway (stock Envoy by default),
        then waits until every proxy is ready and the gateway answers. Logs go to
        RUN-DIR/NAME.log. Editing a YAML file in DIR applies it. Ctrl-C (or SIGTERM)
        stops every process it started.
          swiftmesh up
          curl -s http://127.0.0.1:8080/ ; curl -s -H 'end-user: jason' http://127.0.0.1:8080/
        """
    )

    @Argument(help: ArgumentHelp("The mesh's config directory.", valueName: "dir"))
    var directory: String?

    @Option(name: .customLong("gateway-port"), help: "Port of the ingress gateway on 127.0.0.1.")
    var gatewayPort = 8080

    @Option(name: .customLong("http-port"), help: "The control plane's HTTP port (metrics, debug) on 127.0.0.1; 0 picks a free one.")
    var httpPort = 15014

    @Option(name: .customLong("xds-port"), help: "The control plane's xDS port on 127.0.0.1; 0 picks a free one.")
    var xdsPort = 15010

    @Option(name: .customLong("secure-xds-port"), help: "The control plane's xDS + CA over TLS port (Istio's 15012) on 127.0.0.1; 0 picks a free one.")
    var secureXDSPort = 15012

    @Flag(inversion: .prefixedEnableDisable, help: "Mesh mTLS between sidecars and the gateway (PeerAuthentication, auto-mTLS) with the certificates the agents get from the mesh CA.")
    var mtls = false

    @Option(name: .customLong("workload-cert-ttl"), help: ArgumentHelp("Lifetime of workload certificates (the control plane's --workload-cert-ttl; e.g. 6s to watch rotation).", valueName: "duration"))
    var workloadCertTTL: String?

    @Option(name: .customLong("data-plane"), help: "Proxy for sidecars and gateway: envoy (stock Envoy) or swift (our SwiftNIO proxy).")
    var dataPlane = "swift"

    @Option(name: .customLong("run-dir"), help: "Where logs, bootstraps and the pid list go.")
    var runDirectory = "run"

    @Flag(help: "Send steady demo traffic through the gateway (about 10 requests/s).")
    var traffic = false

    @Option(name: .customLong("start-timeout"), help: "Seconds to wait for each part to come up.")
    var startTimeout: Double = 30

    @Flag(help: "Also start Prometheus (Debian package `prometheus`), scraping every proxy through the control plane's /sd/prometheus.")
    var prometheus = false

    @Option(name: .customLong("prometheus-port"), help: "Prometheus' port on 127.0.0.1 (with --prometheus); 0 picks a free one.")
    var prometheusPort = 9090

    @Option(name: .customLong("prometheus-scrape-interval"), help: ArgumentHelp("Scrape and discovery interval (with --prometheus).", valueName: "duration"))
    var prometheusScrapeInterval = "5s"

    func run() throws {
        guard let plane = LocalMesh.DataPlane(rawValue: dataPlane) else {
            throw ValidationError("--data-plane must be one of \(LocalMesh.DataPlane.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let config = try configDirectory()
        let checked = ConfigRun.validate(paths: [config])
        for line in checked.inputErrorLines { Self.say("warning: \(line)") }
        for report in checked.reports where report.hasErrors {
            for error in report.errors { Self.say("warning: \(report.formatted(error)) (not applied)") }
        }
        let plan: LocalMeshPlan
        do { plan = try LocalMeshPlan.make(checked.latestObjects.objects) } catch { throw ValidationError(error.description) }

        var options = LocalMesh.Options(configDirectory: config, runDirectory: runDirectory, swiftmesh: Self.executablePath())
        options.envoy = EnvoyLocator.find()
        options.dataPlane = plane
        options.gatewayPort = gatewayPort
        options.httpPort = httpPort
        options.xdsPort = xdsPort
        options.secureXDSPort = secureXDSPort
        options.workloadCertTTL = workloadCertTTL
        options.mutualTLS = mtls
        options.startTimeout = startTimeout
        if prometheus {
            guard let binary = LocalMesh.findPrometheus() else {
                throw ValidationError("--prometheus: no `prometheus` on PATH (Debian: apt-get install prometheus)")
            }
            var settings = LocalMesh.Options.Prometheus(binary: binary)
            settings.port = prometheusPort
            settings.scrapeInterval = prometheusScrapeInterval
            options.prometheus = settings
        }
        let mesh = LocalMesh(options: options, plan: plan) { line in Self.say(line) }

        // Handle the signals ourselves (children are spawned with default handling).
        let stop = DispatchSemaphore(value: 0)
        let sources = [SIGINT, SIGTERM].map { number -> DispatchSourceSignal in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { stop.signal() }
            source.resume()
            return source
        }
        defer { sources.forEach { $0.cancel() } }

        Self.say("starting the mesh in \(config) (data plane: \(plane.rawValue)); logs in \(runDirectory)/")
        do {
            try mesh.start()
        } catch {
            Self.say("swiftmesh up failed: \(error)")
            throw ExitCode(1)
        }
        printSummary(mesh, config: config)
        let load = traffic ? DemoTraffic(port: gatewayPort) : nil
        load?.start()
        var exited: ChildProcesses.Child?
        while stop.wait(timeout: .now() + .milliseconds(500)) == .timedOut {
            if let child = mesh.exitedChild() { exited = child; break }
        }
        load?.stop()
        if let exited { Self.say("\(exited.name) (pid \(exited.pid)) exited; see \(exited.log). Stopping the mesh.") }
        let count = mesh.stop()
        Self.say("stopped \(count) processes")
        if exited != nil { throw ExitCode(1) }
    }

    func printSummary(_ mesh: LocalMesh, config: String) {
        var lines = ["", "SwiftMesh is up.", ""]
        if !mesh.plan.gateways.isEmpty { lines.append("  gateway        \(mesh.gatewayURL)") }
        if mesh.gatewayMetricsPort > 0 { lines.append("  gateway stats  http://127.0.0.1:\(mesh.gatewayMetricsPort)/stats/prometheus") }
        if mesh.prometheusPort > 0 { lines.append("  Prometheus     http://127.0.0.1:\(mesh.prometheusPort)/  (targets from http://127.0.0.1:\(mesh.httpPort)/sd/prometheus)") }
        lines.append("  console        http://127.0.0.1:\(mesh.httpPort)/ui/  (services, topology, config, traces)")
        lines.append("  control plane  http://127.0.0.1:\(mesh.httpPort)/metrics  /debug/syncz  /debug/config_dump?proxyID=ID")
        lines.append("  xDS            127.0.0.1:\(mesh.xdsPort) (plaintext)   xDS + CA over TLS 127.0.0.1:\(mesh.secureXDSPort)")
        lines.append("  mesh CA        \(mesh.caDirectory)/root-cert.pem   workload tokens \(mesh.tokenDirectory)/")
        for workload in mesh.plan.workloads {
            var line = "  \(workload.name.padding(toLength: 14, withPad: " ", startingAt: 0)) app \(workload.address):\(workload.appPort), sidecar admin http://\(workload.address):15000/"
            if mesh.options.dataPlane == .swift { line += ", stats :15090/stats/prometheus" }
            lines.append(line)
        }
        lines += ["", "  config: \(config) (edits apply while running)   logs: \(runDirectory)/   stop: Ctrl-C", ""]
        if !mesh.plan.gateways.isEmpty {
            lines.append("  try: curl -s \(mesh.gatewayURL)   and   curl -s -H 'end-user: jason' \(mesh.gatewayURL)")
        }
        Self.say(lines.joined(separator: "\n"))
    }

    /// Unbuffered, so progress shows at once (and reaches a log file in order).
    static func say(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    /// DIR; else ./examples in the project; else the compiled-in examples.
    func configDirectory() throws -> String {
        if let directory { return directory }
        if FileManager.default.fileExists(atPath: "examples/services.yaml") { return "examples" }
        let target = "\(runDirectory)/examples"
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        for file in EmbeddedExamples.files where !FileManager.default.fileExists(atPath: "\(target)/\(file.name)") {
            try file.contents.write(toFile: "\(target)/\(file.name)", atomically: true, encoding: .utf8)
        }
        return target
    }

    static func executablePath() -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }
}

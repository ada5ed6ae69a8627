import ArgumentParser
import MeshLocal
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
        (path normalisation, ...) are printed as warnings. Istio's metrics are
        served at /stats/prometheus on the admin port and on 15090; access logs
        of the connection managers are written in Envoy's format.

        Prints "swiftmesh proxy listening NAME=ADDR:PORT ..." once serving; exits
        0 on SIGTERM or SIGINT.

        With --token-file / --ca-root the certificate agent runs too (pilot-agent's
        role): a local key, a CSR to the CA (Istio's CreateCertificate, by default on
        the xDS server), renewal at half life; xDS and the CA over TLS verified
        against --ca-root. --data-plane envoy runs stock Envoy instead, with the
        certificates served over SDS on RUN-DIR/workload-spiffe-uds/socket.

        Example:
          swiftmesh proxy -c bootstrap.json --concurrency 1 --admin-address 127.0.0.1:15000
          swiftmesh generate --config examples/ --node ID > node.json && swiftmesh proxy --resources node.json
          swiftmesh proxy --xds-address 127.0.0.1:15010 --node sidecar~127.0.10.1~shop-v1.shop~shop.svc.cluster.local \\
            --metadata '{"NAMESPACE": "shop", "LABELS": {"app": "shop", "version": "v1"}}'
          swiftmesh proxy -c shop.json --ca-root run/ca/root-cert.pem --token-file run/tokens/shop-v1.shop.token
          swiftmesh proxy --data-plane envoy -c shop.json --run-dir run/shop-v1 --ca-root run/ca/root-cert.pem \\
            --token-file run/tokens/shop-v1.shop.token
        """
    )

    @Option(name: [.customShort("c"), .customLong("config-path")], help: ArgumentHelp("Envoy bootstrap (JSON).", valueName: "file"))
    var configPath: String?

    @Option(help: ArgumentHelp("Also run these resources: the output of `swiftmesh generate --type all -o json` (no xDS stream).", valueName: "file"))
    var resources: String?

    @Option(help: ArgumentHelp("ADS server to take listeners, routes, clusters and endpoints from (plaintext gRPC).", valueName: "addr:port"))
    var xdsAddress: String?

    @Option(help: ArgumentHelp("Node id sent on ADS (TYPE~IP~ID~DOMAIN).", valueName: "id"))
    var node: String = ""

    @Option(help: ArgumentHelp("Node metadata sent on ADS, as a JSON object (NAMESPACE, LABELS, ...).", valueName: "json"))
    var metadata: String?

    @Option(help: "Event-loop threads (Envoy's --concurrency).")
    var concurrency: Int = 1

    @Option(help: ArgumentHelp("Admin address, overriding the bootstrap's (Istio uses 127.0.0.1:15000).", valueName: "addr:port"))
    var adminAddress: String?

    @Option(help: ArgumentHelp("Where /stats/prometheus is also served (Istio's 15090; default: the admin host, port 15090; 0 picks a port).", valueName: "addr:port"))
    var prometheusAddress: String?

    @Option(help: ArgumentHelp("Where /healthz/ready is served (Istio's 15021; default: the admin host, port 15021; 0 picks a port).", valueName: "addr:port"))
    var healthAddress: String?

    @Option(name: .customLong("data-plane"), help: "swift: serve with this proxy; envoy: run stock Envoy as a child with certificates over SDS (pilot-agent's role).")
    var dataPlane = "swift"

    @Option(name: .customLong("envoy-binary"), help: ArgumentHelp("Stock Envoy for --data-plane envoy (default: $ENVOY_BIN, the project's .venv, PATH).", valueName: "file"))
    var envoyBinary: String?

    @Option(name: .customLong("envoy-arg"), parsing: .unconditionalSingleValue, help: ArgumentHelp("Extra argument for Envoy (repeatable; default --disable-hot-restart --concurrency N -l warning).", valueName: "arg"))
    var envoyArg: [String] = []

    @Option(name: .customLong("run-dir"), help: ArgumentHelp("The agent's directory (SDS socket workload-spiffe-uds/socket, Envoy's bootstrap).", valueName: "dir"))
    var runDir: String?

    @Option(name: .customLong("ca-root"), help: ArgumentHelp("Mesh root certificates (root-cert.pem): connect to xDS and the CA over TLS verified against them (15012), and trust them as ROOTCA. Starts the certificate agent.", valueName: "file"))
    var caRoot: String?

    @Option(name: .customLong("token-file"), help: ArgumentHelp("The workload's token for the CA (a bootstrap token from `control-plane --workload-tokens`, or a Kubernetes service-account JWT). Starts the certificate agent.", valueName: "file"))
    var tokenFile: String?

    @Option(name: .customLong("ca-address"), help: ArgumentHelp("The CA (default: the xDS server).", valueName: "addr:port"))
    var caAddress: String?

    @Option(name: .customLong("trust-domain"), help: "Trust domain of the workload's SPIFFE ID.")
    var trustDomain = "cluster.local"

    @Option(name: .customLong("service-account"), help: "The workload's service account (default: node metadata SERVICE_ACCOUNT, else default).")
    var serviceAccount: String?

    @Option(name: .customLong("workload-cert-ttl"), help: ArgumentHelp("Certificate lifetime to ask the CA for (Go duration; default: the CA's).", valueName: "duration"))
    var workloadCertTTL: String?

    @Option(name: .customLong("workload-key"), help: "Workload key type: ECDSA (P-256) or RSA (2048).")
    var workloadKey = "ECDSA"

    @Option(name: [.customShort("l"), .customLong("log-level")], help: ArgumentHelp("Initial level of every logger (Envoy's -l): trace, debug, info, warning, error, critical, off; admin /logging changes it.", valueName: "level"))
    var logLevel: String = "info"

    @Option(help: ArgumentHelp("Directory with cert-chain.pem, key.pem and root-cert.pem served as the SDS secrets \"default\" and \"ROOTCA\" (Istio's file-mounted certificates).", valueName: "dir"))
    var workloadCerts: String?

    func run() async throws {
        var streams = StandardStreams()
        guard let level = ProxyLog.Level(name: logLevel) else {
            throw ValidationError("--log-level must be one of \(ProxyLog.Level.allCases.map(\.name).joined(separator: ", "))")
        }
        ProxyLog.setLevel(level)
        guard configPath != nil || resources != nil || xdsAddress != nil else {
            throw ValidationError("give -c BOOTSTRAP, --resources FILE and/or --xds-address ADDR:PORT")
        }
        var options = ProxyOptions(bootstrapPath: configPath, resourcesPath: resources, concurrency: concurrency)
        if let xdsAddress {
            guard let colon = xdsAddress.lastIndex(of: ":"), let port = Int(xdsAddress[xdsAddress.index(after: colon)...]) else {
                throw ValidationError("--xds-address must be ADDR:PORT")
            }
            options.xdsHost = String(xdsAddress[..<colon])
            options.xdsPort = port
            options.nodeID = node
            options.nodeMetadataJSON = metadata
        }
        if let adminAddress {
            guard let colon = adminAddress.lastIndex(of: ":"), let port = Int(adminAddress[adminAddress.index(after: colon)...]) else {
                throw ValidationError("--admin-address must be ADDR:PORT")
            }
            options.adminHost = String(adminAddress[..<colon]).trimmingCharacters(in: "[]")
            options.adminPort = port
        }
        if let prometheusAddress {
            guard let colon = prometheusAddress.lastIndex(of: ":"), let port = Int(prometheusAddress[prometheusAddress.index(after: colon)...]) else {
                throw ValidationError("--prometheus-address must be ADDR:PORT")
            }
            options.prometheusHost = String(prometheusAddress[..<colon]).trimmingCharacters(in: "[]")
            options.prometheusPort = port
        }
        if let healthAddress {
            guard let colon = healthAddress.lastIndex(of: ":"), let port = Int(healthAddress[healthAddress.index(after: colon)...]) else {
                throw ValidationError("--health-address must be ADDR:PORT")
            }
            options.healthHost = String(healthAddress[..<colon]).trimmingCharacters(in: "[]")
            options.healthPort = port
        }
        options.agent = try agentOptions()
        guard let plane = ProxyOptions.DataPlane(rawValue: dataPlane) else { throw ValidationError("--data-plane must be swift or envoy") }
        options.dataPlane = plane
        options.runDirectory = runDir
        options.workloadCertificatesDirectory = workloadCerts
        let chosen = options
        if plane == .envoy {
            return try await runEnvoy(chosen)
        }
        do {
            try await SignalHandling.runUntilTerminated {
                try await ProxyProcess.run(chosen) { started in
                    var streams = StandardStreams()
                    for warning in started.warnings { streams.error("warning: \(warning)") }
                    var line = "swiftmesh proxy listening"
                    for listener in started.listeners {
                        line += " \(listener.name)=\(listener.address.ipAddress ?? ""):\(listener.address.port ?? 0)"
                    }
                    if let admin = started.admin { line += " admin=\(admin.ipAddress ?? ""):\(admin.port ?? 0)" }
                    if let prometheus = started.prometheus { line += " prometheus=\(prometheus.ipAddress ?? ""):\(prometheus.port ?? 0)" }
                    if let health = started.health { line += " health=\(health.ipAddress ?? ""):\(health.port ?? 0)" }
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

extension ProxyCommand {
    func agentOptions() throws -> ProxyOptions.AgentOptions? {
        guard caRoot != nil || tokenFile != nil else { return nil }
        var agent = ProxyOptions.AgentOptions()
        agent.caRootPath = caRoot
        agent.tokenPath = tokenFile
        agent.trustDomain = trustDomain
        agent.serviceAccount = serviceAccount
        if let caAddress {
            guard let colon = caAddress.lastIndex(of: ":"), let port = Int(caAddress[caAddress.index(after: colon)...]) else {
                throw ValidationError("--ca-address must be ADDR:PORT")
            }
            agent.caHost = String(caAddress[..<colon])
            agent.caPort = port
        }
        if let workloadCertTTL { agent.validitySeconds = max(1, try DurationOption.parse(workloadCertTTL, name: "--workload-cert-ttl") / 1_000_000_000) }
        switch workloadKey.uppercased() {
        case "ECDSA": agent.rsaKey = false
        case "RSA": agent.rsaKey = true
        default: throw ValidationError("--workload-key must be ECDSA or RSA")
        }
        return agent
    }

    func runEnvoy(_ chosen: ProxyOptions) async throws {
        var options = chosen
        options.envoyBinary = envoyBinary ?? EnvoyLocator.find()
        options.envoyArguments = envoyArg.isEmpty ? ["--disable-hot-restart", "--concurrency", "\(concurrency)", "-l", "warning"] : envoyArg
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

extension String {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var slice = self[...]
        while let first = slice.first, set.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, set.contains(last) { slice = slice.dropLast() }
        return String(slice)
    }
}

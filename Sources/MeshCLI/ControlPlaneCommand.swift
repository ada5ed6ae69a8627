import MeshProxyCLI
import ArgumentParser
import Foundation
import Logging
import MeshCA
import MeshControlPlane
import MeshCore
import XDSTranslator

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

    @Option(name: .customLong("ca-dir"), help: ArgumentHelp("Run the mesh CA: Istio's plug-in CA files (ca-cert.pem, ca-key.pem, root-cert.pem, cert-chain.pem) in DIR, or a self-signed root made and kept there. Enables CreateCertificate on the xDS ports and --secure-xds-port.", valueName: "dir"))
    var caDir: String?

    @Option(name: .customLong("secure-xds-port"), help: "xDS and CA over TLS (Istio's 15012), with --ca-dir; 0 picks a free one.")
    var secureXDSPort = 15012

    @Option(name: .customLong("trust-domain"), help: "SPIFFE trust domain of issued certificates (default: the mesh config's trustDomain, else cluster.local).")
    var trustDomain: String?

    @Option(name: .customLong("workload-cert-ttl"), help: ArgumentHelp("Default workload certificate lifetime (Istio's DEFAULT_WORKLOAD_CERT_TTL; Go duration).", valueName: "duration"))
    var workloadCertTTL = "24h"

    @Option(name: .customLong("max-workload-cert-ttl"), help: ArgumentHelp("Longest lifetime a CSR may ask for (Istio's MAX_WORKLOAD_CERT_TTL).", valueName: "duration"))
    var maxWorkloadCertTTL = "2160h"

    @Option(name: .customLong("ca-key-algorithm"), help: "Key type of a self-signed root: ECDSA (P-256) or RSA (2048).")
    var caKeyAlgorithm = "ECDSA"

    @Option(name: .customLong("workload-tokens"), help: ArgumentHelp("Write a bootstrap token per WorkloadEntry to DIR/NAME.NAMESPACE.token (the local mesh's service-account tokens).", valueName: "dir"))
    var workloadTokens: String?

    @Option(name: .customLong("workload-token-ttl"), help: ArgumentHelp("Lifetime of those tokens (refreshed at half life).", valueName: "duration"))
    var workloadTokenTTL = "24h"

    @Option(name: .customLong("kube-jwks"), help: ArgumentHelp("Also accept Kubernetes service-account tokens verified by this JWKS or PEM public key.", valueName: "file"))
    var kubeJWKS: String?

    @Option(name: .customLong("kube-issuer"), help: "The iss of those tokens (default: any).")
    var kubeIssuer: String?

    @Option(name: .customLong("kube-audience"), help: "Audiences accepted in those tokens (repeatable; default istio-ca).")
    var kubeAudience: [String] = []
    @Flag(inversion: .prefixedEnableDisable, help: "Mesh mTLS (PeerAuthentication, ISTIO_MUTUAL, auto-mTLS): needs proxies holding workload certificates over SDS (cluster sds-grpc, the certificate agent of `swiftmesh proxy`); `swiftmesh up` turns it on.")
    var mtls = false

    @Flag(inversion: .prefixedEnableDisable, help: "Translate AuthorizationPolicy / RequestAuthentication into RBAC / jwt_authn (disable for proxies without those filters).")
    var authz = true

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
        // Trust domain, auto-mTLS and path normalisation come from MeshConfig (ConfigMap istio).
        options.translator.security = MeshSecurityOptions(mutualTLS: mtls, authorization: authz)
        // The CA signs for --trust-domain: peers are checked against the same one.
        options.translator.security.trustDomainOverride = trustDomain
        options.autoRegistrationGrace = .nanoseconds(try DurationOption.parse(autoRegistrationGrace, name: "--auto-registration-grace"))
        options.security = try securityOptions()
        options.traceToSelf = traceToSelf
        let controlPlane = ControlPlane(options: options)
        try await SignalHandling.runUntilTerminated {
            try await controlPlane.run { listening in
                var line = "control plane: xDS on \(host):\(listening.xdsPort), HTTP on \(host):\(listening.httpPort ?? 0), config \(config)"
                if let secure = listening.secureXDSPort { line += ", xDS+CA over TLS at \(host):\(secure)" }
                // Unbuffered: scripts and tests wait for this line.
                FileHandle.standardOutput.write(Data((line + "\n").utf8))
            }
        }
    }
}

extension ControlPlaneCommand {
    func securityOptions() throws -> ControlPlane.SecurityOptions? {
        guard let caDir else {
            guard workloadTokens == nil, kubeJWKS == nil else { throw ValidationError("--workload-tokens and --kube-jwks need --ca-dir") }
            return nil
        }
        var security = ControlPlane.SecurityOptions(caDirectory: caDir)
        security.secureXDSPort = secureXDSPort
        security.trustDomain = trustDomain
        security.workloadCertTTL = .nanoseconds(try DurationOption.parse(workloadCertTTL, name: "--workload-cert-ttl"))
        security.maxWorkloadCertTTL = .nanoseconds(try DurationOption.parse(maxWorkloadCertTTL, name: "--max-workload-cert-ttl"))
        guard security.workloadCertTTL >= .seconds(1) else { throw ValidationError("--workload-cert-ttl must be at least 1s") }
        guard let algorithm = CAKeyAlgorithm(rawValue: caKeyAlgorithm.uppercased()) else {
            throw ValidationError("--ca-key-algorithm must be ECDSA or RSA, got \(caKeyAlgorithm)")
        }
        security.keyAlgorithm = algorithm
        security.workloadTokenDirectory = workloadTokens
        security.workloadTokenTTL = .nanoseconds(try DurationOption.parse(workloadTokenTTL, name: "--workload-token-ttl"))
        if let kubeJWKS {
            let text: String
            do { text = try String(contentsOfFile: kubeJWKS, encoding: .utf8) } catch { throw ValidationError("--kube-jwks: cannot read \(kubeJWKS): \(error.localizedDescription)") }
            do {
                let keys = try JWTVerificationKey.parse(text, source: kubeJWKS)
                security.kubernetesIssuers = [.init(issuer: kubeIssuer, keys: keys, audiences: kubeAudience.isEmpty ? ["istio-ca"] : kubeAudience)]
            } catch {
                throw ValidationError("--kube-jwks: \(error)")
            }
        }
        return security
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

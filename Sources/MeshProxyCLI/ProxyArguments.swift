import ArgumentParser
import MeshCore
import MeshProxy

/// `swiftmesh proxy`'s options, shared by `swiftmesh proxy` and the lean
/// `swiftmesh-proxy` executable it hands over to, and their translation into
/// ProxyOptions. Parsing is the same in both; only `swiftmesh` runs
/// `--data-plane envoy` (it needs the Envoy agent, which links Foundation).
public struct ProxyArguments: ParsableArguments {
    public static let abstract = "Run SwiftMesh's own data-plane proxy (Envoy's role) from an Envoy bootstrap."

    public static let discussion = """
            Reads an Envoy v3 bootstrap (node, admin, static_resources with listeners
            and clusters) - the same file can start stock Envoy, and is read the same
            way: YAML when its name ends in .yaml or .yml, JSON otherwise - and serves
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

    public init() {}

    @Option(name: [.customShort("c"), .customLong("config-path")], help: ArgumentHelp("Envoy bootstrap: YAML if the name ends in .yaml/.yml, else JSON (as Envoy decides).", valueName: "file"))
    public var configPath: String?

    @Option(help: ArgumentHelp("Also run these resources: the output of `swiftmesh generate --type all -o json` (no xDS stream); .yaml/.yml names are read as YAML.", valueName: "file"))
    public var resources: String?

    @Option(help: ArgumentHelp("ADS server to take listeners, routes, clusters and endpoints from (plaintext gRPC).", valueName: "addr:port"))
    public var xdsAddress: String?

    @Option(help: ArgumentHelp("Node id sent on ADS (TYPE~IP~ID~DOMAIN).", valueName: "id"))
    public var node: String = ""

    @Option(help: ArgumentHelp("Node metadata sent on ADS, as a JSON object (NAMESPACE, LABELS, ...).", valueName: "json"))
    public var metadata: String?

    @Option(help: "Event-loop threads (Envoy's --concurrency).")
    public var concurrency: Int = 1

    @Option(help: ArgumentHelp("Admin address, overriding the bootstrap's (Istio uses 127.0.0.1:15000).", valueName: "addr:port"))
    public var adminAddress: String?

    @Option(help: ArgumentHelp("Where /stats/prometheus is also served (Istio's 15090; default: the admin host, port 15090; 0 picks a port).", valueName: "addr:port"))
    public var prometheusAddress: String?

    @Option(help: ArgumentHelp("Where /healthz/ready is served (Istio's 15021; default: the admin host, port 15021; 0 picks a port).", valueName: "addr:port"))
    public var healthAddress: String?

    @Option(name: .customLong("data-plane"), help: "swift: serve with this proxy; envoy: run stock Envoy as a child with certificates over SDS (pilot-agent's role).")
    public var dataPlane = "swift"

    @Option(name: .customLong("envoy-binary"), help: ArgumentHelp("Stock Envoy for --data-plane envoy (default: $ENVOY_BIN, the project's .venv, PATH).", valueName: "file"))
    public var envoyBinary: String?

    @Option(name: .customLong("envoy-arg"), parsing: .unconditionalSingleValue, help: ArgumentHelp("Extra argument for Envoy (repeatable; default --disable-hot-restart --concurrency N -l warning).", valueName: "arg"))
    public var envoyArg: [String] = []

    @Option(name: .customLong("run-dir"), help: ArgumentHelp("The agent's directory (SDS socket workload-spiffe-uds/socket, Envoy's bootstrap).", valueName: "dir"))
    public var runDir: String?

    @Option(name: .customLong("ca-root"), help: ArgumentHelp("Mesh root certificates (root-cert.pem): connect to xDS and the CA over TLS verified against them (15012), and trust them as ROOTCA. Starts the certificate agent.", valueName: "file"))
    public var caRoot: String?

    @Option(name: .customLong("token-file"), help: ArgumentHelp("The workload's token for the CA (a bootstrap token from `control-plane --workload-tokens`, or a Kubernetes service-account JWT). Starts the certificate agent.", valueName: "file"))
    public var tokenFile: String?

    @Option(name: .customLong("ca-address"), help: ArgumentHelp("The CA (default: the xDS server).", valueName: "addr:port"))
    public var caAddress: String?

    @Option(name: .customLong("trust-domain"), help: "Trust domain of the workload's SPIFFE ID.")
    public var trustDomain = "cluster.local"

    @Option(name: .customLong("service-account"), help: "The workload's service account (default: node metadata SERVICE_ACCOUNT, else default).")
    public var serviceAccount: String?

    @Option(name: .customLong("workload-cert-ttl"), help: ArgumentHelp("Certificate lifetime to ask the CA for (Go duration; default: the CA's).", valueName: "duration"))
    public var workloadCertTTL: String?

    @Option(name: .customLong("workload-key"), help: "Workload key type: ECDSA (P-256) or RSA (2048).")
    public var workloadKey = "ECDSA"

    @Option(name: [.customShort("l"), .customLong("log-level")], help: ArgumentHelp("Initial level of every logger (Envoy's -l): trace, debug, info, warning, error, critical, off; admin /logging changes it.", valueName: "level"))
    public var logLevel: String = "info"

    @Option(help: ArgumentHelp("Directory with cert-chain.pem, key.pem and root-cert.pem served as the SDS secrets \"default\" and \"ROOTCA\" (Istio's file-mounted certificates).", valueName: "dir"))
    public var workloadCerts: String?
}

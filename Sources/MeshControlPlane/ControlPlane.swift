import Foundation
import Logging
import MeshConfig
import MeshRegistry
import MeshSnapshot
import XDSAPI
import XDSServer
import XDSTranslator

/// istiod's role: watches a config directory, keeps the last good config, builds
/// snapshots (debounced) and serves each proxy its translation over ADS.
public actor ControlPlane: XDSResourceProvider {
    public struct Options: Sendable {
        public var configDirectory: String
        public var xdsHost: String = "127.0.0.1"
        public var xdsPort: Int = 15010
        /// Istio's 15014: metrics, readiness, debug; nil disables it.
        public var httpPort: Int? = 15014
        public var debounce: Duration = .milliseconds(100)
        /// Streams written to at once (istiod's PILOT_PUSH_THROTTLE).
        public var pushThrottle = 100
        public var pollInterval: Duration = .milliseconds(100)
        /// Mesh mTLS stays off until proxies get workload certificates (`--enable-mtls`).
        public var translator: TranslatorOptions = {
            var options = TranslatorOptions()
            options.security.mutualTLS = false
            return options
        }()
        /// With no tracing provider in the mesh config, export spans to this control
        /// plane's own OTLP receiver (`swiftmesh up`: the console shows them).
        public var traceToSelf = false
        /// How long an auto-registered workload outlives its proxy's stream
        /// (Istio's PILOT_WORKLOAD_ENTRY_GRACE_PERIOD, 10 s), so a reconnect keeps it.
        public var autoRegistrationGrace: Duration = .seconds(10)
        /// The CA and 15012; nil: xDS on the plaintext port only, no CA.
        public var security: SecurityOptions?

        public init(configDirectory: String) {
            self.configDirectory = configDirectory
        }
    }

    public private(set) var options: Options
    private(set) var store = ConfigStore()
    private var scan = DirectoryScan()
    public private(set) var snapshot: MeshSnapshot
    private var translator: XDSTranslator
    private let cache = TranslationCache()
    let logger: Logger
    public private(set) var configErrors: [String: [String]] = [:]
    private var server: XDSServer?
    /// Auto-registered proxies and how many of their streams are open.
    private var registrations: [AutoRegistration: Int] = [:]
    private var snapshotVersion = 0
    /// Fetched RequestAuthentication JWKS by URI, and when each was last tried.
    var jwks: [String: JWKSFetch] = [:]
    var jwksAttempts: [String: ContinuousClock.Instant] = [:]
    /// The console's topology: previous scrape of the proxies' metrics.
    let topology = TopologyMonitor()
    /// Spans received on `POST /v1/traces` (ControlPlane+Traces).
    var recentSpans = RecentSpans()

    public init(options: Options, logger: Logger = Logger(label: "swiftmesh.control-plane")) {
        self.options = options
        self.logger = logger
        translator = XDSTranslator(options: options.translator)
        snapshot = MeshSnapshot(version: 0, objects: [])
    }

    public nonisolated func resources(for node: Envoy_Config_Core_V3_Node) async throws -> NodeResources {
        let proxy = try NodeIdentity.proxy(from: node)
        let (current, translator) = await (snapshot, self.translator)
        return await cache.resources(for: proxy, snapshot: current, translator: translator)
    }

    /// Reads the directory; returns true when the objects in force changed.
    @discardableResult
    public func reload() -> Bool {
        let next = DirectoryScan.scan(options.configDirectory)
        let (changed, removed) = next.changes(since: scan)
        scan = next
        let before = store.version
        for file in removed {
            logger.info("config file removed", metadata: ["file": "\(file)"])
            _ = store.remove(file: file)
        }
        for file in changed {
            guard let bytes = ConfigInputReader.readFile(file) else { continue }
            switch store.apply(file: file, bytes: bytes) {
            case .accepted(_, let count):
                logger.info("config applied", metadata: ["file": "\(file)", "objects": "\(count)"])
            case .rejected(_, let errors):
                logger.error("config rejected; the last good version stays in force", metadata: ["file": "\(file)", "errors": "\(errors.joined(separator: "; "))"])
            default:
                break
            }
        }
        configErrors = store.rejected
        guard store.version != before else { return false }
        rebuildSnapshot()
        return true
    }

    func rebuildSnapshot() {
        snapshotVersion += 1
        var next = MeshSnapshot(version: snapshotVersion, objects: store.objects, registrations: registrations.keys.sorted { $0.entryName < $1.entryName })
        next.jwks = jwks
        snapshot = next
    }

    /// Where the control plane listens once started.
    public struct Listening: Sendable {
        public var xdsPort: Int
        public var httpPort: Int?
        /// xDS + CA over TLS (15012's role); nil without security options.
        public var secureXDSPort: Int?
    }

    /// Loads the directory, starts ADS (and the CA and 15012 with security
    /// options), then watches for changes until cancelled.
    public func run(onListening: @Sendable (Listening) -> Void = { _ in }) async throws {
        reload()
        // HTTP first: its port is where proxies export spans with `traceToSelf`,
        // which the translation must know before the first proxy connects.
        var debug: DebugHTTPServer?
        if let httpPort = options.httpPort {
            debug = try await DebugHTTPServer.start(host: options.xdsHost, port: httpPort) { request in
                await self.http(request)
            }
            logger.info("HTTP (metrics, debug) listening", metadata: ["address": "\(options.xdsHost):\(debug!.port)"])
            httpAddress = "\(options.xdsHost):\(debug!.port)"
            if options.traceToSelf {
                let host = options.xdsHost == "0.0.0.0" ? "127.0.0.1" : options.xdsHost
                options.translator.defaultTracingCollector = .init(host: host, port: debug!.port)
                translator = XDSTranslator(options: options.translator)
            }
        }
        let security = try options.security.map { try makeSecurity($0) }
        var listeners = [XDSServer.Listener(host: options.xdsHost, port: options.xdsPort)]
        if let security, let port = options.security?.secureXDSPort {
            listeners.append(XDSServer.Listener(host: options.xdsHost, port: port, tls: security.serverIdentity))
        }
        let server = XDSServer(listeners: listeners, provider: self, pushThrottle: options.pushThrottle, services: security?.services ?? [])
        self.server = server
        certificateAuthority = security?.state
        workloadTokens = security?.tokens
        writeTokens(workloadTokens)
        reloadCAIfChanged()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.serve() }
            let ports = try await server.boundPorts()
            logger.info("xDS (ADS) listening", metadata: ["address": "\(options.xdsHost):\(ports[0])"])
            if ports.count > 1 {
                logger.info("xDS and CA over TLS listening", metadata: ["address": "\(options.xdsHost):\(ports[1])"])
            }
            onListening(Listening(xdsPort: ports[0], httpPort: debug?.port, secureXDSPort: ports.count > 1 ? ports[1] : nil))
            group.addTask { try await self.watch(server) }
            defer { server.shutdown() }
            try await group.next()
            group.cancelAll()
        }
    }

    private func watch(_ server: XDSServer) async throws {
        var lastTokens = ContinuousClock.now
        let tokenRefresh = (options.security?.workloadTokenTTL ?? .seconds(3600)) / 2
        while !Task.isCancelled {
            try await Task.sleep(for: options.pollInterval)
            if reload() {
                let changedAt = MonotonicClock.nanoseconds()
                try await Task.sleep(for: options.debounce)
                reload()
                writeTokens(workloadTokens)
                lastTokens = .now
                _ = await refreshJWKS()
                await server.push(changedAt: changedAt)
            } else if await refreshJWKS() {
                await server.push()
            }
            reloadCAIfChanged()
            if ContinuousClock.now - lastTokens > tokenRefresh {
                writeTokens(workloadTokens)
                lastTokens = .now
            }
        }
    }

    /// The CA in force (nil without security options).
    var certificateAuthority: MeshCAState?
    var workloadTokens: WorkloadTokens?
    /// Modification times of the CA files last loaded.
    var caFilesStamp: [Date]?

    public var xdsServer: XDSServer? { server }
    /// Where the HTTP port listens once started (host:port), for service discovery.
    public private(set) var httpAddress: String?

    // MARK: WorkloadGroup auto-registration

    public func streamOpened(node: Envoy_Config_Core_V3_Node) async {
        guard let registration = Self.registration(of: node) else { return }
        registrations[registration, default: 0] += 1
        guard registrations[registration] == 1 else { return }
        logger.info("workload auto-registered", metadata: ["group": "\(registration.namespace)/\(registration.group)", "entry": "\(registration.entryName)"])
        rebuildSnapshot()
        await server?.push()
    }

    public func streamClosed(node: Envoy_Config_Core_V3_Node) async {
        guard let registration = Self.registration(of: node), let count = registrations[registration] else { return }
        registrations[registration] = count - 1
        guard count == 1 else { return }
        let grace = options.autoRegistrationGrace
        Task {
            try? await Task.sleep(for: grace)
            await self.expire(registration)
        }
    }

    private func expire(_ registration: AutoRegistration) async {
        guard registrations[registration] == 0 else { return }
        registrations.removeValue(forKey: registration)
        logger.info("auto-registered workload removed", metadata: ["entry": "\(registration.entryName)"])
        rebuildSnapshot()
        await server?.push()
    }

    /// Istio's VM bootstrap sets `AUTO_REGISTER_GROUP` in the node metadata.
    static func registration(of node: Envoy_Config_Core_V3_Node) -> AutoRegistration? {
        guard let proxy = try? NodeIdentity.proxy(from: node), let group = proxy.metadata["AUTO_REGISTER_GROUP"], !group.isEmpty else { return nil }
        return AutoRegistration(group: group, namespace: proxy.namespace, address: proxy.primaryIP, labels: proxy.labels,
                                network: proxy.metadata["NETWORK"], locality: proxy.locality)
    }

    public func translationStatsPublic() async -> (Int, UInt64) { await translationStats() }

    func translationStats() async -> (Int, UInt64) {
        (await cache.translations, await cache.translationNanoseconds)
    }
}

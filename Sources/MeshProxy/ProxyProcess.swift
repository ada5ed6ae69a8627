import NIOCore
import NIOPosix
import ProxyAgent
import ProxyCore
import ProxyNIO
import ProxyXDSClient
import SwiftProtobuf
import XDSAPI

/// Runs the proxy: bootstrap -> ProxyConfig -> listeners and admin on an
/// event-loop group, until the task is cancelled.
public enum ProxyProcess {
    public struct Started: Sendable {
        public let listeners: [ProxyServer.BoundListener]
        public let admin: SocketAddress?
        public let prometheus: SocketAddress?
        public let health: SocketAddress?
        public let warnings: [String]
    }

    /// Starts everything, reports through `started`, then waits for cancellation.
    public static func run(_ options: ProxyOptions, started: @Sendable (Started) -> Void) async throws {
        let bootstrap = try options.bootstrapPath.map { try BootstrapDecoder.decode(file: $0) } ?? ProxyBootstrap()
        let resources = try options.resourcesPath.map { try ResourcesDecoder.decode(file: $0) } ?? ResourcesDecoder.Resources()
        var warnings = ConversionWarnings()
        let config = try ProxyConfigBuilder.build(version: "bootstrap", listeners: bootstrap.listeners + resources.listeners,
                                                  routes: resources.routes, clusters: bootstrap.clusters + resources.clusters,
                                                  assignments: resources.endpoints, warnings: &warnings)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, options.concurrency))
        let identity = try telemetryIdentity(options, bootstrap: bootstrap)
        let xds: (host: String, port: Int)? = (options.xdsHost ?? bootstrap.ads?.host).flatMap { host in
            (options.xdsPort ?? bootstrap.ads?.port).map { (host, $0) }
        }
        let node = try node(options, bootstrap: bootstrap)
        // The certificate agent serves `default` / `ROOTCA` in process (no SDS socket).
        let agent = try makeAgent(options, node: node, xds: xds)
        let agentSecrets = agent.map { _ in StaticSecretProvider() }
        if let agent, let agentSecrets { await agent.add(sink: AgentSecretSink(provider: agentSecrets)) }
        let provider = options.secretProvider ?? agentSecrets ?? options.workloadCertificatesDirectory.map(WorkloadCertificateFiles.provider)
        let server = try await ProxyServer(group: group, config: config, identity: identity, secretProvider: provider)
        let state = AdminState()
        state.metrics = { try await server.prometheusText() }
        let xdsStats = XDSUpdateStats()
        state.counters = {
            // Envoy's `/stats`: the workers' cluster counters summed, and the xDS counters.
            var counters = try await server.statsCounters()
            counters.merge(xdsStats.snapshot, uniquingKeysWith: +)
            return counters
        }
        var adminChannel: (any Channel)?
        var prometheusChannel: (any Channel)?
        var healthChannel: (any Channel)?
        // Static config (no ADS yet): the bootstrap's own resources.
        let staticStore = ADSResourceStore(staticListeners: bootstrap.listeners, staticClusters: bootstrap.clusters)
        state.configDump = { try staticStore.configDumpJSON(version: "") }
        let (quits, quitRequested) = AsyncStream<Void>.makeStream()
        state.onQuit = { quitRequested.yield() }
        defer { quitRequested.finish() }
        do {
            let bound = try await server.start(config: config)
            if let host = options.adminHost ?? bootstrap.adminHost, let port = options.adminPort ?? bootstrap.adminPort {
                adminChannel = try await AdminHandler.bind(group: group, host: host, port: port, state: state, mode: .admin)
            }
            var prometheusOptions = options
            if prometheusOptions.adminPort == nil { prometheusOptions.adminPort = bootstrap.adminPort }
            prometheusChannel = try await bindPrometheus(prometheusOptions, adminChannel: adminChannel, group: group, state: state, warnings: &warnings)
            healthChannel = try await bindHealth(prometheusOptions, adminChannel: adminChannel, group: group, state: state, warnings: &warnings)
            var addresses: [String: String] = [:]
            for listener in bound { addresses[listener.name] = "\(listener.address.ipAddress ?? ""):\(listener.address.port ?? 0)" }
            state.update(config: config, listenerAddresses: addresses, ready: true)
            started(Started(listeners: bound, admin: adminChannel?.localAddress,
                            prometheus: prometheusChannel?.localAddress, health: healthChannel?.localAddress, warnings: warnings.messages))
            let trimmer = StartupPageTrim.Scheduler(trim: trimStartupPages)
            defer { trimmer.cancel() }
            trimmer.configApplied()
            let controlPlaneRoots = try controlPlaneRoots(options)
            if let agent { state.certificates = { await agent.secrets?.certsJSON(now: CertificateAgent.now()) ?? "{\"certificates\": []}\n" } }
            // Serve until cancelled (SIGTERM) or asked to quit (POST /quitquitquit).
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                if let agent { tasks.addTask { await agent.run(); try Task.checkCancellation() } }
                tasks.addTask {
                    guard let (host, port) = xds else {
                        while !Task.isCancelled { try? await Task.sleep(for: .seconds(3600)) }
                        return
                    }
                    // --xds-address speaks state of the world; a bootstrap says which.
                    let delta = options.xdsHost == nil && bootstrap.ads?.delta == true
                    var client = ADSClient(host: host, port: port, node: node,
                                           store: ADSResourceStore(staticListeners: bootstrap.listeners, staticClusters: bootstrap.clusters),
                                           delta: delta, stats: xdsStats)
                    client.accepted = { store, version in state.configDump = { try store.configDumpJSON(version: version) } }
                    client.trustedRootsPEM = controlPlaneRoots
                    await client.run(apply: { config in
                        do {
                            let added = try await server.reconcile(config) { name, error in
                                ProxyLog.write(.config, .error, "xds: listener \(name): cannot bind: \(error)")
                            }
                            var addresses: [String: String] = [:]
                            for listener in added {
                                addresses[listener.name] = "\(listener.address.ipAddress ?? ""):\(listener.address.port ?? 0)"
                                ProxyLog.write(.main, .info, "swiftmesh proxy listening \(listener.name)=\(addresses[listener.name]!)")
                            }
                            state.update(config: config, listenerAddresses: addresses, ready: true)
                            trimmer.configApplied()
                        } catch {
                            ProxyLog.write(.config, .error, "xds: applying version \(config.version) failed: \(error)")
                        }
                    }, log: { ProxyLog.write(.config, .warning, $0) })
                }
                tasks.addTask {
                    for await _ in quits { return }
                }
                try await tasks.next()
                tasks.cancelAll()
            }
        } catch {
            try? await healthChannel?.close()
            try? await prometheusChannel?.close()
            try? await shutdown(server, adminChannel, group)
            throw error
        }
        try? await healthChannel?.close()
        try? await prometheusChannel?.close()
        try await shutdown(server, adminChannel, group)
    }

    /// Decoding a config runs code the forwarding path never does: hand its
    /// pages back once the config is in force (docs/proxy.md "Memory").
    static func trimStartupPages() {
        guard let outcome = StartupPageTrim.trimOwnProcess() else { return }
        ProxyLog.write(.main, .debug, "unmapped \(outcome.residentKiB) KiB of start-up pages in \(outcome.mappings) mappings"
                       + (outcome.failures > 0 ? " (\(outcome.failures) refused)" : ""))
    }

    /// Istio's health port: `/healthz/ready` on the admin host at 15021 unless told
    /// otherwise (ephemeral when the admin port is); a taken default port is a warning.
    static func bindHealth(_ options: ProxyOptions, adminChannel: (any Channel)?, group: any EventLoopGroup, state: AdminState,
                           warnings: inout ConversionWarnings) async throws -> (any Channel)? {
        guard let host = options.healthHost ?? adminChannel?.localAddress?.ipAddress else { return nil }
        let explicit = options.healthPort != nil
        let port = options.healthPort ?? (options.adminPort == 0 ? 0 : 15021)
        do {
            return try await AdminHandler.bind(group: group, host: host, port: port, state: state, mode: .health)
        } catch where !explicit {
            warnings.add("health: cannot listen on \(host):\(port) (\(error)); /healthz/ready is on admin only")
            return nil
        }
    }

    /// Istio's Prometheus port: on the admin host at 15090 unless told otherwise.
    /// An ephemeral admin port gets an ephemeral Prometheus port (tests run many
    /// proxies); the default port being taken is a warning, a chosen one an error.
    static func bindPrometheus(_ options: ProxyOptions, adminChannel: (any Channel)?, group: any EventLoopGroup, state: AdminState,
                               warnings: inout ConversionWarnings) async throws -> (any Channel)? {
        let adminAddress = adminChannel?.localAddress
        guard let host = options.prometheusHost ?? adminAddress?.ipAddress else { return nil }
        let explicit = options.prometheusPort != nil
        let port = options.prometheusPort ?? (options.adminPort == 0 ? 0 : 15090)
        do {
            return try await AdminHandler.bind(group: group, host: host, port: port, state: state, mode: .prometheus)
        } catch where !explicit {
            warnings.add("prometheus: cannot listen on \(host):\(port) (\(error)); /stats/prometheus is on admin only")
            return nil
        }
    }

    /// This proxy's workload for Istio's labels: the node's metadata (NAMESPACE,
    /// LABELS, WORKLOAD_NAME, CLUSTER_ID, NAME) and id.
    static func telemetryIdentity(_ options: ProxyOptions, bootstrap: ProxyBootstrap) throws -> TelemetryIdentity {
        let node = try node(options, bootstrap: bootstrap)
        var fields: [String: String] = [:]
        var labels: [String: String] = [:]
        for (key, value) in node.metadata.fields {
            switch value.kind {
            case .stringValue(let text)?: fields[key] = text
            case .structValue(let nested)? where key == "LABELS":
                for (label, labelValue) in nested.fields {
                    if case .stringValue(let text)? = labelValue.kind { labels[label] = text }
                }
            default: break
            }
        }
        guard !node.id.isEmpty || !fields.isEmpty else { return .anonymous }
        return TelemetryIdentity(local: WorkloadMetadata(nodeMetadata: fields, labels: labels, nodeID: node.id), nodeID: node.id)
    }

    /// The identity sent on ADS: command-line flags win, then the bootstrap's node.
    package static func node(_ options: ProxyOptions, bootstrap: ProxyBootstrap) throws -> Envoy_Config_Core_V3_Node {
        if options.nodeID.isEmpty, options.nodeMetadataJSON == nil, var node = bootstrap.node {
            node.userAgentName = "swiftmesh"
            return node
        }
        var node = Envoy_Config_Core_V3_Node()
        node.id = options.nodeID
        node.userAgentName = "swiftmesh"
        if let json = options.nodeMetadataJSON { node.metadata = try Google_Protobuf_Struct(jsonString: json) }
        if case .stringValue(let namespace)? = node.metadata.fields["NAMESPACE"]?.kind { node.cluster = namespace }
        return node
    }

    private static func shutdown(_ server: ProxyServer, _ admin: (any Channel)?, _ group: MultiThreadedEventLoopGroup) async throws {
        try await server.shutdown()
        try? await admin?.close()
        try await group.shutdownGracefully()
    }
}

import NIOCore
import NIOPosix
import ProxyCore

/// Everything one event loop's connections share: the config in force, clusters
/// with their connection pools, listeners' route tables, a random source.
/// Confined to its event loop, so nothing here is locked.
final class WorkerRuntime {
    let eventLoop: any EventLoop
    private(set) var config: ProxyConfig
    private(set) var clusters: [String: ClusterRuntime] = [:]
    /// `/stats` counters by cluster name, kept across rebuilds of the cluster.
    private(set) var clusterCounters: [String: ClusterCounters] = [:]
    /// Circuit-breaker counts by cluster name, shared with the other workers.
    let clusterResources: ClusterResourceRegistry
    /// `tcp.<stat_prefix>.*` counters by stat prefix, kept across config updates.
    var tcpProxyCounters: [String: TCPProxyCounters] = [:]
    private(set) var listeners: [String: ListenerRuntime] = [:]
    private(set) var tcpListeners: [String: TCPChainRuntime] = [:]
    /// Listeners that choose a filter chain per connection.
    private(set) var selectingListeners: [String: SelectingListenerRuntime] = [:]
    /// Telemetry scope slot of each TCP listener.
    private(set) var tcpScopes: [String: Int32] = [:]
    var random = FastRandom()
    /// The `date` line of this worker's responses (see WorkerRuntime+Date).
    var dateCache = DateLineCache()
    /// Who this proxy is, for Istio's labels and the metadata exchange.
    let identity: TelemetryIdentity
    /// This worker's metrics; read by `/stats/prometheus` on this loop.
    var telemetry = TelemetryStore()
    /// Access-log destinations by path, shared by this worker's listeners.
    private var accessLogSinks: [String: AccessLogSink] = [:]
    /// Span exporters by collector, shared by this worker's traced listeners.
    private(set) var spanExporters: [OTLPExporterConfig: SpanExporter] = [:]
    /// Replaces real sockets for upstream connections (tests with EmbeddedChannel).
    /// The channel it returns must already carry an UpstreamHTTP1Handler.
    var connector: ((EndpointRuntime, Int64) -> EventLoopFuture<any Channel>)?
    /// The same for connections opened with a given handler (tcp_proxy): the
    /// channel must carry the handler it is passed.
    var handlerConnector: ((EndpointRuntime, Int64, any ChannelHandler) -> EventLoopFuture<any Channel>)?
    /// The same for mirrored copies: the channel must carry a ShadowUpstreamHandler.
    var shadowConnector: ((EndpointRuntime, Int64) -> EventLoopFuture<any Channel>)?
    /// TLS contexts shared by every worker (built once per secret version).
    let tlsContexts: TLSContextCache
    /// The certificate agent behind SDS references to `sds-grpc`.
    let secretProvider: (any SecretProvider)?

    init(eventLoop: any EventLoop, config: ProxyConfig, identity: TelemetryIdentity = .anonymous,
         tlsContexts: TLSContextCache = TLSContextCache(), secretProvider: (any SecretProvider)? = nil,
         clusterResources: ClusterResourceRegistry = ClusterResourceRegistry()) {
        self.eventLoop = eventLoop
        self.clusterResources = clusterResources
        self.identity = identity
        self.tlsContexts = tlsContexts
        self.secretProvider = secretProvider
        self.config = .empty
        apply(config)
    }

    /// Swaps in a new config. Endpoints that stay keep their idle connections;
    /// pools of endpoints that left are closed.
    func apply(_ config: ProxyConfig) {
        var previous: [String: EndpointRuntime] = [:]
        for cluster in clusters.values {
            for endpoint in cluster.endpoints { previous["\(cluster.config.name)|\(endpoint.label)"] = endpoint }
        }
        var rebuilt: [String: ClusterRuntime] = [:]
        var counters: [String: ClusterCounters] = [:]
        let resolver = TLSMaterialResolver(adsSecrets: config.secrets, provider: secretProvider)
        for (name, cluster) in config.clusters {
            let sockets = UpstreamSockets(cluster, resolver: resolver, cache: tlsContexts)
            let resources = clusterResources.resources(named: name, thresholds: cluster.thresholds)
            var runtimes: [EndpointRuntime] = []
            /// Old index of each endpoint that stayed, for the outlier detector's memory.
            var previousIndex: [Int?] = []
            var lbEndpoints: [LBEndpoint] = []
            var localities: [EndpointSet.Locality] = []
            var localityWeights: [Int: UInt32] = [:]
            for group in config.endpoints(of: cluster)?.groups ?? [] {
                let locality = localities.firstIndex(of: group.locality) ?? {
                    localities.append(group.locality)
                    return localities.count - 1
                }()
                localityWeights[locality] = UInt32(clamping: max(1, group.weight))
                for endpoint in group.endpoints {
                    let label = "\(endpoint.host):\(endpoint.port)"
                    let runtime: EndpointRuntime
                    if let kept = previous.removeValue(forKey: "\(name)|\(label)") {
                        runtime = kept
                        previousIndex.append(kept.index)
                    } else {
                        guard let address = Self.address(endpoint.host, endpoint.port) else { continue }
                        runtime = EndpointRuntime(address: address, label: label, resources: resources)
                        previousIndex.append(nil)
                    }
                    runtime.index = runtimes.count
                    let tls = sockets.runtime(forEndpointMetadata: endpoint.transportSocketMatch)
                    // Envoy drains a cluster's pools when its transport socket changes
                    // (connections leased now are not pooled again: tlsGeneration).
                    if !UpstreamTLSRuntime.same(runtime.tls, tls) { runtime.closeIdle() }
                    runtime.tls = tls
                    runtime.useHTTP2(cluster.upstreamProtocol == .http2 ? cluster.http2 : nil, eventLoop: eventLoop)
                    lbEndpoints.append(LBEndpoint(index: runtimes.count, weight: UInt32(clamping: endpoint.weight), locality: locality,
                                                  priority: group.priority, health: Self.health(endpoint.health), hashKey: label))
                    runtimes.append(runtime)
                }
            }
            let old = clusters[name]
            old?.stopOutlierTimer()
            let counter = clusterCounters[name] ?? ClusterCounters()
            counters[name] = counter
            var outlier: OutlierDetector?
            if let detection = cluster.outlierDetection {
                outlier = old?.outlier?.carriedOver(to: previousIndex, config: detection)
                    ?? OutlierDetector(config: detection, endpointCount: runtimes.count)
            }
            let runtime = ClusterRuntime(config: cluster, endpoints: runtimes, lbEndpoints: lbEndpoints,
                                         localityWeights: localityWeights, seed: random.next(), counters: counter, resources: resources,
                                         outlier: outlier)
            counter.stats.ejectionsActive = UInt64(outlier?.ejectedCount ?? 0)
            runtime.startOutlierTimer(on: eventLoop)
            runtime.telemetryService = telemetry.slot(for: cluster.istioService)
            rebuilt[name] = runtime
        }
        for endpoint in previous.values { endpoint.closeIdle() }
        for (name, cluster) in clusters where rebuilt[name] == nil { cluster.stopOutlierTimer() }
        clusters = rebuilt
        clusterCounters = counters
        var tcp: [String: TCPChainRuntime] = [:]
        var scopes: [String: Int32] = [:]
        var selecting: [String: SelectingListenerRuntime] = [:]
        var usedSinks: [String: AccessLogSink] = [:]
        var usedExporters: [OTLPExporterConfig: SpanExporter] = [:]
        for listener in config.listeners {
            // Label sets are fixed per listener here, so requests only index them.
            let scope = identity.scope(inbound: listener.direction == .inbound)
            let scopeSlot = telemetry.slot(for: scope)
            scopes[listener.name] = scopeSlot
            // One chain without conditions: served directly, nothing to choose.
            if let single = listener.singleChain {
                switch single {
                case .tcp(let proxy): tcp[listener.name] = TCPChainRuntime(config: proxy, accessLogs: accessLogRuntimes(proxy.accessLogs, sinks: &usedSinks))
                case .http(let http): _ = httpRuntime(listener.name, http, config, scope: scope, slot: scopeSlot, sinks: &usedSinks,
                                                           outbound: listener.direction == .outbound, exporters: &usedExporters)
                }
                continue
            }
            let allChains = listener.filterChains + (listener.defaultFilterChain.map { [$0] } ?? [])
            let tls = allChains.map { chain in chain.tls.map { resolver.downstream($0, cache: tlsContexts) } }
            let chains = allChains.enumerated().map { index, chain in
                switch chain.chain {
                case .tcp(let proxy):
                    return SelectingListenerRuntime.ChainRuntime.tcp(TCPChainRuntime(config: proxy, accessLogs: accessLogRuntimes(proxy.accessLogs, sinks: &usedSinks)))
                case .http(let http):
                    return .http(httpRuntime("\(listener.name)#\(index)", http, config, scope: scope, slot: scopeSlot, sinks: &usedSinks,
                                             outbound: listener.direction == .outbound, exporters: &usedExporters))
                }
            }
            selecting[listener.name] = SelectingListenerRuntime(config: listener, chains: chains, tls: tls, telemetryScope: scopeSlot,
                                                                accessLogs: accessLogRuntimes(listener.accessLogs, sinks: &usedSinks))
        }
        tcpListeners = tcp
        tcpScopes = scopes
        selectingListeners = selecting
        accessLogSinks = usedSinks
        for (key, exporter) in spanExporters where usedExporters[key] == nil { exporter.flush() }
        spanExporters = usedExporters
        self.config = config
    }

    /// An HTTP chain's runtime, updated in place when it exists so that open
    /// connections see the new route table; with its telemetry scope and logs.
    private func httpRuntime(_ key: String, _ http: HTTPConnectionConfig, _ config: ProxyConfig, scope: TelemetryScope, slot: Int32,
                             sinks usedSinks: inout [String: AccessLogSink], outbound: Bool,
                             exporters: inout [OTLPExporterConfig: SpanExporter]) -> ListenerRuntime {
        let table = config.routeTable(for: http)
        let live: ListenerRuntime
        if let existing = listeners[key] {
            live = existing
            live.http = http
            live.routeTable = table
        } else {
            live = ListenerRuntime(name: key, http: http, routeTable: table)
            listeners[key] = live
        }
        live.telemetryScope = slot
        live.reporter = scope.reporter
        live.accessLogs = accessLogRuntimes(http.accessLogs, sinks: &usedSinks)
        if var tracing = http.tracing {
            // Envoy: spans of OUTBOUND listeners are "egress" (CLIENT), others "ingress".
            tracing.operation = outbound ? .egress : .ingress
            let exporter = exporters[tracing.exporter] ?? spanExporters[tracing.exporter] ?? SpanExporter(config: tracing.exporter, worker: self)
            exporters[tracing.exporter] = exporter
            live.tracing = tracing
            live.spanExporter = exporter
        } else {
            live.tracing = nil
            live.spanExporter = nil
        }
        return live
    }

    /// Access logs bound to this worker's sinks (one per path, kept across updates);
    /// a file that cannot be opened is left out.
    private func accessLogRuntimes(_ logs: [AccessLogConfig], sinks usedSinks: inout [String: AccessLogSink]) -> [AccessLogRuntime] {
        var sinks = usedSinks
        let runtimes: [AccessLogRuntime] = logs.compactMap { log in
            guard let sink = sinks[log.path] ?? accessLogSinks[log.path] ?? AccessLogSink(path: log.path, eventLoop: eventLoop) else { return nil }
            sinks[log.path] = sink
            return AccessLogRuntime(format: log.format, filter: log.filter, sink: sink)
        }
        usedSinks = sinks
        return runtimes
    }

    /// Writes buffered access-log lines now and sends waiting spans (shutdown).
    func flushAccessLogs() {
        for sink in accessLogSinks.values { sink.flush() }
        for exporter in spanExporters.values { exporter.flush() }
    }

    func listener(named name: String) -> ListenerRuntime? { listeners[name] }

    @inline(__always) func cluster(named name: String) -> ClusterRuntime? { clusters[name] }

    /// EDS health as the balancers' flags.
    static func health(_ health: EndpointSet.Health) -> EndpointHealth {
        switch health {
        case .unknown, .healthy: return .healthy
        case .degraded: return .degradedEDSHealth
        case .unhealthy, .draining, .timeout: return .failedEDSHealth
        }
    }

    static func address(_ host: String, _ port: Int) -> SocketAddress? {
        if let address = try? SocketAddress(ipAddress: host, port: port) { return address }
        // Hostnames (STRICT_DNS clusters) resolve when the config is applied.
        return try? SocketAddress.makeAddressResolvingHost(host, port: port)
    }

    /// Opens a connection for mirrored copies.
    func connectShadow(to endpoint: EndpointRuntime, timeoutNanos: Int64) -> EventLoopFuture<any Channel> {
        if let shadowConnector { return shadowConnector(endpoint, timeoutNanos) }
        return connect(to: endpoint, timeoutNanos: timeoutNanos, handler: { ShadowUpstreamHandler() })
    }

    /// Adds this worker's cluster counters to `counters` under Envoy's names.
    func collectStats(into counters: inout [String: UInt64]) {
        for (name, counter) in clusterCounters { counter.stats.collect(cluster: name, into: &counters) }
        for (prefix, counter) in tcpProxyCounters { counter.stats.collect(statPrefix: prefix, into: &counters) }
        // Envoy's OpenTelemetry tracer stats, plus the spans the full queue dropped.
        for exporter in spanExporters.values {
            let stats = exporter.queue.stats
            counters["tracing.opentelemetry.spans_sent", default: 0] += stats.sent
            counters["tracing.opentelemetry.spans_dropped", default: 0] += stats.dropped
            counters["tracing.opentelemetry.timer_flushed", default: 0] += stats.timerFlushes
            counters["tracing.opentelemetry.http_reports_success", default: 0] += stats.exportsSucceeded
            counters["tracing.opentelemetry.http_reports_failed", default: 0] += stats.exportsFailed
        }
    }

    /// Opens a connection to an upstream on this worker's event loop, with the
    /// handler `handler` makes (an HTTP/1.1 upstream by default).
    func connect(to endpoint: EndpointRuntime, timeoutNanos: Int64,
                 handler: (@Sendable () -> any ChannelHandler)? = nil) -> EventLoopFuture<any Channel> {
        if let http2 = endpoint.http2, handler == nil { return http2.openStream(timeoutNanos: timeoutNanos) }
        if let connector, handler == nil { return connector(endpoint, timeoutNanos) }
        if let handlerConnector, let handler { return handlerConnector(endpoint, timeoutNanos, handler()) }
        return UpstreamTLSConnector.connect(eventLoop: eventLoop, address: endpoint.address, tls: endpoint.tls, timeoutNanos: timeoutNanos) { pipeline in
            try pipeline.addHandler(handler?() ?? UpstreamHTTP1Handler())
        }
    }
}

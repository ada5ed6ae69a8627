import NIOCore
import NIOPosix
import ProxyCore
import Synchronization

/// Runs a ProxyConfig's listeners on an event-loop group: one WorkerRuntime per
/// event loop (config, pools), downstream connections served on the loop that
/// accepted them, upstream connections opened on that same loop.
public final class ProxyServer: Sendable {
    public struct BoundListener: Sendable {
        public let name: String
        public let address: SocketAddress
    }

    private let group: any EventLoopGroup
    private let workers: [ObjectIdentifier: NIOLoopBound<WorkerRuntime>]
    /// Bound listeners by name, with the address they were bound for.
    private let channels = Mutex<[String: (host: String, port: Int, channel: any Channel)]>([:])
    /// TLS contexts shared by the workers, one per distinct material.
    private let tlsContexts = TLSContextCache()
    /// Circuit-breaker counts per cluster, shared by the workers as Envoy's.
    private let clusterResources = ClusterResourceRegistry()

    /// - Parameter secretProvider: the certificate agent serving SDS references to
    ///   `sds-grpc` ("default", "ROOTCA"); its changes reach new connections.
    public init(group: any EventLoopGroup, config: ProxyConfig, identity: TelemetryIdentity = .anonymous,
                secretProvider: (any SecretProvider)? = nil) async throws {
        self.group = group
        var workers: [ObjectIdentifier: NIOLoopBound<WorkerRuntime>] = [:]
        let contexts = tlsContexts
        let resources = clusterResources
        for loop in group.makeIterator() {
            workers[ObjectIdentifier(loop)] = try await loop.submit {
                NIOLoopBound(WorkerRuntime(eventLoop: loop, config: config, identity: identity, tlsContexts: contexts,
                                           secretProvider: secretProvider, clusterResources: resources), eventLoop: loop)
            }.get()
        }
        self.workers = workers
        secretProvider?.onChange { [weak self] in
            guard let self else { return }
            Task { try? await self.refreshSecrets() }
        }
    }

    /// Binds every listener that binds to a port.
    public func start(config: ProxyConfig) async throws -> [BoundListener] {
        var bound: [BoundListener] = []
        for listener in config.listeners where listener.bindToPort {
            let channel = try await bind(listener)
            channels.withLock { $0[listener.name] = (listener.host, listener.port, channel) }
            if let address = channel.localAddress { bound.append(BoundListener(name: listener.name, address: address)) }
        }
        return bound
    }

    private func bind(_ listener: ListenerConfig) async throws -> any Channel {
        let workers = self.workers
        let name = listener.name
        return try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 4096)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                guard listener.useOriginalDestination || listener.inspection.originalDestination else {
                    return channel.eventLoop.makeCompletedFuture {
                        guard let worker = workers[ObjectIdentifier(channel.eventLoop)]?.value else { throw ProxyServerError.noWorker }
                        try Self.serve(channel, listener: name, worker: worker, destination: nil)
                    }
                }
                return OriginalDestinationHandoff.originalDestination(of: channel).flatMapThrowing { original in
                    guard let worker = workers[ObjectIdentifier(channel.eventLoop)]?.value else { throw ProxyServerError.noWorker }
                    guard let original, let ip = original.ipAddress, let port = original.port else {
                        return try Self.serve(channel, listener: name, worker: worker, destination: nil)
                    }
                    // use_original_dst hands over; the original_dst filter alone only restores.
                    let target = listener.useOriginalDestination ? OriginalDestinationHandoff.target(in: worker.config, ip: ip, port: port) ?? name : name
                    try Self.serve(channel, listener: target, worker: worker, destination: (IPAddress(ip), port))
                }
            }
            .bind(host: listener.host, port: listener.port)
            .get()
    }

    /// Puts the first handler of listener `name` on an accepted connection;
    /// `destination` replaces the socket's local address (a redirected connection).
    private static func serve(_ channel: any Channel, listener name: String, worker: WorkerRuntime,
                              destination: (IPAddress?, Int)?) throws {
        let pipeline = channel.pipeline.syncOperations
        var facts = ConnectionFacts.of(channel)
        if let destination {
            facts.destinationAddress = destination.0
            facts.destinationPort = destination.1
            facts.redirected = true
        }
        if let selecting = worker.selectingListeners[name] {
            try pipeline.addHandler(FilterChainSelectionHandler(worker: worker, listener: selecting,
                                                                destination: destination.map { _ in facts }))
        } else if let tcp = worker.tcpListeners[name] {
            try pipeline.addHandler(tcp.makeHandler(worker: worker, telemetryScope: worker.tcpScopes[name] ?? 0, connection: facts))
        } else if let runtime = worker.listener(named: name) {
            try pipeline.addHandler(runtime.makeConnectionHandler(worker: worker, connection: facts))
        } else {
            throw ProxyServerError.noWorker
        }
    }

    /// Swaps the config on every worker (each on its own loop). TLS contexts are
    /// resolved again (secrets may have changed); open connections keep theirs.
    public func apply(_ config: ProxyConfig) async throws {
        let generation = tlsContexts.beginGeneration()
        for (_, worker) in workers {
            try await worker.eventLoop.submit { worker.value.apply(config) }.get()
        }
        tlsContexts.dropUnused(since: generation)
    }

    /// The certificate agent's secrets changed: every worker re-applies the config
    /// it runs (its own, so a concurrent xDS update is never undone), which builds
    /// TLS contexts from the new material for new connections.
    public func refreshSecrets() async throws {
        let generation = tlsContexts.beginGeneration()
        for (_, worker) in workers {
            try await worker.eventLoop.submit { worker.value.apply(worker.value.config) }.get()
        }
        tlsContexts.dropUnused(since: generation)
    }

    /// Brings bound listeners in line with `config` (xDS updates): applies the
    /// config on every worker, binds listeners that are new or moved, closes those
    /// that went. Returns the newly bound ones. As Envoy, a listener that cannot
    /// bind (address in use) is reported to `bindFailed` and the others still bind.
    public func reconcile(_ config: ProxyConfig, bindFailed: (String, any Error) -> Void = { _, _ in }) async throws -> [BoundListener] {
        try await apply(config)
        let wanted = Dictionary(config.listeners.filter { $0.bindToPort }.map { ($0.name, $0) },
                                uniquingKeysWith: { first, _ in first })
        let stale = channels.withLock { channels -> [any Channel] in
            var stale: [any Channel] = []
            for (name, entry) in channels where wanted[name].map({ $0.host != entry.host || $0.port != entry.port }) ?? true {
                stale.append(entry.channel)
                channels[name] = nil
            }
            return stale
        }
        for channel in stale { try? await channel.close() }
        var bound: [BoundListener] = []
        for (name, listener) in wanted.sorted(by: { $0.key < $1.key }) where channels.withLock({ $0[name] == nil }) {
            let channel: any Channel
            do {
                channel = try await bind(listener)
            } catch {
                bindFailed(name, error)
                continue
            }
            channels.withLock { $0[name] = (listener.host, listener.port, channel) }
            if let address = channel.localAddress { bound.append(BoundListener(name: name, address: address)) }
        }
        return bound
    }

    /// Every worker's metrics as Prometheus text (each store copied on its own loop).
    public func prometheusText() async throws -> String {
        var stores: [TelemetryStore] = []
        for (_, worker) in workers {
            stores.append(try await worker.eventLoop.submit { worker.value.telemetry }.get())
        }
        return PrometheusExposition.render(stores)
    }

    /// Envoy's `/stats` counters, every worker's summed (each read on its own loop).
    public func statsCounters() async throws -> [String: UInt64] {
        var counters: [String: UInt64] = [:]
        for (_, worker) in workers {
            let part = try await worker.eventLoop.submit {
                var part: [String: UInt64] = [:]
                worker.value.collectStats(into: &part)
                return part
            }.get()
            counters.merge(part, uniquingKeysWith: +)
        }
        return counters
    }

    public func shutdown() async throws {
        for (_, worker) in workers {
            try? await worker.eventLoop.submit { worker.value.flushAccessLogs() }.get()
        }
        let open = channels.withLock { channels in
            defer { channels.removeAll() }
            return channels.values.map(\.channel)
        }
        for channel in open { try? await channel.close() }
    }
}

public enum ProxyServerError: Error {
    case noWorker
}

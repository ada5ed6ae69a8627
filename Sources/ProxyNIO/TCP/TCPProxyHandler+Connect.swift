import NIOCore
import ProxyCore

/// The upstream connect of a tcp_proxy connection: its TCPConnectStateMachine
/// decides (circuit breakers, max_connect_attempts, flags); this carries out its
/// actions, picking clusters and endpoints and opening connections on this loop.
extension TCPProxyHandler {
    /// Runs actions until one waits for a connect or ends the connection.
    func advance(_ first: TCPConnectStateMachine.Action) {
        // The flags so far count even if the client leaves mid-connect (UF of a refused attempt).
        defer { flags.formUnion(connecting.flags) }
        var action = first
        while true {
            switch action {
            case .pickRoute:
                let target = config.target.select(random: worker.random.next())
                guard let cluster = worker.cluster(named: target.name) else {
                    action = connecting.clusterMissing()
                    continue
                }
                attemptCluster = cluster
                // Istio's opened and closed counts carry the first cluster's service.
                if !telemetryOpened { telemetryService = cluster.telemetryService }
                upstreamClusterName = cluster.nameBytes
                action = cluster.resources.withBreaker { connecting.clusterFound(breaker: $0) }
            case .pickHost:
                let cluster = attemptCluster!
                guard let endpoint = cluster.isOriginalDestination ? cluster.originalDestination(connection) : cluster.pick(random: &worker.random) else {
                    action = connecting.noHost()
                    continue
                }
                attemptEndpoint = endpoint
                upstreamHostLabel = endpoint.labelBytes
                action = cluster.resources.withBreaker { connecting.hostPicked(breaker: &$0) }
            case .pendingOverflowThenPickRoute:
                // Envoy's pool reports no host and no reason for an overflow.
                attemptCluster?.counters.stats.upstreamPendingOverflow += 1
                upstreamHostLabel = []
                upstreamFailureReason = []
                action = .pickRoute
            case .connect:
                startConnect(cluster: attemptCluster!, endpoint: attemptEndpoint!)
                return
            case .attach, .none:
                return
            case .close(let failure):
                switch failure {
                case .noCluster: counters.stats.downstreamConnectionNoRoute += 1
                case .overflow: attemptCluster?.counters.stats.upstreamConnectionOverflow += 1
                case .attemptsExceeded: attemptCluster?.counters.stats.upstreamConnectAttemptsExceeded += 1
                case .noHealthyUpstream: attemptCluster?.counters.stats.upstreamConnectionNoneHealthy += 1
                }
                // Before the close: its access-log line and metrics are written as it happens.
                flags.formUnion(connecting.flags)
                recordOpened()
                // Envoy never read the client's bytes (nothing is read before the
                // upstream is up): it closes with them unread and the client sees a reset.
                if (pending?.readableBytes ?? 0) > 0 { context?.channel.closeResetting() } else { context?.close(promise: nil) }
                return
            }
        }
    }

    private func startConnect(cluster: ClusterRuntime, endpoint: EndpointRuntime) {
        cluster.counters.stats.upstreamConnectionTotal += 1
        worker.connect(to: endpoint, timeoutNanos: cluster.config.connectTimeoutNanos, handler: { TCPRelayHandler() })
            .assumeIsolated().whenComplete { result in
                switch result {
                case .success(let channel):
                    guard let relay = try? channel.pipeline.syncOperations.handler(type: TCPRelayHandler.self) else {
                        channel.close(promise: nil)
                        self.attemptFailed(nil, cluster: cluster, endpoint: endpoint)
                        return
                    }
                    guard cluster.resources.withBreaker({ self.connecting.connected(breaker: &$0) }) == .attach else {
                        // The client left meanwhile (what the attempt held was given back).
                        channel.close(promise: nil)
                        return
                    }
                    // The connection holds its unit of max_connections until it closes.
                    relay.holding = cluster.resources
                    cluster.outlierConnectSucceededFinal(endpoint: endpoint, worker: self.worker)
                    self.attach(relay)
                case .failure(let error):
                    self.attemptFailed(error, cluster: cluster, endpoint: endpoint)
                }
            }
    }

    private func attemptFailed(_ error: (any Error)?, cluster: ClusterRuntime, endpoint: EndpointRuntime) {
        let next = cluster.resources.withBreaker { connecting.connectFailed(breaker: &$0) }
        guard next != .none else { return }
        let failure: TCPConnectStateMachine.ConnectFailure
        if case ChannelError.connectTimeout? = error as? ChannelError { failure = .timeout } else { failure = .remote }
        cluster.outlierResult(failure.outlierResult, endpoint: endpoint, worker: worker)
        // Each failure's reason replaces the last (a timeout has none), as Envoy's.
        if !accessLogs.isEmpty { upstreamFailureReason = error.map(ConnectFailureReason.bytes) ?? [] }
        advance(next)
    }

    /// The client left: an attempt in flight gives back what it holds.
    func connectingDownstreamClosed() {
        if connecting.isConnecting, let cluster = attemptCluster {
            cluster.resources.withBreaker { connecting.downstreamClosed(breaker: &$0) }
        } else {
            connecting.downstreamClosed()
        }
    }
}

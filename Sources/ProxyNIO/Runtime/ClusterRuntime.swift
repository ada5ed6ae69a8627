import NIOCore
import ProxyCore

/// A cluster as one worker uses it: its endpoints (with their pools) and the
/// cluster's load balancer (ProxyCore's EndpointBalancer, by `lb_policy`).
/// Rebuilt when its config or endpoints change; pools of endpoints that stay are
/// carried over. Event-loop confined.
final class ClusterRuntime {
    let config: ClusterConfig
    /// Index = `LBEndpoint.index`.
    let endpoints: [EndpointRuntime]
    var balancer: EndpointBalancer
    /// What the balancer was built from; health flags change on (un)ejection.
    var lbEndpoints: [LBEndpoint]
    let localityWeights: [Int: UInt32]
    let seed: UInt64
    /// Envoy's counters for `/stats`; outlives rebuilds (kept by the worker by name).
    let counters: ClusterCounters
    /// `outlier_detection` state on this worker (ClusterRuntime+Outlier).
    var outlier: OutlierDetector?
    var outlierTimer: Scheduled<Void>?
    /// The cluster's circuit breaker, shared with the other workers: connections
    /// (HTTP/1.1 and tcp_proxy), tcp_proxy connects pending, retries. Outlives rebuilds.
    let resources: ClusterResources
    /// Slot of the cluster's service in the worker's TelemetryStore (0: unknown).
    var telemetryService: Int32 = 0
    /// ORIGINAL_DST hosts by `ip:port` (see ClusterRuntime+OriginalDestination).
    var originalDestinations: [String: EndpointRuntime] = [:]
    /// Istio sends no metadata-exchange headers to clusters outside the mesh.
    let exchangesMetadata: Bool
    let nameBytes: [UInt8]

    init(config: ClusterConfig, endpoints: [EndpointRuntime], lbEndpoints: [LBEndpoint], localityWeights: [Int: UInt32], seed: UInt64,
         counters: ClusterCounters = ClusterCounters(), resources: ClusterResources? = nil, outlier: OutlierDetector? = nil) {
        self.config = config
        self.resources = resources ?? ClusterResources(config.thresholds)
        self.endpoints = endpoints
        self.counters = counters
        self.outlier = outlier
        self.localityWeights = localityWeights
        self.seed = seed
        var lbEndpoints = lbEndpoints
        for index in outlier?.ejectedEndpoints ?? [] where index < lbEndpoints.count {
            lbEndpoints[index].health.insert(.failedOutlierCheck)
        }
        self.lbEndpoints = lbEndpoints
        self.exchangesMetadata = config.discovery != .originalDestination
            && config.name != "PassthroughCluster" && config.name != "BlackHoleCluster"
        self.nameBytes = Array(config.name.utf8)
        balancer = Self.balancer(config, lbEndpoints, localityWeights, seed: seed)
    }

    static func balancer(_ config: ClusterConfig, _ lbEndpoints: [LBEndpoint], _ localityWeights: [Int: UInt32], seed: UInt64) -> EndpointBalancer {
        let prioritySet = PrioritySet(endpoints: lbEndpoints, localityWeights: localityWeights, panicThreshold: config.healthyPanicThreshold)
        return EndpointBalancer(policy: Self.policy(config.loadBalancer), prioritySet: prioritySet, seed: seed)
    }

    /// Envoy's lb_policy; ORIGINAL_DST's CLUSTER_PROVIDED falls back to round robin
    /// until original-destination capture exists.
    static func policy(_ balancer: ClusterConfig.LoadBalancer) -> EndpointBalancer.Policy {
        switch balancer {
        case .roundRobin, .clusterProvided: return .roundRobin
        case .leastRequest: return .leastRequest()
        case .random: return .random
        case .ringHash: return .ringHash()
        case .maglev: return .maglev()
        }
    }

    /// The endpoint for the next request, or nil when none is usable (503 UH).
    @inline(__always) func pick(random: inout FastRandom) -> EndpointRuntime? {
        let count = endpoints.count
        guard count > 0 else { return nil }
        let endpoints = self.endpoints
        guard let index = balancer.choose(random: &random, activeRequests: { endpoints[$0].activeRequests }) else { return nil }
        return endpoints[index]
    }

    /// Whether the balancer is ring hash or maglev (it wants the route's hash).
    var usesHash: Bool { balancer.usesHash }

    /// A consistent-hash pick; a nil hash (no policy produced one) picks at random, as Envoy.
    func pick(hash: UInt64?, random: inout FastRandom) -> EndpointRuntime? {
        guard !endpoints.isEmpty else { return nil }
        let endpoints = self.endpoints
        guard let index = balancer.choose(context: HostSelectionContext(hash: hash), random: &random,
                                          activeRequests: { endpoints[$0].activeRequests }) else { return nil }
        return endpoints[index]
    }

    /// A pick for a retry: endpoints in `avoid` are re-drawn up to `attempts` times
    /// (Envoy's previous_hosts predicate with host_selection_retry_max_attempts).
    func pick(random: inout FastRandom, avoiding avoid: [Int], attempts: Int) -> EndpointRuntime? {
        guard !endpoints.isEmpty else { return nil }
        let endpoints = self.endpoints
        let context = HostSelectionContext(hostSelectionRetryCount: avoid.isEmpty ? 0 : attempts)
        guard let index = balancer.choose(context: context, random: &random, activeRequests: { endpoints[$0].activeRequests },
                                          rejecting: { avoid.contains($0.index) }) else { return nil }
        return endpoints[index]
    }

    func index(of endpoint: EndpointRuntime) -> Int {
        endpoint.index < endpoints.count && endpoints[endpoint.index] === endpoint ? endpoint.index : -1
    }
}

extension FastRandom: RandomSource {}

/// A cluster's `/stats` counters on one worker, shared by the cluster's successive
/// runtimes so that a config push does not reset them.
final class ClusterCounters {
    var stats = ClusterStats()
}

/// One tcp_proxy stat prefix's counters on a worker (shared by its connections).
final class TCPProxyCounters {
    var stats = TCPProxyStats()
}

extension WorkerRuntime {
    func tcpProxyCounters(statPrefix: String) -> TCPProxyCounters {
        if let counters = tcpProxyCounters[statPrefix] { return counters }
        let counters = TCPProxyCounters()
        tcpProxyCounters[statPrefix] = counters
        return counters
    }
}

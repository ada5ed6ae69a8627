import MeshConfig
import MeshCore
import SwiftProtobuf
import XDSAPI

/// Writes a DestinationRule policy onto an Envoy cluster: load balancer, circuit
/// breakers, outlier detection and upstream TLS.
enum TrafficPolicyApplier {
    /// Istio's defaults: effectively unlimited, so only what the user sets limits.
    static let unlimited = Int(UInt32.max)

    static func apply(_ policy: TrafficPolicyMerge.Policy, to cluster: inout Envoy_Config_Cluster_V3_Cluster, sni: String, systemCA: String) {
        applyLoadBalancer(policy.loadBalancer, to: &cluster)
        applyLocalityWeighting(policy, to: &cluster)
        applyConnectionPool(policy.connectionPool, to: &cluster)
        if let outliers = policy.outlierDetection { applyOutlierDetection(outliers, to: &cluster) }
        if let tls = policy.tls, let socket = UpstreamTLS.transportSocket(tls, defaultSNI: sni, systemCA: systemCA) { cluster.transportSocket = socket }
    }

    /// Istio's `applyLoadBalancer`: consistent hashing, else the simple policy, with
    /// LEAST_REQUEST (Istio's default since 1.14) when none is given.
    static func applyLoadBalancer(_ settings: LoadBalancerSettings?, to cluster: inout Envoy_Config_Cluster_V3_Cluster) {
        if let hash = settings?.consistentHash {
            if let maglev = hash.maglev {
                cluster.lbPolicy = .maglev
                var config = Envoy_Config_Cluster_V3_Cluster.MaglevLbConfig()
                if let size = maglev.tableSize { config.tableSize = Google_Protobuf_UInt64Value(UInt64(size)) }
                cluster.maglevLbConfig = config
            } else {
                cluster.lbPolicy = .ringHash
                var config = Envoy_Config_Cluster_V3_Cluster.RingHashLbConfig()
                if let size = hash.ringHash?.minimumRingSize ?? hash.minimumRingSize { config.minimumRingSize = Google_Protobuf_UInt64Value(UInt64(size)) }
                cluster.ringHashLbConfig = config
            }
        } else {
            switch settings?.simple {
            case .roundRobin?: cluster.lbPolicy = .roundRobin
            case .random?: cluster.lbPolicy = .random
            case .passthrough?:
                cluster.type = .originalDst
                cluster.lbPolicy = .clusterProvided
                cluster.clearEdsClusterConfig()
            default: cluster.lbPolicy = .leastRequest
            }
        }
    }

    /// Istio sets Envoy's locality-weighted balancing only where weights matter:
    /// `distribute`, or explicit failover rules (with outlier detection, without
    /// which Envoy never fails over). Otherwise it would change e.g. least-request.
    static func applyLocalityWeighting(_ policy: TrafficPolicyMerge.Policy, to cluster: inout Envoy_Config_Cluster_V3_Cluster) {
        guard let locality = policy.loadBalancer?.localityLbSetting, locality.enabled != false else { return }
        let failover = policy.outlierDetection != nil && (!(locality.failover ?? []).isEmpty || !(locality.failoverPriority ?? []).isEmpty)
        guard failover || !(locality.distribute ?? []).isEmpty else { return }
        var common = Envoy_Config_Cluster_V3_Cluster.CommonLbConfig()
        common.localityWeightedLbConfig = Envoy_Config_Cluster_V3_Cluster.CommonLbConfig.LocalityWeightedLbConfig()
        cluster.commonLbConfig = common
    }

    static func applyConnectionPool(_ pool: ConnectionPoolSettings?, to cluster: inout Envoy_Config_Cluster_V3_Cluster) {
        var thresholds = Envoy_Config_Cluster_V3_CircuitBreakers.Thresholds()
        thresholds.maxConnections = Proto.uint32(pool?.tcp?.maxConnections ?? unlimited)
        thresholds.maxPendingRequests = Proto.uint32(pool?.http?.http1MaxPendingRequests ?? unlimited)
        thresholds.maxRequests = Proto.uint32(pool?.http?.http2MaxRequests ?? unlimited)
        thresholds.maxRetries = Proto.uint32(pool?.http?.maxRetries ?? unlimited)
        thresholds.trackRemaining = true
        var breakers = Envoy_Config_Cluster_V3_CircuitBreakers()
        breakers.thresholds = [thresholds]
        cluster.circuitBreakers = breakers
        if let timeout = pool?.tcp?.connectTimeout, let value = try? GoDuration.parse(timeout) {
            cluster.connectTimeout = Proto.duration(nanoseconds: value)
        }
        if let perConnection = pool?.http?.maxRequestsPerConnection, perConnection > 0 {
            UpstreamProtocol.setMaxRequestsPerConnection(perConnection, on: &cluster)
        }
        // Istio: http.idleTimeout, else tcp.idleTimeout; tcp.maxConnectionDuration.
        if let idle = pool?.http?.idleTimeout ?? pool?.tcp?.idleTimeout, let value = try? GoDuration.parse(idle) {
            UpstreamProtocol.setIdleTimeout(Proto.duration(nanoseconds: value), on: &cluster)
        }
        if let duration = pool?.tcp?.maxConnectionDuration, let value = try? GoDuration.parse(duration) {
            UpstreamProtocol.setMaxConnectionDuration(Proto.duration(nanoseconds: value), on: &cluster)
        }
        if pool?.http?.useClientProtocol == true {
            UpstreamProtocol.setUseDownstreamProtocol(on: &cluster)
        } else if pool?.http?.h2UpgradePolicy == .upgrade {
            UpstreamProtocol.setHTTP2(on: &cluster)
        }
    }
}

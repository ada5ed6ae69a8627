/// An upstream cluster: how endpoints are found, balanced, limited and spoken to.
public struct ClusterConfig: Sendable {
    public enum Discovery: Sendable, Equatable {
        case staticEndpoints
        /// EDS with this service name (empty: the cluster's name).
        case eds(serviceName: String)
        case strictDNS
        case logicalDNS
        case originalDestination
    }

    public enum LoadBalancer: Sendable, Equatable {
        case roundRobin, leastRequest, random, ringHash, maglev, clusterProvided
    }

    public enum UpstreamProtocol: Sendable, Equatable {
        case http1, http2
    }

    /// Envoy's default-priority circuit-breaker thresholds.
    public struct Thresholds: Sendable, Equatable {
        public var maxConnections: Int = 1024
        public var maxPendingRequests: Int = 1024
        public var maxRequests: Int = 1024
        public var maxRetries: Int = 3
        /// `retry_budget`: when set it replaces `maxRetries`.
        public var retryBudget: CircuitBreakerThresholds.RetryBudget?

        public init() {}
    }

    public var name: String
    public var discovery: Discovery
    public var loadBalancer: LoadBalancer
    public var connectTimeoutNanos: Int64
    public var upstreamProtocol: UpstreamProtocol
    /// SETTINGS for HTTP/2 upstream connections (`upstreamProtocol == .http2`).
    public var http2 = HTTP2Options()
    public var thresholds: Thresholds
    /// `transport_socket`: plain TCP or TLS to every endpoint, unless a
    /// `transport_socket_matches` entry picks another by endpoint metadata.
    public var transportSocket: TransportSocketConfig = .plaintext
    public var transportSocketMatches: [TransportSocketMatch] = []
    /// The service behind the cluster for Istio's `destination_service*` labels
    /// (`istio` filter metadata, else the outbound cluster name).
    public var istioService: IstioService?
    /// `outlier_detection` (nil: no detection, as Envoy without the field).
    public var outlierDetection: OutlierDetectionConfig?
    /// `common_lb_config.healthy_panic_threshold`, percent (Envoy's default 50).
    public var healthyPanicThreshold: UInt32 = 50

    public init(name: String, discovery: Discovery, loadBalancer: LoadBalancer = .roundRobin, connectTimeoutNanos: Int64 = 5_000_000_000,
                upstreamProtocol: UpstreamProtocol = .http1, thresholds: Thresholds = Thresholds()) {
        self.name = name
        self.discovery = discovery
        self.loadBalancer = loadBalancer
        self.connectTimeoutNanos = connectTimeoutNanos
        self.upstreamProtocol = upstreamProtocol
        self.thresholds = thresholds
        self.istioService = IstioService(outboundClusterName: name)
    }
}

extension ClusterConfig {
    /// The transport socket for an endpoint with this `envoy.transport_socket_match` metadata.
    public func transportSocket(forEndpointMetadata metadata: [String: String]) -> TransportSocketConfig {
        TransportSocketMatch.select(transportSocketMatches, metadata: metadata, fallback: transportSocket)
    }
}

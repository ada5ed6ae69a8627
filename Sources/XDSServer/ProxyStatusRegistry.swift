import XDSAPI

/// What each connected proxy was sent and what it ACKed or NACKed: the source of
/// `proxy-status` and `/debug/syncz`.
public actor ProxyStatusRegistry {
    public struct TypeStatus: Sendable, Equatable {
        public var sentVersion: String?
        public var ackedVersion: String?
        public var nack: String?

        /// SYNCED when the last sent version is ACKed, NACKED when rejected, else STALE.
        public var state: String {
            if nack != nil { return "NACKED" }
            if let sent = sentVersion, sent == ackedVersion { return "SYNCED" }
            return sentVersion == nil ? "NOT SENT" : "STALE"
        }
    }

    public struct ProxyStatus: Sendable, Equatable {
        public var nodeID: String
        public var cluster: String
        public var node: Envoy_Config_Core_V3_Node
        public var connectedAtNanoseconds: UInt64
        public var types: [String: TypeStatus]
    }

    private var proxies: [Int: ProxyStatus] = [:]
    public private(set) var nacksTotal = 0
    public private(set) var pushesByType: [String: Int] = [:]
    /// Seconds to write one response, by type (istiod's pilot_xds_push_time).
    public private(set) var pushTime: [String: LatencyHistogram] = [:]
    /// Seconds from a config change to a proxy having been sent what it changed
    /// (istiod's pilot_proxy_convergence_time).
    public private(set) var convergence = LatencyHistogram()

    public init() {}

    func connected(_ stream: Int, node: Envoy_Config_Core_V3_Node, at time: UInt64) {
        proxies[stream] = ProxyStatus(nodeID: node.id, cluster: node.cluster, node: node, connectedAtNanoseconds: time, types: [:])
    }

    func disconnected(_ stream: Int) { proxies.removeValue(forKey: stream) }

    func sent(_ stream: Int, type: String, version: String, writeSeconds: Double? = nil) {
        proxies[stream]?.types[type, default: TypeStatus()].sentVersion = version
        pushesByType[type, default: 0] += 1
        if let writeSeconds { pushTime[type, default: LatencyHistogram()].record(seconds: writeSeconds) }
    }

    func converged(afterSeconds seconds: Double) {
        convergence.record(seconds: seconds)
    }

    func acked(_ stream: Int, type: String, version: String) {
        proxies[stream]?.types[type, default: TypeStatus()].ackedVersion = version
        proxies[stream]?.types[type]?.nack = nil
    }

    func nacked(_ stream: Int, type: String, error: String) {
        proxies[stream]?.types[type, default: TypeStatus()].nack = error
        nacksTotal += 1
    }

    /// Connected proxies, by node id.
    public func snapshot() -> [ProxyStatus] {
        proxies.values.sorted { $0.nodeID < $1.nodeID }
    }
}

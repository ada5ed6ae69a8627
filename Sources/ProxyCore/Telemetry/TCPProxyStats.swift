/// Envoy's `tcp.<stat_prefix>.*` counters of a tcp_proxy, the ones this proxy keeps.
public struct TCPProxyStats: Sendable {
    public var downstreamConnectionTotal: UInt64 = 0
    /// Connections whose route named no known cluster (NC).
    public var downstreamConnectionNoRoute: UInt64 = 0
    /// Connections the idle timeout closed.
    public var idleTimeout: UInt64 = 0
    /// Connections `max_downstream_connection_duration` closed.
    public var maxDownstreamConnectionDuration: UInt64 = 0

    public init() {}

    public func collect(statPrefix: String, into counters: inout [String: UInt64]) {
        let prefix = "tcp.\(statPrefix)."
        counters[prefix + "downstream_cx_total", default: 0] += downstreamConnectionTotal
        counters[prefix + "downstream_cx_no_route", default: 0] += downstreamConnectionNoRoute
        counters[prefix + "idle_timeout", default: 0] += idleTimeout
        counters[prefix + "max_downstream_connection_duration", default: 0] += maxDownstreamConnectionDuration
    }
}

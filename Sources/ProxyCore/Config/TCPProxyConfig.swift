/// Envoy's tcp_proxy: bytes to one cluster or a weighted choice of clusters.
public struct TCPProxyConfig: Sendable {
    public var statPrefix: String
    public var target: ClusterTarget
    /// Envoy's default idle timeout is 1 h; 0 disables it.
    public var idleTimeoutNanos: Int64
    /// `max_downstream_connection_duration`: the connection is closed this long
    /// after it started (response flag DT); 0: no limit.
    public var maxDownstreamConnectionDurationNanos: Int64 = 0
    /// `max_connect_attempts`: a failed connect is tried again on a newly picked
    /// host until this many attempts were made (Envoy's default, 1: no retry).
    public var maxConnectAttempts: Int = 1
    /// `envoy.filters.network.rbac` filters before the tcp_proxy, in chain order:
    /// checked on the first bytes from the client, a denial closes the connection.
    public var rbac: [RBACFilterConfig] = []
    /// `access_log`: one line per connection, written when it ends.
    public var accessLogs: [AccessLogConfig] = []

    public init(statPrefix: String, target: ClusterTarget, idleTimeoutNanos: Int64 = 3_600_000_000_000) {
        self.statPrefix = statPrefix
        self.target = target
        self.idleTimeoutNanos = idleTimeoutNanos
    }
}

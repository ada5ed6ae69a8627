/// The timeouts of one forwarded request as Envoy's router settles them: the
/// route's `timeout` and the retry policy's `per_try_timeout`, the latter dropped
/// when it is not under the former. The upstream is told the per-try timeout, else
/// the global one, in `x-envoy-expected-rq-timeout-ms`. (Callers' own timeout
/// headers never count: the connection manager removes them first, see
/// KnownHeader.envoyInternalOnly.)
public struct ExchangeTimeouts: Sendable, Equatable {
    /// 0: none.
    public var globalNanos: Int64
    /// 0: none.
    public var perTryNanos: Int64

    public init(routeNanos: Int64, perTryNanos: Int64) {
        globalNanos = routeNanos
        self.perTryNanos = perTryNanos >= routeNanos && routeNanos != 0 ? 0 : perTryNanos
    }

    /// `x-envoy-expected-rq-timeout-ms`; 0: not sent.
    public var expectedMillis: Int {
        Int((perTryNanos > 0 ? perTryNanos : globalNanos) / 1_000_000)
    }
}

/// How one tcp_proxy connection gets its upstream, as Envoy's `TcpProxy::Filter`
/// does it (establishUpstreamConnection, the TCP pool's newStream, onPoolFailure,
/// onConnectTimeout): pure, the NIO handler reports events and carries out the
/// action returned. The cluster's CircuitBreaker is passed in by the caller.
///
/// Each attempt, in Envoy's order:
/// 1. the route is picked (again: a weighted pick may change cluster); no cluster: NC;
/// 2. the cluster's `max_connections` is checked without taking a unit (Envoy does
///    not queue on a full pool): reached, UO and `upstream_cx_overflow`;
/// 3. `max_connect_attempts` used up: URX and `upstream_cx_connect_attempts_exceeded`;
/// 4. a host is picked; none: UH;
/// 5. the attempt counts; the connect waits as a pending request (`max_pending_requests`;
///    full: `upstream_rq_pending_overflow`, no flag, and the next attempt begins at 1)
///    and holds a connection unit while it connects.
/// A refused or reset connect and a connect timeout set UF and begin the next attempt
/// at 1; flags are never cleared, so a connection that succeeds on a retry logs UF.
public struct TCPConnectStateMachine: Sendable {
    public enum Action: Sendable, Equatable {
        /// Pick the cluster (again) and report `clusterFound` or `clusterMissing`.
        case pickRoute
        /// Pick an endpoint of the cluster and report `hostPicked` or `noHost`.
        case pickHost
        /// The pending request overflowed on the cluster just tried: count
        /// `upstream_rq_pending_overflow` there, then pick the route again.
        case pendingOverflowThenPickRoute
        /// Connect to the endpoint picked; report `connected` or `connectFailed`.
        case connect
        /// The connection is up: relay bytes. It holds its connection unit until it closes.
        case attach
        /// Close the downstream connection without flushing (Envoy's onInitFailure).
        case close(Failure)
        /// Nothing to do (a result that arrived after the downstream left: the
        /// caller closes a connection that came up).
        case none
    }

    /// Why no upstream was had, with Envoy's counter for it.
    public enum Failure: Sendable, Equatable {
        /// NC: `downstream_cx_no_route` on the tcp_proxy.
        case noCluster
        /// UO: `upstream_cx_overflow` on the cluster.
        case overflow
        /// URX: `upstream_cx_connect_attempts_exceeded` on the cluster.
        case attemptsExceeded
        /// UH: `upstream_cx_none_healthy` on the cluster.
        case noHealthyUpstream
    }

    /// How a connect attempt failed: both set UF; the outlier detector tells them apart.
    public enum ConnectFailure: Sendable, Equatable {
        /// Refused, reset, unreachable, or a TLS handshake that failed: Envoy's RemoteClose.
        case remote
        /// `connect_timeout` passed (Envoy's pool Timeout).
        case timeout

        public var outlierResult: OutlierResult { self == .timeout ? .localOriginTimeout : .localOriginConnectFailed }
    }

    private enum State: Sendable, Equatable {
        case idle, routing, picking, connecting, connected, done
    }

    public let maxAttempts: Int
    public private(set) var attempts = 0
    public private(set) var flags: ResponseFlags = []
    private var state: State = .idle

    /// `max_connect_attempts` (Envoy's default and minimum: 1).
    public init(maxAttempts: Int = 1) {
        self.maxAttempts = max(1, maxAttempts)
    }

    /// Whether a connect is in flight (its pending request and connection unit held).
    public var isConnecting: Bool { state == .connecting }

    /// The downstream connection is served: the first attempt begins.
    public mutating func start() -> Action {
        guard state == .idle else { return .none }
        state = .routing
        return .pickRoute
    }

    /// The route names no cluster this proxy knows.
    public mutating func clusterMissing() -> Action {
        guard state == .routing else { return .none }
        return fail(.noCluster, flag: .noClusterFound)
    }

    /// The route's cluster exists; `breaker` is its circuit breaker.
    public mutating func clusterFound(breaker: CircuitBreaker) -> Action {
        guard state == .routing else { return .none }
        guard breaker.canAdmit(.connections) else { return fail(.overflow, flag: .upstreamOverflow) }
        guard attempts < maxAttempts else { return fail(.attemptsExceeded, flag: .connectAttemptsExceeded) }
        state = .picking
        return .pickHost
    }

    /// The cluster has no endpoint to offer.
    public mutating func noHost() -> Action {
        guard state == .picking else { return .none }
        return fail(.noHealthyUpstream, flag: .noHealthyUpstream)
    }

    /// An endpoint was picked: the attempt counts, and waits as a pending request.
    public mutating func hostPicked(breaker: inout CircuitBreaker) -> Action {
        guard state == .picking else { return .none }
        attempts += 1
        guard breaker.admit(.pendingRequests) else {
            // Envoy's pool fails the stream with Overflow: a local close while
            // connecting, which sets no flag and tries again.
            state = .routing
            return .pendingOverflowThenPickRoute
        }
        breaker.forceAdmit(.connections)
        state = .connecting
        return .connect
    }

    /// The attempt's connection is up: the pending request is served; the
    /// connection keeps its unit until it closes (the caller releases it then).
    public mutating func connected(breaker: inout CircuitBreaker) -> Action {
        guard state == .connecting else { return .none }
        breaker.release(.pendingRequests)
        state = .connected
        return .attach
    }

    /// The attempt failed (refused, reset or timed out alike): UF, and the next attempt begins.
    public mutating func connectFailed(breaker: inout CircuitBreaker) -> Action {
        guard state == .connecting else { return .none }
        releaseAttempt(&breaker)
        flags.insert(.upstreamConnectionFailure)
        state = .routing
        return .pickRoute
    }

    /// The downstream connection went away. An attempt in flight gives back what it
    /// holds (`breaker`: its cluster's); its result, when it comes, is dropped.
    public mutating func downstreamClosed(breaker: inout CircuitBreaker) {
        if state == .connecting { releaseAttempt(&breaker) }
        if state != .connected { state = .done }
    }

    /// The downstream connection went away with no attempt in flight.
    public mutating func downstreamClosed() {
        precondition(state != .connecting, "an attempt in flight needs its cluster's breaker")
        if state != .connected { state = .done }
    }

    private mutating func releaseAttempt(_ breaker: inout CircuitBreaker) {
        breaker.release(.pendingRequests)
        breaker.release(.connections)
    }

    private mutating func fail(_ failure: Failure, flag: ResponseFlags) -> Action {
        flags.insert(flag)
        state = .done
        return .close(failure)
    }
}

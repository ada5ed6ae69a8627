/// One endpoint's HTTP/1.1 upstream connection pool (Envoy's HTTP/1 `ConnPoolImplBase`) as a
/// state machine: one request per connection at a time, idle connections reused most recent
/// first, a FIFO of pending requests, and the cluster circuit breaker (shared by all pools of
/// the cluster, hence passed in) for connections, pending requests and requests.
///
/// Event methods append to a caller-owned action buffer so steady-state use does not allocate.
public struct HTTP1ConnectionPool: Sendable {
    public typealias RequestID = UInt64

    public struct ConnectionID: Sendable, Hashable, CustomStringConvertible {
        public let raw: UInt64
        public init(_ raw: UInt64) { self.raw = raw }
        public var description: String { "C\(raw)" }
    }

    public struct Config: Sendable, Equatable {
        /// `max_requests_per_connection`; nil is unlimited.
        public var maxRequestsPerConnection: Int?
        /// `common_http_protocol_options.idle_timeout`, Envoy's default 1 hour; nil disables.
        public var idleTimeoutMs: Int64?
        public var priority: RoutingPriority

        public init(maxRequestsPerConnection: Int? = nil, idleTimeoutMs: Int64? = 3_600_000,
                    priority: RoutingPriority = .default) {
            self.maxRequestsPerConnection = maxRequestsPerConnection
            self.idleTimeoutMs = idleTimeoutMs
            self.priority = priority
        }
    }

    public enum FailureReason: Sendable, Equatable {
        /// A circuit breaker refused the request: 503, response flag `UO`.
        case overflow
        /// The connection it waited for could not be established: 503, flag `UF`.
        case connectionFailure
        /// The connection carrying it closed before the response completed.
        case connectionTerminated
    }

    public enum Action: Sendable, Equatable {
        /// Open a new upstream connection and report `connected` / `connectFailed`.
        case connect(ConnectionID)
        /// Write the request on this (ready) connection.
        case dispatch(RequestID, on: ConnectionID)
        case failRequest(RequestID, FailureReason)
        case closeConnection(ConnectionID)
        /// Arm a timer; when it fires call `idleTimeoutFired(_:token:)` with this token.
        case scheduleIdleTimeout(ConnectionID, afterMs: Int64, token: UInt64)
    }

    enum ConnectionState: Sendable, Equatable {
        case connecting
        case idle(since: UInt64)
        case busy(RequestID)
    }

    struct Connection: Sendable {
        let id: ConnectionID
        var state: ConnectionState
        var requestsServed = 0
    }

    public let config: Config
    var connections: [Connection] = []
    var pending: [RequestID] = []
    var pendingHead = 0
    var nextConnectionID: UInt64 = 1
    var clock: UInt64 = 0

    public init(config: Config = .init()) { self.config = config }

    public var pendingCount: Int { pending.count - pendingHead }
    public var connectionCount: Int { connections.count }
    // Counted by loops, not `filter`, so the request path does not allocate.
    public var connectingCount: Int { count { $0.state == .connecting } }
    public var idleCount: Int { count { if case .idle = $0.state { true } else { false } } }
    public var busyCount: Int { count { if case .busy = $0.state { true } else { false } } }

    func count(where predicate: (Connection) -> Bool) -> Int {
        var total = 0
        for connection in connections where predicate(connection) { total += 1 }
        return total
    }
}

/// One tcp_proxy connection's lifecycle beyond moving bytes, as Envoy's
/// `TcpProxy::Filter` runs it: the idle timeout and half-close. Pure: the NIO
/// handlers report events with the event loop's clock (nanoseconds) and carry
/// out the action returned.
///
/// - Idle timeout (`idle_timeout`, default 1 h, 0 disables): armed when the
///   downstream connection starts (Envoy >= 1.36, so a stalled upstream connect
///   times out too); reset by the upstream connecting and by bytes received or
///   sent on either connection. Expiry closes both connections without flushing.
///   The timer is lazy: one deadline is armed, and on firing it is re-armed from
///   the last activity, so bytes cost a clock read, not a timer reschedule.
/// - Half-close: a FIN from one side is passed on as a FIN (write shutdown) to
///   the other once what was queued for it is written; the other direction keeps
///   flowing. A connection that has both received and sent its FIN is done: a
///   socket closes itself then, and the other connection is flushed and closed.
/// - A connection that goes away entirely (closed, reset) closes the other once
///   what was queued for it is written (Envoy's FlushWrite).
public struct TCPProxySession: Sendable {
    public enum Side: Sendable, Equatable {
        case downstream, upstream

        public var peer: Side { self == .downstream ? .upstream : .downstream }
    }

    public enum Action: Sendable, Equatable {
        case none
        /// Run `idleTimerFired` at this deadline (the only timer armed).
        case armIdleTimer(deadlineNanos: Int64)
        /// Send a FIN on `side` after what is queued for it.
        case shutdownOutput(Side)
        /// Write what is queued for `side`, then close it.
        case flushAndClose(Side)
        /// Idle timeout: close both connections now, dropping what is queued.
        case closeBoth
    }

    /// 0: no idle timeout.
    public let idleTimeoutNanos: Int64
    private var lastActivityNanos: Int64 = 0
    private var upstreamConnected = false
    private var downstreamInputClosed = false
    private var upstreamInputClosed = false
    private var downstreamOutputClosed = false
    private var upstreamOutputClosed = false
    /// Both connections are on their way out; later events change nothing.
    public private(set) var isClosing = false
    /// The idle timeout ended the session (Envoy's `idle_timeout` stat).
    public private(set) var idleTimedOut = false

    public init(idleTimeoutNanos: Int64) {
        self.idleTimeoutNanos = max(0, idleTimeoutNanos)
    }

    public func isInputClosed(_ side: Side) -> Bool {
        side == .downstream ? downstreamInputClosed : upstreamInputClosed
    }

    public func isOutputClosed(_ side: Side) -> Bool {
        side == .downstream ? downstreamOutputClosed : upstreamOutputClosed
    }

    /// The downstream connection is served: the idle timer starts.
    public mutating func start(nowNanos: Int64) -> Action {
        lastActivityNanos = nowNanos
        guard idleTimeoutNanos > 0 else { return .none }
        return .armIdleTimer(deadlineNanos: Self.sum(nowNanos, idleTimeoutNanos))
    }

    /// The upstream connection is up. A FIN the client sent meanwhile is passed on.
    public mutating func upstreamConnected(nowNanos: Int64) -> Action {
        upstreamConnected = true
        lastActivityNanos = nowNanos
        guard downstreamInputClosed, !isClosing else { return .none }
        return passFIN(to: .upstream)
    }

    /// Bytes were received from, or written to, either connection.
    public mutating func bytesMoved(nowNanos: Int64) {
        lastActivityNanos = nowNanos
    }

    /// The armed deadline passed: expire, or re-arm from the last activity.
    public mutating func idleTimerFired(nowNanos: Int64) -> Action {
        guard idleTimeoutNanos > 0, !isClosing else { return .none }
        let deadline = Self.sum(lastActivityNanos, idleTimeoutNanos)
        guard nowNanos >= deadline else { return .armIdleTimer(deadlineNanos: deadline) }
        isClosing = true
        idleTimedOut = true
        return .closeBoth
    }

    /// `side` sent its FIN (nothing more will be read from it).
    public mutating func inputClosed(_ side: Side) -> Action {
        if side == .downstream { downstreamInputClosed = true } else { upstreamInputClosed = true }
        guard !isClosing else { return .none }
        // Before the upstream is connected the FIN waits, as the client's bytes do.
        if side == .downstream && !upstreamConnected { return .none }
        return passFIN(to: side.peer)
    }

    /// `side`'s connection is gone (closed by its peer or by us, or reset).
    public mutating func closed(_ side: Side) -> Action {
        guard !isClosing else { return .none }
        isClosing = true
        // A downstream that leaves while the upstream connects: the connect result is dropped.
        if side == .downstream && !upstreamConnected { return .none }
        return .flushAndClose(side.peer)
    }

    /// A deadline past Int64 is never.
    private static func sum(_ a: Int64, _ b: Int64) -> Int64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? .max : sum
    }

    private mutating func passFIN(to side: Side) -> Action {
        guard !isOutputClosed(side) else { return .none }
        if side == .downstream { downstreamOutputClosed = true } else { upstreamOutputClosed = true }
        // Its FIN came earlier: with ours sent it is done, and so is the other
        // connection (it both sent its FIN and had ours passed on before).
        guard !isInputClosed(side) else {
            isClosing = true
            return .flushAndClose(side)
        }
        return .shutdownOutput(side)
    }
}

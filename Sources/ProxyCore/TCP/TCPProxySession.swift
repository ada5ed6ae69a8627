/// One tcp_proxy connection's lifecycle beyond moving bytes, as Envoy's
/// `TcpProxy::Filter` runs it: the idle timeout, the maximum connection duration
/// and half-close. Pure: the NIO handlers report events with the event loop's
/// clock (nanoseconds) and carry out the action returned.
///
/// - Idle timeout (`idle_timeout`, default 1 h, 0 disables): armed when the
///   downstream connection starts (Envoy >= 1.36, so a stalled upstream connect
///   times out too); reset by the upstream connecting and by bytes received or
///   sent on either connection. Expiry closes both connections without flushing.
///   The timer is lazy: one deadline is armed, and on firing it is re-armed from
///   the last activity, so bytes cost a clock read, not a timer reschedule.
/// - `max_downstream_connection_duration` (none by default): from the downstream
///   connection's start, whatever flows; expiry closes both without flushing
///   (response flag DT). The same single timer serves both deadlines.
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
        /// Run `timerFired` at this deadline (the only timer armed).
        case armTimer(deadlineNanos: Int64)
        /// Send a FIN on `side` after what is queued for it.
        case shutdownOutput(Side)
        /// Write what is queued for `side`, then close it.
        case flushAndClose(Side)
        /// A timeout (`timedOut` says which): close both connections now,
        /// dropping what is queued.
        case closeBoth
    }

    public enum Timeout: Sendable, Equatable {
        case idle, maxDuration
    }

    /// 0: no idle timeout.
    public let idleTimeoutNanos: Int64
    /// 0: no maximum duration.
    public let maxDurationNanos: Int64
    private var startNanos: Int64 = 0
    private var lastActivityNanos: Int64 = 0
    private var upstreamConnected = false
    private var downstreamInputClosed = false
    private var upstreamInputClosed = false
    private var downstreamOutputClosed = false
    private var upstreamOutputClosed = false
    /// Both connections are on their way out; later events change nothing.
    public private(set) var isClosing = false
    /// The timeout that ended the session (Envoy's `idle_timeout` and
    /// `max_downstream_connection_duration` stats).
    public private(set) var timedOut: Timeout?

    public init(idleTimeoutNanos: Int64, maxDurationNanos: Int64 = 0) {
        self.idleTimeoutNanos = max(0, idleTimeoutNanos)
        self.maxDurationNanos = max(0, maxDurationNanos)
    }

    /// Bytes need noting (a write's completion costs a promise): only with an idle timeout.
    public var tracksActivity: Bool { idleTimeoutNanos > 0 }

    public func isInputClosed(_ side: Side) -> Bool {
        side == .downstream ? downstreamInputClosed : upstreamInputClosed
    }

    public func isOutputClosed(_ side: Side) -> Bool {
        side == .downstream ? downstreamOutputClosed : upstreamOutputClosed
    }

    /// The downstream connection is served: the timers start.
    public mutating func start(nowNanos: Int64) -> Action {
        startNanos = nowNanos
        lastActivityNanos = nowNanos
        return nextDeadline.map { .armTimer(deadlineNanos: $0) } ?? .none
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

    /// The armed deadline passed: expire, or re-arm for the next deadline.
    public mutating func timerFired(nowNanos: Int64) -> Action {
        guard !isClosing else { return .none }
        if maxDurationNanos > 0 && nowNanos >= Self.sum(startNanos, maxDurationNanos) {
            timedOut = .maxDuration
        } else if idleTimeoutNanos > 0 && nowNanos >= Self.sum(lastActivityNanos, idleTimeoutNanos) {
            timedOut = .idle
        } else {
            return nextDeadline.map { .armTimer(deadlineNanos: $0) } ?? .none
        }
        isClosing = true
        return .closeBoth
    }

    /// The earlier of the idle deadline (from the last activity) and the duration's end.
    private var nextDeadline: Int64? {
        let idle = idleTimeoutNanos > 0 ? Self.sum(lastActivityNanos, idleTimeoutNanos) : nil
        let duration = maxDurationNanos > 0 ? Self.sum(startNanos, maxDurationNanos) : nil
        switch (idle, duration) {
        case let (idle?, duration?): return min(idle, duration)
        case let (deadline?, nil), let (nil, deadline?): return deadline
        case (nil, nil): return nil
        }
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

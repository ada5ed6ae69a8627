import NIOCore
import ProxyCore

/// The retry policy's `per_try_timeout`, as Envoy's router applies it: each attempt's
/// timer starts once its request is on an upstream connection (the connect has its
/// own timeout); when it fires before the response started, the attempt is reset
/// (`upstream_rq_per_try_timeout`, a local-origin timeout for outlier detection) and
/// retried if the policy retries resets (`5xx`, `gateway-error`, `reset`), else the
/// client gets 504 `upstream request timeout`, flag `UT`, details
/// `upstream_per_try_timeout`. Once the response started it is ignored; the route
/// timeout still bounds the whole exchange. Routes without one schedule nothing;
/// one not under the route timeout is dropped (ExchangeTimeouts).
extension DownstreamHTTP1Handler {
    /// Starts the attempt's timer (called when an attempt gets its connection).
    func armPerTryTimeout() {
        let nanos = perTryTimeoutNanos
        guard nanos > 0, let context else { return }
        perTryTimer?.cancel()
        attemptSerial &+= 1
        let id = exchangeID, serial = attemptSerial
        perTryTimer = context.eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(nanos)) {
            self.perTryTimedOut(exchange: id, attempt: serial)
        }
    }

    func cancelPerTryTimeout() {
        guard let timer = perTryTimer else { return }
        timer.cancel()
        perTryTimer = nil
    }

    private func perTryTimedOut(exchange id: UInt64, attempt serial: UInt32) {
        guard id == exchangeID, serial == attemptSerial, inExchange, !downstreamClosed, upstream != nil, !responseStarted else { return }
        perTryTimer = nil
        switch responsePhase {
        case .head, .idle: break
        default: return
        }
        guard let cluster = currentCluster, let endpoint else { return }
        cluster.counters.stats.upstreamPerTryTimeout += 1
        cluster.outlierResult(.localOriginTimeout, endpoint: endpoint, worker: worker)
        upstreamReusable = false
        if retryAfterFailure(.perTryTimeout) { return }
        responseFlags.insert(.upstreamRequestTimeout)
        releaseUpstream()
        upstreamInbound = nil
        pendingUpstream = nil
        if case .done = requestPhase {} else { closeAfterResponse = true }
        var reply = LocalReply.upstreamTimeout
        reply.details = Self.perTryTimeoutDetails
        sendLocalReply(reply)
    }

    static let perTryTimeoutDetails = Array("upstream_per_try_timeout".utf8)
}

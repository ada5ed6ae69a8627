import NIOCore
import ProxyCore

extension DownstreamHTTP1Handler {
    /// Starts the route timeout of this exchange (Envoy's `timeout`, 504 UT).
    /// One timer per connection is kept and moved forward lazily: keep-alive
    /// exchanges shorter than the timeout schedule nothing new.
    func armRouteTimeout(nanos: Int64) {
        guard nanos > 0, let context else {
            exchangeDeadline = nil
            return
        }
        let deadline = context.eventLoop.now + .nanoseconds(nanos)
        exchangeDeadline = deadline
        if !timeoutTimerArmed { scheduleTimeoutCheck(at: deadline) }
    }

    private func scheduleTimeoutCheck(at deadline: NIODeadline) {
        guard let context else { return }
        timeoutTimerArmed = true
        context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) {
            self.timeoutCheck()
        }
    }

    private func timeoutCheck() {
        timeoutTimerArmed = false
        guard !downstreamClosed, inExchange, let deadline = exchangeDeadline, let context else { return }
        guard deadline <= context.eventLoop.now else {
            scheduleTimeoutCheck(at: deadline)
            return
        }
        routeTimedOut()
    }

    private func routeTimedOut() {
        exchangeDeadline = nil
        responseFlags.insert(.upstreamRequestTimeout)
        upstreamReusable = false
        waitingForConnection = false
        pendingUpstream = nil
        upstreamInbound = nil
        switch responsePhase {
        case .head, .idle:
            upstreamFailed(.localOriginTimeout)
            if case .done = requestPhase {} else { closeAfterResponse = true }
            sendLocalReply(LocalReply.upstreamTimeout)
        default:
            // Part of the response is out: only closing can tell the client.
            releaseUpstream()
            flushPending()
            closeDownstreamAfterFlush()
        }
    }
}

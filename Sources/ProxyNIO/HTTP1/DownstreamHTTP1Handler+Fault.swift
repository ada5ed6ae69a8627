import NIOCore
import ProxyCore

extension DownstreamHTTP1Handler {
    /// Draws the route's fault for this request (Envoy's fault filter, before the
    /// router). Returns an abort to answer now; a delay is left in `faultDelayNanos`
    /// (flag DI) and an abort that follows a delay waits with it.
    func injectFault(_ fault: FaultInjection) -> LocalReply? {
        let decision = fault.decide(worker.random.next(), worker.random.next())
        guard !decision.isNone else { return nil }
        let abort = decision.abortStatus.map(LocalReply.faultAbort)
        guard decision.delayNanos > 0 else { return abort }
        faultDelayNanos = decision.delayNanos
        responseFlags.insert(.delayInjected)
        faultDeferredReply = abort
        return nil
    }

    /// Holds the exchange for the injected delay; request body bytes that arrive
    /// meanwhile are kept for the upstream.
    func startFaultDelay() {
        guard let context else { return }
        let nanos = faultDelayNanos
        let exchange = exchangeID
        faultDelayNanos = 0
        faultDelaying = true
        context.eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(nanos)) {
            self.faultDelayEnded(exchange)
        }
    }

    private func faultDelayEnded(_ exchange: UInt64) {
        guard faultDelaying, exchange == exchangeID, inExchange, !downstreamClosed else { return }
        faultDelaying = false
        if let reply = faultDeferredReply {
            faultDeferredReply = nil
            if case .done = requestPhase {} else { closeAfterResponse = true }
            sendLocalReply(reply)
        } else {
            proceedUpstream()
        }
        // Outside a read burst nothing else flushes what was just written.
        flushPending()
    }
}

extension LocalReply {
    /// Envoy's fault-filter abort: the configured status, `fault filter abort`, flag FI.
    static func faultAbort(_ status: Int) -> LocalReply {
        var reply = LocalReply(status: status, text: "fault filter abort", flags: .faultInjected)
        reply.routeHeaders = false
        return reply
    }
}

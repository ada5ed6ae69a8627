import ProxyCore
import Testing

/// Envoy's tcp_proxy idle timeout and half-close, without sockets.
@Suite struct TCPProxySessionTests {
    static let second: Int64 = 1_000_000_000

    @Test func idleTimerIsArmedWhenTheDownstreamStarts() {
        var session = TCPProxySession(idleTimeoutNanos: Self.second)
        #expect(session.start(nowNanos: 100) == .armIdleTimer(deadlineNanos: 100 + Self.second))
    }

    @Test func zeroDisablesTheIdleTimeout() {
        var session = TCPProxySession(idleTimeoutNanos: 0)
        #expect(session.start(nowNanos: 0) == .none)
        #expect(session.idleTimerFired(nowNanos: 10 * Self.second) == .none)
        #expect(!session.isClosing)
    }

    @Test func aHugeTimeoutNeverWrapsIntoThePast() {
        var session = TCPProxySession(idleTimeoutNanos: .max)
        #expect(session.start(nowNanos: 5) == .armIdleTimer(deadlineNanos: .max))
        #expect(session.idleTimerFired(nowNanos: 1_000 * Self.second) == .armIdleTimer(deadlineNanos: .max))
    }

    @Test func theDefaultConfigIsOneHour() {
        #expect(TCPProxySession(idleTimeoutNanos: TCPProxyConfig(statPrefix: "t", target: .cluster("c")).idleTimeoutNanos).idleTimeoutNanos
            == 3_600 * Self.second)
    }

    @Test func anIdleConnectionExpiresAndClosesBoth() {
        var session = TCPProxySession(idleTimeoutNanos: Self.second)
        _ = session.start(nowNanos: 0)
        _ = session.upstreamConnected(nowNanos: 0)
        #expect(session.idleTimerFired(nowNanos: Self.second) == .closeBoth)
        #expect(session.idleTimedOut)
        #expect(session.isClosing)
        // The closes that follow change nothing more.
        #expect(session.closed(.downstream) == .none)
        #expect(session.closed(.upstream) == .none)
    }

    @Test func bytesEitherWayPushTheDeadlineBack() {
        var session = TCPProxySession(idleTimeoutNanos: Self.second)
        _ = session.start(nowNanos: 0)
        _ = session.upstreamConnected(nowNanos: 0)
        session.bytesMoved(nowNanos: Self.second / 2)
        #expect(session.idleTimerFired(nowNanos: Self.second) == .armIdleTimer(deadlineNanos: Self.second * 3 / 2))
        session.bytesMoved(nowNanos: Self.second * 5 / 4)
        #expect(session.idleTimerFired(nowNanos: Self.second * 3 / 2) == .armIdleTimer(deadlineNanos: Self.second * 9 / 4))
        #expect(session.idleTimerFired(nowNanos: Self.second * 9 / 4) == .closeBoth)
    }

    @Test func theUpstreamConnectingCountsAsActivity() {
        var session = TCPProxySession(idleTimeoutNanos: Self.second)
        _ = session.start(nowNanos: 0)
        _ = session.upstreamConnected(nowNanos: Self.second / 2)
        #expect(session.idleTimerFired(nowNanos: Self.second) == .armIdleTimer(deadlineNanos: Self.second * 3 / 2))
    }

    @Test func aStalledUpstreamConnectTimesOutToo() {
        // Since Envoy 1.36 the timer runs from the downstream's start.
        var session = TCPProxySession(idleTimeoutNanos: Self.second)
        _ = session.start(nowNanos: 0)
        #expect(session.idleTimerFired(nowNanos: Self.second) == .closeBoth)
    }

    @Test func theClientsFINIsPassedOnAndTheReplyStillFlows() {
        var session = TCPProxySession(idleTimeoutNanos: Self.second)
        _ = session.start(nowNanos: 0)
        _ = session.upstreamConnected(nowNanos: 0)
        #expect(session.inputClosed(.downstream) == .shutdownOutput(.upstream))
        #expect(!session.isClosing)
        // The upstream answers, then sends its FIN: the downstream is done both ways.
        #expect(session.inputClosed(.upstream) == .flushAndClose(.downstream))
        #expect(session.isClosing)
        #expect(session.closed(.upstream) == .none)
    }

    @Test func theUpstreamsFINIsPassedOnAndTheClientKeepsSending() {
        var session = TCPProxySession(idleTimeoutNanos: 0)
        _ = session.start(nowNanos: 0)
        _ = session.upstreamConnected(nowNanos: 0)
        #expect(session.inputClosed(.upstream) == .shutdownOutput(.downstream))
        #expect(session.isOutputClosed(.downstream))
        #expect(!session.isOutputClosed(.upstream))
        #expect(session.inputClosed(.downstream) == .flushAndClose(.upstream))
    }

    @Test func aFINBeforeTheUpstreamConnectsWaitsForIt() {
        var session = TCPProxySession(idleTimeoutNanos: Self.second)
        _ = session.start(nowNanos: 0)
        #expect(session.inputClosed(.downstream) == .none)
        #expect(session.upstreamConnected(nowNanos: 1) == .shutdownOutput(.upstream))
    }

    @Test func aSecondFINOnTheSameSideChangesNothing() {
        var session = TCPProxySession(idleTimeoutNanos: 0)
        _ = session.start(nowNanos: 0)
        _ = session.upstreamConnected(nowNanos: 0)
        #expect(session.inputClosed(.downstream) == .shutdownOutput(.upstream))
        #expect(session.inputClosed(.downstream) == .none)
    }

    @Test func aConnectionGoingAwayFlushesAndClosesTheOther() {
        var up = TCPProxySession(idleTimeoutNanos: 0)
        _ = up.upstreamConnected(nowNanos: 0)
        #expect(up.closed(.upstream) == .flushAndClose(.downstream))

        var down = TCPProxySession(idleTimeoutNanos: 0)
        _ = down.upstreamConnected(nowNanos: 0)
        #expect(down.closed(.downstream) == .flushAndClose(.upstream))
        #expect(down.closed(.upstream) == .none)
    }

    @Test func aClientLeavingWhileTheUpstreamConnectsLeavesNothingToClose() {
        var session = TCPProxySession(idleTimeoutNanos: Self.second)
        _ = session.start(nowNanos: 0)
        #expect(session.closed(.downstream) == .none)
        #expect(session.isClosing)
        #expect(session.idleTimerFired(nowNanos: 2 * Self.second) == .none)
    }

    @Test func theIdleTimerKeepsRunningAfterAHalfClose() {
        var session = TCPProxySession(idleTimeoutNanos: Self.second)
        _ = session.start(nowNanos: 0)
        _ = session.upstreamConnected(nowNanos: 0)
        _ = session.inputClosed(.downstream)
        #expect(session.idleTimerFired(nowNanos: Self.second) == .closeBoth)
    }
}

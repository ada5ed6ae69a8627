import ProxyCore
import Testing

/// Envoy's tcp_proxy idle timeout, maximum duration and half-close, without sockets.
@Suite struct TCPProxySessionTests {
    static let second: Int64 = 1_000_000_000

    @Test func idleTimerIsArmedWhenTheDownstreamStarts() {
        var session = TCPProxySession(idleTimeoutNanos: Self.second)
        #expect(session.start(nowNanos: 100) == .armTimer(deadlineNanos: 100 + Self.second))
    }

    @Test func zeroDisablesTheIdleTimeout() {
        var session = TCPProxySession(idleTimeoutNanos: 0)
        #expect(session.start(nowNanos: 0) == .none)
        #expect(session.timerFired(nowNanos: 10 * Self.second) == .none)
        #expect(!session.isClosing)
    }

    @Test func aHugeTimeoutNeverWrapsIntoThePast() {
        var session = TCPProxySession(idleTimeoutNanos: .max)
        #expect(session.start(nowNanos: 5) == .armTimer(deadlineNanos: .max))
        #expect(session.timerFired(nowNanos: 1_000 * Self.second) == .armTimer(deadlineNanos: .max))
    }

    @Test func theDefaultConfigIsOneHour() {
        #expect(TCPProxySession(idleTimeoutNanos: TCPProxyConfig(statPrefix: "t", target: .cluster("c")).idleTimeoutNanos).idleTimeoutNanos
            == 3_600 * Self.second)
    }

    @Test func anIdleConnectionExpiresAndClosesBoth() {
        var session = TCPProxySession(idleTimeoutNanos: Self.second)
        _ = session.start(nowNanos: 0)
        _ = session.upstreamConnected(nowNanos: 0)
        #expect(session.timerFired(nowNanos: Self.second) == .closeBoth)
        #expect(session.timedOut == .idle)
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
        #expect(session.timerFired(nowNanos: Self.second) == .armTimer(deadlineNanos: Self.second * 3 / 2))
        session.bytesMoved(nowNanos: Self.second * 5 / 4)
        #expect(session.timerFired(nowNanos: Self.second * 3 / 2) == .armTimer(deadlineNanos: Self.second * 9 / 4))
        #expect(session.timerFired(nowNanos: Self.second * 9 / 4) == .closeBoth)
    }

    @Test func theUpstreamConnectingCountsAsActivity() {
        var session = TCPProxySession(idleTimeoutNanos: Self.second)
        _ = session.start(nowNanos: 0)
        _ = session.upstreamConnected(nowNanos: Self.second / 2)
        #expect(session.timerFired(nowNanos: Self.second) == .armTimer(deadlineNanos: Self.second * 3 / 2))
    }

    @Test func aStalledUpstreamConnectTimesOutToo() {
        // Since Envoy 1.36 the timer runs from the downstream's start.
        var session = TCPProxySession(idleTimeoutNanos: Self.second)
        _ = session.start(nowNanos: 0)
        #expect(session.timerFired(nowNanos: Self.second) == .closeBoth)
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
        #expect(session.timerFired(nowNanos: 2 * Self.second) == .none)
    }

    @Test func theIdleTimerKeepsRunningAfterAHalfClose() {
        var session = TCPProxySession(idleTimeoutNanos: Self.second)
        _ = session.start(nowNanos: 0)
        _ = session.upstreamConnected(nowNanos: 0)
        _ = session.inputClosed(.downstream)
        #expect(session.timerFired(nowNanos: Self.second) == .closeBoth)
    }

    @Test func theMaximumDurationEndsABusyConnection() {
        var session = TCPProxySession(idleTimeoutNanos: Self.second, maxDurationNanos: 3 * Self.second / 2)
        #expect(session.start(nowNanos: 0) == .armTimer(deadlineNanos: Self.second))
        _ = session.upstreamConnected(nowNanos: 0)
        session.bytesMoved(nowNanos: Self.second / 2)
        // The idle deadline moved to 1.5 s, where the duration ends too.
        #expect(session.timerFired(nowNanos: Self.second) == .armTimer(deadlineNanos: 3 * Self.second / 2))
        session.bytesMoved(nowNanos: 5 * Self.second / 4)
        #expect(session.timerFired(nowNanos: 3 * Self.second / 2) == .closeBoth)
        #expect(session.timedOut == .maxDuration)
    }

    @Test func theMaximumDurationAloneArmsTheTimer() {
        var session = TCPProxySession(idleTimeoutNanos: 0, maxDurationNanos: 2 * Self.second)
        #expect(session.start(nowNanos: 10) == .armTimer(deadlineNanos: 10 + 2 * Self.second))
        #expect(!session.tracksActivity)
        #expect(session.timerFired(nowNanos: 10 + 2 * Self.second) == .closeBoth)
        #expect(session.timedOut == .maxDuration)
    }

    @Test func anIdleTimeoutBeforeTheDurationIsAnIdleTimeout() {
        var session = TCPProxySession(idleTimeoutNanos: Self.second, maxDurationNanos: 10 * Self.second)
        _ = session.start(nowNanos: 0)
        #expect(session.timerFired(nowNanos: Self.second) == .closeBoth)
        #expect(session.timedOut == .idle)
    }
}

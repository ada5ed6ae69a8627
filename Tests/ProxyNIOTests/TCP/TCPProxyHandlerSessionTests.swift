import NIOCore
import NIOEmbedded
import ProxyCore
import Testing
@testable import ProxyNIO

/// Records `close(mode: .output)` (an EmbeddedChannel would close entirely) and
/// passes every other close on.
final class OutputCloseRecorder: ChannelOutboundHandler {
    typealias OutboundIn = Any
    private(set) var outputClosed = false

    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        guard mode == .output else { return context.close(mode: mode, promise: promise) }
        outputClosed = true
        promise?.succeed(())
    }
}

/// A tcp_proxy connection on an EmbeddedEventLoop: the client and the upstream
/// are EmbeddedChannels, the clock is the loop's.
final class EmbeddedTCPProxy {
    let loop = EmbeddedEventLoop()
    let worker: WorkerRuntime
    let downstreamCloses = OutputCloseRecorder()
    private(set) var upstream: EmbeddedChannel?
    let upstreamCloses = OutputCloseRecorder()

    init(idleTimeoutNanos: Int64, maxDurationNanos: Int64 = 0) throws {
        worker = WorkerRuntime(eventLoop: loop, config: EmbeddedProxy.config())
        downstreamChannel = EmbeddedChannel(loop: loop)
        let downstream = downstreamChannel
        worker.handlerConnector = { [unowned self] endpoint, _, handler in
            let channel = EmbeddedChannel(loop: self.loop)
            try! channel.pipeline.syncOperations.addHandler(self.upstreamCloses)
            try! channel.pipeline.syncOperations.addHandler(handler)
            _ = channel.connect(to: endpoint.address)
            self.upstream = channel
            return self.loop.makeSucceededFuture(channel)
        }
        var config = TCPProxyConfig(statPrefix: "tcp", target: .cluster("backend"), idleTimeoutNanos: idleTimeoutNanos)
        config.maxDownstreamConnectionDurationNanos = maxDurationNanos
        try downstream.pipeline.syncOperations.addHandler(downstreamCloses)
        try downstream.pipeline.syncOperations.addHandler(TCPProxyHandler(worker: worker, config: config))
        _ = downstream.connect(to: try SocketAddress(ipAddress: "127.0.0.1", port: 40000))
    }

    let downstreamChannel: EmbeddedChannel

    func advance(milliseconds: Int64) { loop.advanceTime(by: .milliseconds(milliseconds)) }

    static func drain(_ channel: EmbeddedChannel?) throws -> String {
        var text = ""
        while let buffer = try channel?.readOutbound(as: ByteBuffer.self) { text += String(buffer: buffer) }
        return text
    }
}

@Suite struct TCPProxyHandlerSessionTests {
    @Test func anIdleConnectionIsClosedBothWaysAtTheTimeout() throws {
        let proxy = try EmbeddedTCPProxy(idleTimeoutNanos: 1_000_000_000)
        let upstream = try #require(proxy.upstream)
        proxy.advance(milliseconds: 999)
        #expect(proxy.downstreamChannel.isActive)
        proxy.advance(milliseconds: 1)
        #expect(!proxy.downstreamChannel.isActive)
        #expect(!upstream.isActive)
        // Counted as one closed connection without a response flag, as Envoy's.
        let closed = PrometheusExposition.render([proxy.worker.telemetry]).split(separator: "\n")
            .filter { $0.hasPrefix("istio_tcp_connections_closed_total{") }
        #expect(closed.count == 1)
        #expect(closed.first?.contains(#"response_flags="-""#) == true)
        #expect(closed.first?.hasSuffix("} 1") == true)
        var counters: [String: UInt64] = [:]
        proxy.worker.collectStats(into: &counters)
        #expect(counters["tcp.tcp.downstream_cx_total"] == 1)
        #expect(counters["tcp.tcp.idle_timeout"] == 1)
    }

    @Test func bytesEitherWayKeepTheConnectionOpen() throws {
        let proxy = try EmbeddedTCPProxy(idleTimeoutNanos: 1_000_000_000)
        let upstream = try #require(proxy.upstream)
        for step in 0..<6 {
            proxy.advance(milliseconds: 600)
            if step % 2 == 0 {
                try proxy.downstreamChannel.writeInbound(ByteBuffer(string: "ping"))
            } else {
                try upstream.writeInbound(ByteBuffer(string: "pong"))
            }
        }
        #expect(proxy.downstreamChannel.isActive && upstream.isActive)
        #expect(try EmbeddedTCPProxy.drain(upstream) == "pingpingping")
        #expect(try EmbeddedTCPProxy.drain(proxy.downstreamChannel) == "pongpongpong")
        proxy.advance(milliseconds: 1_000)
        #expect(!proxy.downstreamChannel.isActive && !upstream.isActive)
    }

    @Test func aHalfClosedConnectionIsNotAnIdleTimeout() throws {
        let proxy = try EmbeddedTCPProxy(idleTimeoutNanos: 1_000_000_000)
        let upstream = try #require(proxy.upstream)
        proxy.downstreamChannel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        upstream.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        proxy.advance(milliseconds: 2_000)
        var counters: [String: UInt64] = [:]
        proxy.worker.collectStats(into: &counters)
        #expect(counters["tcp.tcp.idle_timeout"] == 0)
        #expect(!proxy.downstreamChannel.isActive)
    }

    @Test func theMaximumDurationClosesABusyConnectionWithDT() throws {
        let proxy = try EmbeddedTCPProxy(idleTimeoutNanos: 1_000_000_000, maxDurationNanos: 2_000_000_000)
        let upstream = try #require(proxy.upstream)
        for _ in 0..<3 {
            proxy.advance(milliseconds: 600)
            try proxy.downstreamChannel.writeInbound(ByteBuffer(string: "busy"))
        }
        #expect(proxy.downstreamChannel.isActive)
        proxy.advance(milliseconds: 200)
        #expect(!proxy.downstreamChannel.isActive && !upstream.isActive)
        // The close is counted under DT (the opened count keeps its "-" series).
        let closed = PrometheusExposition.render([proxy.worker.telemetry]).split(separator: "\n")
            .filter { $0.hasPrefix("istio_tcp_connections_closed_total{") && $0.hasSuffix("} 1") }
        #expect(closed.count == 1)
        #expect(closed.first?.contains(#"response_flags="DT""#) == true, "\(closed)")
        var counters: [String: UInt64] = [:]
        proxy.worker.collectStats(into: &counters)
        #expect(counters["tcp.tcp.max_downstream_connection_duration"] == 1)
        #expect(counters["tcp.tcp.idle_timeout"] == 0)
    }

    @Test func zeroDisablesTheIdleTimeout() throws {
        let proxy = try EmbeddedTCPProxy(idleTimeoutNanos: 0)
        proxy.advance(milliseconds: 7_200_000)
        #expect(proxy.downstreamChannel.isActive)
        #expect(try #require(proxy.upstream).isActive)
    }

    @Test func theClientsFINReachesTheUpstreamAndTheReplyStillComesBack() throws {
        let proxy = try EmbeddedTCPProxy(idleTimeoutNanos: 0)
        let upstream = try #require(proxy.upstream)
        try proxy.downstreamChannel.writeInbound(ByteBuffer(string: "request"))
        proxy.downstreamChannel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        #expect(proxy.upstreamCloses.outputClosed)
        #expect(upstream.isActive && proxy.downstreamChannel.isActive)
        #expect(try EmbeddedTCPProxy.drain(upstream) == "request")

        try upstream.writeInbound(ByteBuffer(string: "reply"))
        #expect(try EmbeddedTCPProxy.drain(proxy.downstreamChannel) == "reply")
        upstream.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        // The client had sent its FIN and now has the upstream's: it is done.
        #expect(!proxy.downstreamChannel.isActive)
        #expect(!upstream.isActive)
    }

    @Test func theUpstreamsFINReachesTheClientWhichKeepsSending() throws {
        let proxy = try EmbeddedTCPProxy(idleTimeoutNanos: 0)
        let upstream = try #require(proxy.upstream)
        try upstream.writeInbound(ByteBuffer(string: "banner"))
        upstream.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        #expect(proxy.downstreamCloses.outputClosed)
        #expect(try EmbeddedTCPProxy.drain(proxy.downstreamChannel) == "banner")
        try proxy.downstreamChannel.writeInbound(ByteBuffer(string: "more"))
        #expect(try EmbeddedTCPProxy.drain(upstream) == "more")
        #expect(upstream.isActive)
    }

    @Test func anUpstreamThatGoesAwayClosesTheClientAfterItsBytes() throws {
        let proxy = try EmbeddedTCPProxy(idleTimeoutNanos: 0)
        let upstream = try #require(proxy.upstream)
        try upstream.writeInbound(ByteBuffer(string: "last words"))
        _ = upstream.close()
        #expect(try EmbeddedTCPProxy.drain(proxy.downstreamChannel) == "last words")
        #expect(!proxy.downstreamChannel.isActive)
        #expect(!proxy.downstreamCloses.outputClosed)
    }
}

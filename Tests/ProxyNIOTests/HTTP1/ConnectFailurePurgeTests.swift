import NIOCore
import NIOEmbedded
import ProxyCore
import Testing
@testable import ProxyNIO

/// A failed connect fails every request pending on the endpoint's pool (Envoy's
/// `purgePendingStreams`), on one worker with several downstream connections and
/// connects the test completes by hand.
@Suite struct ConnectFailurePurgeTests {
    final class Harness {
        let loop = EmbeddedEventLoop()
        let worker: WorkerRuntime
        var connects: [EventLoopPromise<any Channel>] = []
        var clients: [EmbeddedChannel] = []

        init(maxConnections: Int) throws {
            var config = EmbeddedProxy.config()
            config.clusters["backend"]!.thresholds.maxConnections = maxConnections
            worker = WorkerRuntime(eventLoop: loop, config: config)
            worker.connector = { [unowned self] _, _ in
                let promise = self.loop.makePromise(of: (any Channel).self)
                self.connects.append(promise)
                return promise.futureResult
            }
        }

        @discardableResult
        func client(_ request: String = "GET /x HTTP/1.1\r\nHost: a\r\n\r\n") throws -> EmbeddedChannel {
            let channel = EmbeddedChannel(loop: loop)
            try channel.pipeline.syncOperations.addHandler(DownstreamHTTP1Handler(worker: worker, listener: worker.listener(named: "http")!))
            _ = channel.connect(to: try SocketAddress(ipAddress: "127.0.0.1", port: 40000 + clients.count))
            clients.append(channel)
            try channel.writeInbound(ByteBuffer(string: request))
            return channel
        }

        func succeed(_ index: Int) throws -> EmbeddedChannel {
            let channel = EmbeddedChannel(loop: loop)
            try channel.pipeline.syncOperations.addHandler(UpstreamHTTP1Handler())
            connects[index].succeed(channel)
            return channel
        }

        func fail(_ index: Int) {
            connects[index].fail(ChannelError.connectTimeout(.milliseconds(500)))
        }

        var endpoint: EndpointRuntime { worker.cluster(named: "backend")!.endpoints[0] }
        var breaker: CircuitBreaker { endpoint.resources.withBreaker { $0 } }
        var ejected: UInt64 { worker.cluster(named: "backend")!.counters.stats.upstreamPendingFailureEject }
    }

    @Test func aQueuedRequestFailsWithTheConnectItWaitedFor() throws {
        let proxy = try Harness(maxConnections: 1)
        let a = try proxy.client(), b = try proxy.client()
        #expect(proxy.connects.count == 1)   // b waits for a's connection
        proxy.fail(0)
        #expect(try a.outboundText().hasPrefix("HTTP/1.1 503"))
        #expect(try b.outboundText().hasPrefix("HTTP/1.1 503"))
        #expect(proxy.connects.count == 1)   // b opened no connect of its own
        #expect(proxy.ejected == 2)
        #expect(proxy.breaker.count(.pendingRequests) == 0 && proxy.breaker.count(.connections) == 0)
    }

    @Test func aConnectOutlivingItsPurgedRequestServesThePool() throws {
        let proxy = try Harness(maxConnections: 2)
        let a = try proxy.client(), b = try proxy.client()
        #expect(proxy.connects.count == 2)
        proxy.fail(0)
        #expect(try a.outboundText().hasPrefix("HTTP/1.1 503"))
        #expect(try b.outboundText().hasPrefix("HTTP/1.1 503"))
        #expect(proxy.breaker.count(.pendingRequests) == 0 && proxy.breaker.count(.connections) == 1)
        // b's connect comes up after all: an idle connection for the next request.
        let upstream = try proxy.succeed(1)
        #expect(proxy.endpoint.idle.count == 1)
        try b.writeInbound(ByteBuffer(string: "GET /next HTTP/1.1\r\nHost: a\r\n\r\n"))
        #expect(try upstream.outboundText().hasPrefix("GET /next HTTP/1.1"))
        try upstream.writeInbound(ByteBuffer(string: "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"))
        #expect(try b.outboundText().hasPrefix("HTTP/1.1 200"))
    }

    @Test func aLaterConnectFailureFailsOnlyWhatIsPendingThen() throws {
        let proxy = try Harness(maxConnections: 2)
        let a = try proxy.client(), b = try proxy.client()
        proxy.fail(0)
        _ = try a.outboundText()
        _ = try b.outboundText()
        // b's next request opens a connect of its own beside b's first, still under way.
        try b.writeInbound(ByteBuffer(string: "GET /next HTTP/1.1\r\nHost: a\r\n\r\n"))
        #expect(proxy.connects.count == 3)
        // The old connect fails: b's new request is pending on the pool, so it fails too.
        proxy.fail(1)
        #expect(try b.outboundText().hasPrefix("HTTP/1.1 503"))
        #expect(proxy.ejected == 3)
        #expect(proxy.breaker.count(.pendingRequests) == 0)
        // Its own connect then comes up and goes idle.
        _ = try proxy.succeed(2)
        #expect(proxy.endpoint.idle.count == 1 && proxy.breaker.count(.connections) == 1)
    }
}

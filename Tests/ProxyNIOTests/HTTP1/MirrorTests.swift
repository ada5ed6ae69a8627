import NIOCore
import NIOEmbedded
import ProxyCore
import Testing
@testable import ProxyNIO

/// Request mirroring: a copy of each request goes to the mirror cluster with a
/// `-shadow` authority; the client only ever sees the primary's answer.
@Suite struct MirrorTests {
    /// Shadow connections the proxy opened; `connect` decides how they come up.
    final class Shadows {
        var channels: [EmbeddedChannel] = []
        /// nil: connected at once; else a promise the test never fulfils (a slow shadow).
        var pending: [EventLoopPromise<any Channel>] = []
        var slow = false
    }

    func proxy(fraction: FractionalPercent? = nil) throws -> (EmbeddedProxy, Shadows) {
        var config = EmbeddedProxy.config()
        let route = RouteEntry(name: "mirrored", match: RouteMatchRule(path: PathMatch(.prefix(Array("/".utf8)))),
                               action: .forward(ForwardAction(target: .cluster("backend"), timeoutNanos: 0,
                                                              mirrors: [ForwardAction.Mirror(cluster: "shadow", fraction: fraction)])))
        let table = try RouteTable(name: "r", virtualHosts: [VirtualHostConfig(name: "vh", domains: ["*"], routes: [route])])
        config.listeners = [ListenerConfig(name: "http", host: "127.0.0.1", port: 0,
                                           chain: .http(HTTPConnectionConfig(statPrefix: "http", routes: .inline(table))))]
        config.clusters["shadow"] = ClusterConfig(name: "shadow", discovery: .staticEndpoints)
        config.endpoints["shadow"] = EndpointSet(clusterName: "shadow", groups: [EndpointSet.Group(endpoints: [EndpointSet.Endpoint(host: "127.0.0.1", port: 9100)])])
        let proxy = try EmbeddedProxy(config: config)
        let shadows = Shadows()
        proxy.worker.shadowConnector = { [unowned proxy] endpoint, _ in
            if shadows.slow {
                let promise = proxy.loop.makePromise(of: (any Channel).self)
                shadows.pending.append(promise)
                return promise.futureResult
            }
            let channel = EmbeddedChannel(loop: proxy.loop)
            try! channel.pipeline.syncOperations.addHandler(ShadowUpstreamHandler())
            _ = channel.connect(to: endpoint.address)
            shadows.channels.append(channel)
            return proxy.loop.makeSucceededFuture(channel)
        }
        return (proxy, shadows)
    }

    func read(_ channel: EmbeddedChannel) throws -> String {
        var text = ""
        while let buffer = try channel.readOutbound(as: ByteBuffer.self) { text += String(buffer: buffer) }
        return text
    }

    @Test func aCopyGoesToTheShadowAndThePrimaryIsUnaffected() throws {
        let (proxy, shadows) = try proxy()
        try proxy.send("POST /r HTTP/1.1\r\nHost: svc:9080\r\nContent-Length: 4\r\n\r\nbo")
        try proxy.send("dy")
        #expect(shadows.channels.count == 1)
        let copy = try read(shadows.channels[0])
        #expect(copy.hasPrefix("POST /r HTTP/1.1\r\nHost: svc-shadow:9080\r\n"), "\(copy)")
        #expect(copy.hasSuffix("\r\n\r\nbody"))
        #expect(try proxy.upstreamReceived().contains("Host: svc:9080\r\n"))
        try proxy.respond("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
        #expect(try proxy.received() == "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
        // The shadow's answer is counted and discarded; its connection is pooled.
        try shadows.channels[0].writeInbound(ByteBuffer(string: "HTTP/1.1 201 Created\r\nContent-Length: 6\r\n\r\nshadow"))
        #expect(try proxy.received() == "")
        let stats = proxy.worker.cluster(named: "shadow")!.counters.stats
        #expect(stats.responseCodes == [201: 1])
        #expect(stats.upstreamRequestTotal == 1)
        // The next request's copy reuses the shadow connection.
        try proxy.send("GET /again HTTP/1.1\r\nHost: svc\r\n\r\n")
        #expect(shadows.channels.count == 1)
        #expect(try read(shadows.channels[0]).hasPrefix("GET /again HTTP/1.1\r\nHost: svc-shadow\r\n"))
    }

    @Test func aSlowShadowDoesNotSlowThePrimary() throws {
        let (proxy, shadows) = try proxy()
        shadows.slow = true
        let body = String(repeating: "x", count: 100_000)
        try proxy.send("POST / HTTP/1.1\r\nHost: svc\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
        #expect(shadows.pending.count == 1)
        // The primary got everything and answers; the client has the answer.
        #expect(try proxy.upstreamReceived().hasSuffix(body))
        try proxy.respond("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
        #expect(try proxy.received() == "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
        // More than 64 KiB held for the shadow: the copy was dropped; a late
        // connection is closed, not written to.
        let late = EmbeddedChannel(loop: proxy.loop)
        try late.pipeline.syncOperations.addHandler(ShadowUpstreamHandler())
        _ = late.connect(to: try SocketAddress(ipAddress: "127.0.0.1", port: 9100))
        shadows.pending[0].succeed(late)
        #expect(try read(late) == "")
        #expect(!late.isActive)
    }

    @Test func theRuntimeFractionIsHonoured() throws {
        let (proxy, shadows) = try proxy(fraction: FractionalPercent(numerator: 0, denominator: 100))
        for _ in 0..<5 {
            try proxy.send("GET / HTTP/1.1\r\nHost: svc\r\n\r\n")
            try proxy.respond("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
            #expect(try proxy.received() == "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
        }
        #expect(shadows.channels.isEmpty)
    }
}

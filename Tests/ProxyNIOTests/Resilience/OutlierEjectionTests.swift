import NIOCore
import NIOEmbedded
import ProxyCore
import Testing
@testable import ProxyNIO

/// Outlier detection on the forwarding path: consecutive 5xx from one endpoint
/// eject it from the balancer until the base ejection time has passed.
@Suite struct OutlierEjectionTests {
    func proxy() throws -> EmbeddedProxy {
        var config = EmbeddedProxy.config(endpoints: [EndpointSet.Endpoint(host: "127.0.0.1", port: 9001),
                                                      EndpointSet.Endpoint(host: "127.0.0.1", port: 9002)])
        var outlier = OutlierDetectionConfig()
        outlier.consecutive5xx = 2
        outlier.intervalMs = 1000
        outlier.baseEjectionTimeMs = 5000
        outlier.maxEjectionPercent = 100
        config.clusters["backend"]?.outlierDetection = outlier
        return try EmbeddedProxy(config: config)
    }

    /// One request; the upstream at 9002 answers 500, the other 200, each closing
    /// its connection so every request picks again. Returns the port used.
    func exchange(_ proxy: EmbeddedProxy) throws -> Int {
        let before = proxy.upstreams.count
        try proxy.send("GET / HTTP/1.1\r\nHost: svc\r\n\r\n")
        #expect(proxy.upstreams.count == before + 1)
        let upstream = proxy.upstreams[before]
        let port = upstream.remoteAddress!.port!
        let status = port == 9002 ? "500 Internal Server Error" : "200 OK"
        try upstream.writeInbound(ByteBuffer(string: "HTTP/1.1 \(status)\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"))
        _ = try proxy.received()
        return port
    }

    @Test func anEndpointIsEjectedAfterConsecutive5xxAndReturnsAfterTheEjectionTime() throws {
        let proxy = try proxy()
        var ports: [Int] = []
        for _ in 0..<4 { ports.append(try exchange(proxy)) }
        #expect(ports.filter { $0 == 9002 }.count == 2, "round robin reaches the failing endpoint twice: \(ports)")
        let stats = proxy.worker.cluster(named: "backend")!.counters.stats
        #expect(stats.ejectionsEnforcedTotal == 1)
        #expect(stats.ejectionsActive == 1)
        #expect(stats.responseCodes[500] == 2)
        var after: [Int] = []
        for _ in 0..<6 { after.append(try exchange(proxy)) }
        #expect(after.allSatisfy { $0 == 9001 }, "ejected: \(after)")
        // The interval timer un-ejects once the base ejection time has passed.
        proxy.loop.advanceTime(by: .seconds(6))
        #expect(proxy.worker.cluster(named: "backend")!.counters.stats.ejectionsActive == 0)
        var back: [Int] = []
        for _ in 0..<4 { back.append(try exchange(proxy)) }
        #expect(back.contains(9002), "back after the ejection time: \(back)")
    }

    @Test func connectFailuresCountAsGatewayErrorsOf5xx() throws {
        let proxy = try proxy()
        proxy.upstreamReachable = false
        for _ in 0..<2 {
            try proxy.send("GET / HTTP/1.1\r\nHost: svc\r\n\r\n")
            #expect(try proxy.received().hasPrefix("HTTP/1.1 503"))
        }
        // Round robin tried each endpoint once: no endpoint has two failures yet.
        #expect(proxy.worker.cluster(named: "backend")!.counters.stats.ejectionsEnforcedTotal == 0)
        for _ in 0..<2 {
            try proxy.send("GET / HTTP/1.1\r\nHost: svc\r\n\r\n")
            _ = try proxy.received()
        }
        #expect(proxy.worker.cluster(named: "backend")!.counters.stats.ejectionsEnforcedTotal >= 1)
        #expect(proxy.worker.cluster(named: "backend")!.counters.stats.responseCodes[503] == 4)
    }

    @Test func ejectionsSurviveAConfigPush() throws {
        let proxy = try proxy()
        for _ in 0..<4 { _ = try exchange(proxy) }
        proxy.worker.apply(proxy.worker.config)
        #expect(proxy.worker.cluster(named: "backend")!.counters.stats.ejectionsActive == 1)
        var ports: [Int] = []
        for _ in 0..<4 { ports.append(try exchange(proxy)) }
        #expect(ports.allSatisfy { $0 == 9001 })
        #expect(proxy.worker.cluster(named: "backend")!.counters.stats.ejectionsEnforcedTotal == 1, "counters are kept too")
    }
}

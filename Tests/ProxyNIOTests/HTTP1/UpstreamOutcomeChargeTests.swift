import NIOCore
import NIOEmbedded
import ProxyCore
import Testing
@testable import ProxyNIO

/// `upstream_rq_<code>` counts the status the client gets, once per exchange:
/// a forwarded response's, or the router's reply for a failed upstream request
/// (a malformed response is Envoy's 502 UPE, charged as an aborted request).
@Suite struct UpstreamOutcomeChargeTests {
    @Test func forwardedAndProtocolErrorStatusesAreChargedOnce() throws {
        let proxy = try EmbeddedProxy(config: EmbeddedProxy.config(endpoints: [EndpointSet.Endpoint(host: "127.0.0.1", port: 9001)]))
        try proxy.send("GET /ok HTTP/1.1\r\nHost: svc\r\n\r\n")
        try proxy.upstreams[0].writeInbound(ByteBuffer(string: "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"))
        #expect(try proxy.received().hasPrefix("HTTP/1.1 200 OK\r\n"))

        try proxy.send("GET /broken HTTP/1.1\r\nHost: svc\r\n\r\n")
        try proxy.upstreams.last!.writeInbound(ByteBuffer(string: "HTTP/1.1 2OO OK\r\n\r\n"))
        let reply = try proxy.received()
        #expect(reply.hasPrefix("HTTP/1.1 502 Bad Gateway\r\n"), "\(reply)")
        #expect(reply.hasSuffix("reset reason: protocol error"))

        let stats = proxy.worker.cluster(named: "backend")!.counters.stats
        #expect(stats.responseCodes == [200: 1, 502: 1])
    }
}

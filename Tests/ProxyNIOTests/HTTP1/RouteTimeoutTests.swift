import NIOCore
import NIOEmbedded
import Testing
@testable import ProxyNIO

@Suite struct RouteTimeoutTests {
    @Test func slowUpstreamGets504UT() throws {
        let proxy = try EmbeddedProxy(config: EmbeddedProxy.config(timeoutNanos: 1_000_000_000))
        try proxy.send("GET / HTTP/1.1\r\nHost: svc\r\n\r\n")
        proxy.loop.advanceTime(by: .milliseconds(900))
        #expect(try proxy.received() == "")
        proxy.loop.advanceTime(by: .milliseconds(200))
        #expect(try proxy.received() == "HTTP/1.1 504 Gateway Timeout\r\ncontent-length: 24\r\ncontent-type: text/plain\r\n\r\nupstream request timeout")
        // The late upstream connection is not reused; the client's is.
        #expect(!proxy.upstreams[0].isActive)
        #expect(proxy.downstream.isActive)
    }

    @Test func fastExchangesMoveOneTimerForward() throws {
        let proxy = try EmbeddedProxy(config: EmbeddedProxy.config(timeoutNanos: 1_000_000_000))
        for _ in 0..<3 {
            try proxy.send("GET / HTTP/1.1\r\nHost: svc\r\n\r\n")
            try proxy.respond("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
            #expect(try proxy.received() == "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
            proxy.loop.advanceTime(by: .milliseconds(700))
        }
        // A request started late is timed from its own start.
        try proxy.send("GET / HTTP/1.1\r\nHost: svc\r\n\r\n")
        proxy.loop.advanceTime(by: .milliseconds(700))
        #expect(try proxy.received() == "")
        proxy.loop.advanceTime(by: .milliseconds(400))
        #expect(try proxy.received().hasPrefix("HTTP/1.1 504 "))
    }
}

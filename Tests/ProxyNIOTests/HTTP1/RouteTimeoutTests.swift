import NIOCore
import ProxyCore
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

    /// Callers' timeout and retry headers are Envoy's internal-only headers: removed
    /// and ignored (Envoy 1.40 deems no caller internal without an address config).
    @Test func callersTimeoutAndRetryHeadersAreRemovedAndIgnored() throws {
        let proxy = try EmbeddedProxy(config: EmbeddedProxy.config(timeoutNanos: 1_000_000_000))
        try proxy.send("GET / HTTP/1.1\r\nHost: svc\r\nx-envoy-upstream-rq-timeout-ms: 100\r\nx-envoy-upstream-rq-per-try-timeout-ms: 50\r\n"
                       + "X-Envoy-Retry-On: 5xx\r\nx-envoy-max-retries: 3\r\nx-envoy-internal: true\r\nx-envoy-force-trace: true\r\nx-envoy-expected-rq-timeout-ms: 9\r\n\r\n")
        #expect(try proxy.upstreamReceived() == "GET / HTTP/1.1\r\nHost: svc\r\nx-forwarded-proto: http\r\nx-envoy-expected-rq-timeout-ms: 1000\r\n\r\n")
        proxy.loop.advanceTime(by: .milliseconds(500))
        #expect(try proxy.received() == "")
        proxy.loop.advanceTime(by: .milliseconds(600))
        #expect(try proxy.received().hasPrefix("HTTP/1.1 504 Gateway Timeout\r\n"))
        #expect(proxy.worker.cluster(named: "backend")?.counters.stats.upstreamPerTryTimeout == 0)
    }

    /// forward_client_cert_details: SANITIZE (the default) removes a caller's
    /// x-forwarded-client-cert; FORWARD_ONLY keeps it from mTLS peers only (this
    /// connection is plaintext); ALWAYS_FORWARD_ONLY keeps it.
    @Test func theClientCertHeaderGoesOnOnlyWhenTheListenerSaysSo() throws {
        func forwarded(_ mode: HTTPConnectionConfig.ForwardClientCert) throws -> Bool {
            let proxy = try EmbeddedProxy(config: EmbeddedProxy.config(forwardClientCert: mode))
            try proxy.send("GET / HTTP/1.1\r\nHost: svc\r\nX-Forwarded-Client-Cert: By=spiffe://evil\r\n\r\n")
            return try proxy.upstreamReceived().contains("X-Forwarded-Client-Cert: By=spiffe://evil\r\n")
        }
        #expect(try forwarded(.sanitize) == false)
        #expect(try forwarded(.forwardOnly) == false)
        #expect(try forwarded(.alwaysForwardOnly) == true)
    }
}

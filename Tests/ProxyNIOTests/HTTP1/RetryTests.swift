import NIOCore
import NIOEmbedded
import ProxyCore
import Testing
@testable import ProxyNIO

/// Istio's default retry policy on the forwarding path: connect failures and 503s
/// are retried (after Envoy's backoff) on other endpoints, twice at most.
@Suite struct RetryTests {
    static let istioDefault = RetryPolicyConfig(retryOn: [.connectFailure, .refusedStream, .unavailable, .cancelled, .retriableStatusCodes],
                                                numRetries: 2, retriableStatusCodes: [503], hostSelectionRetryMaxAttempts: 5,
                                                avoidPreviousHosts: true)

    func proxy(endpoints: Int = 2) throws -> EmbeddedProxy {
        let route = RouteEntry(name: "retrying", match: RouteMatchRule(path: PathMatch(.prefix(Array("/".utf8)))),
                               action: .forward(ForwardAction(target: .cluster("backend"), timeoutNanos: 0, retryPolicy: Self.istioDefault)))
        let list = (0..<endpoints).map { EndpointSet.Endpoint(host: "127.0.0.1", port: 9001 + $0) }
        return try EmbeddedProxy(config: EmbeddedProxy.config(routes: [route], endpoints: list))
    }

    @Test func a503IsRetriedOnAnotherEndpoint() throws {
        let proxy = try proxy()
        try proxy.send("GET /r HTTP/1.1\r\nHost: svc\r\n\r\n")
        try proxy.respond("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 4\r\n\r\nbusy")
        #expect(try proxy.received() == "")
        proxy.loop.advanceTime(by: .milliseconds(300))
        #expect(proxy.upstreams.count == 2)
        #expect(proxy.upstreams[0].remoteAddress?.port != proxy.upstreams[1].remoteAddress?.port)
        #expect(try proxy.upstreamReceived(1).hasPrefix("GET /r HTTP/1.1\r\n"))
        try proxy.respond("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", upstream: 1)
        #expect(try proxy.received() == "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
    }

    @Test func retriesRunOutAndTheLast503GoesThrough() throws {
        let proxy = try proxy()
        try proxy.send("GET /r HTTP/1.1\r\nHost: svc\r\n\r\n")
        for attempt in 0..<3 {
            proxy.loop.advanceTime(by: .milliseconds(300))
            #expect(proxy.upstreams.count == attempt + 1)
            try proxy.respond("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n", upstream: attempt)
        }
        #expect(try proxy.received() == "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n")
    }

    @Test func connectFailuresAreRetriedThenAnswered503() throws {
        let proxy = try proxy()
        proxy.upstreamReachable = false
        try proxy.send("GET / HTTP/1.1\r\nHost: svc\r\n\r\n")
        proxy.loop.advanceTime(by: .seconds(1))
        let response = try proxy.received()
        #expect(response.hasPrefix("HTTP/1.1 503 Service Unavailable\r\n"))
        #expect(response.hasSuffix("remote connection failure"))
    }

    @Test func aRequestWithABodyIsRetriedAfterAFailedConnect() throws {
        let proxy = try proxy()
        proxy.upstreamReachable = false
        try proxy.send("POST /p HTTP/1.1\r\nHost: svc\r\nContent-Length: 5\r\n\r\nhel")
        proxy.upstreamReachable = true
        try proxy.send("lo")
        proxy.loop.advanceTime(by: .milliseconds(300))
        #expect(proxy.upstreams.count == 1)
        let received = try proxy.upstreamReceived(0)
        #expect(received.hasPrefix("POST /p HTTP/1.1\r\n"))
        #expect(received.hasSuffix("\r\n\r\nhello"))
        try proxy.respond("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
        #expect(try proxy.received() == "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
    }

    @Test func aKeptBodyIsSentAgainWithTheRetry() throws {
        let proxy = try proxy(endpoints: 1)
        try proxy.send("POST /p HTTP/1.1\r\nHost: svc\r\nContent-Length: 5\r\n\r\nhello")
        #expect(try proxy.upstreamReceived(0).hasSuffix("\r\n\r\nhello"))
        try proxy.respond("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n")
        #expect(try proxy.received() == "")
        proxy.loop.advanceTime(by: .milliseconds(300))
        #expect(proxy.upstreams.count == 2)
        let again = try proxy.upstreamReceived(1)
        #expect(again.hasPrefix("POST /p HTTP/1.1\r\n"))
        #expect(again.hasSuffix("\r\n\r\nhello"))
        try proxy.respond("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", upstream: 1)
        #expect(try proxy.received() == "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
        // The retried attempt's connection went back to the pool and serves the next request.
        try proxy.send("GET /next HTTP/1.1\r\nHost: svc\r\n\r\n")
        #expect(proxy.upstreams.count == 2)
        #expect(try proxy.upstreamReceived(1).hasPrefix("GET /next HTTP/1.1\r\n"))
    }

    @Test func aBodyStillArrivingContinuesOnTheRetriedAttempt() throws {
        let proxy = try proxy()
        try proxy.send("POST /p HTTP/1.1\r\nHost: svc\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n")
        try proxy.respond("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n")
        proxy.loop.advanceTime(by: .milliseconds(300))
        #expect(proxy.upstreams.count == 2)
        try proxy.send("2\r\nde\r\n0\r\n\r\n")
        let again = try proxy.upstreamReceived(1)
        #expect(again.hasSuffix("\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"))
        try proxy.respond("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", upstream: 1)
        #expect(try proxy.received() == "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
    }

    @Test func aBodyOverTheBufferLimitIsNotRetried() throws {
        let proxy = try proxy()
        let size = DownstreamHTTP1Handler.retryBodyLimit + 1
        try proxy.send("POST / HTTP/1.1\r\nHost: svc\r\nContent-Length: \(size)\r\n\r\n" + String(repeating: "a", count: size))
        try proxy.respond("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n")
        #expect(try proxy.received() == "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n")
        proxy.loop.advanceTime(by: .milliseconds(300))
        #expect(proxy.upstreams.count == 1)
    }

    func perTryProxy(retryOn: RetryPolicyConfig.Conditions) throws -> EmbeddedProxy {
        let policy = RetryPolicyConfig(retryOn: retryOn, numRetries: 1, perTryTimeoutNanos: 200_000_000)
        let route = RouteEntry(name: "per-try", match: RouteMatchRule(path: PathMatch(.prefix(Array("/".utf8)))),
                               action: .forward(ForwardAction(target: .cluster("backend"), timeoutNanos: 0, retryPolicy: policy)))
        let list = (0..<2).map { EndpointSet.Endpoint(host: "127.0.0.1", port: 9001 + $0) }
        return try EmbeddedProxy(config: EmbeddedProxy.config(routes: [route], endpoints: list))
    }

    @Test func aPerTryTimeoutResetsTheAttemptRetriesAndThenAnswers504() throws {
        let proxy = try perTryProxy(retryOn: [.serverError])
        try proxy.send("GET /slow HTTP/1.1\r\nHost: svc\r\n\r\n")
        #expect(proxy.upstreams.count == 1)
        proxy.loop.advanceTime(by: .milliseconds(199))
        #expect(try proxy.received() == "")
        proxy.loop.advanceTime(by: .milliseconds(1))
        // The timed-out attempt's connection is closed, not pooled; the retry goes on.
        #expect(!proxy.upstreams[0].isActive)
        proxy.loop.advanceTime(by: .milliseconds(100))
        #expect(proxy.upstreams.count == 2)
        #expect(try proxy.upstreamReceived(1).hasPrefix("GET /slow HTTP/1.1\r\n"))
        proxy.loop.advanceTime(by: .milliseconds(200))
        let response = try proxy.received()
        #expect(response.hasPrefix("HTTP/1.1 504 Gateway Timeout\r\n"))
        #expect(response.hasSuffix("upstream request timeout"))
        #expect(proxy.upstreams.count == 2)
    }

    @Test func aPerTryTimeoutIsNotRetriedUnlessThePolicyRetriesResets() throws {
        let proxy = try perTryProxy(retryOn: [.connectFailure])
        try proxy.send("GET /slow HTTP/1.1\r\nHost: svc\r\n\r\n")
        proxy.loop.advanceTime(by: .milliseconds(200))
        #expect(try proxy.received().hasPrefix("HTTP/1.1 504 Gateway Timeout\r\n"))
        proxy.loop.advanceTime(by: .milliseconds(500))
        #expect(proxy.upstreams.count == 1)
    }

    @Test func aResponseThatStartedOutlivesThePerTryTimeout() throws {
        let proxy = try perTryProxy(retryOn: [.serverError])
        try proxy.send("GET /slow HTTP/1.1\r\nHost: svc\r\n\r\n")
        try proxy.respond("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nab")
        proxy.loop.advanceTime(by: .milliseconds(500))
        try proxy.respond("cd")
        #expect(try proxy.received() == "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nabcd")
        #expect(proxy.upstreams.count == 1)
    }
}

import NIOCore
import NIOEmbedded
import ProxyCore
import Testing
@testable import ProxyNIO

@Suite struct DownstreamHTTP1HandlerTests {
    @Test func forwardsRequestAndResponseOnKeepAlive() throws {
        let proxy = try EmbeddedProxy()
        try proxy.send("GET /a?b=1 HTTP/1.1\r\nHost: svc\r\nConnection: keep-alive\r\nX-Custom: 1\r\n\r\n")
        #expect(proxy.upstreams.count == 1)
        #expect(try proxy.upstreamReceived() == "GET /a?b=1 HTTP/1.1\r\nHost: svc\r\nX-Custom: 1\r\nx-forwarded-proto: http\r\n\r\n")
        try proxy.respond("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\nServer: up\r\n\r\nhi")
        // The upstream's server header gives way to the proxy's (`server: envoy`, stripped by received()).
        #expect(try proxy.received() == "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi")
        // The upstream connection went back to the pool and serves the next request.
        try proxy.send("GET /second HTTP/1.1\r\nHost: svc\r\n\r\n")
        #expect(proxy.upstreams.count == 1)
        #expect(try proxy.upstreamReceived().hasPrefix("GET /second HTTP/1.1\r\n"))
        try proxy.respond("HTTP/1.1 204 No Content\r\n\r\n")
        #expect(try proxy.received() == "HTTP/1.1 204 No Content\r\n\r\n")
        #expect(proxy.downstream.isActive)
    }

    @Test func addsRequestIDWhenAbsentOnly() throws {
        let proxy = try EmbeddedProxy(config: EmbeddedProxy.config(generateRequestID: true))
        try proxy.send("GET / HTTP/1.1\r\nHost: svc\r\n\r\n")
        let sent = try proxy.upstreamReceived()
        let id = sent.split(separator: "\r\n").first { $0.hasPrefix("x-request-id: ") }.map { String($0.dropFirst(14)) }
        #expect(id?.count == 36)
        #expect(id?.split(separator: "-").map(\.count) == [8, 4, 4, 4, 12])
        try proxy.respond("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
        _ = try proxy.received()
        try proxy.send("GET / HTTP/1.1\r\nHost: svc\r\nX-Request-Id: mine\r\nX-Forwarded-Proto: https\r\n\r\n")
        #expect(try proxy.upstreamReceived() == "GET / HTTP/1.1\r\nHost: svc\r\nX-Request-Id: mine\r\nX-Forwarded-Proto: https\r\n\r\n")
    }

    @Test func streamsContentLengthAndChunkedBodiesBothWays() throws {
        let proxy = try EmbeddedProxy()
        try proxy.send("POST /up HTTP/1.1\r\nHost: svc\r\nContent-Length: 10\r\n\r\n01234")
        try proxy.send("56789")
        #expect(try proxy.upstreamReceived() == "POST /up HTTP/1.1\r\nHost: svc\r\nContent-Length: 10\r\nx-forwarded-proto: http\r\n\r\n0123456789")
        try proxy.respond("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n")
        try proxy.respond("0\r\n\r\n")
        #expect(try proxy.received() == "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n")
        try proxy.send("PUT / HTTP/1.1\r\nHost: svc\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n")
        #expect(try proxy.upstreamReceived().hasSuffix("\r\n\r\n2\r\nhi\r\n0\r\n\r\n"))
    }

    @Test func pipelinedRequestsWaitForTheirTurn() throws {
        let proxy = try EmbeddedProxy()
        try proxy.send("GET /1 HTTP/1.1\r\nHost: svc\r\n\r\nGET /2 HTTP/1.1\r\nHost: svc\r\n\r\n")
        #expect(try proxy.upstreamReceived().hasPrefix("GET /1 "))
        try proxy.respond("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na")
        #expect(try proxy.upstreamReceived().hasPrefix("GET /2 "))
        try proxy.respond("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nb")
        #expect(try proxy.received() == "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\naHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nb")
    }

    @Test func connectionCloseFromClientClosesAfterResponse() throws {
        let proxy = try EmbeddedProxy()
        try proxy.send("GET / HTTP/1.1\r\nHost: svc\r\nConnection: close\r\n\r\n")
        try proxy.respond("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
        #expect(try proxy.received() == "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nconnection: close\r\n\r\n")
        proxy.loop.run()
        #expect(!proxy.downstream.isActive)
    }

    @Test func http10IsRefusedWith426LikeEnvoyByDefault() throws {
        let proxy = try EmbeddedProxy()
        try proxy.send("GET / HTTP/1.0\r\nHost: svc\r\n\r\n")
        #expect(try proxy.received() == "HTTP/1.1 426 Upgrade Required\r\ncontent-length: 16\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\nUpgrade Required")
        #expect(proxy.upstreams.isEmpty)
    }

    @Test func http10GetsItsOwnVersionUpstreamAndCloses() throws {
        let proxy = try EmbeddedProxy(config: EmbeddedProxy.config(acceptHTTP10: true))
        try proxy.send("GET / HTTP/1.0\r\n\r\n")
        #expect(try proxy.upstreamReceived() == "GET / HTTP/1.0\r\nx-forwarded-proto: http\r\n\r\n")
        try proxy.respond("HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nx")
        #expect(try proxy.received() == "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nconnection: close\r\n\r\nx")
        proxy.loop.run()
        #expect(!proxy.downstream.isActive)
    }

    @Test func expectContinueIsAnsweredByTheProxy() throws {
        let proxy = try EmbeddedProxy()
        try proxy.send("PUT / HTTP/1.1\r\nHost: svc\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n")
        #expect(try proxy.received() == "HTTP/1.1 100 Continue\r\n\r\n")
        try proxy.send("ok")
        #expect(try proxy.upstreamReceived() == "PUT / HTTP/1.1\r\nHost: svc\r\nContent-Length: 2\r\nx-forwarded-proto: http\r\n\r\nok")
        // A 100 from the upstream is not passed on a second time.
        try proxy.respond("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n")
        #expect(try proxy.received() == "HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n")
    }

    @Test func malformedRequestIs400AndCloses() throws {
        let proxy = try EmbeddedProxy()
        try proxy.send("GET / HTTP/1.1\r\nBad Header: x\r\n\r\n")
        #expect(try proxy.received().hasPrefix("HTTP/1.1 400 Bad Request\r\n"))
        proxy.loop.run()
        #expect(!proxy.downstream.isActive)
        #expect(proxy.upstreams.isEmpty)
    }

    @Test func oversizedHeadersAre431() throws {
        let proxy = try EmbeddedProxy()
        try proxy.send("GET / HTTP/1.1\r\nHost: svc\r\nX-Big: " + String(repeating: "a", count: 70 * 1024))
        #expect(try proxy.received().hasPrefix("HTTP/1.1 431 Request Header Fields Too Large\r\n"))
    }

    @Test func noRouteIs404AndKeepsTheConnection() throws {
        let proxy = try EmbeddedProxy(config: EmbeddedProxy.config(domains: ["known"]))
        try proxy.send("GET / HTTP/1.1\r\nHost: unknown\r\n\r\n")
        #expect(try proxy.received() == "HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n")
        #expect(proxy.downstream.isActive)
        try proxy.send("GET / HTTP/1.1\r\nHost: known\r\n\r\n")
        #expect(proxy.upstreams.count == 1)
    }

    @Test func noHealthyUpstreamIs503UH() throws {
        let proxy = try EmbeddedProxy(config: EmbeddedProxy.config(endpoints: []))
        try proxy.send("GET / HTTP/1.1\r\nHost: svc\r\n\r\n")
        #expect(try proxy.received() == "HTTP/1.1 503 Service Unavailable\r\ncontent-length: 19\r\ncontent-type: text/plain\r\n\r\nno healthy upstream")
    }

    @Test func connectFailureIs503UF() throws {
        let proxy = try EmbeddedProxy()
        proxy.upstreamReachable = false
        try proxy.send("GET / HTTP/1.1\r\nHost: svc\r\n\r\n")
        let response = try proxy.received()
        #expect(response.hasPrefix("HTTP/1.1 503 Service Unavailable\r\n"))
        #expect(response.hasSuffix("reset reason: remote connection failure"))
        #expect(proxy.downstream.isActive)
    }

    @Test func staleReusedConnectionIsReplayedOnce() throws {
        let proxy = try EmbeddedProxy()
        try proxy.send("GET /1 HTTP/1.1\r\nHost: svc\r\n\r\n")
        try proxy.respond("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
        _ = try proxy.received()
        _ = try proxy.upstreamReceived()
        try proxy.send("GET /2 HTTP/1.1\r\nHost: svc\r\n\r\n")
        // The pooled connection dies before answering: the request goes out again.
        proxy.upstreams[0].pipeline.fireChannelInactive()
        #expect(proxy.upstreams.count == 2)
        #expect(try proxy.upstreamReceived(1).hasPrefix("GET /2 HTTP/1.1\r\n"))
        try proxy.respond("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", upstream: 1)
        #expect(try proxy.received() == "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
    }

    @Test func upstreamClosingMidResponseClosesDownstream() throws {
        let proxy = try EmbeddedProxy()
        try proxy.send("GET / HTTP/1.1\r\nHost: svc\r\n\r\n")
        try proxy.respond("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc")
        proxy.upstreams[0].pipeline.fireChannelInactive()
        proxy.loop.run()
        #expect(try proxy.received() == "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc")
        #expect(!proxy.downstream.isActive)
    }

    @Test func responseUntilCloseEndsWithTheUpstream() throws {
        let proxy = try EmbeddedProxy()
        try proxy.send("GET / HTTP/1.1\r\nHost: svc\r\n\r\n")
        try proxy.respond("HTTP/1.1 200 OK\r\n\r\nstream")
        proxy.upstreams[0].pipeline.fireChannelInactive()
        proxy.loop.run()
        #expect(try proxy.received() == "HTTP/1.1 200 OK\r\nconnection: close\r\n\r\nstream")
        #expect(!proxy.downstream.isActive)
    }

    @Test func directResponsesAndRedirects() throws {
        let direct = RouteEntry(name: "direct", match: RouteMatchRule(path: PathMatch(.exact(Array("/teapot".utf8)))),
                                action: .directResponse(DirectResponse(status: 418, body: Array("short and stout".utf8))))
        let redirect = RouteEntry(name: "redirect", match: RouteMatchRule(path: PathMatch(.prefix(Array("/old".utf8)))),
                                  action: .redirect(RedirectAction(scheme: "https", path: .prefix("/new"), status: 308)))
        let proxy = try EmbeddedProxy(config: EmbeddedProxy.config(routes: [direct, redirect]))
        try proxy.send("GET /teapot HTTP/1.1\r\nHost: svc:8080\r\n\r\n")
        #expect(try proxy.received() == "HTTP/1.1 418 Unknown\r\ncontent-length: 15\r\ncontent-type: text/plain\r\n\r\nshort and stout")
        try proxy.send("GET /old/page?q=1 HTTP/1.1\r\nHost: svc:8080\r\n\r\n")
        #expect(try proxy.received() == "HTTP/1.1 308 Permanent Redirect\r\nlocation: https://svc:8080/new/page?q=1\r\ncontent-length: 0\r\n\r\n")
        try proxy.send("GET /old HTTP/1.1\r\nHost: svc:80\r\n\r\n")
        #expect(try proxy.received() == "HTTP/1.1 308 Permanent Redirect\r\nlocation: https://svc/new\r\ncontent-length: 0\r\n\r\n")
        #expect(proxy.upstreams.isEmpty)
    }

    @Test func rewritesAndHeaderMutations() throws {
        let route = RouteEntry(
            name: "rw", match: RouteMatchRule(path: PathMatch(.prefix(Array("/api".utf8)))),
            action: .forward(ForwardAction(target: .cluster("backend"), prefixRewrite: Array("/v2".utf8), hostRewrite: Array("internal".utf8))),
            requestHeaders: HeaderMutation(additions: [.init(name: "x-added", value: "yes", action: .appendIfExistsOrAdd),
                                                       .init(name: "x-if-absent", value: "no", action: .addIfAbsent)],
                                           removals: ["x-secret"]),
            responseHeaders: HeaderMutation(additions: [.init(name: "x-resp", value: "1", action: .overwriteIfExistsOrAdd)], removals: ["server"]))
        let proxy = try EmbeddedProxy(config: EmbeddedProxy.config(routes: [route]))
        try proxy.send("GET /api/users HTTP/1.1\r\nHost: svc\r\nX-Secret: s\r\nX-If-Absent: here\r\n\r\n")
        // Envoy's router keeps the path it rewrote in x-envoy-original-path and tells the
        // upstream its timeout (the route's default 15 s), unless its headers are suppressed.
        #expect(try proxy.upstreamReceived()
            == "GET /v2/users HTTP/1.1\r\nX-If-Absent: here\r\nhost: internal\r\nx-envoy-original-path: /api/users\r\nx-forwarded-proto: http\r\nx-envoy-expected-rq-timeout-ms: 15000\r\nx-added: yes\r\n\r\n")
        try proxy.respond("HTTP/1.1 200 OK\r\nServer: up\r\nX-Resp: old\r\nContent-Length: 0\r\n\r\n")
        #expect(try proxy.received() == "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nx-resp: 1\r\n\r\n")

        let suppressed = try EmbeddedProxy(config: EmbeddedProxy.config(routes: [route], suppressEnvoyHeaders: true))
        try suppressed.send("GET /api/users HTTP/1.1\r\nHost: svc\r\n\r\n")
        #expect(try suppressed.upstreamReceived() == "GET /v2/users HTTP/1.1\r\nhost: internal\r\nx-forwarded-proto: http\r\nx-added: yes\r\nx-if-absent: no\r\n\r\n")
    }

    @Test func garbageFromUpstreamIs502() throws {
        let proxy = try EmbeddedProxy()
        try proxy.send("GET / HTTP/1.1\r\nHost: svc\r\n\r\n")
        try proxy.respond("SSH-2.0-OpenSSH\r\n\r\n")
        #expect(try proxy.received().hasPrefix("HTTP/1.1 502 Bad Gateway\r\n"))
        #expect(proxy.downstream.isActive)
    }
}

import NIOCore
import NIOEmbedded
import ProxyCore
import Testing
@testable import ProxyNIO

/// What Envoy's connection manager and router stamp on responses and forwarded
/// requests: `server` (per server_header_transformation), `date` when absent,
/// `x-envoy-upstream-service-time`, and `x-envoy-expected-rq-timeout-ms` upstream.
@Suite struct ResponseStampTests {
    /// The response head's lines after the status line, without the body.
    static func lines(_ text: String) -> [String] {
        let head = text.components(separatedBy: "\r\n\r\n")[0]
        return Array(head.components(separatedBy: "\r\n").dropFirst())
    }

    static func value(_ name: String, _ text: String) -> String? {
        lines(text).first { $0.lowercased().hasPrefix(name + ": ") }.map { String($0.dropFirst(name.count + 2)) }
    }

    @Test func upstreamResponsesGetServerDateAndServiceTime() throws {
        let proxy = try EmbeddedProxy()
        try proxy.send("GET / HTTP/1.1\r\nHost: svc\r\n\r\n")
        try proxy.respond("HTTP/1.1 200 OK\r\nServer: up\r\nx-envoy-upstream-service-time: 999\r\nContent-Length: 0\r\n\r\n")
        let text = try proxy.receivedWithStamps()
        #expect(Self.lines(text).filter { $0.lowercased().hasPrefix("server:") } == ["server: envoy"])
        let date = try #require(Self.value("date", text))
        #expect(date.count == HTTPDate.length && date.hasSuffix(" GMT"))
        // The upstream's own service time gives way to this hop's.
        let serviceTimes = Self.lines(text).filter { $0.hasPrefix("x-envoy-upstream-service-time: ") }
        #expect(serviceTimes.count == 1)
        #expect(Int(serviceTimes[0].dropFirst(31)).map { $0 < 999 } == true)
    }

    @Test func theUpstreamsDateIsKept() throws {
        let proxy = try EmbeddedProxy()
        try proxy.send("GET / HTTP/1.1\r\nHost: svc\r\n\r\n")
        try proxy.respond("HTTP/1.1 200 OK\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nContent-Length: 0\r\n\r\n")
        let text = try proxy.receivedWithStamps()
        #expect(Self.lines(text).filter { $0.lowercased().hasPrefix("date:") } == ["Date: Sun, 06 Nov 1994 08:49:37 GMT"])
    }

    @Test func serverHeaderTransformations() throws {
        func servers(_ transformation: HTTPConnectionConfig.ServerHeaderTransformation, upstream: String?) throws -> [String] {
            let proxy = try EmbeddedProxy(config: EmbeddedProxy.config(server: transformation))
            try proxy.send("GET / HTTP/1.1\r\nHost: svc\r\n\r\n")
            try proxy.respond("HTTP/1.1 200 OK\r\n" + (upstream.map { "Server: \($0)\r\n" } ?? "") + "Content-Length: 0\r\n\r\n")
            return Self.lines(try proxy.receivedWithStamps()).filter { $0.lowercased().hasPrefix("server:") }
        }
        #expect(try servers(.overwrite, upstream: nil) == ["server: envoy"])
        #expect(try servers(.appendIfAbsent, upstream: "up") == ["Server: up"])
        #expect(try servers(.appendIfAbsent, upstream: nil) == ["server: envoy"])
        #expect(try servers(.passThrough, upstream: "up") == ["Server: up"])
        #expect(try servers(.passThrough, upstream: nil) == [])
    }

    @Test func suppressedEnvoyHeadersLeaveTheServiceTimeAlone() throws {
        let proxy = try EmbeddedProxy(config: EmbeddedProxy.config(suppressEnvoyHeaders: true))
        try proxy.send("GET / HTTP/1.1\r\nHost: svc\r\n\r\n")
        try proxy.respond("HTTP/1.1 200 OK\r\nx-envoy-upstream-service-time: 7\r\nContent-Length: 0\r\n\r\n")
        let text = try proxy.receivedWithStamps()
        #expect(Self.lines(text).filter { $0.hasPrefix("x-envoy-upstream-service-time") } == ["x-envoy-upstream-service-time: 7"])
        #expect(Self.value("server", text) == "envoy")
        #expect(Self.value("date", text) != nil)
    }

    @Test func localRepliesGetServerAndDateButNoServiceTime() throws {
        let proxy = try EmbeddedProxy(config: EmbeddedProxy.config(domains: ["svc"]))
        try proxy.send("GET / HTTP/1.1\r\nHost: other\r\n\r\n")
        let text = try proxy.receivedWithStamps()
        #expect(text.hasPrefix("HTTP/1.1 404 Not Found\r\n"))
        #expect(Self.value("server", text) == "envoy")
        #expect(Self.value("date", text)?.count == HTTPDate.length)
        #expect(Self.value("x-envoy-upstream-service-time", text) == nil)
        let quiet = try EmbeddedProxy(config: EmbeddedProxy.config(domains: ["svc"], server: .passThrough))
        try quiet.send("GET / HTTP/1.1\r\nHost: other\r\n\r\n")
        #expect(Self.value("server", try quiet.receivedWithStamps()) == nil)
    }

    @Test func theUpstreamIsToldTheExpectedTimeout() throws {
        func expected(timeout: Int64, perTry: Int64?, incoming: String? = nil, suppress: Bool = false) throws -> [String] {
            let policy = perTry.map { RetryPolicyConfig(retryOn: [.connectFailure], perTryTimeoutNanos: $0) }
            let route = RouteEntry(name: "t", match: RouteMatchRule(path: PathMatch(.prefix(Array("/".utf8)))),
                                   action: .forward(ForwardAction(target: .cluster("backend"), timeoutNanos: timeout, retryPolicy: policy)))
            let proxy = try EmbeddedProxy(config: EmbeddedProxy.config(routes: [route], suppressEnvoyHeaders: suppress))
            try proxy.send("GET / HTTP/1.1\r\nHost: svc\r\n" + (incoming.map { "x-envoy-expected-rq-timeout-ms: \($0)\r\n" } ?? "") + "\r\n")
            return try proxy.upstreamReceived().components(separatedBy: "\r\n").filter { $0.hasPrefix("x-envoy-expected-rq-timeout-ms") }
        }
        #expect(try expected(timeout: 3_000_000_000, perTry: nil) == ["x-envoy-expected-rq-timeout-ms: 3000"])
        // The per-try timeout wins whenever it is set (Envoy's router).
        #expect(try expected(timeout: 3_000_000_000, perTry: 1_500_000_000) == ["x-envoy-expected-rq-timeout-ms: 1500"])
        #expect(try expected(timeout: 0, perTry: 250_000_000) == ["x-envoy-expected-rq-timeout-ms: 250"])
        // A per-try timeout not under the route's is dropped.
        #expect(try expected(timeout: 1_000_000_000, perTry: 1_500_000_000) == ["x-envoy-expected-rq-timeout-ms: 1000"])
        // A previous hop's value is replaced, or removed when this hop has no timeout.
        #expect(try expected(timeout: 2_000_000_000, perTry: nil, incoming: "15000") == ["x-envoy-expected-rq-timeout-ms: 2000"])
        #expect(try expected(timeout: 0, perTry: nil, incoming: "15000") == [])
        #expect(try expected(timeout: 0, perTry: nil) == [])
        #expect(try expected(timeout: 3_000_000_000, perTry: nil, suppress: true) == [])
    }

    /// Envoy's router finalizes the headers of the replies it makes itself (direct
    /// responses, redirects, upstream failures) with the route's response headers.
    @Test func routedLocalRepliesCarryTheRoutesResponseHeaders() throws {
        let stamp = HeaderMutation(additions: [.init(name: "x-resp", value: "1", action: .appendIfExistsOrAdd),
                                               .init(name: "x-only-if-there", value: "2", action: .overwriteIfExists)], removals: [])
        let direct = RouteEntry(name: "d", match: RouteMatchRule(path: PathMatch(.prefix(Array("/direct".utf8)))),
                                action: .directResponse(DirectResponse(status: 418, body: Array("teapot".utf8))), responseHeaders: stamp)
        let proxy = try EmbeddedProxy(config: EmbeddedProxy.config(routes: [direct], endpoints: []))
        try proxy.send("GET /direct HTTP/1.1\r\nHost: svc\r\n\r\n")
        let text = try proxy.receivedWithStamps()
        #expect(text.hasPrefix("HTTP/1.1 418 "))
        #expect(Self.value("x-resp", text) == "1")
        #expect(Self.value("x-only-if-there", text) == nil)
        // No endpoints: the router's 503 gets them too; no route: nothing to take them from.
        let failing = RouteEntry(name: "f", match: RouteMatchRule(path: PathMatch(.prefix(Array("/".utf8)))),
                                 action: .forward(ForwardAction(target: .cluster("backend"), timeoutNanos: 0)), responseHeaders: stamp)
        let empty = try EmbeddedProxy(config: EmbeddedProxy.config(routes: [failing], domains: ["svc"], endpoints: []))
        try empty.send("GET / HTTP/1.1\r\nHost: svc\r\n\r\n")
        let unavailable = try empty.receivedWithStamps()
        #expect(unavailable.hasPrefix("HTTP/1.1 503 ") && Self.value("x-resp", unavailable) == "1")
        try empty.send("GET / HTTP/1.1\r\nHost: other\r\n\r\n")
        let noRoute = try empty.receivedWithStamps()
        #expect(noRoute.hasPrefix("HTTP/1.1 404 ") && Self.value("x-resp", noRoute) == nil)
    }

    /// A body the codec refuses after routing gets the codec's 400, without the
    /// route's headers (the router did not make it).
    @Test func aCodecReplyMidExchangeCarriesNoRouteHeaders() throws {
        let stamp = HeaderMutation(additions: [.init(name: "x-resp", value: "1", action: .appendIfExistsOrAdd)], removals: [])
        let route = RouteEntry(name: "f", match: RouteMatchRule(path: PathMatch(.prefix(Array("/".utf8)))),
                               action: .forward(ForwardAction(target: .cluster("backend"), timeoutNanos: 0)), responseHeaders: stamp)
        let proxy = try EmbeddedProxy(config: EmbeddedProxy.config(routes: [route]))
        try proxy.send("POST / HTTP/1.1\r\nHost: svc\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")
        let text = try proxy.receivedWithStamps()
        #expect(text.hasPrefix("HTTP/1.1 400 "))
        #expect(Self.value("x-resp", text) == nil)
    }

    /// A route's own `server` header: OVERWRITE (the connection manager's default)
    /// replaces it, APPEND_IF_ABSENT keeps it instead of adding its own, PASS_THROUGH
    /// leaves it - on upstream responses and the router's own replies alike.
    @Test func aRoutesServerHeaderMeetsTheTransformation() throws {
        let stamp = HeaderMutation(additions: [.init(name: "server", value: "route", action: .overwriteIfExistsOrAdd)], removals: [])
        let direct = RouteEntry(name: "d", match: RouteMatchRule(path: PathMatch(.prefix(Array("/direct".utf8)))),
                                action: .directResponse(DirectResponse(status: 200, body: [])), responseHeaders: stamp)
        let upstream = RouteEntry(name: "u", match: RouteMatchRule(path: PathMatch(.prefix(Array("/".utf8)))),
                                  action: .forward(ForwardAction(target: .cluster("backend"), timeoutNanos: 0)), responseHeaders: stamp)
        func servers(_ transformation: HTTPConnectionConfig.ServerHeaderTransformation, path: String) throws -> [String] {
            let proxy = try EmbeddedProxy(config: EmbeddedProxy.config(routes: [direct, upstream], server: transformation))
            try proxy.send("GET \(path) HTTP/1.1\r\nHost: svc\r\n\r\n")
            if path == "/" { try proxy.respond("HTTP/1.1 200 OK\r\nServer: up\r\nContent-Length: 0\r\n\r\n") }
            return Self.lines(try proxy.receivedWithStamps()).filter { $0.lowercased().hasPrefix("server:") }
        }
        for path in ["/", "/direct"] {
            #expect(try servers(.overwrite, path: path) == ["server: envoy"], "\(path)")
            #expect(try servers(.appendIfAbsent, path: path) == ["server: route"], "\(path)")
            #expect(try servers(.passThrough, path: path) == ["server: route"], "\(path)")
        }
    }
}

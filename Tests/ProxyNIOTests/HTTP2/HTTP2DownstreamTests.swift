import NIOCore
import NIOHTTP2
import Testing
@testable import ProxyNIO

/// HTTP/2 cleartext (prior knowledge) clients through the proxy: routing, 2 -> 1.1
/// translation, local replies, and malformed input that must not take the proxy down.
@Suite struct HTTP2DownstreamTests {
    @Test func routesH2cToHTTP1Upstream() async throws {
        let setup = HTTP2TestSetup()
        try await setup.start()
        let client = try await setup.client()
        for index in 0..<3 {
            let response = try await client.request(HTTP2TestClient.get("/item/\(index)?q=1", extra: [("x-custom", "v"), ("cookie", "a=1"), ("cookie", "b=2")]))
            #expect(response.status == 200)
            // The HTTP/1.1 upstream saw a translated request: host from :authority, cookies joined.
            #expect(response.text.hasPrefix("echo /item/\(index)?q=1 HTTP/1.1\r\nhost: svc\r\nx-custom: v\r\ncookie: a=1; b=2\r\n"))
            #expect(response.headers.first(name: "content-length") != nil)
        }
        // Sequential streams reuse one pooled upstream connection.
        #expect(setup.upstreamConnections.value == 1)
        // Streams in parallel on one connection.
        try await withThrowingTaskGroup(of: Int?.self) { group in
            for index in 0..<20 { group.addTask { try await client.request(HTTP2TestClient.get("/p/\(index)")).status } }
            for try await status in group { #expect(status == 200) }
        }
        try await client.close()
        try await setup.stop()
    }

    @Test func requestBodyWithoutLengthIsChunkedUpstream() async throws {
        let setup = HTTP2TestSetup()
        try await setup.start()
        let client = try await setup.client()
        let post = [(":method", "POST"), (":scheme", "http"), (":authority", "svc"), (":path", "/upload")]
        let response = try await client.request(post, body: Array("hello".utf8))
        #expect(response.status == 200)
        #expect(response.text.contains("transfer-encoding: chunked\r\n"))
        try await client.close()
        try await setup.stop()
    }

    @Test func localRepliesOverHTTP2() async throws {
        let setup = HTTP2TestSetup()
        try await setup.start()
        let client = try await setup.client()
        let noRoute = try await client.request(HTTP2TestClient.get("/", authority: "other"))
        #expect(noRoute.status == 404)
        let direct = try await client.request(HTTP2TestClient.get("/direct"))
        #expect(direct.status == 418)
        #expect(direct.text == "teapot")
        let empty = try await client.request(HTTP2TestClient.get("/empty"))
        #expect(empty.status == 503)
        #expect(empty.text == "no healthy upstream")
        // A gRPC request gets gRPC's shape: 200 with grpc-status 14 (UNAVAILABLE).
        let grpc = try await client.request(HTTP2TestClient.get("/empty", extra: [("content-type", "application/grpc")]))
        #expect(grpc.status == 200)
        #expect(grpc.headers.first(name: "grpc-status") == "14")
        #expect(grpc.headers.first(name: "grpc-message") == "no healthy upstream")
        let grpcNoRoute = try await client.request(HTTP2TestClient.get("/", authority: "other", extra: [("content-type", "application/grpc+proto")]))
        #expect(grpcNoRoute.headers.first(name: "grpc-status") == "12")
        let metrics = try await setup.server.prometheusText()
        #expect(metrics.contains(#"request_protocol="grpc",response_code="503",grpc_response_status="14",response_flags="UH""#))
        #expect(metrics.contains(#"request_protocol="http",response_code="503",grpc_response_status="",response_flags="UH""#))
        try await client.close()
        try await setup.stop()
    }

    @Test func http1StillServedOnAutoListener() async throws {
        let setup = HTTP2TestSetup()
        try await setup.start()
        let client = try BlockingClient(port: setup.port)
        client.send("GET /x HTTP/1.1\r\nHost: svc\r\n\r\n")
        #expect(client.receiveResponse().hasPrefix("HTTP/1.1 200 OK\r\n"))
        // "P" alone could still be the preface: the sniffer waits for more.
        client.send("P")
        client.send("OST /y HTTP/1.1\r\nHost: svc\r\nContent-Length: 0\r\n\r\n")
        #expect(client.receiveResponse().hasPrefix("HTTP/1.1 200 OK\r\n"))
        try await setup.stop()
    }

    @Test func malformedHTTP2NeverTakesTheProxyDown() async throws {
        let setup = HTTP2TestSetup()
        try await setup.start()
        // A bad preface after the sniffed prefix: the connection is closed.
        let raw = try BlockingClient(port: setup.port)
        raw.send("PRI * HTTP/2.0\r\n\r\nXX\r\n\r\n" + String(repeating: "x", count: 64))
        #expect(raw.receive { _ in false }.count >= 0)

        let client = try await setup.client(validateHeaders: false)
        // Unknown pseudo-header: the stream is reset, the connection lives on.
        let badPseudo = try await client.request([(":method", "GET"), (":scheme", "http"), (":authority", "svc"), (":path", "/"), (":bogus", "1")])
        #expect(badPseudo.reset != nil)
        // Missing :path.
        let noPath = try await client.request([(":method", "GET"), (":scheme", "http"), (":authority", "svc")])
        #expect(noPath.reset != nil)
        // CR LF in a value would smuggle a header into the HTTP/1.1 request.
        let smuggle = try await client.request(HTTP2TestClient.get("/", extra: [("x-a", "1\r\nx-b: 2")]))
        #expect(smuggle.reset != nil || smuggle.status == 400)
        let fine = try await client.request(HTTP2TestClient.get("/after"))
        #expect(fine.status == 200)
        try? await client.close()

        // Oversized headers (over the 60 KiB SETTINGS_MAX_HEADER_LIST_SIZE): never a 200
        // (NIO's client may refuse to send it at all, then the request times out), and
        // the proxy still serves.
        let big = try await setup.client()
        let oversized = try? await big.request(HTTP2TestClient.get("/", extra: [("x-big", String(repeating: "a", count: 70 * 1024))]))
        #expect(oversized?.status != 200)
        try? await big.close()
        let again = try await setup.client()
        #expect(try await again.request(HTTP2TestClient.get("/ok")).status == 200)
        try await again.close()
        try await setup.stop()
    }

    @Test func http2OnlyCodecRefusesHTTP1() async throws {
        let setup = HTTP2TestSetup()
        try await setup.start(codec: .http2)
        let client = try await setup.client()
        #expect(try await client.request(HTTP2TestClient.get("/z")).status == 200)
        try await client.close()
        let raw = try BlockingClient(port: setup.port)
        raw.send("GET / HTTP/1.1\r\nHost: svc\r\n\r\n")
        #expect(!raw.receive { _ in false }.hasPrefix("HTTP/1.1 200"))
        try await setup.stop()
    }
}

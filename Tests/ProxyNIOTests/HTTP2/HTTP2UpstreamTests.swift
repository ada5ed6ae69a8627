import NIOCore
import NIOHTTP2
import Testing
@testable import ProxyNIO

/// Clusters with http2_protocol_options: streams multiplexed on one HTTP/2
/// connection per endpoint, trailers (grpc-status) passed through, and HTTP/1.1
/// clients translated to HTTP/2 upstream.
@Suite struct HTTP2UpstreamTests {
    static let grpcCall = [(":method", "POST"), (":scheme", "http"), (":authority", "svc"), (":path", "/pkg.Echo/Say"),
                           ("content-type", "application/grpc"), ("te", "trailers")]

    @Test func grpcThroughH2UpstreamKeepsTrailers() async throws {
        let setup = HTTP2TestSetup()
        try await setup.start()
        let client = try await setup.client()
        let message: [UInt8] = [0, 0, 0, 0, 3, 0x0A, 0x01, 0x41]
        let response = try await client.request(Self.grpcCall, body: message)
        #expect(response.status == 200)
        #expect(response.headers.first(name: "content-type") == "application/grpc")
        #expect(response.headers.first(name: "x-path") == "/pkg.Echo/Say")
        #expect(response.headers.first(name: "x-authority") == "svc")
        #expect(response.headers.first(name: "x-te") == "trailers")
        #expect(response.body == message)
        #expect(response.trailers?.first(name: "grpc-status") == "0")
        #expect(response.trailers?.first(name: "grpc-message") == "echoed")

        // Client trailers reach the upstream too.
        let withTrailers = try await client.request(Self.grpcCall, body: message, trailers: [("x-trailer", "t1")])
        #expect(withTrailers.headers.first(name: "x-request-trailer") == "t1")

        // A trailers-only answer stays headers-only.
        let trailersOnly = try await client.request([(":method", "GET"), (":scheme", "http"), (":authority", "svc"), (":path", "/h2/notfound")])
        #expect(trailersOnly.status == 200)
        #expect(trailersOnly.headers.first(name: "grpc-status") == "5")

        // Many concurrent calls share the upstream connection.
        try await withThrowingTaskGroup(of: String?.self) { group in
            for _ in 0..<30 { group.addTask { try await client.request(Self.grpcCall, body: message).trailers?.first(name: "grpc-status") } }
            for try await status in group { #expect(status == "0") }
        }
        // Istio's gRPC labels come from the trailers, or from a trailers-only reply.
        var notFound = Self.grpcCall
        notFound[3] = (":path", "/pkg.Echo/notfound")
        #expect(try await client.request(notFound).headers.first(name: "grpc-status") == "5")
        let metrics = try await setup.server.prometheusText()
        #expect(metrics.contains(#"request_protocol="grpc",response_code="200",grpc_response_status="0""#), "\(metrics)")
        #expect(metrics.contains(#"request_protocol="grpc",response_code="200",grpc_response_status="5""#))
        try await client.close()
        try await setup.stop()
    }

    @Test func upstreamGoAwayMovesToAFreshConnection() async throws {
        let setup = HTTP2TestSetup()
        try await setup.start()
        let client = try await setup.client()
        var bye = Self.grpcCall
        bye[3] = (":path", "/pkg.Bye/Now")
        for _ in 0..<3 {
            let drained = try await client.request(bye, body: [0, 0, 0, 0, 0])
            #expect(drained.trailers?.first(name: "grpc-status") == "0")
            // Let the GOAWAY that follows the response reach the proxy.
            try await Task.sleep(for: .milliseconds(50))
        }
        let after = try await client.request(Self.grpcCall, body: [0, 0, 0, 0, 0])
        #expect(after.trailers?.first(name: "grpc-status") == "0")
        try await client.close()
        try await setup.stop()
    }

    @Test func http1ClientToH2Upstream() async throws {
        let setup = HTTP2TestSetup()
        try await setup.start()
        let client = try BlockingClient(port: setup.port)
        for index in 0..<3 {
            client.send("GET /h2/\(index) HTTP/1.1\r\nHost: svc\r\n\r\n")
            let response = client.receive { $0.contains("grpc-message: echoed\r\n\r\n") }
            #expect(response.hasPrefix("HTTP/1.1 200 OK\r\n"))
            #expect(response.contains("x-path: /h2/\(index)\r\n"))
            #expect(response.contains("transfer-encoding: chunked\r\n"))
            // Trailers travel as chunked trailers.
            #expect(response.contains("grpc-status: 0\r\n"))
        }
        try await setup.stop()
    }

    @Test func routeTimeoutOnGRPCIsUnavailable() async throws {
        let setup = HTTP2TestSetup()
        try await setup.start(timeoutNanos: 200_000_000)
        let client = try await setup.client()
        var slow = Self.grpcCall
        slow[3] = (":path", "/pkg.Slow/Wait")
        let response = try await client.request(slow)
        // Envoy's local reply for a gRPC request: 200, grpc-status from 504 (14 UNAVAILABLE).
        #expect(response.status == 200)
        #expect(response.headers.first(name: "grpc-status") == "14")
        #expect(response.headers.first(name: "grpc-message") == "upstream request timeout")
        try await client.close()
        try await setup.stop()
    }
}

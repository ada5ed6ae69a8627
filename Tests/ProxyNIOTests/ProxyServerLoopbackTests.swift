import NIOCore
import NIOPosix
import ProxyCore
import Testing
@testable import ProxyNIO

/// The whole forwarding path on real sockets: client -> ProxyServer -> upstream.
@Suite struct ProxyServerLoopbackTests {
    @Test func forwardsOverLoopbackWithKeepAlive() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let upstream = try await TestUpstream.start(group: group)
        let upstreamPort = upstream.localAddress!.port!
        var config = EmbeddedProxy.config(endpoints: [EndpointSet.Endpoint(host: "127.0.0.1", port: upstreamPort)])
        let server = try await ProxyServer(group: group, config: config)
        let bound = try await server.start(config: config)
        let port = bound[0].address.port!

        let client = try BlockingClient(port: port)
        for index in 0..<3 {
            client.send("GET /item/\(index) HTTP/1.1\r\nHost: svc\r\n\r\n")
            let response = client.receiveResponse()
            #expect(response.hasPrefix("HTTP/1.1 200 OK\r\n"))
            #expect(response.contains("echo /item/\(index) HTTP/1.1\r\nHost: svc\r\nx-forwarded-proto: http\r\n\r\n"))
        }

        // A dead upstream: 503 with flag UF, and the connection stays usable.
        config = EmbeddedProxy.config(endpoints: [EndpointSet.Endpoint(host: "127.0.0.1", port: 1)])
        try await server.apply(config)
        client.send("GET / HTTP/1.1\r\nHost: svc\r\n\r\n")
        let failed = client.receiveResponse()
        #expect(failed.hasPrefix("HTTP/1.1 503 Service Unavailable\r\n"))

        try await server.shutdown()
        try await upstream.close()
        try await group.shutdownGracefully()
    }
}

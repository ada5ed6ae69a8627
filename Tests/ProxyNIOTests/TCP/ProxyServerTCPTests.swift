import NIOCore
import NIOPosix
import ProxyCore
import Testing
@testable import ProxyNIO

/// tcp_proxy listeners on real sockets: bytes pass unchanged, closing propagates.
@Suite struct ProxyServerTCPTests {
    @Test func relaysBytesToTheWeightedCluster() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let upstream = try await TestUpstream.start(group: group)
        var config = EmbeddedProxy.config(endpoints: [EndpointSet.Endpoint(host: "127.0.0.1", port: upstream.localAddress!.port!)])
        config.clusters["empty"] = ClusterConfig(name: "empty", discovery: .staticEndpoints)
        let target = ClusterTarget.weighted([WeightedClusterEntry(name: "backend", weight: 100), WeightedClusterEntry(name: "empty", weight: 0)],
                                            totalWeight: 100)
        config.listeners = [ListenerConfig(name: "tcp", host: "127.0.0.1", port: 0, chain: .tcp(TCPProxyConfig(statPrefix: "tcp", target: target)))]
        let server = try await ProxyServer(group: group, config: config)
        let port = try await server.start(config: config)[0].address.port!

        let client = try BlockingClient(port: port)
        client.send("GET /raw HTTP/1.1\r\nHost: svc\r\n\r\n")
        let response = client.receiveResponse()
        // Not HTTP-aware: no x-forwarded-proto is added.
        #expect(response.hasSuffix("echo /raw HTTP/1.1\r\nHost: svc\r\n\r\n"))

        // No endpoint: the connection is closed at once.
        config.endpoints["backend"] = EndpointSet(clusterName: "backend", groups: [])
        try await server.apply(config)
        let refused = try BlockingClient(port: port)
        #expect(refused.receive { _ in false } == "")

        try await server.shutdown()
        try await upstream.close()
        try await group.shutdownGracefully()
    }
}

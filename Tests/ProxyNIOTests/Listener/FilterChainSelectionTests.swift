import NIOCore
import NIOPosix
import ProxyCore
import Testing
@testable import ProxyNIO

/// Listeners choosing a chain per connection on real sockets: SNI from a peeked
/// ClientHello (sent in pieces), bytes replayed untouched to the tcp_proxy
/// upstream (TLS passthrough), no match closes, plaintext reaches an HTTP default
/// chain, an incomplete hello times out.
@Suite struct FilterChainSelectionTests {
    /// A one-record ClientHello with SNI `name` and ALPN h2.
    static func clientHello(_ name: String) -> [UInt8] {
        func u16(_ value: Int) -> [UInt8] { [UInt8(value >> 8), UInt8(value & 0xff)] }
        let host = Array(name.utf8)
        let sni: [UInt8] = [0, 0] + u16(host.count + 5) + u16(host.count + 3) + [0] + u16(host.count) + host
        let alpn: [UInt8] = [0, 16, 0, 5, 0, 3, 2] + Array("h2".utf8)
        let extensions = sni + alpn
        let body: [UInt8] = [3, 3] + Array(repeating: 9, count: 32) + [0] + [0, 2, 0x13, 0x01] + [1, 0] + u16(extensions.count) + extensions
        let message: [UInt8] = [1, 0] + u16(body.count) + body
        return [0x16, 3, 1] + u16(message.count) + message
    }

    /// EOF without a byte, well before the client's 5 s receive timeout.
    static func closedQuickly(_ client: BlockingClient) -> Bool {
        let start = ContinuousClock.now
        return client.receiveBytes(1).isEmpty && ContinuousClock.now - start < .seconds(2)
    }

    static func tcp(_ cluster: String) -> ListenerConfig.Chain {
        .tcp(TCPProxyConfig(statPrefix: cluster, target: .cluster(cluster)))
    }

    @Test func sniPicksTheUpstreamAndBytesPassUntouched() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let upstreamA = try await TaggedEchoUpstream.start(group: group, tag: "A")
        let upstreamB = try await TaggedEchoUpstream.start(group: group, tag: "B")
        let http = try await TestUpstream.start(group: group)
        var config = EmbeddedProxy.config(endpoints: [EndpointSet.Endpoint(host: "127.0.0.1", port: http.localAddress!.port!)])
        for (name, upstream) in [("a", upstreamA), ("b", upstreamB)] {
            config.clusters[name] = ClusterConfig(name: name, discovery: .staticEndpoints)
            config.endpoints[name] = EndpointSet(clusterName: name, groups: [EndpointSet.Group(endpoints: [EndpointSet.Endpoint(host: "127.0.0.1", port: upstream.localAddress!.port!)])])
        }
        let httpChain = config.listeners[0].chain
        config.listeners = [
            ListenerConfig(name: "sni", host: "127.0.0.1", port: 0, filterChains: [
                FilterChainConfig(match: FilterChainMatch(serverNames: ["a.example.com"]), chain: Self.tcp("a")),
                FilterChainConfig(match: FilterChainMatch(serverNames: ["*.example.com"]), chain: Self.tcp("b")),
            ], inspection: ListenerInspection(tlsInspector: true)),
            ListenerConfig(name: "mixed", host: "127.0.0.1", port: 0, filterChains: [
                FilterChainConfig(match: FilterChainMatch(transportProtocol: "tls"), chain: Self.tcp("a")),
            ], defaultFilterChain: FilterChainConfig(chain: httpChain), inspection: ListenerInspection(tlsInspector: true, timeoutNanos: 300_000_000)),
        ]
        let server = try await ProxyServer(group: group, config: config)
        let bound = try await server.start(config: config)
        let sni = bound.first { $0.name == "sni" }!.address.port!
        let mixed = bound.first { $0.name == "mixed" }!.address.port!

        for (name, tag) in [("a.example.com", "A"), ("B.Example.com", "B")] {
            let hello = Self.clientHello(name)
            let client = try BlockingClient(port: sni)
            // In pieces: the proxy must wait for the whole hello before choosing.
            client.send(bytes: Array(hello[0..<3]))
            try await Task.sleep(for: .milliseconds(20))
            client.send(bytes: Array(hello[3..<40]))
            try await Task.sleep(for: .milliseconds(20))
            client.send(bytes: Array(hello[40...]))
            let reply = client.receiveBytes(1 + hello.count)
            #expect(reply == Array(tag.utf8) + hello, "\(name)")
        }
        // No chain for this name, and no default: closed without a byte.
        let unknown = try BlockingClient(port: sni)
        unknown.send(bytes: Self.clientHello("other.org"))
        #expect(Self.closedQuickly(unknown))
        let plaintext = try BlockingClient(port: sni)
        plaintext.send("hello\r\n")
        #expect(Self.closedQuickly(plaintext))

        // Plaintext HTTP on the mixed listener reaches the HTTP default chain.
        let web = try BlockingClient(port: mixed)
        web.send("GET /plain HTTP/1.1\r\nHost: svc\r\n\r\n")
        #expect(web.receiveResponse().contains("echo /plain HTTP/1.1"))
        let tls = try BlockingClient(port: mixed)
        let hello = Self.clientHello("x")
        tls.send(bytes: hello)
        #expect(tls.receiveBytes(1 + hello.count) == Array("A".utf8) + hello)
        // Half a hello, then silence: closed when the listener filter timeout fires.
        let stalled = try BlockingClient(port: mixed)
        stalled.send(bytes: Array(hello[0..<10]))
        #expect(Self.closedQuickly(stalled))

        try await server.shutdown()
        for channel in [upstreamA, upstreamB, http] { try await channel.close() }
        try await group.shutdownGracefully()
    }
}

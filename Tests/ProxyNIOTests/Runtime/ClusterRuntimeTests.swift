import NIOCore
import NIOEmbedded
import ProxyCore
import Testing
@testable import ProxyNIO

@Suite struct ClusterRuntimeTests {
    func proxy(_ endpoints: [EndpointSet.Endpoint], balancer: ClusterConfig.LoadBalancer = .roundRobin) throws -> EmbeddedProxy {
        var config = EmbeddedProxy.config(endpoints: endpoints)
        config.clusters["backend"]?.loadBalancer = balancer
        return try EmbeddedProxy(config: config)
    }

    /// Sends one request and answers it; returns the upstream port it went to.
    func exchange(_ proxy: EmbeddedProxy) throws -> Int? {
        let before = proxy.upstreams.count
        try proxy.send("GET / HTTP/1.1\r\nHost: svc\r\nConnection: close\r\n\r\n")
        guard proxy.upstreams.count > before else { return nil }
        let upstream = proxy.upstreams[before]
        try upstream.writeInbound(ByteBuffer(string: "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"))
        return upstream.remoteAddress?.port
    }

    @Test func roundRobinSpreadsAndSkipsUnhealthy() throws {
        let endpoints = [EndpointSet.Endpoint(host: "127.0.0.1", port: 1001), EndpointSet.Endpoint(host: "127.0.0.1", port: 1002),
                         EndpointSet.Endpoint(host: "127.0.0.1", port: 1003, health: .unhealthy)]
        var ports: [Int] = []
        for _ in 0..<6 {
            // A fresh connection each time (Connection: close), so each pick opens one.
            let proxy = try proxy(endpoints)
            ports.append(contentsOf: [try exchange(proxy)].compactMap { $0 })
        }
        #expect(Set(ports).isSubset(of: [1001, 1002]))
        let shared = try proxy(endpoints)
        var seen = Set<Int>()
        for _ in 0..<4 {
            try shared.send("GET / HTTP/1.1\r\nHost: svc\r\n\r\n")
            let upstream = shared.upstreams.last!
            seen.insert(upstream.remoteAddress!.port!)
            try upstream.writeInbound(ByteBuffer(string: "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"))
            _ = try shared.received()
        }
        #expect(seen == [1001, 1002])
    }

    @Test func onlyUnhealthyEndpointsMeanUH() throws {
        for balancer in [ClusterConfig.LoadBalancer.roundRobin, .leastRequest, .random, .ringHash, .maglev] {
            let proxy = try proxy([EndpointSet.Endpoint(host: "127.0.0.1", port: 1001, health: .unhealthy)], balancer: balancer)
            try proxy.send("GET / HTTP/1.1\r\nHost: svc\r\n\r\n")
            // Envoy's panic mode would still route; with every host failed and a
            // 50 % panic threshold it routes to them too: either way no crash.
            let response = try proxy.received()
            #expect(response.isEmpty || response.hasPrefix("HTTP/1.1 503 "), "\(balancer)")
        }
    }
}

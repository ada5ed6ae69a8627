#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import NIOEmbedded
import ProxyCore
import Testing
@testable import ProxyNIO

/// tcp_proxy connects on an EmbeddedEventLoop: the cluster's circuit breaker
/// (what a connection holds, and gives back) and max_connect_attempts.
@Suite struct TCPProxyHandlerConnectTests {
    /// Cluster "backend" with two endpoints (8081, 8082); the first `refusingFirst`
    /// connects and those to `refusing` fail as refused, those to `hanging` never
    /// complete, the others succeed.
    final class Harness {
        let loop = EmbeddedEventLoop()
        let worker: WorkerRuntime
        private(set) var attempted: [Int] = []
        private(set) var upstreams: [EmbeddedChannel] = []
        private(set) var hung: [EventLoopPromise<any Channel>] = []

        init(maxConnections: Int = 1024, refusingFirst: Int = 0, refusing: Set<Int> = [], hanging: Set<Int> = [],
             sharing registry: ClusterResourceRegistry = ClusterResourceRegistry()) {
            var config = EmbeddedProxy.config(endpoints: [.init(host: "127.0.0.1", port: 8081), .init(host: "127.0.0.1", port: 8082)])
            config.clusters["backend"]!.thresholds.maxConnections = maxConnections
            worker = WorkerRuntime(eventLoop: loop, config: config, clusterResources: registry)
            worker.handlerConnector = { [unowned self] endpoint, _, handler in
                let port = endpoint.address.port ?? 0
                self.attempted.append(port)
                if refusing.contains(port) || self.attempted.count <= refusingFirst { return self.loop.makeFailedFuture(IOError(errnoCode: ECONNREFUSED, reason: "connect")) }
                let channel = EmbeddedChannel(loop: self.loop)
                try! channel.pipeline.syncOperations.addHandler(handler)
                self.upstreams.append(channel)
                if hanging.contains(port) {
                    let promise = self.loop.makePromise(of: (any Channel).self)
                    self.hung.append(promise)
                    return promise.futureResult
                }
                _ = channel.connect(to: endpoint.address)
                return self.loop.makeSucceededFuture(channel)
            }
        }

        func client(maxAttempts: Int = 1) throws -> EmbeddedChannel {
            var config = TCPProxyConfig(statPrefix: "tcp", target: .cluster("backend"))
            config.maxConnectAttempts = maxAttempts
            let channel = EmbeddedChannel(loop: loop)
            try channel.pipeline.syncOperations.addHandler(TCPProxyHandler(worker: worker, config: config))
            _ = channel.connect(to: try SocketAddress(ipAddress: "127.0.0.1", port: 40000))
            return channel
        }

        var breaker: CircuitBreaker { worker.cluster(named: "backend")!.resources.snapshot }

        var counters: [String: UInt64] {
            var counters: [String: UInt64] = [:]
            worker.collectStats(into: &counters)
            return counters
        }
    }

    @Test func aConnectionHoldsOneUnitUntilItsUpstreamCloses() throws {
        let harness = Harness()
        let client = try harness.client()
        #expect(client.isActive)
        #expect(harness.breaker.count(.connections) == 1)
        #expect(harness.breaker.count(.pendingRequests) == 0)
        _ = try client.close().wait()
        harness.loop.run()
        #expect(!harness.upstreams[0].isActive)
        #expect(harness.breaker.count(.connections) == 0)
    }

    @Test func aFullClusterClosesTheNextClientWithoutConnecting() throws {
        let harness = Harness(maxConnections: 1)
        let first = try harness.client()
        let second = try harness.client()
        #expect(first.isActive)
        #expect(!second.isActive)
        #expect(harness.attempted.count == 1)
        #expect(harness.counters["cluster.backend.upstream_cx_overflow"] == 1)
        // The first one's close frees the unit for the next client.
        _ = try first.close().wait()
        harness.loop.run()
        let third = try harness.client()
        #expect(third.isActive)
        #expect(harness.breaker.count(.connections) == 1)
    }

    /// The cluster's HTTP/1.1 connections count against the same max_connections.
    @Test func httpConnectionsOfTheClusterCountToo() throws {
        let harness = Harness(maxConnections: 1)
        let endpoint = try #require(harness.worker.cluster(named: "backend")?.endpoints.first)
        endpoint.connectionOpened()
        #expect(!(try harness.client()).isActive)
        endpoint.connectionClosed()
        // An HTTP/2 stream is not a connection (its connection counts itself).
        endpoint.connectionOpened(stream: true)
        #expect(try harness.client().isActive)
        endpoint.connectionClosed(stream: true)
        #expect(harness.breaker.count(.connections) == 1)
    }

    /// Envoy's counts are the cluster's, whichever worker holds the connection.
    @Test func workersShareTheCluster() throws {
        let registry = ClusterResourceRegistry()
        let one = Harness(maxConnections: 1, sharing: registry)
        let other = Harness(maxConnections: 1, sharing: registry)
        let held = try one.client()
        #expect(held.isActive)
        #expect(!(try other.client()).isActive)
        #expect(other.counters["cluster.backend.upstream_cx_overflow"] == 1)
        _ = try held.close().wait()
        one.loop.run()
        #expect(try other.client().isActive)
        // A config push on one worker keeps the counts the connections stand for.
        one.worker.apply(one.worker.config)
        #expect(one.breaker.count(.connections) == 1)
    }

    @Test func aRefusedConnectIsTriedOnTheNextPick() throws {
        let harness = Harness(refusing: [8081])
        let client = try harness.client(maxAttempts: 2)
        // Round robin from a random start: at most one refused attempt before 8082.
        #expect(client.isActive)
        #expect(harness.attempted.last == 8082)
        #expect(harness.attempted.count <= 2)
        #expect(harness.breaker.count(.connections) == 1)
        #expect(harness.breaker.count(.pendingRequests) == 0)
    }

    /// A client that leaves while the retry connects: the refused attempt's UF is on its close.
    @Test func aClientLeavingMidRetryKeepsUF() throws {
        let harness = Harness(refusingFirst: 1, hanging: [8081, 8082])
        let client = try harness.client(maxAttempts: 2)
        #expect(harness.attempted.count == 2)
        #expect(harness.breaker.count(.pendingRequests) == 1)
        _ = try client.close().wait()
        #expect(harness.breaker.count(.pendingRequests) == 0)
        #expect(harness.breaker.count(.connections) == 0)
        // The series with a count (the opened connection's zero series aside).
        let closed = PrometheusExposition.render([harness.worker.telemetry]).split(separator: "\n")
            .filter { $0.hasPrefix("istio_tcp_connections_closed_total{") && !$0.hasSuffix("} 0") }
        #expect(closed.count == 1, "\(closed)")
        #expect(closed.first?.contains(#"response_flags="UF""#) == true)
    }

    @Test func attemptsUsedUpCloseTheClientAndGiveEverythingBack() throws {
        let harness = Harness(refusing: [8081, 8082])
        let client = try harness.client(maxAttempts: 3)
        #expect(!client.isActive)
        #expect(harness.attempted.count == 3)
        #expect(harness.breaker.count(.connections) == 0)
        #expect(harness.breaker.count(.pendingRequests) == 0)
        #expect(harness.counters["cluster.backend.upstream_cx_connect_attempts_exceeded"] == 1)
    }

    @Test func aClientLeavingMidConnectGivesBackTheAttemptAndDropsTheConnection() throws {
        let harness = Harness(hanging: [8081, 8082])
        let client = try harness.client()
        #expect(harness.breaker.count(.pendingRequests) == 1)
        _ = try client.close().wait()
        #expect(harness.breaker.count(.pendingRequests) == 0)
        #expect(harness.breaker.count(.connections) == 0)
        // The connect completing afterwards: the connection is closed, nothing is counted.
        _ = harness.upstreams[0].connect(to: try SocketAddress(ipAddress: "127.0.0.1", port: 8081))
        harness.hung[0].succeed(harness.upstreams[0])
        harness.loop.run()
        #expect(!harness.upstreams[0].isActive)
        #expect(harness.breaker.count(.connections) == 0)
    }
}

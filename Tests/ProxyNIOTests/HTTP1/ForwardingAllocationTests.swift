import CProxyMallocCounter
import NIOCore
import ProxyCore
import Testing
@testable import ProxyNIO

/// Guards the forwarding path against allocation regressions: request in,
/// request out, response in, response out, through EmbeddedChannels (no sockets,
/// same thread, so the count is this path's own).
@Suite struct ForwardingAllocationTests {
    static let requests = 1000
    /// Allowed mallocs per forwarded request. Optimised builds measure 0 (see
    /// docs/proxy.md; `swift test -c release --filter ForwardingAllocation` checks
    /// that); unoptimised builds pay ~74 for generic and closure thunks, so the
    /// debug limit only catches gross regressions.
    #if DEBUG
    static let limitPerRequest = 90.0
    #else
    static let limitPerRequest = 1.0
    #endif

    /// Without a route timeout, and with Envoy's default 15 s one (its timer is
    /// moved forward, not re-created, per request).
    @Test(arguments: [Int64(0), 15_000_000_000])
    func forwardingAllocatesAlmostNothingPerRequest(timeoutNanos: Int64) throws {
        guard swiftmesh_malloc_counter_available() == 1 else { return }
        let proxy = try EmbeddedProxy(config: EmbeddedProxy.config(timeoutNanos: timeoutNanos))
        let request = ByteBuffer(string: "GET /productpage?u=normal HTTP/1.1\r\nHost: svc:9080\r\nUser-Agent: wrk\r\nAccept: */*\r\n\r\n")
        let response = ByteBuffer(string: "HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Type: text/plain\r\nContent-Length: 5\r\nConnection: keep-alive\r\n\r\nhello")
        func roundTrip() throws {
            try proxy.downstream.writeInbound(request)
            while try proxy.upstreams[0].readOutbound(as: ByteBuffer.self) != nil {}
            try proxy.upstreams[0].writeInbound(response)
            while try proxy.downstream.readOutbound(as: ByteBuffer.self) != nil {}
        }
        for _ in 0..<100 { try roundTrip() }
        swiftmesh_malloc_counter_start()
        for _ in 0..<Self.requests { try roundTrip() }
        let count = swiftmesh_malloc_counter_stop()
        let perRequest = Double(count) / Double(Self.requests)
        print("forwarding path (timeout \(timeoutNanos) ns): \(count) mallocs for \(Self.requests) requests (\(perRequest) per request)")
        #expect(proxy.upstreams.count == 1)
        #expect(perRequest <= Self.limitPerRequest)
    }

    /// Istio puts a retry policy on every route: on the success path it must cost
    /// nothing (retry state is only created after a failure).
    @Test func aRetryPolicyCostsNothingUntilSomethingFails() throws {
        guard swiftmesh_malloc_counter_available() == 1 else { return }
        func count(retry: RetryPolicyConfig?) throws -> Int {
            let route = RouteEntry(name: "r", match: RouteMatchRule(path: PathMatch(.prefix(Array("/".utf8)))),
                                   action: .forward(ForwardAction(target: .cluster("backend"), timeoutNanos: 0, retryPolicy: retry)))
            let proxy = try EmbeddedProxy(config: EmbeddedProxy.config(routes: [route]))
            let request = ByteBuffer(string: "GET / HTTP/1.1\r\nHost: svc\r\n\r\n")
            let response = ByteBuffer(string: "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
            func roundTrip() throws {
                try proxy.downstream.writeInbound(request)
                while try proxy.upstreams[0].readOutbound(as: ByteBuffer.self) != nil {}
                try proxy.upstreams[0].writeInbound(response)
                while try proxy.downstream.readOutbound(as: ByteBuffer.self) != nil {}
            }
            for _ in 0..<100 { try roundTrip() }
            swiftmesh_malloc_counter_start()
            for _ in 0..<Self.requests { try roundTrip() }
            return swiftmesh_malloc_counter_stop()
        }
        let without = try count(retry: nil)
        let with = try count(retry: RetryTests.istioDefault)
        #expect(with <= without + Self.requests / 100)
    }

    @Test func counterSeesAllocations() throws {
        guard swiftmesh_malloc_counter_available() == 1 else { return }
        swiftmesh_malloc_counter_start()
        let array = [Int](repeating: 1, count: 1000 + Int.random(in: 0..<2))
        let count = swiftmesh_malloc_counter_stop()
        #expect(array.count >= 1000)
        #expect(count >= 1)
    }
}

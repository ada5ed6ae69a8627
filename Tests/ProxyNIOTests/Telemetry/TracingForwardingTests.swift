import CProxyMallocCounter
import NIOCore
import ProxyCore
import Testing
@testable import ProxyNIO

/// Trace context through the forwarding path: a traced connection manager
/// continues the request's context, forwards its own span as the next hop's
/// parent, keeps tracestate, and hands sampled spans to the exporter; an
/// untraced one leaves trace headers alone; unsampled tracing costs no allocation.
@Suite struct TracingForwardingTests {
    static func config(sampling: Double, spawn: Bool = false, generateRequestID: Bool = false) -> ProxyConfig {
        var config = EmbeddedProxy.config(generateRequestID: generateRequestID)
        if case .http(var http) = config.listeners[0].chain {
            var tracing = TracingConfig(operation: .ingress, randomSampling: sampling, spawnUpstreamSpan: spawn,
                                        customTags: [.literal(name: "team", value: "shop"), .requestHeader(name: "user", header: Array("end-user".utf8), defaultValue: "-")],
                                        exporter: OTLPExporterConfig(cluster: "backend", authority: "collector", path: "/v1/traces", serviceName: "shop.shop"))
            tracing.useRequestIDForTraceSampling = true
            http.tracing = tracing
            config.listeners[0] = config.listeners[0].replacingChain(.http(http))
        }
        return config
    }

    static let traceID = "4bf92f3577b34da6a3ce929d0e0e4736"
    static let parentSpan = "00f067aa0ba902b7"

    @Test func continuesW3CContextAndExportsTheSpan() throws {
        let proxy = try EmbeddedProxy(config: Self.config(sampling: 0))
        try proxy.send("GET /items HTTP/1.1\r\nHost: shop:9080\r\nend-user: jason\r\ntraceparent: 00-\(Self.traceID)-\(Self.parentSpan)-01\r\ntracestate: vendor=1\r\n\r\n")
        let upstream = try proxy.upstreamReceived()
        let lines = upstream.split(separator: "\r\n").map(String.init)
        let traceparent = try #require(lines.first { $0.hasPrefix("traceparent: ") })
        #expect(lines.filter { $0.hasPrefix("traceparent") }.count == 1, "the request's traceparent is replaced, not repeated")
        #expect(traceparent.hasPrefix("traceparent: 00-\(Self.traceID)-"), "same trace")
        #expect(!traceparent.contains(Self.parentSpan), "the next hop's parent is this proxy's span")
        #expect(traceparent.hasSuffix("-01"), "the parent's sampled flag is followed even at 0 % random sampling")
        #expect(lines.contains("tracestate: vendor=1"))
        try proxy.respond("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n")
        #expect(try proxy.received().hasPrefix("HTTP/1.1 503"))
        let exporter = try #require(proxy.worker.listener(named: "http")?.spanExporter)
        #expect(exporter.queue.count == 1)
        guard case .export(let spans) = { var queue = exporter.queue; return queue.timerFired() }() else {
            Issue.record("a span waits for export")
            return
        }
        let span = spans[0]
        #expect(Hex.string(span.traceIDHigh) + Hex.string(span.traceIDLow) == Self.traceID)
        #expect(Hex.string(span.parentSpanID) == Self.parentSpan)
        #expect(traceparent.contains(Hex.string(span.spanID)))
        #expect(span.kind == .server && span.name == "ingress" && span.isError)
        let tags = Dictionary(span.attributes.map { ($0.key, $0.value) }) { first, _ in first }
        #expect(tags["http.status_code"] == .string("503") && tags["error"] == .string("true"))
        #expect(tags["http.url"] == .string("http://shop:9080/items") && tags["upstream_cluster"] == .string("backend"))
        #expect(tags["team"] == .string("shop") && tags["user"] == .string("jason"))
        #expect(span.traceState == "vendor=1")
    }

    @Test func b3IsContinuedInItsOwnForm() throws {
        let proxy = try EmbeddedProxy(config: Self.config(sampling: 100, spawn: true))
        try proxy.send("GET / HTTP/1.1\r\nHost: shop\r\nx-b3-traceid: 463ac35c9f6413ad\r\nx-b3-spanid: a2fb4a1d1a96d312\r\nx-b3-sampled: 1\r\n\r\n")
        let lines = try proxy.upstreamReceived().split(separator: "\r\n").map(String.init)
        #expect(lines.contains("x-b3-traceid: 463ac35c9f6413ad"))
        let span = try #require(lines.first { $0.hasPrefix("x-b3-spanid: ") })
        #expect(span != "x-b3-spanid: a2fb4a1d1a96d312")
        #expect(lines.contains("x-b3-sampled: 1"))
        // With a router span, the next hop's parent is the router's span, child of ours.
        let parent = try #require(lines.first { $0.hasPrefix("x-b3-parentspanid: ") })
        #expect(parent != "x-b3-parentspanid: a2fb4a1d1a96d312")
        #expect(lines.contains { $0.hasPrefix("traceparent: 00-0000000000000000463ac35c9f6413ad-") })
        #expect(lines.filter { $0.hasPrefix("x-b3-") }.count == 4)
    }

    @Test func generatedRequestIDCarriesTheTraceReason() throws {
        let sampled = try EmbeddedProxy(config: Self.config(sampling: 100, generateRequestID: true))
        try sampled.send("GET / HTTP/1.1\r\nHost: shop\r\n\r\n")
        let id = try #require(try sampled.upstreamReceived().split(separator: "\r\n").first { $0.hasPrefix("x-request-id: ") })
        #expect(Array(id.dropFirst("x-request-id: ".count))[14] == "9", "Envoy's UUID: 9 = sampled")
        let unsampled = try EmbeddedProxy(config: Self.config(sampling: 0, generateRequestID: true))
        try unsampled.send("GET / HTTP/1.1\r\nHost: shop\r\n\r\n")
        let text = try unsampled.upstreamReceived()
        #expect(text.contains("-00\r\n"), "a fresh unsampled context goes on: \(text)")
        let other = try #require(text.split(separator: "\r\n").first { $0.hasPrefix("x-request-id: ") })
        #expect(Array(other.dropFirst("x-request-id: ".count))[14] == "4")
    }

    @Test func incomingRequestIDGetsTheDecision() throws {
        let proxy = try EmbeddedProxy(config: Self.config(sampling: 100))
        try proxy.send("GET / HTTP/1.1\r\nHost: shop\r\nx-request-id: 0d4c3a5e-1111-4000-8000-000000000000\r\n\r\n")
        let lines = try proxy.upstreamReceived().split(separator: "\r\n").map(String.init)
        #expect(lines.filter { $0.hasPrefix("x-request-id") } == ["x-request-id: 0d4c3a5e-1111-9000-8000-000000000000"])
        let other = try EmbeddedProxy(config: Self.config(sampling: 100))
        try other.send("GET / HTTP/1.1\r\nHost: shop\r\nx-request-id: my-own-id\r\n\r\n")
        #expect(try other.upstreamReceived().contains("x-request-id: my-own-id\r\n"), "ids that are not UUIDs go on unchanged")
    }

    @Test func untracedListenersLeaveTraceHeadersAlone() throws {
        let proxy = try EmbeddedProxy()
        let header = "traceparent: 00-\(Self.traceID)-\(Self.parentSpan)-01"
        try proxy.send("GET / HTTP/1.1\r\nHost: shop\r\n\(header)\r\nb3: 463ac35c9f6413ad-a2fb4a1d1a96d312-1\r\n\r\n")
        let text = try proxy.upstreamReceived()
        #expect(text.contains(header + "\r\n") && text.contains("b3: 463ac35c9f6413ad-a2fb4a1d1a96d312-1\r\n"))
    }

    /// Sampling off (a traced listener that samples nothing) adds no allocation
    /// (checked in optimised builds; debug builds get a small allowance).
    @Test func unsampledTracingCostsNoAllocation() throws {
        guard swiftmesh_malloc_counter_available() == 1 else { return }
        let request = ByteBuffer(string: "GET /items HTTP/1.1\r\nHost: svc:9080\r\nUser-Agent: wrk\r\n\r\n")
        let response = ByteBuffer(string: "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello")
        let without = try ForwardingAllocationTests.mallocs(try EmbeddedProxy(), request: request, response: response)
        let with = try ForwardingAllocationTests.mallocs(try EmbeddedProxy(config: Self.config(sampling: 0)), request: request, response: response)
        print("unsampled tracing: \(Double(with - without) / Double(ForwardingAllocationTests.requests)) extra mallocs per request")
        // Unoptimised builds pay ~2 for closure and generic thunks; optimised ones nothing.
        #if DEBUG
        #expect(with <= without + ForwardingAllocationTests.requests * 3)
        #else
        #expect(with <= without + ForwardingAllocationTests.requests / 100)
        #endif
    }
}

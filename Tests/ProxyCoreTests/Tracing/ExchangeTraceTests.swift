import ProxyCore
import Testing

/// One exchange's trace: the incoming context chosen (W3C over B3), fresh ids,
/// the decision, and the spans Envoy would make.
struct ExchangeTraceTests {
    static let exporter = OTLPExporterConfig(cluster: "c", authority: "a", path: "/v1/traces", serviceName: "s")

    func begin(_ headers: String, config: TracingConfig) throws -> ExchangeTrace {
        let bytes = Array("GET /p?q=1 HTTP/1.1\r\nHost: shop:9080\r\n\(headers)\r\n".utf8)
        var head = HTTP1RequestHead()
        let parser = HTTP1RequestParser(maxHeadBytes: 65536)
        var counter: UInt64 = 0x100
        return try bytes.withUnsafeBytes { raw in
            _ = try parser.parse(raw, into: &head)
            return ExchangeTrace.begin(config: config, bytes: raw, head: head) { counter += 1; return counter }
        }
    }

    @Test func w3cWinsOverB3AndB3FormIsKept() throws {
        let config = TracingConfig(operation: .egress, randomSampling: 0, exporter: Self.exporter)
        let trace = try begin("traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\r\nb3: 463ac35c9f6413ad-a2fb4a1d1a96d312-0\r\n", config: config)
        #expect(trace.traceIDHigh == 0x4bf92f3577b34da6 && trace.parentSpanID == 0x00f067aa0ba902b7)
        #expect(trace.sampled && trace.b3 == .single)
        #expect(trace.request?.path == "/p?q=1")
    }

    @Test func rootTraceWithoutContext() throws {
        let trace = try begin("", config: TracingConfig(operation: .ingress, randomSampling: 0, exporter: Self.exporter))
        #expect(!trace.sampled && trace.parentSpanID == 0 && trace.request == nil && trace.reason == .notTraceable)
        #expect(trace.traceIDHigh != 0 && trace.spanID != 0)
    }

    /// Envoy 1.40 removes `x-envoy-force-trace` (internal-only) before deciding.
    @Test func aCallersForceTraceDoesNotForceATrace() throws {
        let trace = try begin("x-envoy-force-trace: true\r\n", config: TracingConfig(operation: .egress, randomSampling: 0, exporter: Self.exporter))
        #expect(!trace.sampled && trace.reason == .notTraceable)
    }

    @Test func spansAsEnvoyNamesThem() throws {
        let config = TracingConfig(operation: .ingress, randomSampling: 100, spawnUpstreamSpan: true, exporter: Self.exporter)
        let trace = try begin("user-agent: curl\r\nx-request-id: abc\r\n", config: config)
        var outcome = ExchangeTrace.Outcome(operation: nil, protocolName: "HTTP/1.1", peerAddress: "10.0.0.1:5000", requestSize: 0, responseSize: 5,
                                            statusCode: 200, responseFlags: "-", upstreamCluster: "outbound|9080||shop", upstreamAddress: "10.0.0.2:9080",
                                            generatedRequestID: nil, nodeID: "router~x", startUnixNanos: 100, endUnixNanos: 900, upstreamStartUnixNanos: 200)
        outcome.upstreamProtocolName = "HTTP/2"
        let spans = trace.spans(outcome, config: config)
        #expect(spans.map(\.name) == ["ingress", "router outbound|9080||shop egress"])
        #expect(spans[1].attributes.first { $0.key == "http.protocol" }?.value == .string("HTTP/2"), "the router span speaks the upstream's protocol")
        #expect(spans.map(\.kind) == [.server, .client])
        #expect(spans[1].parentSpanID == spans[0].spanID && spans[0].spanID == trace.spanID)
        #expect(trace.upstreamHeaders.spanID == spans[1].spanID, "the next hop's parent is the router span")
        let tags = Dictionary(spans[0].attributes.map { ($0.key, $0.value) }) { first, _ in first }
        #expect(tags["guid:x-request-id"] == .string("abc") && tags["user_agent"] == .string("curl"))
        #expect(tags["http.url"] == .string("http://shop:9080/p?q=1") && tags["node_id"] == .string("router~x"))
        #expect(tags["error"] == nil && !spans[0].isError)
        var egress = config
        egress.operation = .egress
        egress.spawnUpstreamSpan = false
        let client = try begin("", config: egress)
        #expect(client.spans(outcome, config: egress).map(\.name) == ["egress shop:9080"])
        #expect(client.spans(outcome, config: egress).map(\.kind) == [.client])
    }
}

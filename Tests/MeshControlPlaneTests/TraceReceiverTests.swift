import MeshCore
import Foundation
import SwiftProtobuf
import Testing
import XDSAPI
@testable import MeshControlPlane

/// The control plane's OTLP receiver and trace view: spans in, traces out as
/// the console and `/api/v1/traces` show them.
struct TraceReceiverTests {
    static func span(_ trace: UInt8, _ id: UInt8, parent: UInt8?, name: String, start: UInt64, end: UInt64, error: Bool = false)
        -> Opentelemetry_Proto_Trace_V1_Span {
        var span = Opentelemetry_Proto_Trace_V1_Span()
        span.traceID = Data(repeating: trace, count: 16)
        span.spanID = Data(repeating: id, count: 8)
        if let parent { span.parentSpanID = Data(repeating: parent, count: 8) }
        span.name = name
        span.kind = parent == nil ? .server : .client
        span.startTimeUnixNano = start
        span.endTimeUnixNano = end
        var attribute = Opentelemetry_Proto_Common_V1_KeyValue()
        attribute.key = "http.status_code"
        attribute.value.stringValue = error ? "503" : "200"
        span.attributes = [attribute]
        if error { span.status.code = .error }
        return span
    }

    static func export(service: String, _ spans: [Opentelemetry_Proto_Trace_V1_Span]) -> Opentelemetry_Proto_Collector_Trace_V1_ExportTraceServiceRequest {
        var name = Opentelemetry_Proto_Common_V1_KeyValue()
        name.key = "service.name"
        name.value.stringValue = service
        var resource = Opentelemetry_Proto_Trace_V1_ResourceSpans()
        resource.resource.attributes = [name]
        var scope = Opentelemetry_Proto_Trace_V1_ScopeSpans()
        scope.spans = spans
        resource.scopeSpans = [scope]
        var request = Opentelemetry_Proto_Collector_Trace_V1_ExportTraceServiceRequest()
        request.resourceSpans = [resource]
        return request
    }

    @Test func tracesAreGroupedAndOrderedAsATree() {
        var recent = RecentSpans(capacity: 100)
        recent.add(Self.export(service: "catalog.shop", [Self.span(1, 3, parent: 2, name: "ingress", start: 30, end: 40)]))
        recent.add(Self.export(service: "gateway.shop", [Self.span(1, 1, parent: nil, name: "front", start: 10, end: 90_000),
                                                         Self.span(1, 2, parent: 1, name: "router", start: 20, end: 80_000)]))
        recent.add(Self.export(service: "gateway.shop", [Self.span(9, 5, parent: nil, name: "later", start: 100_000, end: 200_000, error: true)]))
        let traces = recent.traces()
        #expect(traces.map(\.rootName) == ["later", "front"], "newest first")
        #expect(traces[1].spanCount == 3 && traces[1].services == ["catalog.shop", "gateway.shop"] && traces[1].durationMicros == 89)
        #expect(traces[0].hasError && !traces[1].hasError)
        let tree = recent.trace(String(repeating: "01", count: 16))
        #expect(tree.map(\.span.name) == ["front", "router", "ingress"])
        #expect(tree.map(\.depth) == [0, 1, 2])
        #expect(tree[2].span.attributes["http.status_code"] == "200" && tree[2].span.kind == "CLIENT")
    }

    @Test func theRingKeepsTheNewest() {
        var recent = RecentSpans(capacity: 3)
        for id in 1...5 { recent.add(Self.export(service: "s", [Self.span(UInt8(id), UInt8(id), parent: nil, name: "t\(id)", start: UInt64(id), end: UInt64(id) + 1)])) }
        #expect(recent.spans.map(\.name) == ["t3", "t4", "t5"])
        #expect(recent.received == 5)
    }

    @Test func receiverAndAPI() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("swiftmesh-traces-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let plane = ControlPlane(options: .init(configDirectory: directory.path))
        let body = try Self.export(service: "shop.shop", [Self.span(7, 1, parent: nil, name: "ingress", start: 1_000, end: 2_000_000)]).serializedBytes() as [UInt8]
        let post = DebugHTTPServer.Request(method: "POST", path: "/v1/traces", query: [:], headers: ["content-type": "application/x-protobuf"], body: body)
        #expect(await plane.http(post).status == 200)
        let json = DebugHTTPServer.Request(method: "POST", path: "/v1/traces", query: [:], headers: ["content-type": "application/json"], body: Array("{}".utf8))
        #expect(await plane.http(json).status == 415)
        let garbage = DebugHTTPServer.Request(method: "POST", path: "/v1/traces", query: [:], headers: [:], body: [0xFF, 0xFF])
        #expect(await plane.http(garbage).status == 400)
        let list = await plane.http(DebugHTTPServer.Request(method: "GET", path: "/api/v1/traces", query: [:], headers: [:], body: []))
        #expect(list.status == 200 && list.body.contains(String(repeating: "07", count: 16)))
        let one = await plane.http(DebugHTTPServer.Request(method: "GET", path: "/api/v1/traces/" + String(repeating: "07", count: 16), query: [:], headers: [:], body: []))
        #expect(one.status == 200 && one.body.contains("\"name\" : \"ingress\""))
        let missing = await plane.http(DebugHTTPServer.Request(method: "GET", path: "/api/v1/traces/abc", query: [:], headers: [:], body: []))
        #expect(missing.status == 404)
        #expect(UTCTimestamp(unixNanos: 1_700_000_000_123_000_000).rfc3339 == "2023-11-14T22:13:20.123Z")
    }
}

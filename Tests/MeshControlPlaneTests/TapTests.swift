import Testing
@testable import MeshControlPlane

/// The live tap over the span ring: one proxy's requests after a sequence number,
/// each seen once, also after the ring wrapped.
struct TapTests {
    static func span(node: String, _ name: String) -> RecentSpans.Span {
        RecentSpans.Span(traceID: "t", spanID: name, parentSpanID: "", name: name, kind: "SERVER", service: "svc",
                         startUnixNanos: 1, endUnixNanos: 2, attributes: ["node_id": node], isError: false)
    }

    @Test func tapFiltersByProxyAndResumesAfterASequenceNumber() {
        var spans = RecentSpans(capacity: 4)
        let shop = "sidecar~127.0.10.1~shop-v1.shop~shop.svc.cluster.local"
        let catalog = "sidecar~127.0.10.2~catalog-v1.shop~shop.svc.cluster.local"
        spans.add(Self.span(node: shop, "a"))
        spans.add(Self.span(node: catalog, "b"))
        spans.add(Self.span(node: shop, "c"))
        let all = spans.tap(proxy: "shop-v1", after: 0)
        #expect(all.map(\.span.name) == ["a", "c"])
        #expect(all.map(\.seq) == [1, 3])
        #expect(spans.tap(proxy: shop, after: 1).map(\.span.name) == ["c"], "a full node id matches too")
        #expect(spans.tap(proxy: "", after: 2).map(\.span.name) == ["c"])
        // The ring wraps (capacity 4): sequence numbers keep counting.
        for name in ["d", "e", "f"] { spans.add(Self.span(node: shop, name)) }
        #expect(spans.tap(proxy: "shop-v1", after: 3).map(\.seq) == [4, 5, 6])
        #expect(spans.tap(proxy: "catalog-v1", after: 0).isEmpty, "pushed out of the ring")
        #expect(spans.tap(proxy: "shop-v", after: 0).isEmpty, "a part must end at a name boundary")
    }
}

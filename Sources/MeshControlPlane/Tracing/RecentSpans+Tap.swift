/// The live tap: the requests one proxy handled, as its spans report them, after
/// a sequence number (so a client polling with its last `seq` sees each once).
extension RecentSpans {
    public struct TapEntry: Sendable, Equatable {
        public var seq: UInt64
        public var span: Span
    }

    /// Spans after `seq` whose exporting proxy matches `proxy` (a node id, or any
    /// part of it such as `shop-v1`; empty: every proxy), oldest first.
    public func tap(proxy: String, after seq: UInt64, limit: Int = 500) -> [TapEntry] {
        let held = spans
        let first = received - UInt64(held.count) + 1
        var result: [TapEntry] = []
        for (offset, span) in held.enumerated() {
            let number = first + UInt64(offset)
            guard number > seq, Self.span(span, isFrom: proxy) else { continue }
            result.append(TapEntry(seq: number, span: span))
        }
        return Array(result.suffix(limit))
    }

    static func span(_ span: Span, isFrom proxy: String) -> Bool {
        guard !proxy.isEmpty else { return true }
        let node = span.attributes["node_id"] ?? ""
        // Istio's node id TYPE~IP~POD.NAMESPACE~DOMAIN: `shop-v1` or `shop-v1.shop` name the pod.
        let parts = node.split(separator: "~", omittingEmptySubsequences: false)
        let pod = parts.count >= 3 ? String(parts[2]) : ""
        return node == proxy || pod == proxy || pod.hasPrefix(proxy + ".") || span.service == proxy
    }
}

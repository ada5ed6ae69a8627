extension RecentSpans {
    /// One trace as the console lists it.
    public struct TraceSummary: Sendable, Equatable {
        public var traceID: String
        /// The root span's name (or the earliest span's when the root is missing).
        public var rootName: String
        public var rootService: String
        public var services: [String]
        public var spanCount: Int
        public var startUnixNanos: UInt64
        public var durationMicros: UInt64
        public var hasError: Bool
    }

    /// Traces by most recent start, at most `limit`.
    public func traces(limit: Int = 50) -> [TraceSummary] {
        var byTrace: [String: [Span]] = [:]
        for span in spans { byTrace[span.traceID, default: []].append(span) }
        let summaries = byTrace.map { id, spans in
            let ids = Set(spans.map(\.spanID))
            let earliest = spans.min { $0.startUnixNanos < $1.startUnixNanos }!
            let root = spans.first { $0.parentSpanID.isEmpty } ?? spans.first { !ids.contains($0.parentSpanID) } ?? earliest
            let end = spans.map(\.endUnixNanos).max() ?? earliest.endUnixNanos
            return TraceSummary(traceID: id, rootName: root.name, rootService: root.service,
                                services: Array(Set(spans.map(\.service))).sorted(), spanCount: spans.count,
                                startUnixNanos: earliest.startUnixNanos,
                                durationMicros: end >= earliest.startUnixNanos ? (end - earliest.startUnixNanos) / 1000 : 0,
                                hasError: spans.contains { $0.isError })
        }
        return Array(summaries.sorted { $0.startUnixNanos > $1.startUnixNanos }.prefix(limit))
    }

    /// A trace's spans, parents before children (depth-first by start time),
    /// with each span's depth in the tree.
    public func trace(_ traceID: String) -> [(span: Span, depth: Int)] {
        let spans = self.spans.filter { $0.traceID == traceID.lowercased() }
        let ids = Set(spans.map(\.spanID))
        var children: [String: [Span]] = [:]
        for span in spans { children[ids.contains(span.parentSpanID) ? span.parentSpanID : "", default: []].append(span) }
        var ordered: [(Span, Int)] = []
        func visit(_ parent: String, _ depth: Int) {
            for span in (children[parent] ?? []).sorted(by: { $0.startUnixNanos < $1.startUnixNanos }) {
                ordered.append((span, depth))
                // A span listing itself as parent would loop.
                if span.spanID != parent { visit(span.spanID, depth + 1) }
            }
        }
        visit("", 0)
        return ordered
    }
}

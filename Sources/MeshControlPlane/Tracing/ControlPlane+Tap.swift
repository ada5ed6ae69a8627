import Foundation
import MeshCore

extension ControlPlane {
    /// `GET /api/v1/tap?proxy=NAME&after=SEQ`: the requests through one proxy,
    /// from the spans it exports (server spans are requests it received, client
    /// spans requests it sent). A long poll: answers at once when there is
    /// something after `after`, else within `wait` seconds (default 10, max 30).
    func tapReport(proxy: String, after: UInt64, wait: Double) async -> [String: Any] {
        let deadline = Date().addingTimeInterval(min(max(wait, 0), 30))
        var entries = recentSpans.tap(proxy: proxy, after: after)
        while entries.isEmpty && Date() < deadline {
            try? await Task.sleep(for: .milliseconds(200))
            entries = recentSpans.tap(proxy: proxy, after: after)
        }
        let items: [[String: Any]] = entries.map { entry in
            let span = entry.span
            let attributes = span.attributes
            return ["seq": entry.seq, "time": UTCTimestamp(unixNanos: span.startUnixNanos).rfc3339,
                    "direction": span.kind == "SERVER" ? "inbound" : span.kind == "CLIENT" ? "outbound" : span.kind.lowercased(),
                    "method": attributes["http.method"] ?? "", "url": attributes["http.url"] ?? span.name,
                    "status": attributes["http.status_code"] ?? "", "flags": attributes["response_flags"] ?? "-",
                    "latencyMicros": span.durationMicros, "upstreamCluster": attributes["upstream_cluster"] ?? "",
                    "traceId": span.traceID, "node": attributes["node_id"] ?? span.service]
        }
        return ["seq": entries.last?.seq ?? max(after, recentSpans.received), "received": recentSpans.received, "items": items]
    }
}

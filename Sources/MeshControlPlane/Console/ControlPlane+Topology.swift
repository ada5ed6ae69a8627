import Foundation

extension ControlPlane {
    /// `/api/v1/topology`: the edges between services from the connected proxies'
    /// metrics, scraped at exactly the targets `/sd/prometheus` gives Prometheus.
    func topologyReport() async -> [String: Any] {
        let targets = await prometheusTargets()
            .filter { ($0["labels"] as? [String: String])?["job"] == "envoy-stats" }
            .compactMap { ($0["targets"] as? [String])?.first }
        let report = await topology.report(targets: targets)
        let edges: [[String: Any]] = report.topology.edges.map { edge in
            var item: [String: Any] = ["source": edge.source, "destination": edge.destination, "requests": edge.requests, "errorRate": edge.errorRate]
            if let rate = edge.rate { item["rate"] = rate }
            if let p99 = edge.p99Milliseconds { item["p99"] = p99 }
            return item
        }
        return ["nodes": report.topology.nodes, "edges": edges, "window": report.topology.window,
                "targets": report.targets, "failures": report.failures]
    }
}

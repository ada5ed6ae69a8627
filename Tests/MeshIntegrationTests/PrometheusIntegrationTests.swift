import Foundation
import MeshLocal
import Testing

/// A real Prometheus (Debian's) started by `swiftmesh up --prometheus` finds every
/// proxy through the control plane's HTTP service discovery, and the PromQL of
/// Istio's dashboards answers with the traffic we sent.
@Suite(.serialized, .enabled(if: LocalMesh.findPrometheus() != nil, "prometheus not installed (apt-get install prometheus; CI installs it)"))
struct PrometheusIntegrationTests {
    struct Sample {
        var labels: [String: String]
        var value: Double
    }

    static func query(_ port: Int, _ promQL: String) -> [Sample]? {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        guard let encoded = promQL.addingPercentEncoding(withAllowedCharacters: allowed),
              let response = HTTPProbe.get("127.0.0.1", port, path: "/api/v1/query?query=\(encoded)", timeoutSeconds: 5),
              response.status == 200,
              let json = try? JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any],
              let data = json["data"] as? [String: Any], let results = data["result"] as? [[String: Any]] else { return nil }
        return results.compactMap { result in
            guard let metric = result["metric"] as? [String: String], let value = result["value"] as? [Any],
                  let text = value.last as? String, let number = Double(text) else { return nil }
            return Sample(labels: metric, value: number)
        }
    }

    @Test func prometheusScrapesTheMeshThroughHTTPServiceDiscovery() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("swiftmesh-prom-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: base) }
        let gatewayPort = try MeshHarness.freePort()
        let up = try UpProcess([MeshHarness.packageRoot + "/examples", "--gateway-port", "\(gatewayPort)", "--http-port", "0", "--xds-port", "0", "--secure-xds-port", "0",
                                "--run-dir", base.appendingPathComponent("run").path, "--data-plane", "swift",
                                "--prometheus", "--prometheus-port", "0", "--prometheus-scrape-interval", "1s"], directory: base)
        defer { up.stop() }
        try up.waitUntilUp()
        let prometheus = try #require(up.port(in: "Prometheus"), "\(up.log)")
        let harness = try MeshHarness()
        defer { harness.stopAll() }

        // Every proxy and the control plane are discovered and up.
        try harness.waitUntil("8 healthy targets", timeout: 20) {
            (Self.query(prometheus, "up")?.filter { $0.value == 1 }.count ?? 0) == 8
        }
        // Known traffic: 40 requests through the gateway, each crossing shop -> catalog + stock.
        for _ in 0..<40 { #expect(HTTPProbe.get("127.0.0.1", gatewayPort)?.status == 200) }
        let shop = "shop.shop.svc.cluster.local"
        // The front page was asked 40 times (plus `up`'s own readiness probes); Prometheus
        // must see exactly what the shop sidecar counts.
        let direct = TelemetryIntegrationTests.requests("127.0.10.1", 15090, ["reporter": "destination", "destination_service": shop])
        #expect(direct >= 40)
        try harness.waitUntil("Prometheus has the shop sidecar's count", timeout: 15) {
            Self.query(prometheus, "sum(istio_requests_total{reporter=\"destination\",destination_service=\"\(shop)\"})")?.first?.value == Double(direct)
        }
        // Istio dashboard shapes: request rate by service, and p99 latency.
        var rates: [String: Double] = [:]
        try harness.waitUntil("rates for every service", timeout: 15) {
            let samples = Self.query(prometheus, "sum(rate(istio_requests_total{reporter=\"destination\"}[1m])) by (destination_service)") ?? []
            rates = Dictionary(samples.map { ($0.labels["destination_service"] ?? "", $0.value) }, uniquingKeysWith: +)
            return ["shop", "catalog", "stock"].allSatisfy { (rates["\($0).shop.svc.cluster.local"] ?? 0) > 0 }
        }
        print("Prometheus: request rates by destination_service \(rates)")
        let p99 = Self.query(prometheus, "histogram_quantile(0.99, sum(rate(istio_request_duration_milliseconds_bucket{reporter=\"destination\"}[1m])) by (le, destination_service))") ?? []
        let shopP99 = p99.first { $0.labels["destination_service"] == shop }?.value
        #expect(shopP99 != nil && shopP99! > 0 && shopP99! < 10_000, "\(p99.map { ($0.labels, $0.value) })")
        // The gateway reports as source (its scrape may trail the sidecar's by one interval).
        try harness.waitUntil("the gateway's source-reported count", timeout: 15) {
            let fromGateway = Self.query(prometheus, "sum(istio_requests_total{reporter=\"source\",source_workload=\"ingressgateway\",response_code=\"200\"})")
            return (fromGateway?.first?.value ?? 0) >= 40
        }

        // The shipped Grafana dashboards: every panel query is valid PromQL here and,
        // apart from TCP and response-flag panels (no such traffic was sent), has data.
        var checked = 0
        for (file, expression) in try Self.dashboardQueries() {
            let promQL = expression.replacingOccurrences(of: "$service", with: ".*")
                .replacingOccurrences(of: "$workload", with: ".*").replacingOccurrences(of: "$namespace", with: ".*")
            #expect(Self.query(prometheus, promQL) != nil, "\(file): Prometheus refused \(promQL)")
            let mayBeEmpty = promQL.contains("istio_tcp") || promQL.contains("response_flags!=")
            // rate() needs two scrapes of the target in the window: allow a few intervals.
            if !mayBeEmpty {
                do {
                    try harness.waitUntil("data for \(promQL)", timeout: 10) { Self.query(prometheus, promQL)?.isEmpty == false }
                } catch {
                    Issue.record("\(file): no data for \(promQL)")
                }
            }
            checked += 1
        }
        #expect(checked >= 30)
    }

    /// (file, expr) of every panel target in dashboards/*.json.
    static func dashboardQueries() throws -> [(String, String)] {
        let directory = MeshHarness.packageRoot + "/dashboards"
        var queries: [(String, String)] = []
        for file in try FileManager.default.contentsOfDirectory(atPath: directory).sorted() where file.hasSuffix(".json") {
            let data = try Data(contentsOf: URL(fileURLWithPath: "\(directory)/\(file)"))
            let board = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            for panel in board["panels"] as? [[String: Any]] ?? [] {
                for target in panel["targets"] as? [[String: Any]] ?? [] {
                    if let expression = target["expr"] as? String { queries.append((file, expression)) }
                }
            }
        }
        return queries
    }
}

import Testing
@testable import MeshControlPlane

/// The console's topology from two scrapes of the proxies' exposition text:
/// destination-reported series only, rates from the difference, 5xx share, p99.
struct ConsoleTopologyTests {
    static let shopToCatalog = #"source_workload="shop-v1",source_canonical_service="shop",destination_service="catalog.shop.svc.cluster.local",destination_service_name="catalog",destination_workload="catalog-v1""#

    /// Exposition text as a catalog sidecar serves it after `ok` 200s and `failed` 503s,
    /// `fast` of them within 5 ms and the rest within 100 ms.
    static func exposition(ok: Int, failed: Int, fast: Int) -> String {
        let total = ok + failed
        return """
        # HELP istio_requests_total Requests.
        # TYPE istio_requests_total counter
        istio_requests_total{reporter="destination",\(shopToCatalog),response_code="200"} \(ok)
        istio_requests_total{reporter="destination",\(shopToCatalog),response_code="503"} \(failed)
        istio_requests_total{reporter="source",\(shopToCatalog),response_code="200"} 999
        istio_request_duration_milliseconds_bucket{reporter="destination",\(shopToCatalog),response_code="200",le="5"} \(fast)
        istio_request_duration_milliseconds_bucket{reporter="destination",\(shopToCatalog),response_code="200",le="100"} \(total)
        istio_request_duration_milliseconds_bucket{reporter="destination",\(shopToCatalog),response_code="200",le="+Inf"} \(total)
        istio_requests_total{reporter="destination",source_workload="ingressgateway",source_canonical_service="unknown",destination_service="shop.shop.svc.cluster.local",destination_service_name="unknown",response_code="200"} 7 1700000000000
        """
    }

    static func scrape(_ seconds: Double, _ text: String) -> MeshTopology.Scrape {
        MeshTopology.Scrape(seconds: seconds, samples: PrometheusTextParser.parse(text, names: MeshTopology.metricNames))
    }

    @Test func parsesLabelsEscapesAndSpecialValues() {
        let samples = PrometheusTextParser.parse("""
        # comment
        a{x="q\\"uote",y="back\\\\slash",z="line\\nbreak"} 1.5
        b 2 123
        c{le="+Inf"} +Inf
        broken{x="unterminated} 3
        """)
        #expect(samples.count == 3)
        #expect(samples[0] == .init(name: "a", labels: ["x": "q\"uote", "y": "back\\slash", "z": "line\nbreak"], value: 1.5))
        #expect(samples[1] == .init(name: "b", labels: [:], value: 2))
        #expect(samples[2].value == .infinity)
    }

    @Test func edgesWithRatesErrorShareAndP99FromTwoScrapes() throws {
        let before = Self.scrape(100, Self.exposition(ok: 10, failed: 0, fast: 10))
        let after = Self.scrape(110, Self.exposition(ok: 28, failed: 2, fast: 10))
        let topology = MeshTopology(previous: before, current: after)
        #expect(topology.window == 10)
        #expect(topology.nodes == ["catalog", "ingressgateway", "shop"])
        let edge = try #require(topology.edges.first { $0.source == "shop" && $0.destination == "catalog" })
        #expect(edge.requests == 30)
        #expect(edge.rate == 2)                 // 20 more in 10 s
        #expect(edge.errorRate == 0.1)          // 2 of the 20 in the window
        // All 20 of the window's requests are in (5, 100]: p99 interpolates to 5 + 95 * 19.8 / 20.
        let p99 = try #require(edge.p99Milliseconds)
        #expect(abs(p99 - 99.05) < 0.001)
        // The gateway's canonical service is unknown: its workload names it; the host names the service.
        let gateway = try #require(topology.edges.first { $0.source == "ingressgateway" })
        #expect(gateway.destination == "shop" && gateway.rate == 0 && gateway.p99Milliseconds == nil)
    }

    @Test func aSingleScrapeHasNoRatesAndUsesTotals() throws {
        let topology = MeshTopology(previous: nil, current: Self.scrape(5, Self.exposition(ok: 3, failed: 1, fast: 4)))
        let edge = try #require(topology.edges.first { $0.destination == "catalog" })
        #expect(edge.rate == nil && edge.errorRate == 0.25)
        #expect(try #require(edge.p99Milliseconds) <= 5)
    }

    @Test func aRestartedProxyCountsFromZero() throws {
        let before = Self.scrape(0, Self.exposition(ok: 500, failed: 0, fast: 500))
        let after = Self.scrape(10, Self.exposition(ok: 40, failed: 0, fast: 40))
        let edge = try #require(MeshTopology(previous: before, current: after).edges.first { $0.destination == "catalog" })
        #expect(edge.rate == 4)
    }

    @Test func quantilesFollowPromQL() {
        #expect(HistogramQuantile.value(0.5, buckets: [1: 0, 2: 10, .infinity: 10]) == 1.5)
        #expect(HistogramQuantile.value(0.99, buckets: [10: 0, .infinity: 5]) == 10)
        #expect(HistogramQuantile.value(0.99, buckets: [:]) == nil)
    }
}

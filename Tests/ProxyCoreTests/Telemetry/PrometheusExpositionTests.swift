import ProxyCore
import Testing

/// The text `/stats/prometheus` serves: Istio's names and labels, Envoy's
/// buckets, series merged across workers.
@Suite struct PrometheusExpositionTests {
    static let shop = WorkloadMetadata(name: "shop-v1", namespace: "shop", workloadName: "shop-v1", clusterID: "Kubernetes",
                                       app: "shop", version: "v1", canonicalService: "shop", canonicalRevision: "v1")
    static let catalog = WorkloadMetadata(name: "catalog-v1", namespace: "shop", workloadName: "catalog-v1", clusterID: "Kubernetes",
                                          app: "catalog", version: "v1", canonicalService: "catalog", canonicalRevision: "v1")
    static let service = IstioService(host: "catalog.shop.svc.cluster.local", name: "catalog", namespace: "shop")

    @Test func bucketsAreEnvoysDefaults() {
        #expect(HistogramBuckets.bounds == [0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000,
                                            300000, 600000, 1800000, 3600000])
        #expect(HistogramBuckets.index(of: 0) == 0)
        #expect(HistogramBuckets.index(of: 0.5) == 0)   // le is inclusive
        #expect(HistogramBuckets.index(of: 0.51) == 1)
        #expect(HistogramBuckets.index(of: 7) == 3)
        #expect(HistogramBuckets.index(of: 3_600_000) == 18)
        #expect(HistogramBuckets.index(of: 3_600_001) == 19)  // only +Inf
    }

    @Test func sourceReporterGolden() {
        var store = TelemetryStore()
        let scope = store.slot(for: TelemetryScope(reporter: .source, local: Self.shop))
        let service = store.slot(for: Self.service)
        let peer = store.slot(for: Self.catalog)
        store.recordRequest(scope: scope, service: service, peer: peer, code: 200, flags: [], durationMilliseconds: 3,
                            requestBytes: 120, responseBytes: 700)
        store.recordRequest(scope: scope, service: service, peer: peer, code: 200, flags: [], durationMilliseconds: 30,
                            requestBytes: 120, responseBytes: 7000)
        let text = PrometheusExposition.render([store])
        let labels = #"reporter="source",source_workload="shop-v1",source_canonical_service="shop",source_canonical_revision="v1",source_workload_namespace="shop",source_principal="unknown",source_app="shop",source_version="v1",source_cluster="Kubernetes",destination_workload="catalog-v1",destination_workload_namespace="shop",destination_principal="unknown",destination_app="catalog",destination_version="v1",destination_service="catalog.shop.svc.cluster.local",destination_canonical_service="catalog",destination_canonical_revision="v1",destination_service_name="catalog",destination_service_namespace="shop",destination_cluster="Kubernetes",request_protocol="http",response_code="200",grpc_response_status="",response_flags="-",connection_security_policy="unknown""#
        #expect(text.hasPrefix("# TYPE istio_requests_total counter\nistio_requests_total{\(labels)} 2\n# TYPE istio_request_bytes histogram\n"))
        #expect(text.contains("# TYPE istio_request_duration_milliseconds histogram\n"))
        #expect(text.contains("# TYPE istio_response_bytes histogram\n"))
        #expect(text.contains("istio_request_duration_milliseconds_bucket{\(labels),le=\"1\"} 0\n"))
        #expect(text.contains("istio_request_duration_milliseconds_bucket{\(labels),le=\"5\"} 1\n"))
        #expect(text.contains("istio_request_duration_milliseconds_bucket{\(labels),le=\"50\"} 2\n"))
        #expect(text.contains("istio_request_duration_milliseconds_bucket{\(labels),le=\"3600000\"} 2\n"))
        #expect(text.contains("istio_request_duration_milliseconds_bucket{\(labels),le=\"+Inf\"} 2\n"))
        #expect(text.contains("istio_request_duration_milliseconds_sum{\(labels)} 33\n"))
        #expect(text.contains("istio_request_duration_milliseconds_count{\(labels)} 2\n"))
        #expect(text.contains("istio_response_bytes_bucket{\(labels),le=\"1000\"} 1\n"))
        #expect(text.contains("istio_response_bytes_bucket{\(labels),le=\"10000\"} 2\n"))
        #expect(text.contains("istio_request_bytes_sum{\(labels)} 240\n"))
        // 1 counter line + 3 histograms x (19 bounds + +Inf + sum + count) + 4 TYPE lines.
        #expect(text.split(separator: "\n").count == 1 + 3 * 22 + 4)
    }

    @Test func destinationReporterSwapsSidesAndUnknownPeersSayUnknown() {
        var store = TelemetryStore()
        let scope = store.slot(for: TelemetryScope(reporter: .destination, local: Self.catalog))
        let service = store.slot(for: Self.service)
        store.recordRequest(scope: scope, service: service, peer: 0, code: 503, flags: [.noHealthyUpstream, .upstreamConnectionFailure],
                            durationMilliseconds: 1, requestBytes: 0, responseBytes: 0)
        let text = PrometheusExposition.render([store])
        #expect(text.contains(#"istio_requests_total{reporter="destination",source_workload="unknown",source_canonical_service="unknown","#))
        #expect(text.contains(#"destination_workload="catalog-v1",destination_workload_namespace="shop""#))
        #expect(text.contains(#"response_code="503",grpc_response_status="",response_flags="UH,UF",connection_security_policy="none"} 1"#))
        // gRPC: request_protocol says so, with the grpc-status when there was one.
        store.recordRequest(scope: scope, service: service, peer: 0, code: 200, flags: [], durationMilliseconds: 1, requestBytes: 0,
                            responseBytes: 0, grpcStatus: 14)
        store.recordRequest(scope: scope, service: service, peer: 0, code: 200, flags: [], durationMilliseconds: 1, requestBytes: 0,
                            responseBytes: 0, grpcStatus: TelemetryStore.grpcWithoutStatus)
        let grpc = PrometheusExposition.render([store])
        #expect(grpc.contains(#"request_protocol="grpc",response_code="200",grpc_response_status="14",response_flags="-""#))
        #expect(grpc.contains(#"request_protocol="grpc",response_code="200",grpc_response_status="",response_flags="-""#))
    }

    @Test func workersMergeIntoOneSeriesAndTCPHasItsOwnMetrics() {
        var first = TelemetryStore()
        var second = TelemetryStore()
        for _ in 0..<2 {
            _ = second.slot(for: Self.catalog)   // different slot numbers on the second worker
        }
        for store in [0, 1] {
            let scope = store == 0 ? first.slot(for: TelemetryScope(reporter: .source, local: Self.shop))
                                   : second.slot(for: TelemetryScope(reporter: .source, local: Self.shop))
            if store == 0 {
                first.recordRequest(scope: scope, service: first.slot(for: Self.service), peer: first.slot(for: Self.catalog), code: 200,
                                    flags: [], durationMilliseconds: 1, requestBytes: 1, responseBytes: 1)
            } else {
                second.recordRequest(scope: scope, service: second.slot(for: Self.service), peer: second.slot(for: Self.catalog), code: 200,
                                     flags: [], durationMilliseconds: 1, requestBytes: 1, responseBytes: 1)
            }
        }
        let tcpScope = first.slot(for: TelemetryScope(reporter: .source, local: Self.shop))
        first.recordTCPOpened(scope: tcpScope, service: 0)
        first.recordTCPClosed(scope: tcpScope, service: 0, flags: [], sent: 10, received: 4)
        let text = PrometheusExposition.render([first, second])
        #expect(text.split(separator: "\n").filter { $0.hasPrefix("istio_requests_total{") }.count == 1)
        #expect(text.contains(#"response_flags="-",connection_security_policy="unknown"} 2"#))
        #expect(text.contains("# TYPE istio_tcp_connections_opened_total counter\n"))
        let tcpLines = text.split(separator: "\n").filter { $0.hasPrefix("istio_tcp_") }
        #expect(tcpLines.first { $0.hasPrefix("istio_tcp_sent_bytes_total{") }?.hasSuffix("} 10") == true)
        #expect(tcpLines.first { $0.hasPrefix("istio_tcp_received_bytes_total{") }?.hasSuffix("} 4") == true)
        #expect(tcpLines.first { $0.hasPrefix("istio_tcp_connections_closed_total{") }?.hasSuffix("} 1") == true)
    }

    @Test func peersAreDecodedOncePerID() {
        var store = TelemetryStore()
        let value = Self.catalog.exchangeHeaderValue
        let id = Array("sidecar~127.0.10.2~catalog-v1.shop~shop.svc.cluster.local".utf8)
        let first = id.withUnsafeBytes { id in value.withUnsafeBytes { store.peerSlot(id: id, value: $0) } }
        let again = id.withUnsafeBytes { id in value.withUnsafeBytes { store.peerSlot(id: id, value: $0) } }
        #expect(first != 0)
        #expect(first == again)
        let none = id.withUnsafeBytes { id in [UInt8]().withUnsafeBytes { store.peerSlot(id: id, value: $0) } }
        #expect(none == 0)
    }
}

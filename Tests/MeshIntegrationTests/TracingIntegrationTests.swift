import Foundation
import MeshLocal
import Testing
import XDSAPI

/// Distributed tracing through the example mesh on both data planes: proxies
/// export OTLP/HTTP protobuf to a test collector named by the mesh config
/// (ConfigMap istio); spans
/// link parent to child across gateway -> shop's sidecar -> shop -> shop's
/// sidecar -> catalog's sidecar -> catalog; the Telemetry's sampling percentage
/// decides (100 %: every request traced, 0 %: none).
@Suite(.serialized)
struct TracingIntegrationTests {
    typealias Span = TraceCollector.Span

    @Test(arguments: DataPlane.allCases)
    func spansAcrossTwoHopsAndSampling(_ plane: DataPlane) throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("swiftmesh-trace-\(plane)-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: base) }
        let config = base.appendingPathComponent("config")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: MeshHarness.packageRoot + "/examples", toPath: config.path)
        let collector = try TraceCollector(directory: base.appendingPathComponent("collector"))
        defer { collector.stop() }
        // Istio's mesh config, as istiod reads it: ConfigMap istio in the root namespace.
        try """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: istio, namespace: istio-system}
        data:
          mesh: |-
            defaultProviders: {tracing: [test-collector]}
            extensionProviders:
            - name: test-collector
              opentelemetry: {service: 127.0.0.1, port: \(collector.port), http: {path: /v1/traces, timeout: 5s}}
        """.write(to: config.appendingPathComponent("mesh-config.yaml"), atomically: true, encoding: .utf8)

        let gatewayPort = try MeshHarness.freePort()
        let up = try UpProcess([config.path, "--gateway-port", "\(gatewayPort)", "--http-port", "0", "--xds-port", "0",
                                "--run-dir", base.appendingPathComponent("run").path, "--start-timeout", "30",
                                "--data-plane", plane.rawValue], directory: base)
        defer { up.stop() }
        try up.waitUntilUp()

        // 1. A request carrying a W3C context: every span joins its trace.
        let traceID = Self.randomHex(32), parentID = Self.randomHex(16)
        let response = try #require(HTTPProbe.get("127.0.0.1", gatewayPort, path: "/", headers: ["traceparent": "00-\(traceID)-\(parentID)-01"]))
        #expect(response.status == 200)
        #expect(response.body.contains("00-\(traceID)-"), "the shop app got a traceparent of the same trace: \(response.body.prefix(600))")
        // Each proxy flushes on its own clock (Envoy every 5 s): wait for every hop.
        let spans = try collector.waitFor { spans in
            let hops = Set(spans.filter { $0.traceID == traceID }.map { "\($0.service) \($0.kind)" })
            return hops.isSuperset(of: ["ingressgateway.shop server", "ingressgateway.shop client", "shop.shop server", "shop.shop client", "catalog.shop server"])
        }
        let mine = spans.filter { $0.traceID == traceID }
        func parent(of span: Span?) -> Span? { span.flatMap { child in mine.first { $0.spanID == child.parentSpanID } } }
        let gateway = mine.first { $0.parentSpanID == parentID }
        #expect(gateway?.service == "ingressgateway.shop" && gateway?.kind == .server, "the gateway continues the client's span: \(Self.describe(mine))")
        let shopServer = mine.first { $0.service == "shop.shop" && $0.kind == .server }
        #expect(parent(of: shopServer)?.service == "ingressgateway.shop", "hop 1: the gateway's span is the shop sidecar's parent")
        let catalogServer = mine.first { $0.service == "catalog.shop" && $0.kind == .server }
        let shopClient = parent(of: catalogServer)
        #expect(shopClient?.service == "shop.shop" && shopClient?.kind == .client, "hop 2: shop's outbound span is catalog's parent")
        #expect(shopClient != nil && shopClient?.parentSpanID == shopServer?.spanID,
                "the app carried the context from its inbound request to its outbound call: \(Self.describe(mine))")
        #expect(shopClient?.attributes["http.method"] == "GET" && shopClient?.attributes["http.status_code"] == "200")
        #expect(shopClient?.attributes["upstream_cluster"]?.contains("catalog.shop.svc.cluster.local") == true)
        #expect(catalogServer?.attributes["istio.canonical_service"] == "catalog")
        #expect(mine.allSatisfy { !$0.isError })

        // 2. 100 % (the example's Telemetry): every request is a trace rooted at the gateway.
        let sent = 5
        for index in 0..<sent {
            #expect(HTTPProbe.get("127.0.0.1", gatewayPort, path: "/?sample=\(index)")?.status == 200)
        }
        func roots(_ spans: [Span]) -> Set<String> {
            Set(spans.filter { $0.parentSpanID.isEmpty && $0.service == "ingressgateway.shop" && ($0.attributes["http.url"] ?? "").contains("/?sample=") }.map(\.traceID))
        }
        // Each proxy flushes on its own clock: wait for the far end of every trace too.
        let sampled = try collector.waitFor { spans in
            roots(spans).count >= sent && roots(spans).allSatisfy { trace in spans.contains { $0.traceID == trace && $0.service == "catalog.shop" } }
        }
        let sampledRoots = roots(sampled)
        #expect(sampledRoots.count == sent)
        for trace in sampledRoots {
            #expect(sampled.contains { $0.traceID == trace && $0.service == "catalog.shop" }, "trace \(trace) reaches catalog")
        }

        // 3. 0 %: no spans at all (the gateway's unsampled decision travels on).
        let telemetry = config.appendingPathComponent("telemetry.yaml")
        let text = try String(contentsOf: telemetry, encoding: .utf8)
        try #require(text.contains("randomSamplingPercentage: 100.0"))
        try text.replacingOccurrences(of: "randomSamplingPercentage: 100.0", with: "randomSamplingPercentage: 0.0").write(to: telemetry, atomically: true, encoding: .utf8)
        Thread.sleep(forTimeInterval: 3)
        // Spans still on their way from part 2 (Envoy flushes every 5 s) land first.
        Thread.sleep(forTimeInterval: 6)
        let before = try collector.spans().count
        for index in 0..<sent {
            #expect(HTTPProbe.get("127.0.0.1", gatewayPort, path: "/?unsampled=\(index)")?.status == 200)
        }
        Thread.sleep(forTimeInterval: 7)
        let after = try collector.spans()
        #expect(after.count == before, "0 %: no new spans, got \(Self.describe(Array(after.dropFirst(before))))")
        #expect(!after.contains { ($0.attributes["http.url"] ?? "").contains("unsampled") })

        up.stop()
        #expect(up.log.contains("stopped 14 processes"))
    }

    static func randomHex(_ digits: Int) -> String {
        String((0..<digits).map { _ in "0123456789abcdef".randomElement()! })
    }

    static func describe(_ spans: [Span]) -> String {
        spans.map { "\($0.service) \($0.kind) \($0.name) \($0.spanID)<-\($0.parentSpanID)" }.joined(separator: "; ")
    }
}

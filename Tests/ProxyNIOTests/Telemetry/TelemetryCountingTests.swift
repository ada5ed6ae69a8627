import Foundation
import NIOCore
import ProxyCore
import Testing
@testable import ProxyNIO

/// Istio metrics, metadata exchange and access logs on the forwarding path,
/// through EmbeddedChannels.
@Suite struct TelemetryCountingTests {
    static let shop = WorkloadMetadata(name: "shop-v1", namespace: "shop", workloadName: "shop-v1", clusterID: "Kubernetes",
                                       app: "shop", version: "v1", canonicalService: "shop", canonicalRevision: "v1")
    static let catalog = WorkloadMetadata(name: "catalog-v1", namespace: "shop", workloadName: "catalog-v1", clusterID: "Kubernetes",
                                          app: "catalog", version: "v1", canonicalService: "catalog", canonicalRevision: "v1")
    static let shopIdentity = TelemetryIdentity(local: shop, nodeID: "sidecar~127.0.10.1~shop-v1.shop~shop.svc.cluster.local")
    static let catalogIdentity = TelemetryIdentity(local: catalog, nodeID: "sidecar~127.0.10.2~catalog-v1.shop~shop.svc.cluster.local")
    static let ok = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"

    /// The default test config with the cluster named as Istio names it, an
    /// optional direction and access log.
    static func config(inbound: Bool = false, accessLog: String? = nil, domains: [String] = ["*"]) throws -> ProxyConfig {
        var config = EmbeddedProxy.config(domains: domains)
        config.listeners[0].direction = inbound ? .inbound : .outbound
        if case .http(var http) = config.listeners[0].chain {
            if let accessLog { http.accessLogs = [AccessLogConfig(path: accessLog, format: try AccessLogFormat(AccessLogFormat.envoyDefault))] }
            config.listeners[0] = config.listeners[0].replacingChain(.http(http))
        }
        config.clusters["backend"]!.istioService = IstioService(host: "catalog.shop.svc.cluster.local")
        return config
    }

    static func metrics(_ proxy: EmbeddedProxy) -> String { PrometheusExposition.render([proxy.worker.telemetry]) }

    static func count(_ text: String, _ labels: [String]) -> Int {
        text.split(separator: "\n").filter { line in line.hasPrefix("istio_requests_total{") && labels.allSatisfy { line.contains($0) } }
            .compactMap { Int($0.split(separator: " ").last ?? "") }.reduce(0, +)
    }

    @Test func sourceSideSendsItsMetadataAndLabelsTheDestinationFromTheReply() throws {
        let proxy = try EmbeddedProxy(config: Self.config(), identity: Self.shopIdentity)
        for _ in 0..<3 {
            try proxy.send("GET /items HTTP/1.1\r\nHost: catalog:9080\r\nx-envoy-peer-metadata: forged\r\n\r\n")
            let upstream = try proxy.upstreamReceived()
            #expect(upstream.contains("x-envoy-peer-metadata-id: sidecar~127.0.10.1~shop-v1.shop~shop.svc.cluster.local\r\n"))
            #expect(!upstream.contains("forged"), "a client's own exchange header must not pass: \(upstream)")
            let value = String(decoding: Self.catalogIdentity.local.exchangeHeaderValue, as: UTF8.self)
            try proxy.respond("HTTP/1.1 200 OK\r\nx-envoy-peer-metadata-id: \(Self.catalogIdentity.nodeID)\r\nx-envoy-peer-metadata: \(value)\r\nContent-Length: 5\r\n\r\nhello")
            let reply = try proxy.received()
            #expect(reply.hasPrefix("HTTP/1.1 200 OK"))
            #expect(!reply.contains("x-envoy-peer-metadata"), "exchange headers are stripped before the app: \(reply)")
        }
        let text = Self.metrics(proxy)
        #expect(Self.count(text, [#"reporter="source""#, #"source_workload="shop-v1""#, #"destination_workload="catalog-v1""#,
                                  #"destination_service="catalog.shop.svc.cluster.local""#, #"response_code="200""#]) == 3)
        #expect(text.contains(#"istio_request_bytes_count{"#))
    }

    @Test func destinationSideReadsStripsAndAnswersTheExchange() throws {
        let proxy = try EmbeddedProxy(config: Self.config(inbound: true), identity: Self.catalogIdentity)
        let value = String(decoding: Self.shop.exchangeHeaderValue, as: UTF8.self)
        try proxy.send("GET /items HTTP/1.1\r\nHost: catalog\r\nx-envoy-peer-metadata-id: \(Self.shopIdentity.nodeID)\r\nx-envoy-peer-metadata: \(value)\r\n\r\n")
        let upstream = try proxy.upstreamReceived()
        #expect(!upstream.contains("x-envoy-peer-metadata"), "the app never sees the exchange: \(upstream)")
        try proxy.respond(Self.ok)
        let reply = try proxy.received()
        #expect(reply.contains("x-envoy-peer-metadata-id: \(Self.catalogIdentity.nodeID)\r\n"))
        let text = Self.metrics(proxy)
        #expect(Self.count(text, [#"reporter="destination""#, #"source_workload="shop-v1""#, #"destination_workload="catalog-v1""#,
                                  #"destination_service="catalog.shop.svc.cluster.local""#, #"response_code="200""#,
                                  #"connection_security_policy="none""#]) == 1)
        // A caller outside the mesh: no headers sent, none answered, source unknown.
        try proxy.send("GET /items HTTP/1.1\r\nHost: catalog\r\n\r\n")
        _ = try proxy.upstreamReceived()
        try proxy.respond(Self.ok)
        #expect(!(try proxy.received()).contains("x-envoy-peer-metadata"))
        #expect(Self.count(Self.metrics(proxy), [#"reporter="destination""#, #"source_workload="unknown""#]) == 1)
    }

    @Test func localRepliesAreCountedWithTheirFlagsAndLogged() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tele-\(UUID().uuidString).log").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let proxy = try EmbeddedProxy(config: Self.config(accessLog: path, domains: ["catalog"]), identity: Self.shopIdentity)
        try proxy.send("GET /nope HTTP/1.1\r\nHost: unknown.example.com\r\nUser-Agent: test\r\n\r\n")
        #expect(try proxy.received().hasPrefix("HTTP/1.1 404 Not Found"))
        proxy.upstreamReachable = false
        try proxy.send("GET /down HTTP/1.1\r\nHost: catalog\r\n\r\n")
        #expect(try proxy.received().hasPrefix("HTTP/1.1 503"))
        let text = Self.metrics(proxy)
        #expect(Self.count(text, [#"response_code="404""#, #"response_flags="NR""#, #"destination_service="unknown""#]) == 1)
        #expect(Self.count(text, [#"response_code="503""#, #"response_flags="UF""#, #"destination_service="catalog.shop.svc.cluster.local""#]) == 1)
        proxy.worker.flushAccessLogs()
        let log = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(log.count == 2)
        #expect(log.first?.contains(#""GET /nope HTTP/1.1" 404 NR 0 0 "#) == true, "\(log)")
        #expect(log.first?.hasSuffix(#" "-" "test" "-" "unknown.example.com" "-""#) == true, "\(log)")
        #expect(log.last?.contains(#""GET /down HTTP/1.1" 503 UF 0 98 "#) == true, "\(log)")
    }

    /// A format of its own, on an edge listener (x-forwarded-for appended) that
    /// does not log x-forwarded-for, with a generated request id.
    @Test func customFormatsLogWhatTheyName() throws {
        var config = try Self.config()
        if case .http(var http) = config.listeners[0].chain {
            http.useRemoteAddress = true
            http.generateRequestID = true
            http.accessLogs = [AccessLogConfig(path: "/dev/null", format: try AccessLogFormat("%REQ(:METHOD)% %RESPONSE_CODE% %UPSTREAM_CLUSTER% %REQ(X-REQUEST-ID):8%\n"))]
            config.listeners[0] = config.listeners[0].replacingChain(.http(http))
        }
        let proxy = try EmbeddedProxy(config: config, identity: Self.shopIdentity)
        try proxy.send("GET / HTTP/1.1\r\nHost: catalog\r\n\r\n")
        let upstream = try proxy.upstreamReceived()
        let id = try #require(upstream.split(separator: "\r\n").first { $0.hasPrefix("x-request-id: ") }?.dropFirst(14))
        try proxy.respond(Self.ok)
        _ = try proxy.received()
        let sink = try #require(proxy.worker.listener(named: "http")?.accessLogs.first?.sink)
        #expect(String(decoding: sink.pending, as: UTF8.self) == "GET 200 backend \(id.prefix(8))\n")
    }

    @Test func aClientLeavingMidExchangeIsDC() throws {
        let proxy = try EmbeddedProxy(config: Self.config(), identity: Self.shopIdentity)
        try proxy.send("GET /slow HTTP/1.1\r\nHost: catalog\r\n\r\n")
        _ = try proxy.upstreamReceived()
        try proxy.downstream.close().wait()
        #expect(Self.count(Self.metrics(proxy), [#"response_code="0""#, #"response_flags="DC""#]) == 1)
    }
}

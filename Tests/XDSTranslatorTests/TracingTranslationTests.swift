import MeshConfig
import MeshSnapshot
import Testing
import XDSAPI
@testable import XDSTranslator

/// Istio's Telemetry `tracing` + MeshConfig extension providers -> the HCM
/// `tracing` block with Envoy's OpenTelemetry tracer (OTLP/HTTP via a cluster),
/// sampling, custom tags, and the UUID request id extension.
struct TracingTranslationTests {
    typealias F = TranslatorFixture
    typealias HCM = Envoy_Extensions_Filters_Network_HttpConnectionManager_V3_HttpConnectionManager
    let reviews = F.sidecar("10.0.0.11", name: "reviews-v1", labels: ["app": "reviews", "version": "v1"])

    /// Istio's mesh config as istiod reads it: ConfigMap `istio`, key `mesh`.
    static let mesh = """
    apiVersion: v1
    kind: ConfigMap
    metadata: {name: istio, namespace: istio-system}
    data:
      mesh: |-
        defaultProviders: {tracing: [otel]}
        extensionProviders:
        - name: otel
          opentelemetry:
            service: otel-collector.observability.svc.cluster.local
            port: 4318
            http: {path: /v1/traces, timeout: 2s, headers: [{name: x-tenant, value: shop}]}
        - name: local
          opentelemetry: {service: 127.0.0.1, port: 15014, http: {path: /v1/traces}}
        - name: grpc
          opentelemetry: {service: otel-collector.observability.svc.cluster.local, port: 4317}
    """

    func telemetry(_ name: String, namespace: String = "default", selector: String? = nil, _ tracing: String) -> String {
        """
        ---
        apiVersion: telemetry.istio.io/v1
        kind: Telemetry
        metadata: {name: \(name), namespace: \(namespace)}
        spec:
        \(selector.map { "  selector: {matchLabels: {app: \($0)}}\n" } ?? "")  tracing:
        \(tracing)
        """
    }

    func translate(_ yaml: String, mesh: String = mesh, fallback: TranslatorOptions.TracingCollector? = nil, proxy: ProxyNode? = nil) -> ProxyResources {
        var options = TranslatorOptions()
        options.defaultTracingCollector = fallback
        return XDSTranslator(options: options).resources(for: proxy ?? reviews, in: F.snapshot(mesh + "\n---\n" + yaml))
    }

    /// (outbound HCM, inbound HCM on 9080) of the reviews sidecar.
    func managers(_ resources: ProxyResources) throws -> (HCM, HCM) {
        let outbound = try resources.listener("0.0.0.0_9080")
        let inbound = try resources.listener("virtualInbound")
        let chain = try #require(inbound.filterChains.first { $0.filterChainMatch.destinationPort.value == 9080 && $0.filters.first?.name == ConnectionManagerBuilder.name })
        return (try Unpack.hcm(outbound.filterChains[0].filters[0]), try Unpack.hcm(chain.filters[0]))
    }

    @Test func noProviderNoTracing() throws {
        let (outbound, inbound) = try managers(translate(telemetry("t", "  - randomSamplingPercentage: 50"), mesh: ""))
        #expect(!outbound.hasTracing && !inbound.hasTracing)
        #expect(!outbound.hasRequestIDExtension)
    }

    @Test func defaultProviderGivesOpenTelemetryOverHTTP() throws {
        let resources = translate("")
        let (outbound, inbound) = try managers(resources)
        #expect(outbound.hasTracing && inbound.hasTracing)
        let tracing = outbound.tracing
        #expect(tracing.randomSampling.value == 1, "Istio's default sampling when nothing sets one")
        #expect(tracing.clientSampling.value == 100 && tracing.overallSampling.value == 100)
        #expect(!tracing.hasSpawnUpstreamSpan, "sidecars: Envoy's egress/ingress spans, as Istio")
        #expect(tracing.provider.name == "envoy.tracers.opentelemetry")
        let otel = try Envoy_Config_Trace_V3_OpenTelemetryConfig(unpackingAny: tracing.provider.typedConfig)
        #expect(otel.serviceName == "reviews.default")
        #expect(inbound.routeConfig.virtualHosts[0].routes[0].decorator.operation == "reviews.default.svc.cluster.local:9080/*",
                "inbound spans are named after the service, as Istio's inbound route decorator")
        #expect(otel.httpService.httpUri.uri == "otel-collector.observability.svc.cluster.local/v1/traces")
        #expect(otel.httpService.httpUri.cluster == "outbound|4318||otel-collector.observability.svc.cluster.local")
        #expect(otel.httpService.httpUri.timeout.seconds == 2)
        #expect(otel.httpService.requestHeadersToAdd.map { "\($0.header.key)=\($0.header.value)" } == ["x-tenant=shop"])
        let tags = tracing.customTags.map { "\($0.tag)=\($0.literal.value)" }
        #expect(tags == ["istio.canonical_revision=v1", "istio.canonical_service=reviews", "istio.cluster_id=unknown",
                         "istio.mesh_id=unknown", "istio.namespace=default"])
        let uuid = try Envoy_Extensions_RequestId_Uuid_V3_UuidRequestIdConfig(unpackingAny: outbound.requestIDExtension.typedConfig)
        #expect(uuid.useRequestIDForTraceSampling.value)
        // The collector outside the registry gets a cluster of its own.
        let cluster = try resources.cluster("outbound|4318||otel-collector.observability.svc.cluster.local")
        #expect(cluster.type == .strictDns)
        #expect(cluster.loadAssignment.endpoints[0].lbEndpoints[0].endpoint.address.socketAddress.portValue == 4318)
    }

    @Test func namespaceThenWorkloadOverride() throws {
        let namespace = telemetry("ns", "  - randomSamplingPercentage: 25\n    customTags:\n      team: {literal: {value: shop}}\n      user: {header: {name: end-user, defaultValue: none}}")
        let workload = telemetry("reviews", selector: "reviews", "  - providers: [{name: local}]\n    randomSamplingPercentage: 100\n    enableIstioTags: false")
        let (outbound, _) = try managers(translate(namespace))
        #expect(outbound.tracing.randomSampling.value == 25)
        let custom = outbound.tracing.customTags.filter { !$0.tag.hasPrefix("istio.") }
        #expect(custom.map(\.tag) == ["team", "user"])
        #expect(custom[1].requestHeader.name == "end-user" && custom[1].requestHeader.defaultValue == "none")

        let resources = translate(namespace + "\n" + workload)
        let (overridden, _) = try managers(resources)
        #expect(overridden.tracing.randomSampling.value == 100, "the workload's Telemetry overrides the namespace's percentage")
        #expect(overridden.tracing.customTags.map(\.tag) == ["team", "user"], "namespace tags stay; Istio tags off")
        let otel = try Envoy_Config_Trace_V3_OpenTelemetryConfig(unpackingAny: overridden.tracing.provider.typedConfig)
        #expect(otel.httpService.httpUri.cluster == "outbound|15014||127.0.0.1")
        #expect(try resources.cluster("outbound|15014||127.0.0.1").type == .static)
    }

    @Test func modeAndDisableSpanReporting() throws {
        let serverOnly = telemetry("t", "  - match: {mode: CLIENT}\n    disableSpanReporting: true\n  - match: {mode: SERVER}\n    randomSamplingPercentage: 5")
        let (outbound, inbound) = try managers(translate(serverOnly))
        #expect(!outbound.hasTracing)
        #expect(inbound.tracing.randomSampling.value == 5)
        let root = telemetry("mesh", namespace: "istio-system", "  - disableSpanReporting: true")
        let (rootOut, rootIn) = try managers(translate(root))
        #expect(!rootOut.hasTracing && !rootIn.hasTracing, "the root namespace's Telemetry applies mesh-wide")
    }

    @Test func gatewaysSpawnUpstreamSpans() throws {
        let gateway = """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: gw, namespace: istio-system}
        spec:
          selector: {istio: ingressgateway}
          servers: [{port: {number: 8080, name: http, protocol: HTTP}, hosts: ["*"]}]
        """
        let resources = translate(gateway, proxy: F.gateway())
        let listener = try #require(resources.listeners.first)
        let manager = try Unpack.hcm(listener.filterChains[0].filters[0])
        #expect(manager.tracing.spawnUpstreamSpan.value)
        let otel = try Envoy_Config_Trace_V3_OpenTelemetryConfig(unpackingAny: manager.tracing.provider.typedConfig)
        #expect(otel.serviceName == "ingressgateway.istio-system")
    }

    @Test func defaultCollectorAndUnusableProviders() throws {
        let local = TranslatorOptions.TracingCollector(host: "127.0.0.1", port: 15014)
        let (fallback, _) = try managers(translate("", mesh: "", fallback: local))
        let otel = try Envoy_Config_Trace_V3_OpenTelemetryConfig(unpackingAny: fallback.tracing.provider.typedConfig)
        #expect(otel.httpService.httpUri.uri == "127.0.0.1/v1/traces" && otel.httpService.httpUri.cluster == "outbound|15014||127.0.0.1")
        #expect(otel.httpService.httpUri.timeout.seconds == 5, "Envoy needs a timeout: Istio's 5 s")
        let (meshWins, _) = try managers(translate("", fallback: local))
        let declared = try Envoy_Config_Trace_V3_OpenTelemetryConfig(unpackingAny: meshWins.tracing.provider.typedConfig)
        #expect(declared.httpService.httpUri.cluster.hasSuffix("otel-collector.observability.svc.cluster.local"), "the mesh config's default wins")
        let (grpc, _) = try managers(translate(telemetry("t", "  - providers: [{name: grpc}]")))
        #expect(!grpc.hasTracing, "OTLP/gRPC is not exported by SwiftMesh: no tracing rather than lost spans")
        let (unknown, _) = try managers(translate(telemetry("t", "  - providers: [{name: nope}]")))
        #expect(!unknown.hasTracing)
    }
}

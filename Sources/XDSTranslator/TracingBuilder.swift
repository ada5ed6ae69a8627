import MeshConfig
import MeshCore
import MeshSnapshot
import SwiftProtobuf
import XDSAPI

/// Istio's tracing config for one side of a proxy, as Envoy reads it: the
/// connection manager's `tracing` with the OpenTelemetry tracer exporting
/// OTLP/HTTP through a cluster for the collector, sampling percentages, custom
/// tags (Istio's own plus the Telemetry's), and the UUID request id extension.
struct TracingBuilder {
    typealias HCM = Envoy_Extensions_Filters_Network_HttpConnectionManager_V3_HttpConnectionManager

    let proxy: ProxyNode

    static let tracerName = "envoy.tracers.opentelemetry"
    static let defaultTimeoutNanos: Int64 = 5 * GoDuration.second

    /// The collector's cluster: a mesh service's outbound cluster name (Istio's
    /// lookup), also used for a collector outside the registry.
    static func clusterName(_ provider: TracingProvider) -> String {
        ClusterName.outbound(port: provider.port, subset: "", host: provider.service)
    }

    func tracing(_ side: TracingPolicy.Side) -> HCM.Tracing {
        let otel = side.provider
        var tracing = HCM.Tracing()
        tracing.clientSampling = Self.percent(100)
        tracing.randomSampling = Self.percent(side.samplingPercentage)
        tracing.overallSampling = Self.percent(100)
        // Istio's SpawnUpstreamSpanForGateway: gateways get a span per upstream request.
        if proxy.kind == .router { tracing.spawnUpstreamSpan = Proto.bool(true) }
        if let length = otel.maxTagLength, length > 0 { tracing.maxPathTagLength = Proto.uint32(length) }
        var provider = Envoy_Config_Trace_V3_Tracing.Http()
        provider.name = Self.tracerName
        provider.typedConfig = Proto.any(openTelemetry(otel))
        tracing.provider = provider
        tracing.customTags = customTags(side).sorted { $0.tag < $1.tag }
        return tracing
    }

    func openTelemetry(_ otel: TracingProvider) -> Envoy_Config_Trace_V3_OpenTelemetryConfig {
        var config = Envoy_Config_Trace_V3_OpenTelemetryConfig()
        config.serviceName = serviceName
        var uri = Envoy_Config_Core_V3_HttpUri()
        uri.uri = otel.service + otel.path
        uri.cluster = Self.clusterName(otel)
        // Envoy requires a timeout; Istio's own default for collectors is 5 s.
        uri.timeout = Proto.duration(nanoseconds: otel.timeoutNanos ?? Self.defaultTimeoutNanos)
        var service = Envoy_Config_Core_V3_HttpService()
        service.httpUri = uri
        service.requestHeadersToAdd = otel.headers.map { Proto.header($0.0, $0.1, append: false) }
        config.httpService = service
        return config
    }

    /// The span's `service.name`: Envoy's node cluster, which Istio's bootstrap
    /// sets to `<canonical service>.<namespace>`.
    var serviceName: String {
        let service = proxy.labels["service.istio.io/canonical-name"] ?? proxy.labels["app"] ?? proxy.labels["istio"] ?? "istio-proxy"
        return "\(service).\(proxy.namespace)"
    }

    private func customTags(_ side: TracingPolicy.Side) -> [Envoy_Type_Tracing_V3_CustomTag] {
        var tags: [Envoy_Type_Tracing_V3_CustomTag] = []
        if side.enableIstioTags {
            let service = proxy.labels["service.istio.io/canonical-name"] ?? proxy.labels["app"] ?? "unknown"
            let revision = proxy.labels["service.istio.io/canonical-revision"] ?? proxy.labels["version"] ?? "latest"
            tags.append(Self.literal("istio.canonical_revision", revision))
            tags.append(Self.literal("istio.canonical_service", service))
            tags.append(Self.literal("istio.mesh_id", proxy.meshID ?? "unknown"))
            tags.append(Self.literal("istio.namespace", proxy.namespace.isEmpty ? "default" : proxy.namespace))
            tags.append(Self.literal("istio.cluster_id", proxy.clusterID ?? "unknown"))
        }
        for (name, tag) in side.customTags {
            var custom = Envoy_Type_Tracing_V3_CustomTag()
            custom.tag = name
            if let literal = tag.literal {
                custom.literal.value = literal.value ?? ""
            } else if let header = tag.header {
                custom.requestHeader.name = header.name ?? ""
                custom.requestHeader.defaultValue = header.defaultValue ?? ""
            } else if let environment = tag.environment {
                custom.environment.name = environment.name ?? ""
                custom.environment.defaultValue = environment.defaultValue ?? ""
            } else {
                continue   // formatter tags need Envoy's substitution formatter: not sent
            }
            tags.append(custom)
        }
        return tags
    }

    static func literal(_ name: String, _ value: String) -> Envoy_Type_Tracing_V3_CustomTag {
        var tag = Envoy_Type_Tracing_V3_CustomTag()
        tag.tag = name
        tag.literal.value = value
        return tag
    }

    static func percent(_ value: Double) -> Envoy_Type_V3_Percent {
        var percent = Envoy_Type_V3_Percent()
        percent.value = value
        return percent
    }

    /// Istio's UUID request id extension; the trace reason in x-request-id
    /// decides sampling unless the Telemetry turns that off.
    static func requestIDExtension(useForSampling: Bool) -> Envoy_Extensions_Filters_Network_HttpConnectionManager_V3_RequestIDExtension {
        var config = Envoy_Extensions_RequestId_Uuid_V3_UuidRequestIdConfig()
        config.useRequestIDForTraceSampling = Proto.bool(useForSampling)
        var extensionConfig = Envoy_Extensions_Filters_Network_HttpConnectionManager_V3_RequestIDExtension()
        extensionConfig.typedConfig = Proto.any(config)
        return extensionConfig
    }
}

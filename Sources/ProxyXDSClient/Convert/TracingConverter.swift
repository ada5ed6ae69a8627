#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ProxyCore
import SwiftProtobuf
import XDSAPI

/// The connection manager's `tracing` -> TracingConfig: Envoy's OpenTelemetry
/// tracer exporting OTLP/HTTP through `http_service`, sampling percentages,
/// custom tags, and the UUID request id extension's sampling switch. Other
/// tracers and OTLP/gRPC are NACKed: the proxy would silently lose the spans.
enum TracingConverter {
    static let openTelemetry = "envoy.tracers.opentelemetry"

    static func convert(_ manager: Envoy_Extensions_Filters_Network_HttpConnectionManager_V3_HttpConnectionManager,
                        _ scope: ConversionScope, warnings: inout ConversionWarnings) throws(XDSConversionError) -> TracingConfig? {
        guard manager.hasTracing else { return nil }
        let tracing = manager.tracing
        let tracingScope = scope.child("tracing")
        guard tracing.hasProvider else {
            // No tracer: Envoy's bootstrap tracer would apply; ours has none.
            warnings.add(tracingScope.child("provider"), "no tracer configured; no spans are made")
            return nil
        }
        let providerScope = tracingScope.child("provider")
        guard tracing.provider.name == openTelemetry || tracing.provider.typedConfig.typeURL.hasSuffix(".OpenTelemetryConfig") else {
            throw providerScope.child("name").unsupported("tracer \"\(tracing.provider.name)\" (only \(openTelemetry))")
        }
        let otel: Envoy_Config_Trace_V3_OpenTelemetryConfig = try ListenerConverter.unpack(tracing.provider.typedConfig, providerScope.child("typed_config"))
        let otelScope = providerScope.child("typed_config")
        guard otel.hasHTTPService else {
            throw otel.hasGrpcService ? otelScope.child("grpc_service").unsupported("OTLP over gRPC (use http_service)")
                : otelScope.error("needs http_service")
        }
        let uri = otel.httpService.httpUri
        let uriScope = otelScope.child("http_service.http_uri")
        guard case .cluster(let cluster)? = uri.httpUpstreamType, !cluster.isEmpty else { throw uriScope.child("cluster").error("needs a cluster") }
        guard let (authority, path) = OTLPExporterConfig.split(uri: uri.uri) else { throw uriScope.child("uri").error("\"\(uri.uri)\" is not a URI") }
        var exporter = OTLPExporterConfig(cluster: cluster, authority: authority, path: path,
                                          serviceName: otel.serviceName.isEmpty ? "unknown_service:envoy" : otel.serviceName)
        if uri.hasTimeout { exporter.timeoutNanos = max(ProtoValues.nanos(uri.timeout), 1_000_000) }
        exporter.headers = otel.httpService.requestHeadersToAdd.map { .init(name: $0.header.key.lowercased(), value: $0.header.value) }

        var config = TracingConfig(operation: .ingress, exporter: exporter)
        if tracing.hasClientSampling { config.clientSampling = tracing.clientSampling.value }
        if tracing.hasRandomSampling { config.randomSampling = tracing.randomSampling.value }
        if tracing.hasOverallSampling { config.overallSampling = tracing.overallSampling.value }
        config.spawnUpstreamSpan = tracing.hasSpawnUpstreamSpan && tracing.spawnUpstreamSpan.value
        if tracing.hasMaxPathTagLength { config.maxPathTagLength = Int(tracing.maxPathTagLength.value) }
        for (index, tag) in tracing.customTags.enumerated() {
            let tagScope = tracingScope.index("custom_tags", index)
            switch tag.type {
            case .literal(let literal)?:
                config.customTags.append(.literal(name: tag.tag, value: literal.value))
            case .environment(let environment)?:
                // Read once, when the config arrives, as Envoy does.
                let value = getenv(environment.name).map { String(cString: $0) } ?? environment.defaultValue
                config.customTags.append(.literal(name: tag.tag, value: value))
            case .requestHeader(let header)?:
                config.customTags.append(.requestHeader(name: tag.tag, header: Array(header.name.lowercased().utf8), defaultValue: header.defaultValue))
            case .responseHeader?:
                throw tagScope.child("response_header").unsupported("response header tags")
            case nil:
                throw tagScope.error("needs literal, environment or request_header")
            }
        }
        if manager.hasRequestIDExtension {
            let uuid: Envoy_Extensions_RequestId_Uuid_V3_UuidRequestIdConfig = try ListenerConverter.unpack(
                manager.requestIDExtension.typedConfig, scope.child("request_id_extension.typed_config"))
            if uuid.hasUseRequestIDForTraceSampling { config.useRequestIDForTraceSampling = uuid.useRequestIDForTraceSampling.value }
        }
        return config
    }
}

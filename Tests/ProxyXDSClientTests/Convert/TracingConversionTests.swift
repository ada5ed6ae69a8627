import Foundation
import ProxyCore
import SwiftProtobuf
import Testing
import XDSAPI
@testable import ProxyXDSClient

/// The HCM `tracing` block the translator sends (and Envoy reads) -> the proxy's
/// TracingConfig; other tracers and OTLP/gRPC are refused by field. And the
/// proxy's OTLP encoding read back with the OTLP protos.
@Suite struct TracingConversionTests {
    typealias F = XDSFixtures
    typealias HCM = Envoy_Extensions_Filters_Network_HttpConnectionManager_V3_HttpConnectionManager

    static func manager(_ configure: (inout Envoy_Config_Trace_V3_OpenTelemetryConfig) -> Void = { _ in }) -> HCM {
        var otel = Envoy_Config_Trace_V3_OpenTelemetryConfig()
        otel.serviceName = "shop.shop"
        otel.httpService.httpUri.uri = "127.0.0.1/v1/traces"
        otel.httpService.httpUri.cluster = "outbound|15014||127.0.0.1"
        otel.httpService.httpUri.timeout = Google_Protobuf_Duration(seconds: 2)
        var header = Envoy_Config_Core_V3_HeaderValueOption()
        header.header.key = "X-Tenant"
        header.header.value = "shop"
        otel.httpService.requestHeadersToAdd = [header]
        configure(&otel)
        var manager = F.connectionManager()
        manager.tracing.provider.name = "envoy.tracers.opentelemetry"
        manager.tracing.provider.typedConfig = F.any(otel)
        manager.tracing.randomSampling.value = 25
        manager.tracing.spawnUpstreamSpan = Google_Protobuf_BoolValue(true)
        var literal = Envoy_Type_Tracing_V3_CustomTag()
        literal.tag = "istio.canonical_service"
        literal.literal.value = "shop"
        var header2 = Envoy_Type_Tracing_V3_CustomTag()
        header2.tag = "user"
        header2.requestHeader.name = "End-User"
        header2.requestHeader.defaultValue = "none"
        manager.tracing.customTags = [literal, header2]
        var uuid = Envoy_Extensions_RequestId_Uuid_V3_UuidRequestIdConfig()
        uuid.useRequestIDForTraceSampling = Google_Protobuf_BoolValue(false)
        manager.requestIDExtension.typedConfig = F.any(uuid)
        return manager
    }

    func tracing(_ manager: HCM) throws -> TracingConfig? {
        var warnings = ConversionWarnings()
        let listener = try ListenerConverter.convert(F.listener(manager: manager), warnings: &warnings)
        guard case .http(let http) = listener.chain else { return nil }
        return http.tracing
    }

    @Test func openTelemetryOverHTTP() throws {
        let config = try #require(try tracing(Self.manager()))
        #expect(config.randomSampling == 25 && config.clientSampling == 100 && config.spawnUpstreamSpan)
        #expect(!config.useRequestIDForTraceSampling)
        #expect(config.exporter == OTLPExporterConfig(cluster: "outbound|15014||127.0.0.1", authority: "127.0.0.1", path: "/v1/traces",
                                                     timeoutNanos: 2_000_000_000, headers: [.init(name: "x-tenant", value: "shop")], serviceName: "shop.shop"))
        #expect(config.customTags == [.literal(name: "istio.canonical_service", value: "shop"),
                                      .requestHeader(name: "user", header: Array("end-user".utf8), defaultValue: "none")])
        #expect(try tracing(F.connectionManager()) == nil, "no tracing block, no tracing")
    }

    @Test func whatCannotBeExportedIsRefused() throws {
        var zipkin = Self.manager()
        zipkin.tracing.provider.name = "envoy.tracers.zipkin"
        zipkin.tracing.provider.typedConfig = Google_Protobuf_Any()
        #expect(throws: XDSConversionError.self) { try tracing(zipkin) }
        let grpc = Self.manager { otel in
            otel.clearHTTPService()
            otel.grpcService.envoyGrpc.clusterName = "collector"
        }
        do {
            _ = try tracing(grpc)
            Issue.record("OTLP/gRPC must be NACKed")
        } catch {
            #expect((error as? XDSConversionError)?.field.hasSuffix("grpc_service") == true, "\(error)")
        }
    }

    @Test func otlpEncodingReadsBackWithTheProtos() throws {
        let span = TraceSpan(traceIDHigh: 0x4bf92f3577b34da6, traceIDLow: 0xa3ce929d0e0e4736, spanID: 0x00f067aa0ba902b7, parentSpanID: 0x1234,
                             traceState: "a=b", name: "shop.shop:9080/*", kind: .client, startUnixNanos: 1_700_000_000_000_000_000,
                             endUnixNanos: 1_700_000_000_005_000_000,
                             attributes: [.init("http.status_code", .string("503")), .init("empty", .string("")), .init("n", .int(-2)), .init("b", .bool(false))],
                             isError: true)
        let root = TraceSpan(traceIDHigh: 1, traceIDLow: 2, spanID: 3, parentSpanID: 0, name: "ingress", kind: .server, startUnixNanos: 5, endUnixNanos: 6)
        let bytes = OTLPTraceEncoder.encode([span, root], serviceName: "shop.shop")
        let request = try Opentelemetry_Proto_Collector_Trace_V1_ExportTraceServiceRequest(serializedBytes: bytes)
        let resource = try #require(request.resourceSpans.first)
        #expect(resource.resource.attributes.first { $0.key == "service.name" }?.value.stringValue == "shop.shop")
        #expect(resource.scopeSpans.first?.scope.name == "envoy")
        let spans = resource.scopeSpans.first?.spans ?? []
        #expect(spans.count == 2)
        let decoded = try #require(spans.first)
        #expect(decoded.traceID == Data([0x4b, 0xf9, 0x2f, 0x35, 0x77, 0xb3, 0x4d, 0xa6, 0xa3, 0xce, 0x92, 0x9d, 0x0e, 0x0e, 0x47, 0x36]))
        #expect(decoded.spanID == Data([0x00, 0xf0, 0x67, 0xaa, 0x0b, 0xa9, 0x02, 0xb7]))
        #expect(decoded.parentSpanID == Data([0, 0, 0, 0, 0, 0, 0x12, 0x34]))
        #expect(decoded.name == "shop.shop:9080/*" && decoded.kind == .client && decoded.traceState == "a=b")
        #expect(decoded.startTimeUnixNano == 1_700_000_000_000_000_000 && decoded.endTimeUnixNano == 1_700_000_000_005_000_000)
        #expect(decoded.status.code == .error)
        let values = Dictionary(uniqueKeysWithValues: decoded.attributes.map { ($0.key, $0.value) })
        #expect(values["http.status_code"]?.stringValue == "503")
        #expect(values["empty"]?.value == .stringValue(""), "an empty string is still a string value")
        #expect(values["n"]?.intValue == -2 && values["b"]?.value == .boolValue(false))
        #expect(spans[1].parentSpanID.isEmpty && spans[1].kind == .server && spans[1].status.code == .unset)
    }
}

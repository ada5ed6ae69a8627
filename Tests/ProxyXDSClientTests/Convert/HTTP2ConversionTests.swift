import ProxyCore
import SwiftProtobuf
import Testing
import XDSAPI
@testable import ProxyXDSClient

/// HTTP/2 on connection managers and clusters: what is served, and every option
/// that is not refused with its field named.
@Suite struct HTTP2ConversionTests {
    typealias F = XDSFixtures
    typealias UpstreamOptions = Envoy_Extensions_Upstreams_Http_V3_HttpProtocolOptions
    static let key = "envoy.extensions.upstreams.http.v3.HttpProtocolOptions"

    static func cluster(_ options: UpstreamOptions) -> Envoy_Config_Cluster_V3_Cluster {
        var cluster = F.edsCluster("c")
        cluster.typedExtensionProtocolOptions[key] = F.any(options)
        return cluster
    }

    static func explicitHTTP2(_ http2: Envoy_Config_Core_V3_Http2ProtocolOptions = .init()) -> UpstreamOptions {
        var options = UpstreamOptions()
        var explicit = UpstreamOptions.ExplicitHttpConfig()
        explicit.http2ProtocolOptions = http2
        options.explicitHTTPConfig = explicit
        return options
    }

    @Test func clustersWithHTTP2OptionsSpeakHTTP2() throws {
        var warnings = ConversionWarnings()
        var http2 = Envoy_Config_Core_V3_Http2ProtocolOptions()
        http2.maxConcurrentStreams = Google_Protobuf_UInt32Value(100)
        let (config, _) = try ClusterConverter.convert(Self.cluster(Self.explicitHTTP2(http2)), warnings: &warnings)
        #expect(config.upstreamProtocol == .http2)
        #expect(config.http2.maxConcurrentStreams == 100)
        var http1 = UpstreamOptions()
        var explicit = UpstreamOptions.ExplicitHttpConfig()
        explicit.httpProtocolOptions = .init()
        http1.explicitHTTPConfig = explicit
        http1.commonHTTPProtocolOptions.idleTimeout = Google_Protobuf_Duration(seconds: 30)
        let (plain, _) = try ClusterConverter.convert(Self.cluster(http1), warnings: &warnings)
        #expect(plain.upstreamProtocol == .http1)
        #expect(warnings.messages.contains { $0.contains("common_http_protocol_options") })
    }

    @Test func unsupportedUpstreamOptionsAreRefusedByName() {
        var warnings = ConversionWarnings()
        var downstream = UpstreamOptions()
        downstream.useDownstreamProtocolConfig = .init()
        #expect(throws: XDSConversionError(resource: "Cluster c", field: "typed_extension_protocol_options[\(Self.key)].use_downstream_protocol_config",
                                           reason: "the downstream's protocol upstream (useClientProtocol) is not supported by this proxy")) {
            try ClusterConverter.convert(Self.cluster(downstream), warnings: &warnings)
        }
        var connect = Envoy_Config_Core_V3_Http2ProtocolOptions()
        connect.allowConnect = true
        #expect(throws: XDSConversionError(resource: "Cluster c",
                                           field: "typed_extension_protocol_options[\(Self.key)].explicit_http_config.http2_protocol_options.allow_connect",
                                           reason: "extended CONNECT over HTTP/2 is not supported by this proxy")) {
            try ClusterConverter.convert(Self.cluster(Self.explicitHTTP2(connect)), warnings: &warnings)
        }
        var other = F.edsCluster("c")
        other.typedExtensionProtocolOptions["envoy.extensions.upstreams.tcp.v3.TcpProtocolOptions"] = F.any(UpstreamOptions())
        #expect(throws: XDSConversionError.self) { try ClusterConverter.convert(other, warnings: &warnings) }
    }

    @Test func connectionManagerCodecsAndOptions() throws {
        var warnings = ConversionWarnings()
        var manager = F.connectionManager()
        manager.codecType = .http2
        manager.http2ProtocolOptions.initialStreamWindowSize = Google_Protobuf_UInt32Value(1 << 20)
        let converted = try ListenerConverter.convert(F.listener(manager: manager), warnings: &warnings)
        guard case .http(let http) = converted.chain else {
            Issue.record("expected an HTTP chain")
            return
        }
        #expect(http.codec == .http2)
        #expect(http.http2.initialStreamWindowSize == 1 << 20)

        manager.http2ProtocolOptions.connectionKeepalive = .init()
        #expect(throws: XDSConversionError(resource: "Listener 127.0.0.1_9080",
                                           field: "filter_chains[0].filters[0].typed_config.http2_protocol_options.connection_keepalive",
                                           reason: "HTTP/2 PING keepalive is not supported by this proxy")) {
            try ListenerConverter.convert(F.listener(manager: manager), warnings: &warnings)
        }
        manager = F.connectionManager()
        manager.codecType = .http3
        #expect(throws: XDSConversionError.self) { try ListenerConverter.convert(F.listener(manager: manager), warnings: &warnings) }
    }
}

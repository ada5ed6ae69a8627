import SwiftProtobuf
import XDSAPI

/// Upstream HTTP options (`envoy.extensions.upstreams.http.v3.HttpProtocolOptions`):
/// HTTP/2 to gRPC / h2 ports, per-connection request limits, idle timeouts.
enum UpstreamProtocol {
    static let optionsKey = "envoy.extensions.upstreams.http.v3.HttpProtocolOptions"
    typealias Options = Envoy_Extensions_Upstreams_Http_V3_HttpProtocolOptions

    static func http2Options() -> Google_Protobuf_Any {
        var options = Options()
        var explicit = Options.ExplicitHttpConfig()
        explicit.http2ProtocolOptions = Envoy_Config_Core_V3_Http2ProtocolOptions()
        options.explicitHTTPConfig = explicit
        return Proto.any(options)
    }

    /// DestinationRule `h2UpgradePolicy: UPGRADE`: HTTP/1.1 ports are spoken as
    /// HTTP/2 upstream (Istio's mesh default is DO_NOT_UPGRADE, so only an explicit
    /// UPGRADE changes anything).
    static func setHTTP2(on cluster: inout Envoy_Config_Cluster_V3_Cluster) {
        update(&cluster) { options in
            var explicit = Options.ExplicitHttpConfig()
            explicit.http2ProtocolOptions = Envoy_Config_Core_V3_Http2ProtocolOptions()
            options.explicitHTTPConfig = explicit
        }
    }

    /// `useClientProtocol: true`: the upstream speaks whatever the downstream spoke.
    static func setUseDownstreamProtocol(on cluster: inout Envoy_Config_Cluster_V3_Cluster) {
        update(&cluster) { options in
            var downstream = Options.UseDownstreamHttpConfig()
            downstream.httpProtocolOptions = Envoy_Config_Core_V3_Http1ProtocolOptions()
            downstream.http2ProtocolOptions = Envoy_Config_Core_V3_Http2ProtocolOptions()
            options.useDownstreamProtocolConfig = downstream
        }
    }

    static func setMaxRequestsPerConnection(_ limit: Int, on cluster: inout Envoy_Config_Cluster_V3_Cluster) {
        update(&cluster) { $0.commonHTTPProtocolOptions.maxRequestsPerConnection = Proto.uint32(limit) }
    }

    static func setIdleTimeout(_ timeout: Google_Protobuf_Duration, on cluster: inout Envoy_Config_Cluster_V3_Cluster) {
        update(&cluster) { $0.commonHTTPProtocolOptions.idleTimeout = timeout }
    }

    static func setMaxConnectionDuration(_ duration: Google_Protobuf_Duration, on cluster: inout Envoy_Config_Cluster_V3_Cluster) {
        update(&cluster) { $0.commonHTTPProtocolOptions.maxConnectionDuration = duration }
    }

    private static func update(_ cluster: inout Envoy_Config_Cluster_V3_Cluster, _ change: (inout Options) -> Void) {
        var options = Options()
        if let existing = cluster.typedExtensionProtocolOptions[optionsKey] {
            options = (try? Options(unpackingAny: existing)) ?? Options()
        }
        if options.upstreamProtocolOptions == nil {
            var explicit = Options.ExplicitHttpConfig()
            explicit.httpProtocolOptions = Envoy_Config_Core_V3_Http1ProtocolOptions()
            options.explicitHTTPConfig = explicit
        }
        change(&options)
        cluster.typedExtensionProtocolOptions[optionsKey] = Proto.any(options)
    }
}

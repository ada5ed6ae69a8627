import ProxyCore
import XDSAPI

/// `Http2ProtocolOptions` (connection manager and cluster) and a cluster's
/// `typed_extension_protocol_options` -> what the proxy applies. Options the
/// proxy cannot honour are refused with their field named, never dropped.
enum HTTP2OptionsConverter {
    static let upstreamOptionsKey = "envoy.extensions.upstreams.http.v3.HttpProtocolOptions"
    typealias UpstreamOptions = Envoy_Extensions_Upstreams_Http_V3_HttpProtocolOptions

    static func convert(_ options: Envoy_Config_Core_V3_Http2ProtocolOptions, _ scope: ConversionScope) throws(XDSConversionError) -> HTTP2Options {
        var result = HTTP2Options()
        if options.hasMaxConcurrentStreams { result.maxConcurrentStreams = Int(options.maxConcurrentStreams.value) }
        if options.hasInitialStreamWindowSize {
            let size = Int(options.initialStreamWindowSize.value)
            // Envoy's bounds (protocol.proto): 65535 ... 2^31 - 1.
            guard size >= 65535, size <= Int(Int32.max) else {
                throw scope.child("initial_stream_window_size").error("must be between 65535 and 2147483647")
            }
            result.initialStreamWindowSize = size
        }
        if options.hasHpackTableSize { result.hpackTableSize = Int(options.hpackTableSize.value) }
        if options.hasInitialConnectionWindowSize {
            throw scope.child("initial_connection_window_size").unsupported("a connection-level HTTP/2 window")
        }
        if options.allowConnect { throw scope.child("allow_connect").unsupported("extended CONNECT over HTTP/2") }
        if options.hasMaxOutboundFrames { throw scope.child("max_outbound_frames").unsupported("HTTP/2 outbound frame limits") }
        if options.hasMaxOutboundControlFrames {
            throw scope.child("max_outbound_control_frames").unsupported("HTTP/2 outbound frame limits")
        }
        if options.hasOverrideStreamErrorOnInvalidHTTPMessage, options.overrideStreamErrorOnInvalidHTTPMessage.value {
            throw scope.child("override_stream_error_on_invalid_http_message").unsupported("keeping HTTP/2 connections after invalid messages")
        }
        if options.hasConnectionKeepalive { throw scope.child("connection_keepalive").unsupported("HTTP/2 PING keepalive") }
        return result
    }

    /// A cluster's upstream protocol from its `HttpProtocolOptions` (HTTP/1.1 when absent).
    static func upstream(_ cluster: Envoy_Config_Cluster_V3_Cluster, _ scope: ConversionScope,
                         warnings: inout ConversionWarnings) throws(XDSConversionError) -> (ClusterConfig.UpstreamProtocol, HTTP2Options) {
        var result: (ClusterConfig.UpstreamProtocol, HTTP2Options) = (.http1, HTTP2Options())
        for key in cluster.typedExtensionProtocolOptions.keys.sorted() {
            let keyScope = scope.child("typed_extension_protocol_options[\(key)]")
            guard key == upstreamOptionsKey, let any = cluster.typedExtensionProtocolOptions[key] else {
                throw keyScope.unsupported("protocol options other than \(upstreamOptionsKey)")
            }
            let options: UpstreamOptions = try ListenerConverter.unpack(any, keyScope)
            if options.hasCommonHTTPProtocolOptions {
                // Connection lifetime limits only decide when pooled connections are
                // replaced, not where requests go.
                warnings.add(keyScope.child("common_http_protocol_options"), "connection lifetime limits are not applied yet")
            }
            if options.hasUpstreamHTTPProtocolOptions {
                throw keyScope.child("upstream_http_protocol_options").unsupported("auto SNI / SAN validation (upstream TLS)")
            }
            switch options.upstreamProtocolOptions {
            case nil:
                break
            case .explicitHTTPConfig(let explicit):
                switch explicit.protocolConfig {
                case nil, .httpProtocolOptions: break
                case .http2ProtocolOptions(let http2):
                    result = (.http2, try convert(http2, keyScope.child("explicit_http_config.http2_protocol_options")))
                case .http3ProtocolOptions:
                    throw keyScope.child("explicit_http_config.http3_protocol_options").unsupported("HTTP/3 upstreams")
                }
            case .useDownstreamProtocolConfig:
                throw keyScope.child("use_downstream_protocol_config").unsupported("the downstream's protocol upstream (useClientProtocol)")
            case .autoConfig:
                throw keyScope.child("auto_config").unsupported("ALPN-negotiated upstream protocols")
            }
        }
        return result
    }
}

// Hand-written companion to the generated code in Generated/ (which
// scripts/generate-xds-api.sh replaces wholesale; this file is not touched).
import SwiftProtobuf

/// Type URLs of the xDS resource types SwiftMesh serves, exactly as Envoy names them.
public enum XDSTypeURL {
    public static let prefix = "type.googleapis.com/"
    public static let listener = prefix + Envoy_Config_Listener_V3_Listener.protoMessageName
    public static let routeConfiguration = prefix + Envoy_Config_Route_V3_RouteConfiguration.protoMessageName
    public static let cluster = prefix + Envoy_Config_Cluster_V3_Cluster.protoMessageName
    public static let clusterLoadAssignment = prefix + Envoy_Config_Endpoint_V3_ClusterLoadAssignment.protoMessageName
    public static let secret = prefix + Envoy_Extensions_TransportSockets_Tls_V3_Secret.protoMessageName
}

/// Every message type of the subset that can appear inside a `google.protobuf.Any`
/// (xDS resources, filter and extension configs).
public enum XDSAnyTypes {
    public static let all: [any Message.Type] = [
        Envoy_Config_Listener_V3_Listener.self,
        Envoy_Config_Route_V3_RouteConfiguration.self,
        Envoy_Config_Cluster_V3_Cluster.self,
        Envoy_Config_Endpoint_V3_ClusterLoadAssignment.self,
        Envoy_Extensions_TransportSockets_Tls_V3_Secret.self,
        Envoy_Extensions_TransportSockets_Tls_V3_UpstreamTlsContext.self,
        Envoy_Extensions_TransportSockets_Tls_V3_DownstreamTlsContext.self,
        Envoy_Extensions_Filters_Network_HttpConnectionManager_V3_HttpConnectionManager.self,
        Envoy_Extensions_Filters_Network_TcpProxy_V3_TcpProxy.self,
        Envoy_Extensions_Filters_Http_Router_V3_Router.self,
        Envoy_Extensions_Filters_Http_Fault_V3_HTTPFault.self,
        Envoy_Extensions_Filters_Http_Cors_V3_Cors.self,
        Envoy_Extensions_Filters_Http_Cors_V3_CorsPolicy.self,
        Envoy_Extensions_Filters_Http_Rbac_V3_RBAC.self,
        Envoy_Extensions_Filters_Http_Rbac_V3_RBACPerRoute.self,
        Envoy_Extensions_Filters_Network_Rbac_V3_RBAC.self,
        Envoy_Extensions_AccessLoggers_File_V3_FileAccessLog.self,
        Envoy_Extensions_Filters_Listener_TlsInspector_V3_TlsInspector.self,
        Envoy_Extensions_Filters_Listener_HttpInspector_V3_HttpInspector.self,
        Envoy_Extensions_Filters_Listener_OriginalDst_V3_OriginalDst.self,
        Envoy_Extensions_Upstreams_Http_V3_HttpProtocolOptions.self,
        Envoy_Config_Route_V3_FilterConfig.self,
        Envoy_Extensions_Retry_Host_PreviousHosts_V3_PreviousHostsPredicate.self,
        Envoy_Extensions_Retry_Priority_PreviousPriorities_V3_PreviousPrioritiesConfig.self,
        Envoy_Extensions_TransportSockets_RawBuffer_V3_RawBuffer.self,
        Envoy_Extensions_Path_Match_UriTemplate_V3_UriTemplateMatchConfig.self,
        Envoy_Extensions_Filters_Http_JwtAuthn_V3_JwtAuthentication.self,
        Envoy_Extensions_Filters_Http_JwtAuthn_V3_PerRouteConfig.self,
        Envoy_Config_Trace_V3_OpenTelemetryConfig.self,
        Envoy_Extensions_RequestId_Uuid_V3_UuidRequestIdConfig.self,
        Envoy_Extensions_AccessLoggers_Filters_Cel_V3_ExpressionFilter.self,
        Envoy_Extensions_Path_Match_UriTemplate_V3_UriTemplateMatchConfig.self,
    ]

    /// Registers every type with SwiftProtobuf's process-wide Any registry, so that
    /// JSON encoding of decoded messages can expand `Any` values (with `@type`).
    /// Idempotent.
    public static func registerAll() {
        for type in all {
            Google_Protobuf_Any.register(messageType: type)
        }
    }
}

extension Google_Protobuf_Any {
    /// Packs `message` with map entries sorted by key, so that equal messages give
    /// equal bytes (stable resource versions, hashes and golden files). An `Any`
    /// made with `init(message:)` instead keeps the message and serializes it
    /// later with unordered maps, and compares unequal to its own decoded copy.
    /// Nested `Any` values must be packed this way too for the whole to be stable.
    public init(deterministicallyPacking message: any Message, typePrefix: String = XDSTypeURL.prefix) throws {
        self.init()
        var options = BinaryEncodingOptions()
        options.useDeterministicOrdering = true
        let prefix = typePrefix.hasSuffix("/") ? typePrefix : typePrefix + "/"
        typeURL = prefix + type(of: message).protoMessageName
        value = try message.serializedBytes(options: options)
    }
}

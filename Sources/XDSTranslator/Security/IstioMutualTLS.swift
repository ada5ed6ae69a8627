import SwiftProtobuf
import XDSAPI

/// Istio's mesh mTLS contexts: the workload certificate (`default`) and the mesh
/// roots (`ROOTCA`) come over SDS from the proxy's agent (cluster `sds-grpc`); the
/// peer's identity is its SPIFFE URI SAN. Shapes follow istiod's sidecar output.
enum IstioMutualTLS {
    static let certificateSecret = "default"
    static let rootSecret = "ROOTCA"
    static let sdsCluster = "sds-grpc"
    /// ALPN a sidecar offers upstream, so the server side can tell mesh mTLS apart
    /// from an application's own TLS.
    static let upstreamALPN = ["istio-peer-exchange", "istio"]
    /// What the inbound mTLS chain accepts (Istio's `filter_chain_match`).
    static let inboundALPN = ["istio-peer-exchange", "istio", "istio-http/1.0", "istio-http/1.1", "istio-h2"]
    static let tlsSocketName = "envoy.transport_sockets.tls"

    static func sdsSecret(_ name: String) -> Envoy_Extensions_TransportSockets_Tls_V3_SdsSecretConfig {
        var service = Envoy_Config_Core_V3_GrpcService()
        var envoyGRPC = Envoy_Config_Core_V3_GrpcService.EnvoyGrpc()
        envoyGRPC.clusterName = sdsCluster
        service.envoyGrpc = envoyGRPC
        var api = Envoy_Config_Core_V3_ApiConfigSource()
        api.apiType = .grpc
        api.setNodeOnFirstMessageOnly = true
        api.transportApiVersion = .v3
        api.grpcServices = [service]
        var source = Envoy_Config_Core_V3_ConfigSource()
        source.apiConfigSource = api
        // Istio: wait for the agent however long it takes rather than serve without a secret.
        source.initialFetchTimeout = Proto.duration(seconds: 0)
        source.resourceApiVersion = .v3
        var config = Envoy_Extensions_TransportSockets_Tls_V3_SdsSecretConfig()
        config.name = name
        config.sdsConfig = source
        return config
    }

    /// The workload certificate, and validation against the mesh roots with the
    /// given URI SANs accepted (none: any identity under the roots).
    static func commonContext(alpn: [String], subjectAltNames: [String]) -> Envoy_Extensions_TransportSockets_Tls_V3_CommonTlsContext {
        var common = Envoy_Extensions_TransportSockets_Tls_V3_CommonTlsContext()
        common.alpnProtocols = alpn
        common.tlsCertificateSdsSecretConfigs = [sdsSecret(certificateSecret)]
        var validation = Envoy_Extensions_TransportSockets_Tls_V3_CertificateValidationContext()
        validation.matchTypedSubjectAltNames = subjectAltNames.map { san in
            var matcher = Envoy_Extensions_TransportSockets_Tls_V3_SubjectAltNameMatcher()
            matcher.sanType = .uri
            var exact = Envoy_Type_Matcher_V3_StringMatcher()
            exact.exact = san
            matcher.matcher = exact
            return matcher
        }
        var combined = Envoy_Extensions_TransportSockets_Tls_V3_CommonTlsContext.CombinedCertificateValidationContext()
        combined.defaultValidationContext = validation
        combined.validationContextSdsSecretConfig = sdsSecret(rootSecret)
        common.combinedValidationContext = combined
        return common
    }

    /// Inbound: the peer must present a mesh certificate.
    static func downstreamSocket() -> Envoy_Config_Core_V3_TransportSocket {
        var context = Envoy_Extensions_TransportSockets_Tls_V3_DownstreamTlsContext()
        context.commonTlsContext = commonContext(alpn: ["h2", "http/1.1"], subjectAltNames: [])
        context.requireClientCertificate = Proto.bool(true)
        return socket(context)
    }

    /// Outbound ISTIO_MUTUAL: Istio's SNI `outbound_.PORT_.SUBSET_.HOST`, the
    /// destination's identities as accepted SANs.
    static func upstreamSocket(sni: String, subjectAltNames: [String], http2: Bool) -> Envoy_Config_Core_V3_TransportSocket {
        var context = Envoy_Extensions_TransportSockets_Tls_V3_UpstreamTlsContext()
        context.commonTlsContext = commonContext(alpn: upstreamALPN + (http2 ? ["h2"] : []), subjectAltNames: subjectAltNames)
        context.sni = sni
        return socket(context)
    }

    static func sni(port: Int, subset: String, host: String) -> String {
        "outbound_.\(port)_.\(subset)_.\(host)"
    }

    static func socket<M: SwiftProtobuf.Message>(_ context: M) -> Envoy_Config_Core_V3_TransportSocket {
        var socket = Envoy_Config_Core_V3_TransportSocket()
        socket.name = tlsSocketName
        socket.typedConfig = Proto.any(context)
        return socket
    }

    static func rawBuffer() -> Envoy_Config_Core_V3_TransportSocket {
        var socket = Envoy_Config_Core_V3_TransportSocket()
        socket.name = "envoy.transport_sockets.raw_buffer"
        socket.typedConfig = Proto.any(Envoy_Extensions_TransportSockets_RawBuffer_V3_RawBuffer())
        return socket
    }
}

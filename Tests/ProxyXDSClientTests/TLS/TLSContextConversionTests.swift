import Foundation
import ProxyCore
import SwiftProtobuf
import Testing
import XDSAPI
@testable import ProxyXDSClient

/// Istio's TLS shapes (security contract) converted; what cannot be honoured refused by field.
@Suite struct TLSContextConversionTests {
    typealias F = XDSFixtures
    typealias TLS = Envoy_Extensions_TransportSockets_Tls_V3_CommonTlsContext

    static func agentReference(_ name: String) -> Envoy_Extensions_TransportSockets_Tls_V3_SdsSecretConfig {
        var grpc = Envoy_Config_Core_V3_GrpcService()
        grpc.envoyGrpc.clusterName = "sds-grpc"
        var api = Envoy_Config_Core_V3_ApiConfigSource()
        api.apiType = .grpc
        api.transportApiVersion = .v3
        api.grpcServices = [grpc]
        var reference = Envoy_Extensions_TransportSockets_Tls_V3_SdsSecretConfig()
        reference.name = name
        reference.sdsConfig.apiConfigSource = api
        reference.sdsConfig.resourceApiVersion = .v3
        return reference
    }

    static func adsReference(_ name: String) -> Envoy_Extensions_TransportSockets_Tls_V3_SdsSecretConfig {
        var reference = Envoy_Extensions_TransportSockets_Tls_V3_SdsSecretConfig()
        reference.name = name
        reference.sdsConfig.ads = Envoy_Config_Core_V3_AggregatedConfigSource()
        return reference
    }

    /// Istio's common context: workload certificate and ROOTCA from sds-grpc, SAN matchers inline.
    static func istioCommon(alpn: [String], sans: [String] = []) -> TLS {
        var common = TLS()
        common.alpnProtocols = alpn
        common.tlsCertificateSdsSecretConfigs = [agentReference("default")]
        var combined = TLS.CombinedCertificateValidationContext()
        for san in sans {
            var matcher = Envoy_Extensions_TransportSockets_Tls_V3_SubjectAltNameMatcher()
            matcher.sanType = .uri
            matcher.matcher.exact = san
            combined.defaultValidationContext.matchTypedSubjectAltNames.append(matcher)
        }
        combined.validationContextSdsSecretConfig = agentReference("ROOTCA")
        common.combinedValidationContext = combined
        return common
    }

    static func socket<M: SwiftProtobuf.Message>(_ context: M) -> Envoy_Config_Core_V3_TransportSocket {
        var socket = Envoy_Config_Core_V3_TransportSocket()
        socket.name = "envoy.transport_sockets.tls"
        socket.typedConfig = F.any(context)
        return socket
    }

    @Test func istioInboundMutualTLSChain() throws {
        var context = Envoy_Extensions_TransportSockets_Tls_V3_DownstreamTlsContext()
        context.commonTlsContext = Self.istioCommon(alpn: ["h2", "http/1.1"])
        context.requireClientCertificate = Google_Protobuf_BoolValue(true)
        var listener = F.listener()
        listener.filterChains[0].transportSocket = Self.socket(context)
        var warnings = ConversionWarnings()
        let tls = try #require(try ListenerConverter.convert(listener, warnings: &warnings).filterChains[0].tls)
        #expect(tls.requireClientCertificate)
        #expect(tls.common.certificateSecrets == [SDSSecretReference(name: "default", source: .agent)])
        #expect(tls.common.validation?.rootsSecret == SDSSecretReference(name: "ROOTCA", source: .agent))
        #expect(tls.common.alpnProtocols == ["h2", "http/1.1"])
    }

    @Test func istioMutualUpstreamWithAutoMTLSMatches() throws {
        var context = Envoy_Extensions_TransportSockets_Tls_V3_UpstreamTlsContext()
        context.sni = "outbound_.9080_._.reviews.default.svc.cluster.local"
        context.commonTlsContext = Self.istioCommon(alpn: ["istio-peer-exchange", "istio"], sans: ["spiffe://cluster.local/ns/default/sa/reviews"])
        var cluster = F.edsCluster("outbound|9080||reviews.default.svc.cluster.local")
        var istio = Envoy_Config_Cluster_V3_Cluster.TransportSocketMatch()
        istio.name = "tlsMode-istio"
        istio.match.fields["tlsMode"] = Google_Protobuf_Value(stringValue: "istio")
        istio.transportSocket = Self.socket(context)
        var plain = Envoy_Config_Cluster_V3_Cluster.TransportSocketMatch()
        plain.name = "tlsMode-disabled"
        plain.transportSocket.name = "envoy.transport_sockets.raw_buffer"
        cluster.transportSocketMatches = [istio, plain]
        var warnings = ConversionWarnings()
        let (config, _) = try ClusterConverter.convert(cluster, warnings: &warnings)
        guard case .tls(let tls) = config.transportSocket(forEndpointMetadata: ["tlsMode": "istio"]) else {
            Issue.record("tlsMode=istio endpoints use TLS")
            return
        }
        #expect(tls.serverName == "outbound_.9080_._.reviews.default.svc.cluster.local")
        #expect(tls.common.alpnProtocols == ["istio-peer-exchange", "istio"])
        #expect(tls.common.validation?.subjectAltNames.count == 1)
        let accepted = tls.common.validation!.subjectAltNames[0].matches([SubjectAltName(kind: .uri, value: "spiffe://cluster.local/ns/default/sa/reviews")])
        #expect(accepted)
        guard case .plaintext = config.transportSocket(forEndpointMetadata: [:]) else {
            Issue.record("endpoints without a sidecar stay plain")
            return
        }
    }

    @Test func endpointMetadataCarriesTheSocketMatch() throws {
        var assignment = Envoy_Config_Endpoint_V3_ClusterLoadAssignment()
        assignment.clusterName = "c"
        var locality = Envoy_Config_Endpoint_V3_LocalityLbEndpoints()
        var endpoint = Envoy_Config_Endpoint_V3_LbEndpoint()
        endpoint.endpoint.address = F.address("127.0.0.1", 9080)
        var fields = Google_Protobuf_Struct()
        fields.fields["tlsMode"] = Google_Protobuf_Value(stringValue: "istio")
        endpoint.metadata.filterMetadata["envoy.transport_socket_match"] = fields
        locality.lbEndpoints = [endpoint]
        assignment.endpoints = [locality]
        let set = try EndpointConverter.convert(assignment)
        #expect(set.groups[0].endpoints[0].transportSocketMatch == ["tlsMode": "istio"])
    }

    @Test func gatewayCredentialOverADSAndItsSecrets() throws {
        var context = Envoy_Extensions_TransportSockets_Tls_V3_DownstreamTlsContext()
        context.commonTlsContext.tlsCertificateSdsSecretConfigs = [Self.adsReference("kubernetes://shop-credential")]
        var listener = F.listener()
        listener.filterChains[0].transportSocket = Self.socket(context)
        var warnings = ConversionWarnings()
        let tls = try #require(try ListenerConverter.convert(listener, warnings: &warnings).filterChains[0].tls)
        #expect(tls.common.certificateSecrets == [SDSSecretReference(name: "kubernetes://shop-credential", source: .ads)])

        var secret = Envoy_Extensions_TransportSockets_Tls_V3_Secret()
        secret.name = "kubernetes://shop-credential"
        secret.tlsCertificate.certificateChain.inlineBytes = Data("CHAIN".utf8)
        secret.tlsCertificate.privateKey.inlineBytes = Data("KEY".utf8)
        guard case .certificate(let pair) = try SecretConverter.convert(secret) else {
            Issue.record("a tls_certificate secret is a certificate")
            return
        }
        #expect(pair == TLSCertificatePair(chain: .inline(Array("CHAIN".utf8)), privateKey: .inline(Array("KEY".utf8))))
    }

    @Test func refusalsNameTheField() {
        func refusal(_ build: (inout Envoy_Extensions_TransportSockets_Tls_V3_DownstreamTlsContext) -> Void) -> XDSConversionError? {
            var context = Envoy_Extensions_TransportSockets_Tls_V3_DownstreamTlsContext()
            context.commonTlsContext = Self.istioCommon(alpn: [])
            build(&context)
            var listener = F.listener()
            listener.filterChains[0].transportSocket = Self.socket(context)
            var warnings = ConversionWarnings()
            do {
                _ = try ListenerConverter.convert(listener, warnings: &warnings)
                return nil
            } catch {
                return error
            }
        }
        #expect(refusal { $0.commonTlsContext.combinedValidationContext.defaultValidationContext.verifyCertificateHash = ["ab"] }?.field
            == "filter_chains[0].transport_socket.typed_config.common_tls_context.combined_validation_context.default_validation_context.verify_certificate_hash")
        #expect(refusal { $0.commonTlsContext.tlsCertificateSdsSecretConfigs = [] }?.reason
            == "a server TLS context needs a certificate (tls_certificates or tls_certificate_sds_secret_configs)")
        #expect(refusal { context in
            var other = Self.agentReference("default")
            other.sdsConfig.apiConfigSource.grpcServices[0].envoyGrpc.clusterName = "elsewhere"
            context.commonTlsContext.tlsCertificateSdsSecretConfigs = [other]
        }?.field == "filter_chains[0].transport_socket.typed_config.common_tls_context.tls_certificate_sds_secret_configs[0].sds_config.api_config_source")
        #expect(refusal { $0.commonTlsContext.tlsCertificates = [Envoy_Extensions_TransportSockets_Tls_V3_TlsCertificate()] }?.reason
            == "needs certificate_chain and private_key")
    }
}

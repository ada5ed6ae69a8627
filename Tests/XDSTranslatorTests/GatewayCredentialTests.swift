import Foundation
import MeshSnapshot
import Testing
import XDSAPI
@testable import XDSTranslator

/// Gateway `credentialName`: SDS references on the filter chain and the Secret's
/// bytes as SDS resources under Istio's names.
@Suite struct GatewayCredentialTests {
    static let gateway = try! ProxyNode(nodeID: "router~10.0.0.2~ingress.default~default.svc.cluster.local", labels: ["istio": "ingressgateway"])

    func config(mode: String, secrets: String) -> String {
        """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: public, namespace: default}
        spec:
          selector: {istio: ingressgateway}
          servers:
          - port: {number: 443, name: https, protocol: HTTPS}
            hosts: ["shop.example.com"]
            tls: {mode: \(mode), credentialName: shop-cert}
        ---
        \(secrets)
        """
    }

    // "cert", "key", "ca" in base64.
    static let pair = """
    apiVersion: v1
    kind: Secret
    metadata: {name: shop-cert, namespace: default}
    type: kubernetes.io/tls
    data: {tls.crt: Y2VydA==, tls.key: a2V5}
    """

    func chain(_ resources: ProxyResources) throws -> Envoy_Extensions_TransportSockets_Tls_V3_DownstreamTlsContext {
        let listener = try #require(resources.listeners.first { $0.name == "0.0.0.0_443" })
        let socket = try #require(listener.filterChains.first?.transportSocket)
        return try Envoy_Extensions_TransportSockets_Tls_V3_DownstreamTlsContext(unpackingAny: socket.typedConfig)
    }

    @Test func simpleModeReferencesTheSecretOverADS() throws {
        let resources = TranslatorFixture.resources(config(mode: "SIMPLE", secrets: Self.pair), proxy: Self.gateway)
        let context = try chain(resources)
        let reference = try #require(context.commonTlsContext.tlsCertificateSdsSecretConfigs.first)
        #expect(reference.name == "kubernetes://shop-cert")
        #expect(reference.sdsConfig.ads == Envoy_Config_Core_V3_AggregatedConfigSource())
        #expect(resources.secrets.map(\.name) == ["kubernetes://shop-cert"])
        #expect(Array(resources.secrets[0].tlsCertificate.certificateChain.inlineBytes) == Array("cert".utf8))
        #expect(Array(resources.secrets[0].tlsCertificate.privateKey.inlineBytes) == Array("key".utf8))
    }

    @Test func mutualModeAddsTheCACertificateFromASeparateSecret() throws {
        let ca = """
        apiVersion: v1
        kind: Secret
        metadata: {name: shop-cert-cacert, namespace: default}
        stringData: {ca.crt: ca}
        """
        let resources = TranslatorFixture.resources(config(mode: "MUTUAL", secrets: Self.pair + "\n---\n" + ca), proxy: Self.gateway)
        let context = try chain(resources)
        #expect(context.requireClientCertificate.value)
        #expect(context.commonTlsContext.combinedValidationContext.validationContextSdsSecretConfig.name == "kubernetes://shop-cert-cacert")
        #expect(resources.secrets.map(\.name) == ["kubernetes://shop-cert", "kubernetes://shop-cert-cacert"])
        #expect(Array(resources.secrets[1].validationContext.trustedCa.inlineBytes) == Array("ca".utf8))
    }

    @Test func aMissingSecretLeavesTheServerOut() throws {
        let other = Self.pair.replacingOccurrences(of: "namespace: default", with: "namespace: elsewhere")
        let resources = TranslatorFixture.resources(config(mode: "SIMPLE", secrets: other), proxy: Self.gateway)
        #expect(resources.listeners.isEmpty)
        #expect(resources.secrets.isEmpty)
    }
}

import ProxyCore
import SwiftProtobuf
import Testing
import XDSAPI
@testable import ProxyXDSClient

/// SDS over ADS: the proxy subscribes to the secrets its listeners name (gateway
/// credentialName), and a secret update rebuilds the config with the new value.
@Suite struct SecretSubscriptionTests {
    typealias F = XDSFixtures

    func response(_ typeURL: String, version: String, _ resources: [any SwiftProtobuf.Message]) -> Envoy_Service_Discovery_V3_DiscoveryResponse {
        var response = Envoy_Service_Discovery_V3_DiscoveryResponse()
        response.typeURL = typeURL
        response.versionInfo = version
        response.nonce = typeURL + version
        response.resources = resources.map { try! Google_Protobuf_Any(message: $0) }
        return response
    }

    func secret(_ chain: String) -> Envoy_Extensions_TransportSockets_Tls_V3_Secret {
        var secret = Envoy_Extensions_TransportSockets_Tls_V3_Secret()
        secret.name = "kubernetes://shop-credential"
        secret.tlsCertificate.certificateChain.inlineString = chain
        secret.tlsCertificate.privateKey.inlineString = "KEY"
        return secret
    }

    @Test func listenersNameTheSecretsSubscribedOverADS() throws {
        var session = ADSSession(machine: XDSClientStateMachine(mode: .stateOfTheWorld), store: ADSResourceStore(), node: Envoy_Config_Core_V3_Node())
        _ = session.start()
        var log: [String] = []
        _ = session.handle(response(ProxyCore.XDSTypeURL.cluster, version: "1", [F.staticCluster("backend", port: 8080)]), log: { log.append($0) })
        var context = Envoy_Extensions_TransportSockets_Tls_V3_DownstreamTlsContext()
        context.commonTlsContext.tlsCertificateSdsSecretConfigs = [TLSContextConversionTests.adsReference("kubernetes://shop-credential")]
        var listener = F.listener(manager: F.connectionManager(rds: nil, inline: F.routeConfiguration([F.virtualHost("vh", ["*"], [F.route(cluster: "backend")])])))
        listener.filterChains[0].transportSocket = TLSContextConversionTests.socket(context)
        let (out, first) = session.handle(response(ProxyCore.XDSTypeURL.listener, version: "1", [listener]), log: { log.append($0) })
        #expect(out.contains { $0.typeURL == ProxyCore.XDSTypeURL.secret && $0.resourceNames == ["kubernetes://shop-credential"] })
        #expect(first?.secrets.isEmpty == true)
        let (_, withSecret) = session.handle(response(ProxyCore.XDSTypeURL.secret, version: "1", [secret("FIRST")]), log: { log.append($0) })
        guard case .certificate(let pair)? = withSecret?.secrets["kubernetes://shop-credential"] else {
            Issue.record("the secret reaches the config")
            return
        }
        #expect(pair.chain == .inline(Array("FIRST".utf8)))
        let (_, rotated) = session.handle(response(ProxyCore.XDSTypeURL.secret, version: "2", [secret("SECOND")]), log: { log.append($0) })
        guard case .certificate(let next)? = rotated?.secrets["kubernetes://shop-credential"] else {
            Issue.record("the rotated secret reaches the config")
            return
        }
        #expect(next.chain == .inline(Array("SECOND".utf8)))
    }
}

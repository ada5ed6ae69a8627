import Foundation
import SwiftProtobuf
import Testing
import XDSAPI
@testable import EnvoyAgent
import ProxyAgent

@Suite struct SDSStreamTests {
    static func secrets(_ generation: Int) -> WorkloadSecrets {
        WorkloadSecrets(certificateChainPEM: "CHAIN\(generation)", privateKeyPEM: "KEY\(generation)", trustBundlePEM: "ROOTS",
                        identity: "spiffe://cluster.local/ns/shop/sa/catalog", notAfter: 100, generation: generation)
    }

    static func request(_ names: [String], nonce: String = "", version: String = "", error: String? = nil) -> Envoy_Service_Discovery_V3_DiscoveryRequest {
        var request = Envoy_Service_Discovery_V3_DiscoveryRequest()
        request.typeURL = SDSStream.typeURL
        request.resourceNames = names
        request.responseNonce = nonce
        request.versionInfo = version
        if let error { request.errorDetail.message = error }
        return request
    }

    @Test func answersOnceTheCertificateExistsThenPushesRenewals() throws {
        var stream = SDSStream()
        let (early, _) = stream.received(Self.request(["default"]))
        #expect(early == nil)
        let firstPush = stream.secretsChanged(Self.secrets(1))
        let first = try #require(firstPush)
        #expect(first.versionInfo == "1")
        let secret = try Envoy_Extensions_TransportSockets_Tls_V3_Secret(unpackingAny: first.resources[0])
        #expect(secret.name == "default")
        #expect(String(decoding: secret.tlsCertificate.certificateChain.inlineBytes, as: UTF8.self) == "CHAIN1")
        #expect(String(decoding: secret.tlsCertificate.privateKey.inlineBytes, as: UTF8.self) == "KEY1")
        let (ack, events) = stream.received(Self.request(["default"], nonce: first.nonce, version: "1"))
        #expect(ack == nil && events == [.ack(version: "1")])
        let secondPush = stream.secretsChanged(Self.secrets(2))
        let pushed = try #require(secondPush)
        #expect(pushed.versionInfo == "2" && pushed.nonce != first.nonce)
        #expect(stream.secretsChanged(Self.secrets(2)) == nil)
    }

    @Test func servesROOTCAAsAValidationContextAndReportsNacks() throws {
        var stream = SDSStream()
        _ = stream.secretsChanged(Self.secrets(1))
        let (reply, _) = stream.received(Self.request(["ROOTCA"]))
        let response = try #require(reply)
        let secret = try Envoy_Extensions_TransportSockets_Tls_V3_Secret(unpackingAny: response.resources[0])
        #expect(secret.name == "ROOTCA")
        #expect(String(decoding: secret.validationContext.trustedCa.inlineBytes, as: UTF8.self) == "ROOTS")
        let (_, events) = stream.received(Self.request(["ROOTCA"], nonce: response.nonce, version: "1", error: "bad PEM"))
        #expect(events == [.nack(version: "1", error: "bad PEM")])
        let (_, unknown) = stream.received(Self.request(["file-cert:/etc/x"]))
        #expect(unknown == [.unknownSecret("file-cert:/etc/x")])
    }
}

import Foundation
import ProxyAgent
import SwiftProtobuf
import XDSAPI

/// One SDS stream (`StreamSecrets`) as a value: which secrets Envoy asked for,
/// what was last sent, ACK / NACK bookkeeping. Envoy opens a stream per secret
/// name (`default`, `ROOTCA`); a stream may also name several.
public struct SDSStream: Sendable {
    public static let typeURL = "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret"

    public enum Event: Equatable, Sendable {
        case ack(version: String)
        case nack(version: String, error: String)
        case unknownSecret(String)
    }

    private(set) var subscribed: [String] = []
    private var lastNonce = ""
    private var sentGeneration = 0
    private var nonceCounter = 0
    private var secrets: WorkloadSecrets?

    public init() {}

    /// A request from Envoy -> the response to write (if any) and what happened.
    public mutating func received(_ request: Envoy_Service_Discovery_V3_DiscoveryRequest) -> (Envoy_Service_Discovery_V3_DiscoveryResponse?, [Event]) {
        var events: [Event] = []
        if !request.responseNonce.isEmpty, request.responseNonce == lastNonce, request.resourceNames == subscribed {
            events.append(request.hasErrorDetail ? .nack(version: request.versionInfo, error: request.errorDetail.message)
                                                 : .ack(version: request.versionInfo))
            return (nil, events)
        }
        if !request.responseNonce.isEmpty, request.responseNonce != lastNonce { return (nil, []) }  // stale
        subscribed = request.resourceNames
        for name in subscribed where ![WorkloadSecrets.certificateName, WorkloadSecrets.rootName].contains(name) {
            events.append(.unknownSecret(name))
        }
        return (response(), events)
    }

    /// A new certificate was installed -> the push for this stream (if it has asked).
    public mutating func secretsChanged(_ new: WorkloadSecrets) -> Envoy_Service_Discovery_V3_DiscoveryResponse? {
        secrets = new
        guard !subscribed.isEmpty, new.generation != sentGeneration else { return nil }
        return response()
    }

    private mutating func response() -> Envoy_Service_Discovery_V3_DiscoveryResponse? {
        guard let secrets else { return nil }  // sent once the first certificate arrives
        var response = Envoy_Service_Discovery_V3_DiscoveryResponse()
        response.typeURL = Self.typeURL
        response.versionInfo = "\(secrets.generation)"
        nonceCounter += 1
        response.nonce = "\(secrets.generation)-\(nonceCounter)"
        response.resources = subscribed.compactMap { name in Self.secret(name, secrets).flatMap { try? Google_Protobuf_Any(message: $0) } }
        lastNonce = response.nonce
        sentGeneration = secrets.generation
        return response
    }

    /// Istio's shapes: `default` = chain + key, `ROOTCA` = trusted_ca.
    public static func secret(_ name: String, _ secrets: WorkloadSecrets) -> Envoy_Extensions_TransportSockets_Tls_V3_Secret? {
        var secret = Envoy_Extensions_TransportSockets_Tls_V3_Secret()
        secret.name = name
        switch name {
        case WorkloadSecrets.certificateName:
            var certificate = Envoy_Extensions_TransportSockets_Tls_V3_TlsCertificate()
            certificate.certificateChain.inlineBytes = Data(secrets.certificateChainPEM.utf8)
            certificate.privateKey.inlineBytes = Data(secrets.privateKeyPEM.utf8)
            secret.tlsCertificate = certificate
        case WorkloadSecrets.rootName:
            var validation = Envoy_Extensions_TransportSockets_Tls_V3_CertificateValidationContext()
            validation.trustedCa.inlineBytes = Data(secrets.trustBundlePEM.utf8)
            secret.validationContext = validation
        default:
            return nil
        }
        return secret
    }
}

import SwiftProtobuf
import XDSAPI

/// What a connection manager does with `x-forwarded-client-cert`, as Istio sets
/// it: a sidecar's inbound side appends its hop (the caller's subject, URI and DNS
/// SANs) so the application learns who called; a gateway replaces whatever the
/// client sent with what it verified itself (also the certificate); outbound and
/// everything else keeps Envoy's default, SANITIZE (a caller's header is removed).
enum ClientCertForwarding {
    case sanitize, sidecarInbound, gateway

    func apply(to manager: inout Envoy_Extensions_Filters_Network_HttpConnectionManager_V3_HttpConnectionManager) {
        var details = Envoy_Extensions_Filters_Network_HttpConnectionManager_V3_HttpConnectionManager.SetCurrentClientCertDetails()
        switch self {
        case .sanitize:
            return
        case .sidecarInbound:
            manager.forwardClientCertDetails = .appendForward
        case .gateway:
            manager.forwardClientCertDetails = .sanitizeSet
            details.cert = true
        }
        details.subject = Proto.bool(true)
        details.uri = true
        details.dns = true
        manager.setCurrentClientCertDetails = details
    }
}

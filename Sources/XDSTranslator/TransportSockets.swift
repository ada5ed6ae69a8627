import MeshConfig
import XDSAPI

/// Upstream TLS from a DestinationRule's `tls` (SIMPLE / MUTUAL with files).
/// ISTIO_MUTUAL arrives with the security work; DISABLE means plain text. The
/// server is verified against `caCertificates`, or the system roots when none are
/// given (Istio's default), unless `insecureSkipVerify`.
enum UpstreamTLS {
    static func transportSocket(_ tls: ClientTLSSettings, defaultSNI: String, systemCA: String) -> Envoy_Config_Core_V3_TransportSocket? {
        guard let mode = tls.mode, mode == .simple || mode == .mutual else { return nil }
        var context = Envoy_Extensions_TransportSockets_Tls_V3_UpstreamTlsContext()
        context.sni = tls.sni ?? (defaultSNI.hasPrefix("*") ? "" : defaultSNI)
        var common = Envoy_Extensions_TransportSockets_Tls_V3_CommonTlsContext()
        if tls.insecureSkipVerify != true {
            var validation = Envoy_Extensions_TransportSockets_Tls_V3_CertificateValidationContext()
            let ca = tls.caCertificates.flatMap { $0.isEmpty ? nil : $0 } ?? systemCA
            validation.trustedCa = file(ca)
            common.validationContext = validation
        }
        if mode == .mutual, let certificate = tls.clientCertificate, let key = tls.privateKey {
            var pair = Envoy_Extensions_TransportSockets_Tls_V3_TlsCertificate()
            pair.certificateChain = file(certificate)
            pair.privateKey = file(key)
            common.tlsCertificates = [pair]
        }
        context.commonTlsContext = common
        var socket = Envoy_Config_Core_V3_TransportSocket()
        socket.name = "envoy.transport_sockets.tls"
        socket.typedConfig = Proto.any(context)
        return socket
    }

    static func file(_ path: String) -> Envoy_Config_Core_V3_DataSource {
        var source = Envoy_Config_Core_V3_DataSource()
        source.filename = path
        return source
    }
}

/// Gateway TLS termination: certificate files, or a `credentialName` fetched over SDS.
enum DownstreamTLS {
    static func transportSocket(_ tls: ServerTLSSettings) -> Envoy_Config_Core_V3_TransportSocket {
        var context = Envoy_Extensions_TransportSockets_Tls_V3_DownstreamTlsContext()
        var common = Envoy_Extensions_TransportSockets_Tls_V3_CommonTlsContext()
        var pairs: [Envoy_Extensions_TransportSockets_Tls_V3_TlsCertificate] = []
        if let certificate = tls.serverCertificate, let key = tls.privateKey {
            var pair = Envoy_Extensions_TransportSockets_Tls_V3_TlsCertificate()
            pair.certificateChain = UpstreamTLS.file(certificate)
            pair.privateKey = UpstreamTLS.file(key)
            pairs.append(pair)
        }
        for entry in tls.tlsCertificates ?? [] {
            guard let certificate = entry.serverCertificate, let key = entry.privateKey else { continue }
            var pair = Envoy_Extensions_TransportSockets_Tls_V3_TlsCertificate()
            pair.certificateChain = UpstreamTLS.file(certificate)
            pair.privateKey = UpstreamTLS.file(key)
            pairs.append(pair)
        }
        common.tlsCertificates = pairs
        let mutual = tls.mode == .mutual || tls.mode == .optionalMutual
        if let credential = tls.credentialName ?? tls.credentialNames?.first {
            let name = GatewayCredentials.prefix + GatewayCredentials.stripped(credential)
            common.tlsCertificateSdsSecretConfigs = [GatewayCredentials.sdsReference(name)]
            if mutual {
                var combined = Envoy_Extensions_TransportSockets_Tls_V3_CommonTlsContext.CombinedCertificateValidationContext()
                combined.defaultValidationContext = Envoy_Extensions_TransportSockets_Tls_V3_CertificateValidationContext()
                combined.validationContextSdsSecretConfig = GatewayCredentials.sdsReference(name + GatewayCredentials.caSuffix)
                common.combinedValidationContext = combined
                context.requireClientCertificate = Proto.bool(tls.mode == .mutual)
            }
        } else if mutual, let ca = tls.caCertificates {
            var validation = Envoy_Extensions_TransportSockets_Tls_V3_CertificateValidationContext()
            validation.trustedCa = UpstreamTLS.file(ca)
            common.validationContext = validation
            context.requireClientCertificate = Proto.bool(tls.mode == .mutual)
        }
        common.alpnProtocols = ["h2", "http/1.1"]
        context.commonTlsContext = common
        var socket = Envoy_Config_Core_V3_TransportSocket()
        socket.name = "envoy.transport_sockets.tls"
        socket.typedConfig = Proto.any(context)
        return socket
    }
}

import MeshConfig
import MeshCore

/// Upstream TLS settings (`trafficPolicy.tls`).
enum ClientTLSRules {
    static func validate(_ tls: ClientTLSSettings, _ path: FieldPath, namespace: String, _ sink: inout DiagnosticSink) {
        let mode = tls.mode ?? .disable
        if let credential = tls.credentialName, credential.hasPrefix("configmap://") {
            let reference = credential.dropFirst("configmap://".count)
            let parts = reference.split(separator: "/", omittingEmptySubsequences: false)
            if parts.count == 2, parts[0] != namespace {
                sink.error(path / "credentialName", "a configmap credential must be in the DestinationRule's namespace \(namespace)")
            } else if parts.count > 2 || reference.isEmpty {
                sink.error(path / "credentialName", "credentialName \"\(credential)\" must be configmap://NAME or configmap://NAMESPACE/NAME")
            }
        }
        if tls.insecureSkipVerify == true {
            if mode == .simple && (tls.caCertificates != nil || tls.credentialName != nil || tls.subjectAltNames != nil) {
                sink.error(path / "insecureSkipVerify", "insecureSkipVerify cannot be combined with caCertificates, credentialName or subjectAltNames")
            }
            if mode == .mutual && (tls.caCertificates != nil || tls.subjectAltNames != nil) {
                sink.error(path / "insecureSkipVerify", "insecureSkipVerify cannot be combined with caCertificates or subjectAltNames")
            }
        }
        if (mode == .simple || mode == .mutual), tls.credentialName != nil {
            for (field, value) in [("clientCertificate", tls.clientCertificate), ("caCertificates", tls.caCertificates), ("privateKey", tls.privateKey), ("caCrl", tls.caCrl)] where value != nil {
                sink.error(path / field, "\(field) cannot be combined with credentialName")
            }
        }
        if mode == .mutual && tls.credentialName == nil {
            if (tls.clientCertificate ?? "").isEmpty { sink.error(path / "clientCertificate", "MUTUAL mode requires clientCertificate (or credentialName)") }
            if (tls.privateKey ?? "").isEmpty { sink.error(path / "privateKey", "MUTUAL mode requires privateKey (or credentialName)") }
        }
    }
}

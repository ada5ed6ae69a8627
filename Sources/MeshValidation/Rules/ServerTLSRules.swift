import MeshConfig
import MeshCore

/// TLS termination settings of Gateway servers and Sidecar ingress listeners.
enum ServerTLSRules {
    static let cipherSuites: Set<String> = [
        "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384",
        "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-RSA-CHACHA20-POLY1305",
        "ECDHE-ECDSA-AES128-SHA", "ECDHE-RSA-AES128-SHA", "ECDHE-ECDSA-AES256-SHA", "ECDHE-RSA-AES256-SHA",
        "AES128-GCM-SHA256", "AES256-GCM-SHA384", "AES128-SHA", "AES256-SHA", "DES-CBC3-SHA", "ALL", "",
    ]

    static func validate(_ tls: ServerTLSSettings, _ path: FieldPath, _ sink: inout DiagnosticSink) {
        let mode = tls.mode ?? .passthrough
        if (tls.minProtocolVersion == .tlsv10 || tls.minProtocolVersion == .tlsv11) && (tls.cipherSuites ?? []).isEmpty {
            sink.warning(path / "minProtocolVersion", "TLS 1.0/1.1 without explicit cipherSuites allows weak ciphers")
        }
        var seenSuites = Set<String>()
        for (index, suite) in (tls.cipherSuites ?? []).enumerated() {
            let isModifier = suite.first.map { !$0.isLetter && !$0.isNumber } ?? true
            if !isModifier && !cipherSuites.contains(suite) {
                sink.warning(path / "cipherSuites" / index, "unknown cipher suite \"\(suite)\" is ignored")
            }
            if !seenSuites.insert(suite).inserted {
                sink.warning(path / "cipherSuites" / index, "duplicate cipher suite \"\(suite)\"")
            }
        }
        let certificateFields: [(String, Bool)] = [
            ("serverCertificate", tls.serverCertificate != nil), ("privateKey", tls.privateKey != nil),
            ("caCertificates", tls.caCertificates != nil), ("tlsCertificates", tls.tlsCertificates != nil),
            ("credentialName", tls.credentialName != nil), ("credentialNames", tls.credentialNames != nil),
        ]
        if mode == .istioMutual {
            for (field, set) in certificateFields where set {
                sink.error(path / field, "\(field) cannot be set with ISTIO_MUTUAL (the mesh provides certificates)")
            }
            return
        }
        if mode == .passthrough || mode == .autoPassthrough {
            // Only a warning, and (as in Istio) the source-count and CRL checks below still apply.
            if certificateFields.contains(where: { $0.1 }) || tls.caCrl != nil {
                sink.warning(path, "certificates are ignored in \(mode.rawValue) mode")
            }
        }
        func isSet(_ value: String?) -> Bool { !(value ?? "").isEmpty }
        let hasCredential = isSet(tls.credentialName) || !(tls.credentialNames ?? []).isEmpty
        // A lone serverCertificate or privateKey is not a certificate source (Istio counts the pair).
        var sources = 0
        if isSet(tls.serverCertificate) && isSet(tls.privateKey) { sources += 1 }
        if isSet(tls.credentialName) { sources += 1 }
        if !(tls.credentialNames ?? []).isEmpty { sources += 1 }
        if !(tls.tlsCertificates ?? []).isEmpty { sources += 1 }
        if sources > 1 {
            sink.error(path, "set only one certificate source: credentialName, credentialNames, serverCertificate/privateKey or tlsCertificates")
        }
        let terminating = mode == .simple || mode == .mutual || mode == .optionalMutual
        // Credentials come from the secret: no file or CRL checks (Istio returns here).
        if terminating && hasCredential { return }
        if terminating { requireCertificates(tls, mode: mode, path, &sink) }
        if isSet(tls.caCrl) {
            if isSet(tls.credentialName) { sink.error(path / "caCrl", "caCrl cannot be combined with credentialName: put the CRL in the credential") }
            if mode == .simple { sink.error(path / "caCrl", "caCrl only applies to MUTUAL modes") }
        }
    }

    /// SIMPLE / MUTUAL / OPTIONAL_MUTUAL without a credential: certificate files are required.
    static func requireCertificates(_ tls: ServerTLSSettings, mode: ServerTLSSettings.Mode, _ path: FieldPath, _ sink: inout DiagnosticSink) {
        let needsCA = mode == .mutual || mode == .optionalMutual
        if let certificates = tls.tlsCertificates {
            if certificates.count > 2 { sink.warning(path / "tlsCertificates", "more than 2 certificates: only one RSA and one ECDSA certificate are used") }
            for (index, certificate) in certificates.enumerated() {
                if (certificate.serverCertificate ?? "").isEmpty { sink.error(path / "tlsCertificates" / index / "serverCertificate", "\(mode.rawValue) mode requires a server certificate") }
                if (certificate.privateKey ?? "").isEmpty { sink.error(path / "tlsCertificates" / index / "privateKey", "\(mode.rawValue) mode requires a private key") }
            }
        } else {
            if (tls.serverCertificate ?? "").isEmpty { sink.error(path / "serverCertificate", "\(mode.rawValue) mode requires serverCertificate (or credentialName)") }
            if (tls.privateKey ?? "").isEmpty { sink.error(path / "privateKey", "\(mode.rawValue) mode requires privateKey (or credentialName)") }
        }
        if needsCA && (tls.caCertificates ?? "").isEmpty {
            sink.error(path / "caCertificates", "\(mode.rawValue) mode requires caCertificates (or credentialName)")
        }
    }
}

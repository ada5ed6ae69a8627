import ProxyCore

/// Istio's file-mounted workload certificates (`/etc/certs`): the key pair and
/// roots in a directory, served as the SDS secrets "default" and "ROOTCA". The
/// files are read whenever TLS contexts are built, so replaced files reach new
/// connections with the next config or secret update.
enum WorkloadCertificateFiles {
    static let chain = "cert-chain.pem"
    static let key = "key.pem"
    static let roots = "root-cert.pem"

    static func provider(_ directory: String) -> any SecretProvider {
        let base = directory.hasSuffix("/") ? directory : directory + "/"
        return StaticSecretProvider([
            "default": .certificate(TLSCertificatePair(chain: .file(base + chain), privateKey: .file(base + key))),
            "ROOTCA": .validation(trustedCA: .file(base + roots), subjectAltNames: []),
        ])
    }
}

import ProxyAgent
import ProxyCore

/// The seam between the certificate agent and the proxy's TLS layer: each
/// installed certificate becomes the `sds-grpc` secrets `default` and `ROOTCA` of
/// the in-process SecretProvider (new connections use them; open ones keep theirs).
struct AgentSecretSink: WorkloadSecretSink {
    let provider: StaticSecretProvider

    func secretsChanged(_ secrets: WorkloadSecrets) async {
        // Roots first: a peer's new certificate may already chain to a new root.
        provider.update(WorkloadSecrets.rootName, .validation(trustedCA: .inline(Array(secrets.trustBundlePEM.utf8)), subjectAltNames: []))
        provider.update(WorkloadSecrets.certificateName, .certificate(TLSCertificatePair(chain: .inline(Array(secrets.certificateChainPEM.utf8)),
                                                                                         privateKey: .inline(Array(secrets.privateKeyPEM.utf8)))))
    }
}

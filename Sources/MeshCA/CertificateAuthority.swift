import Foundation
import X509

/// istiod's CA as a value: the signing certificate and key, the chain from it to
/// the root, and the roots workloads trust. Signing (CertificateAuthority+Signing)
/// and rotation (+Root) are pure; reading and writing the CA directory is CADirectory.
public struct CertificateAuthority: Sendable {
    public struct Options: Sendable, Equatable {
        public var trustDomain = "cluster.local"
        /// Istio's DEFAULT_WORKLOAD_CERT_TTL.
        public var defaultTTL: Duration = .seconds(24 * 3600)
        /// Istio's MAX_WORKLOAD_CERT_TTL: longer requests are cut to it.
        public var maxTTL: Duration = .seconds(90 * 24 * 3600)
        /// Leaves start this much before now, for clocks a little behind ours.
        public var backdate: Duration = .seconds(60)

        public init(trustDomain: String = "cluster.local") {
            self.trustDomain = trustDomain
        }
    }

    public var options: Options
    /// The certificate that signs workload certificates (a root when self-signed,
    /// an intermediate with a plug-in CA).
    public let signingCertificate: Certificate
    let signingKey: Certificate.PrivateKey
    /// From the signing certificate up to and including its root (cert-chain.pem).
    public let chain: [Certificate]
    /// Every root a workload trusts: the current one first, older ones while they
    /// are still valid (rotation overlap). Served as `ROOTCA`.
    public let trustBundle: [Certificate]

    /// `chain` empty means the signing certificate is itself the root.
    public init(signingCertificate: Certificate, signingKey: Certificate.PrivateKey, chain: [Certificate] = [],
                trustBundle: [Certificate] = [], options: Options = Options()) throws(CAError) {
        guard signingKey.publicKey == signingCertificate.publicKey else {
            throw .invalidCAFiles("the CA key does not belong to the CA certificate (\(signingCertificate.subject))")
        }
        guard Self.isCA(signingCertificate) else {
            throw .invalidCAFiles("the CA certificate (\(signingCertificate.subject)) is not a CA (basicConstraints CA:TRUE missing)")
        }
        var fullChain = chain.isEmpty ? [signingCertificate] : chain
        if fullChain.first != signingCertificate { fullChain.insert(signingCertificate, at: 0) }
        for (child, parent) in zip(fullChain, fullChain.dropFirst()) {
            guard parent.publicKey.isValidSignature(child.signature, for: child) else {
                throw .invalidCAFiles("cert-chain.pem: \(child.subject) is not signed by the next certificate \(parent.subject)")
            }
        }
        let root = fullChain.last!
        guard root.issuer == root.subject, root.publicKey.isValidSignature(root.signature, for: root) else {
            throw .invalidCAFiles("the chain ends at \(root.subject), which is not a self-signed root")
        }
        var bundle = trustBundle.isEmpty ? [root] : trustBundle
        guard bundle.contains(root) else {
            throw .invalidCAFiles("root-cert.pem does not contain the root the CA chain ends at (\(root.subject))")
        }
        if bundle.first != root { bundle.removeAll { $0 == root }; bundle.insert(root, at: 0) }
        self.signingCertificate = signingCertificate
        self.signingKey = signingKey
        self.chain = fullChain
        self.trustBundle = bundle
        self.options = options
    }

    public var root: Certificate { chain.last! }

    /// `ROOTCA`'s content: every trusted root, PEM.
    public var trustBundlePEM: String { PEMBundle.pem(trustBundle) }

    static func isCA(_ certificate: Certificate) -> Bool {
        if case .isCertificateAuthority? = try? certificate.extensions.basicConstraints { return true }
        return false
    }
}

import Foundation
import X509

extension CertificateAuthority {
    /// A new self-signed root (istiod's self-signed CA on first start).
    public static func selfSigned(options: Options = Options(), algorithm: CAKeyAlgorithm = .ecdsaP256,
                                  validity: Duration = .seconds(10 * 365 * 24 * 3600), now: Date = Date()) throws(CAError) -> CertificateAuthority {
        let (certificate, key) = try makeRoot(trustDomain: options.trustDomain, algorithm: algorithm, validity: validity, now: now)
        return try CertificateAuthority(signingCertificate: certificate, signingKey: key, options: options)
    }

    /// Root rotation with overlap: a new self-signed root signs from now on, and the
    /// trust bundle holds it and every earlier root still valid at `now`, so
    /// certificates issued under the old root keep verifying until they expire.
    public func rotated(algorithm: CAKeyAlgorithm = .ecdsaP256, validity: Duration = .seconds(10 * 365 * 24 * 3600),
                        now: Date = Date()) throws(CAError) -> CertificateAuthority {
        let (certificate, key) = try Self.makeRoot(trustDomain: options.trustDomain, algorithm: algorithm, validity: validity, now: now)
        let kept = trustBundle.filter { $0.notValidAfter > now && $0 != certificate }
        return try CertificateAuthority(signingCertificate: certificate, signingKey: key, trustBundle: [certificate] + kept, options: options)
    }

    /// The same CA with roots that have expired by `now` dropped from the bundle.
    public func pruned(now: Date) throws(CAError) -> CertificateAuthority {
        let kept = trustBundle.filter { $0 == root || $0.notValidAfter > now }
        return try CertificateAuthority(signingCertificate: signingCertificate, signingKey: signingKey, chain: chain,
                                        trustBundle: kept, options: options)
    }

    static func makeRoot(trustDomain: String, algorithm: CAKeyAlgorithm, validity: Duration,
                         now: Date) throws(CAError) -> (Certificate, Certificate.PrivateKey) {
        do {
            let key = try algorithm.generate()
            // Istio's self-signed root names the trust domain as its organisation.
            let name = try DistinguishedName {
                OrganizationName(trustDomain)
                CommonName("SwiftMesh root CA \(Int(now.timeIntervalSince1970))")
            }
            let extensions = try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                Critical(KeyUsage(digitalSignature: true, keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(hash: key.publicKey)
            }
            let certificate = try Certificate(version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: key.publicKey,
                                              notValidBefore: now.addingTimeInterval(-60), notValidAfter: now.addingTimeInterval(seconds(validity)),
                                              issuer: name, subject: name, signatureAlgorithm: CAKeyAlgorithm.signatureAlgorithm(for: key),
                                              extensions: extensions, issuerPrivateKey: key)
            return (certificate, key)
        } catch {
            throw .signingFailed("making a root certificate: \(error)")
        }
    }
}

extension CertificateAuthority {
    /// Rotation, step 1: the same signer, with `root` trusted too, so every workload
    /// learns the new root before anything is signed under it.
    public func trusting(_ root: Certificate) throws(CAError) -> CertificateAuthority {
        try CertificateAuthority(signingCertificate: signingCertificate, signingKey: signingKey, chain: chain,
                                 trustBundle: trustBundle.filter { $0 != root } + [root], options: options)
    }

    /// Rotation, step 2: `next` signs from now on; every root of this CA still
    /// valid at `now` stays trusted beside next's.
    public func handingOver(to next: CertificateAuthority, now: Date = Date()) throws(CAError) -> CertificateAuthority {
        let kept = trustBundle.filter { $0.notValidAfter > now && !next.trustBundle.contains($0) }
        return try CertificateAuthority(signingCertificate: next.signingCertificate, signingKey: next.signingKey, chain: next.chain,
                                        trustBundle: next.trustBundle + kept, options: options)
    }
}

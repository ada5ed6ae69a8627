import Crypto
import Foundation
import X509

extension CertificateAuthority {
    /// A signed workload certificate and what the CA service returns for it.
    public struct Issued: Sendable {
        public let leaf: Certificate
        /// [leaf, intermediates..., root] as PEM: Istio's `cert_chain`.
        public let chainPEM: [String]
        public let identity: SPIFFEIdentity
    }

    /// Signs a workload CSR. `authenticated`: who the caller proved to be (token);
    /// the CSR must ask for exactly that identity. `requestedSeconds` 0 means the
    /// default TTL; more than the maximum is cut to it; negative is an error.
    public func sign(csrPEM: String, authenticated: SPIFFEIdentity?, requestedSeconds: Int64 = 0,
                     now: Date = Date()) throws(CAError) -> Issued {
        let csr = try CheckedCSR(pem: csrPEM)
        guard csr.identity.trustDomain == options.trustDomain else {
            throw .permissionDenied("the CSR asks for \(csr.identity.uri) in trust domain \"\(csr.identity.trustDomain)\"; this CA signs for \"\(options.trustDomain)\"")
        }
        if let authenticated, authenticated != csr.identity {
            throw .permissionDenied("the CSR asks for \(csr.identity.uri) but the caller is authenticated as \(authenticated.uri)")
        }
        let ttl = try validity(requestedSeconds: requestedSeconds)
        let leaf = try issue(publicKey: csr.publicKey, names: [.uniformResourceIdentifier(csr.identity.uri)], ttl: ttl, now: now)
        return Issued(leaf: leaf, chainPEM: ([leaf] + chain).map { PEMBundle.pem($0) }, identity: csr.identity)
    }

    /// The TTL a request gets: Istio's rules (0 = default, capped at the maximum).
    public func validity(requestedSeconds: Int64) throws(CAError) -> Duration {
        guard requestedSeconds >= 0 else {
            throw .invalidValidity("validity_duration \(requestedSeconds) s is negative")
        }
        guard requestedSeconds > 0 else { return options.defaultTTL }
        return min(.seconds(requestedSeconds), options.maxTTL)
    }

    /// A leaf certificate for `publicKey` with the given SANs (URI and/or DNS),
    /// usable for TLS server and client auth, never past the signing certificate.
    public func issue(publicKey: Certificate.PublicKey, names: [GeneralName], ttl: Duration, now: Date) throws(CAError) -> Certificate {
        let notBefore = now.addingTimeInterval(-Self.seconds(options.backdate))
        let notAfter = min(now.addingTimeInterval(Self.seconds(ttl)), signingCertificate.notValidAfter)
        guard notAfter > now else {
            throw .signingFailed("the CA certificate \(signingCertificate.subject) expired at \(signingCertificate.notValidAfter)")
        }
        do {
            let extensions = try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true, keyEncipherment: true))
                try ExtendedKeyUsage([.serverAuth, .clientAuth])
                AuthorityKeyIdentifier(keyIdentifier: try signingCertificate.extensions.subjectKeyIdentifier?.keyIdentifier
                    ?? SubjectKeyIdentifier(hash: signingCertificate.publicKey).keyIdentifier)
                // Istio leaves the subject empty, so the SAN is critical (RFC 5280 4.2.1.6).
                Critical(SubjectAlternativeNames(names))
            }
            return try Certificate(version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: publicKey,
                                   notValidBefore: notBefore, notValidAfter: notAfter,
                                   issuer: signingCertificate.subject, subject: DistinguishedName(),
                                   signatureAlgorithm: CAKeyAlgorithm.signatureAlgorithm(for: signingKey),
                                   extensions: extensions, issuerPrivateKey: signingKey)
        } catch {
            throw .signingFailed("\(error)")
        }
    }

    static func seconds(_ duration: Duration) -> TimeInterval {
        let (seconds, attoseconds) = duration.components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}

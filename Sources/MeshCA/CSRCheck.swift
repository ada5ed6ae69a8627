import SwiftASN1
import X509

/// A CSR that parsed, whose signature matches its own key, whose key is one we
/// sign, and which asks for exactly one SPIFFE identity.
public struct CheckedCSR: Sendable {
    public let publicKey: Certificate.PublicKey
    public let keyAlgorithm: CAKeyAlgorithm
    public let identity: SPIFFEIdentity

    /// Istio's agent puts the SPIFFE ID in the CSR's requested subjectAltName
    /// extension; the subject itself is ignored (the CA writes its own).
    public init(pem: String) throws(CAError) {
        let csr: CertificateSigningRequest
        do {
            csr = try CertificateSigningRequest(pemEncoded: pem)
        } catch {
            throw .invalidCSR("not a PEM CERTIFICATE REQUEST (\(error))")
        }
        guard csr.publicKey.isValidSignature(csr.signature, for: csr) else {
            throw .invalidCSR("its signature does not verify with its own public key (tampered, or signed by another key)")
        }
        keyAlgorithm = try CAKeyAlgorithm.classify(csr.publicKey)
        publicKey = csr.publicKey
        let requested: Certificate.Extensions
        do {
            requested = try csr.attributes.extensionRequest?.extensions ?? Certificate.Extensions()
        } catch {
            throw .invalidCSR("the extension request attribute does not parse (\(error))")
        }
        let names: SubjectAlternativeNames
        do {
            guard let sans = try requested.subjectAlternativeNames else {
                throw CAError.invalidCSR("no subjectAltName: one URI SAN spiffe://<trust-domain>/ns/<ns>/sa/<sa> is required")
            }
            names = sans
        } catch let error as CAError {
            throw error
        } catch {
            throw .invalidCSR("the subjectAltName extension does not parse (\(error))")
        }
        var uris: [String] = []
        for name in names {
            if case .uniformResourceIdentifier(let uri) = name { uris.append(uri) }
        }
        guard uris.count == 1 else {
            throw .invalidCSR(uris.isEmpty
                ? "no URI SAN: one spiffe://<trust-domain>/ns/<ns>/sa/<sa> is required"
                : "\(uris.count) URI SANs (\(uris.joined(separator: ", "))); exactly one SPIFFE ID is signed")
        }
        identity = try SPIFFEIdentity(uri: uris[0])
    }
}

import Crypto
import _CryptoExtras
import SwiftASN1
import X509

/// A fresh key and a CSR for it as Istio's agent makes them: empty subject, the
/// SPIFFE ID as the only requested SAN. The key stays in this process.
public struct WorkloadCSR: Sendable {
    public enum KeyType: String, Sendable {
        case ecdsaP256 = "ECDSA"
        case rsa2048 = "RSA"
    }

    public let csrPEM: String
    public let privateKeyPEM: String

    public init(identity: String, keyType: KeyType = .ecdsaP256) throws {
        let key: Certificate.PrivateKey
        switch keyType {
        case .ecdsaP256: key = Certificate.PrivateKey(P256.Signing.PrivateKey())
        case .rsa2048: key = Certificate.PrivateKey(try _RSA.Signing.PrivateKey(keySize: .bits2048))
        }
        let extensions = try Certificate.Extensions { SubjectAlternativeNames([.uniformResourceIdentifier(identity)]) }
        var attributes = CertificateSigningRequest.Attributes()
        attributes.insert(try .init(ExtensionRequest(extensions: extensions)))
        let csr = try CertificateSigningRequest(version: .v1, subject: DistinguishedName(), privateKey: key, attributes: attributes)
        csrPEM = try csr.serializeAsPEM().pemString
        privateKeyPEM = try key.serializeAsPEM().pemString
    }
}

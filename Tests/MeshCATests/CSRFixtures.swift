import Crypto
import _CryptoExtras
import Foundation
import SwiftASN1
import X509
@testable import MeshCA

/// CSRs as Istio's agent makes them: empty subject, the SPIFFE ID as a requested URI SAN.
enum CSRFixtures {
    static func csr(key: Certificate.PrivateKey, uris: [String], dns: [String] = []) throws -> String {
        var attributes = CertificateSigningRequest.Attributes()
        if !uris.isEmpty || !dns.isEmpty {
            let names = uris.map { GeneralName.uniformResourceIdentifier($0) } + dns.map { GeneralName.dnsName($0) }
            let extensions = try Certificate.Extensions { SubjectAlternativeNames(names) }
            attributes.insert(try .init(ExtensionRequest(extensions: extensions)))
        }
        let request = try CertificateSigningRequest(version: .v1, subject: DistinguishedName(), privateKey: key, attributes: attributes)
        return try request.serializeAsPEM().pemString
    }

    static func p256() -> Certificate.PrivateKey { Certificate.PrivateKey(P256.Signing.PrivateKey()) }

    static let shop = SPIFFEIdentity(namespace: "shop", serviceAccount: "catalog")

    /// An intermediate CA signed by `root` (a plug-in CA's ca-cert.pem).
    static func intermediate(signedBy root: CertificateAuthority, now: Date = Date()) throws -> (Certificate, Certificate.PrivateKey) {
        let key = p256()
        let name = try DistinguishedName { OrganizationName("cluster.local"); CommonName("intermediate") }
        let extensions = try Certificate.Extensions {
            Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
            Critical(KeyUsage(keyCertSign: true, cRLSign: true))
            SubjectKeyIdentifier(hash: key.publicKey)
        }
        let certificate = try Certificate(version: .v3, serialNumber: .init(), publicKey: key.publicKey,
                                          notValidBefore: now.addingTimeInterval(-60), notValidAfter: now.addingTimeInterval(365 * 86400),
                                          issuer: root.signingCertificate.subject, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
                                          extensions: extensions, issuerPrivateKey: root.signingKey)
        return (certificate, key)
    }

    static func temporaryDirectory() -> String {
        let path = NSTemporaryDirectory() + "meshca-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

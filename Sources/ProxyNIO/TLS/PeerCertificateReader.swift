import Crypto
import MeshCore
import NIOSSL
import ProxyCore
import SwiftASN1
import X509

/// Reads what `x-forwarded-client-cert` says of a peer certificate (digest,
/// subject, SANs, DER), once per connection at the handshake, only on chains that
/// write the header.
enum PeerCertificateReader {
    static func facts(_ certificate: NIOSSLCertificate) -> PeerCertificateFacts? {
        guard let der = try? certificate.toDERBytes() else { return nil }
        let names = SubjectAltNames.of(certificate)
        let subject = (try? Certificate(derEncoded: der)).map { subjectText($0.subject) } ?? ""
        return PeerCertificateFacts(sha256Hex: HexText.lowercase(Array(SHA256.hash(data: der))), subject: subject,
                                    uriSANs: names.filter { $0.kind == .uri }.map(\.value),
                                    dnsSANs: names.filter { $0.kind == .dns }.map(\.value), der: der)
    }

    static func subjectText(_ name: DistinguishedName) -> String {
        DistinguishedNameText.rfc2253(name.map { rdn in
            rdn.map { attribute in
                let value: DistinguishedNameText.Value
                if let text = String(attribute.value) {
                    value = .text(Array(text.utf8))
                } else {
                    var serializer = DER.Serializer()
                    value = (try? serializer.serialize(ASN1Any(attribute.value))).map { .der(serializer.serializedBytes) } ?? .der([])
                }
                return DistinguishedNameText.Attribute(oid: attribute.type.description, value: value)
            }
        })
    }
}

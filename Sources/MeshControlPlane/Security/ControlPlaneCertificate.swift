import Crypto
import Foundation
import MeshCA
import X509
import XDSServer

/// istiod's own serving certificate for 15012, signed by the mesh CA:
/// `spiffe://<td>/ns/istio-system/sa/istiod` plus the DNS names proxies dial.
enum ControlPlaneCertificate {
    static let dnsNames = ["istiod.istio-system.svc", "istiod.istio-system.svc.cluster.local", "istiod"]

    static func identity(trustDomain: String) -> SPIFFEIdentity {
        SPIFFEIdentity(trustDomain: trustDomain, namespace: "istio-system", serviceAccount: "istiod")
    }

    static func make(_ authority: CertificateAuthority, ttl: Duration = .seconds(365 * 24 * 3600), now: Date = Date()) throws -> XDSServer.TLSIdentity {
        let key = P256.Signing.PrivateKey()
        let names = [GeneralName.uniformResourceIdentifier(identity(trustDomain: authority.options.trustDomain).uri)] + dnsNames.map { .dnsName($0) }
        let leaf = try authority.issue(publicKey: Certificate.PublicKey(key.publicKey), names: names, ttl: ttl, now: now)
        return XDSServer.TLSIdentity(certificateChainPEM: ([leaf] + authority.chain).map { PEMBundle.pem($0) }, privateKeyPEM: key.pemRepresentation)
    }
}

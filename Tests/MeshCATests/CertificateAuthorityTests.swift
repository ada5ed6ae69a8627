import Crypto
import _CryptoExtras
import Foundation
import Testing
import X509
@testable import MeshCA

@Suite struct CertificateAuthorityTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func ca() throws -> CertificateAuthority { try CertificateAuthority.selfSigned(now: now) }

    @Test func signsAnECDSAWorkloadCSRWithItsSPIFFEID() throws {
        let ca = try ca()
        let csr = try CSRFixtures.csr(key: CSRFixtures.p256(), uris: [CSRFixtures.shop.uri])
        let issued = try ca.sign(csrPEM: csr, authenticated: CSRFixtures.shop, now: now)
        #expect(issued.chainPEM.count == 2)
        let chain = try issued.chainPEM.map { try Certificate(pemEncoded: $0) }
        #expect(chain[1] == ca.root)
        #expect(ca.root.publicKey.isValidSignature(chain[0].signature, for: chain[0]))
        let sans = try #require(try chain[0].extensions.subjectAlternativeNames)
        #expect(Array(sans) == [.uniformResourceIdentifier("spiffe://cluster.local/ns/shop/sa/catalog")])
        #expect(chain[0].notValidAfter == now.addingTimeInterval(24 * 3600))
        #expect(try chain[0].extensions.basicConstraints == .notCertificateAuthority)
        #expect(try chain[0].extensions.extendedKeyUsage.map(Array.init) == [.serverAuth, .clientAuth])
    }

    @Test func acceptsRSA2048Keys() throws {
        let key = Certificate.PrivateKey(try _RSA.Signing.PrivateKey(keySize: .bits2048))
        let issued = try ca().sign(csrPEM: try CSRFixtures.csr(key: key, uris: [CSRFixtures.shop.uri]), authenticated: nil, now: now)
        #expect(_RSA.Signing.PublicKey(issued.leaf.publicKey)?.keySizeInBits == 2048)
    }

    @Test func refusesAP384Key() throws {
        let csr = try CSRFixtures.csr(key: Certificate.PrivateKey(P384.Signing.PrivateKey()), uris: [CSRFixtures.shop.uri])
        #expect(throws: CAError.unsupportedKey("ECDSA P-384; use P-256 or RSA 2048")) { try ca().sign(csrPEM: csr, authenticated: nil, now: now) }
    }

    @Test func refusesACSRWhoseSignatureDoesNotMatchItsKey() throws {
        let signed = try CertificateSigningRequest(pemEncoded: try CSRFixtures.csr(key: CSRFixtures.p256(), uris: [CSRFixtures.shop.uri]))
        let forged = try CertificateSigningRequest(version: .v1, subject: signed.subject, publicKey: CSRFixtures.p256().publicKey,
                                                   attributes: signed.attributes, signatureAlgorithm: signed.signatureAlgorithm, signature: signed.signature)
        let pem = try forged.serializeAsPEM().pemString
        #expect(throws: CAError.invalidCSR("its signature does not verify with its own public key (tampered, or signed by another key)")) {
            try ca().sign(csrPEM: pem, authenticated: nil, now: now)
        }
    }

    @Test func requiresExactlyOneSPIFFEURI() throws {
        let ca = try ca()
        let none = try CSRFixtures.csr(key: CSRFixtures.p256(), uris: [])
        #expect(throws: CAError.self) { try ca.sign(csrPEM: none, authenticated: nil, now: now) }
        let dnsOnly = try CSRFixtures.csr(key: CSRFixtures.p256(), uris: [], dns: ["catalog.shop.svc"])
        #expect(throws: CAError.invalidCSR("no URI SAN: one spiffe://<trust-domain>/ns/<ns>/sa/<sa> is required")) {
            try ca.sign(csrPEM: dnsOnly, authenticated: nil, now: now)
        }
        let two = try CSRFixtures.csr(key: CSRFixtures.p256(), uris: [CSRFixtures.shop.uri, "spiffe://cluster.local/ns/shop/sa/admin"])
        #expect(throws: CAError.invalidCSR("2 URI SANs (spiffe://cluster.local/ns/shop/sa/catalog, spiffe://cluster.local/ns/shop/sa/admin); exactly one SPIFFE ID is signed")) {
            try ca.sign(csrPEM: two, authenticated: nil, now: now)
        }
        let notSPIFFE = try CSRFixtures.csr(key: CSRFixtures.p256(), uris: ["https://catalog.shop"])
        #expect(throws: CAError.invalidIdentity("https://catalog.shop", reason: "does not start with spiffe://")) {
            try ca.sign(csrPEM: notSPIFFE, authenticated: nil, now: now)
        }
        #expect(throws: CAError.self) { try ca.sign(csrPEM: "not a csr", authenticated: nil, now: now) }
    }

    @Test func refusesAnIdentityOtherThanTheCallers() throws {
        let csr = try CSRFixtures.csr(key: CSRFixtures.p256(), uris: ["spiffe://cluster.local/ns/shop/sa/admin"])
        #expect(throws: CAError.permissionDenied("the CSR asks for spiffe://cluster.local/ns/shop/sa/admin but the caller is authenticated as spiffe://cluster.local/ns/shop/sa/catalog")) {
            try ca().sign(csrPEM: csr, authenticated: CSRFixtures.shop, now: now)
        }
        let otherDomain = try CSRFixtures.csr(key: CSRFixtures.p256(), uris: ["spiffe://example.org/ns/shop/sa/catalog"])
        #expect(throws: CAError.self) { try ca().sign(csrPEM: otherDomain, authenticated: nil, now: now) }
    }

    @Test func validityDefaultsCapsAndRefusesNegative() throws {
        var ca = try ca()
        ca.options.maxTTL = .seconds(48 * 3600)
        #expect(try ca.validity(requestedSeconds: 0) == .seconds(24 * 3600))
        #expect(try ca.validity(requestedSeconds: 6) == .seconds(6))
        #expect(try ca.validity(requestedSeconds: 365 * 86400) == .seconds(48 * 3600))
        #expect(throws: CAError.invalidValidity("validity_duration -1 s is negative")) { try ca.validity(requestedSeconds: -1) }
        let issued = try ca.sign(csrPEM: try CSRFixtures.csr(key: CSRFixtures.p256(), uris: [CSRFixtures.shop.uri]), authenticated: nil,
                                 requestedSeconds: 7 * 86400, now: now)
        #expect(issued.leaf.notValidAfter == now.addingTimeInterval(48 * 3600))
    }

    @Test func rotationTrustsOldAndNewRootsUntilTheOldExpires() throws {
        let old = try CertificateAuthority.selfSigned(validity: .seconds(3600), now: now)
        let oldLeaf = try old.sign(csrPEM: try CSRFixtures.csr(key: CSRFixtures.p256(), uris: [CSRFixtures.shop.uri]), authenticated: nil, now: now).leaf
        let new = try old.rotated(now: now.addingTimeInterval(60))
        #expect(new.root != old.root)
        #expect(new.trustBundle == [new.root, old.root])
        let newLeaf = try new.sign(csrPEM: try CSRFixtures.csr(key: CSRFixtures.p256(), uris: [CSRFixtures.shop.uri]), authenticated: nil,
                                   now: now.addingTimeInterval(60)).leaf
        // A peer holding the bundle verifies leaves from either root.
        for leaf in [oldLeaf, newLeaf] {
            #expect(new.trustBundle.contains { $0.publicKey.isValidSignature(leaf.signature, for: leaf) })
        }
        #expect(!old.root.publicKey.isValidSignature(newLeaf.signature, for: newLeaf))
        #expect(try new.pruned(now: now.addingTimeInterval(7200)).trustBundle == [new.root])
        // Rotating after the old root expired does not carry it over.
        #expect(try old.rotated(now: now.addingTimeInterval(7200)).trustBundle.count == 1)
    }

    @Test func twoStepRotationTrustsTheNewRootBeforeSigningWithIt() throws {
        let old = try ca()
        let next = try CertificateAuthority.selfSigned(now: now)
        let prepared = try old.trusting(next.root)
        #expect(prepared.root == old.root && prepared.trustBundle == [old.root, next.root])
        let stillOld = try prepared.sign(csrPEM: try CSRFixtures.csr(key: CSRFixtures.p256(), uris: [CSRFixtures.shop.uri]), authenticated: nil, now: now).leaf
        #expect(old.root.publicKey.isValidSignature(stillOld.signature, for: stillOld))
        let active = try prepared.handingOver(to: next, now: now)
        #expect(active.root == next.root && active.trustBundle == [next.root, old.root])
        let fresh = try active.sign(csrPEM: try CSRFixtures.csr(key: CSRFixtures.p256(), uris: [CSRFixtures.shop.uri]), authenticated: nil, now: now).leaf
        #expect(next.root.publicKey.isValidSignature(fresh.signature, for: fresh))
    }

    @Test func leavesNeverOutliveTheSigningCertificate() throws {
        let short = try CertificateAuthority.selfSigned(validity: .seconds(600), now: now)
        let leaf = try short.sign(csrPEM: try CSRFixtures.csr(key: CSRFixtures.p256(), uris: [CSRFixtures.shop.uri]), authenticated: nil, now: now).leaf
        #expect(leaf.notValidAfter == short.root.notValidAfter)
    }

    @Test func refusesAKeyThatIsNotTheCertificates() throws {
        let ca = try ca()
        #expect(throws: CAError.self) {
            try CertificateAuthority(signingCertificate: ca.signingCertificate, signingKey: CSRFixtures.p256())
        }
    }
}

import Foundation
import Testing
import X509
@testable import MeshCA

@Suite struct CADirectoryTests {
    @Test func createsASelfSignedRootOnceAndKeepsIt() throws {
        let directory = CADirectory(path: CSRFixtures.temporaryDirectory())
        let (first, source) = try directory.loadOrCreate(options: .init())
        #expect(source == .created)
        for name in [CADirectory.caCert, CADirectory.caKey, CADirectory.rootCert, CADirectory.certChain] {
            #expect(FileManager.default.fileExists(atPath: directory.file(name)), "\(name)")
        }
        let mode = try FileManager.default.attributesOfItem(atPath: directory.file(CADirectory.caKey))[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let (second, again) = try directory.loadOrCreate(options: .init())
        #expect(again == .reloaded)
        #expect(second.root == first.root)
        #expect(second.trustBundle == [first.root])
    }

    @Test func loadsAPlugInCAWithAnIntermediate() throws {
        let root = try CertificateAuthority.selfSigned()
        let (intermediate, key) = try CSRFixtures.intermediate(signedBy: root)
        let directory = CADirectory(path: CSRFixtures.temporaryDirectory())
        try directory.writeFile(CADirectory.caCert, PEMBundle.pem(intermediate), mode: 0o644)
        try directory.writeFile(CADirectory.caKey, try key.serializeAsPEM().pemString, mode: 0o600)
        try directory.writeFile(CADirectory.rootCert, PEMBundle.pem(root.root), mode: 0o644)
        try directory.writeFile(CADirectory.certChain, PEMBundle.pem([intermediate, root.root]), mode: 0o644)
        let (ca, source) = try directory.loadOrCreate(options: .init())
        #expect(source == .pluggedIn)
        let issued = try ca.sign(csrPEM: try CSRFixtures.csr(key: CSRFixtures.p256(), uris: [CSRFixtures.shop.uri]), authenticated: nil)
        let chain = try issued.chainPEM.map { try Certificate(pemEncoded: $0) }
        #expect(chain.count == 3)
        #expect(chain[1] == intermediate && chain[2] == root.root)
        #expect(intermediate.publicKey.isValidSignature(chain[0].signature, for: chain[0]))
        // A chain file that stops at the intermediate gets its root from root-cert.pem.
        try directory.writeFile(CADirectory.certChain, PEMBundle.pem(intermediate), mode: 0o644)
        #expect(try directory.load(options: .init()).chain == [intermediate, root.root])
    }

    @Test func namesWhatIsMissingOrWrong() throws {
        let directory = CADirectory(path: CSRFixtures.temporaryDirectory())
        try directory.writeFile(CADirectory.caCert, "x", mode: 0o644)
        #expect(throws: CAError.invalidCAFiles("\(directory.path) has ca-cert.pem but not ca-key.pem")) {
            try directory.loadOrCreate(options: .init())
        }
        let root = try CertificateAuthority.selfSigned()
        try directory.writeFile(CADirectory.caCert, PEMBundle.pem(root.root), mode: 0o644)
        try directory.writeFile(CADirectory.caKey, try CSRFixtures.p256().serializeAsPEM().pemString, mode: 0o600)
        #expect(throws: CAError.invalidCAFiles("the CA key does not belong to the CA certificate (\(root.root.subject))")) {
            try directory.loadOrCreate(options: .init())
        }
    }

    @Test func savesARotatedBundle() throws {
        let directory = CADirectory(path: CSRFixtures.temporaryDirectory())
        let (ca, _) = try directory.loadOrCreate(options: .init())
        let rotated = try ca.rotated()
        try directory.save(rotated)
        let reloaded = try directory.load(options: .init())
        #expect(reloaded.root == rotated.root)
        #expect(reloaded.trustBundle == [rotated.root, ca.root])
    }
}

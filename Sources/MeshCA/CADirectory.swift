import Foundation
import X509

/// The CA's files, in Istio's plug-in CA layout (the `cacerts` secret):
/// `ca-cert.pem` + `ca-key.pem` sign, `cert-chain.pem` runs from ca-cert to the
/// root, `root-cert.pem` holds the trusted roots. With none there, a self-signed
/// root is made and written there (key 0600), so a restart keeps the same root.
public struct CADirectory: Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    public static let caCert = "ca-cert.pem"
    public static let caKey = "ca-key.pem"
    public static let rootCert = "root-cert.pem"
    public static let certChain = "cert-chain.pem"

    public enum Source: String, Sendable { case pluggedIn = "plug-in CA files", created = "new self-signed root", reloaded = "self-signed root from an earlier start" }

    /// Loads the CA, or makes and persists a self-signed one when the directory has
    /// no `ca-cert.pem`. Half a plug-in set (a cert without its key) is an error.
    public func loadOrCreate(options: CertificateAuthority.Options, algorithm: CAKeyAlgorithm = .ecdsaP256,
                             now: Date = Date()) throws(CAError) -> (CertificateAuthority, Source) {
        let manager = FileManager.default
        let hasCert = manager.fileExists(atPath: file(Self.caCert)), hasKey = manager.fileExists(atPath: file(Self.caKey))
        if hasCert || hasKey {
            guard hasCert && hasKey else {
                throw .invalidCAFiles("\(path) has \(hasCert ? Self.caCert : Self.caKey) but not \(hasCert ? Self.caKey : Self.caCert)")
            }
            let ca = try load(options: options)
            let selfSigned = ca.chain.count == 1 && manager.fileExists(atPath: file(Self.selfSignedMarker))
            return (ca, selfSigned ? .reloaded : .pluggedIn)
        }
        let ca = try CertificateAuthority.selfSigned(options: options, algorithm: algorithm, now: now)
        try save(ca)
        try writeFile(Self.selfSignedMarker, "made by swiftmesh control-plane; delete this directory's files to start a new root\n", mode: 0o644)
        return (ca, .created)
    }

    /// Reads the four files (cert-chain.pem may be absent for a root used directly).
    public func load(options: CertificateAuthority.Options) throws(CAError) -> CertificateAuthority {
        let certText = try read(Self.caCert), keyText = try read(Self.caKey)
        guard let certificate = try PEMBundle.certificates(certText, what: file(Self.caCert)).first else {
            throw .invalidCAFiles("\(file(Self.caCert)) holds no certificate")
        }
        let key: Certificate.PrivateKey
        do {
            key = try Certificate.PrivateKey(pemEncoded: keyText)
        } catch {
            throw .invalidCAFiles("\(file(Self.caKey)): not a PEM private key (\(error))")
        }
        let roots = FileManager.default.fileExists(atPath: file(Self.rootCert))
            ? try PEMBundle.certificates(try read(Self.rootCert), what: file(Self.rootCert)) : []
        var chain = FileManager.default.fileExists(atPath: file(Self.certChain))
            ? try PEMBundle.certificates(try read(Self.certChain), what: file(Self.certChain)) : []
        if chain.first != certificate { chain.insert(certificate, at: 0) }
        // Plug-in chains often stop below the root: add the root that signed the last one.
        if let last = chain.last, last.issuer != last.subject,
           let root = roots.first(where: { $0.subject == last.issuer && $0.publicKey.isValidSignature(last.signature, for: last) }) {
            chain.append(root)
        }
        guard !roots.isEmpty || chain.last.map({ $0.issuer == $0.subject }) == true else {
            throw .invalidCAFiles("\(file(Self.rootCert)) is missing and \(file(Self.caCert)) is not a self-signed root")
        }
        return try CertificateAuthority(signingCertificate: certificate, signingKey: key, chain: chain, trustBundle: roots, options: options)
    }

    /// Writes the CA in the plug-in layout (after creating or rotating a root).
    public func save(_ ca: CertificateAuthority) throws(CAError) {
        do {
            // The key lives here: only the control plane's user may list or enter it.
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw .invalidCAFiles("cannot create \(path): \(error)")
        }
        let keyPEM: String
        do {
            keyPEM = try ca.signingKey.serializeAsPEM().pemString
        } catch {
            throw .invalidCAFiles("cannot serialise the CA key: \(error)")
        }
        try writeFile(Self.caKey, keyPEM + "\n", mode: 0o600)
        try writeFile(Self.caCert, PEMBundle.pem(ca.signingCertificate) + "\n", mode: 0o644)
        try writeFile(Self.certChain, PEMBundle.pem(ca.chain), mode: 0o644)
        try writeFile(Self.rootCert, ca.trustBundlePEM, mode: 0o644)
    }

    static let selfSignedMarker = "SELF-SIGNED"

    public func file(_ name: String) -> String { "\(path)/\(name)" }

    private func read(_ name: String) throws(CAError) -> String {
        do {
            return try String(contentsOfFile: file(name), encoding: .utf8)
        } catch {
            throw .invalidCAFiles("cannot read \(file(name)): \(error.localizedDescription)")
        }
    }

    /// Written to a temporary name with its final mode, then renamed: a reader
    /// never sees half a key, and a key is never readable by others even briefly.
    public func writeFile(_ name: String, _ text: String, mode: Int) throws(CAError) {
        let target = file(name), temporary = file(".\(name).tmp")
        _ = try? FileManager.default.removeItem(atPath: temporary)
        guard FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8), attributes: [.posixPermissions: mode]) else {
            throw .invalidCAFiles("cannot write \(target)")
        }
        guard rename(temporary, target) == 0 else {
            throw .invalidCAFiles("cannot move \(temporary) to \(target) (errno \(errno))")
        }
    }
}

import Crypto
import Foundation

/// The local mesh's stand-in for Kubernetes service-account tokens: the control
/// plane signs (ES256, its own key) a JWT per workload naming its namespace and
/// service account, shaped like a bound Kubernetes token so one verifier reads both.
public struct BootstrapTokenIssuer: Sendable {
    public static let issuer = "swiftmesh-control-plane"
    /// Istio's audience for tokens sent to the CA.
    public static let audience = "istio-ca"
    public static let keyFile = "token-key.pem"

    let key: P256.Signing.PrivateKey
    public let keyID: String

    public init(key: P256.Signing.PrivateKey) {
        self.key = key
        // Stable per key, so a verifier can pick the right key after a key change.
        keyID = SHA256.hash(data: key.publicKey.derRepresentation).prefix(8).map { String(format: "%02x", $0) }.joined()
    }

    /// A token for `namespace`/`serviceAccount`, valid `ttl` from `now`.
    public func token(namespace: String, serviceAccount: String, ttl: Duration, now: Date = Date()) throws -> String {
        let issued = Int(now.timeIntervalSince1970)
        let payload: [String: Any] = [
            "iss": Self.issuer,
            "sub": "system:serviceaccount:\(namespace):\(serviceAccount)",
            "aud": [Self.audience],
            "iat": issued,
            "nbf": issued - 60,
            "exp": issued + Int(CertificateAuthority.seconds(ttl)),
            "kubernetes.io": ["namespace": namespace, "serviceaccount": ["name": serviceAccount]],
        ]
        return try JSONWebToken.signES256(payload: payload, key: key, keyID: keyID)
    }

    /// What verifies this issuer's tokens.
    public var verifier: CallerAuthenticator.TokenIssuer {
        CallerAuthenticator.TokenIssuer(issuer: Self.issuer, keys: [JWTVerificationKey(p256: key.publicKey, keyID: keyID)],
                                        audiences: [Self.audience])
    }

    /// The signing key kept in the CA directory (`token-key.pem`, 0600), made on first use.
    public static func loadOrCreate(in directory: CADirectory) throws(CAError) -> BootstrapTokenIssuer {
        let path = directory.file(keyFile)
        if FileManager.default.fileExists(atPath: path) {
            do {
                return BootstrapTokenIssuer(key: try P256.Signing.PrivateKey(pemRepresentation: try String(contentsOfFile: path, encoding: .utf8)))
            } catch {
                throw .invalidCAFiles("\(path): not a PEM P-256 private key (\(error))")
            }
        }
        let key = P256.Signing.PrivateKey()
        try directory.writeFile(keyFile, key.pemRepresentation + "\n", mode: 0o600)
        return BootstrapTokenIssuer(key: key)
    }
}

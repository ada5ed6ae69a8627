import Crypto
import _CryptoExtras
import X509

/// Key types the CA makes and accepts: ECDSA P-256 (Istio's default for workloads
/// with ECC_SIGNATURE_ALGORITHM) and RSA 2048 (Istio's classic default).
public enum CAKeyAlgorithm: String, Sendable, CaseIterable {
    case ecdsaP256 = "ECDSA"
    case rsa2048 = "RSA"

    public func generate() throws -> Certificate.PrivateKey {
        switch self {
        case .ecdsaP256: Certificate.PrivateKey(P256.Signing.PrivateKey())
        case .rsa2048: Certificate.PrivateKey(try _RSA.Signing.PrivateKey(keySize: .bits2048))
        }
    }

    /// What a certificate signed by `key` says it was signed with (SHA-256 either way).
    static func signatureAlgorithm(for key: Certificate.PrivateKey) -> Certificate.SignatureAlgorithm {
        key.supportedSignatureAlgorithms.contains(.ecdsaWithSHA256) ? .ecdsaWithSHA256 : .sha256WithRSAEncryption
    }

    /// Which of ours a public key is; an error naming the key otherwise. RSA keys
    /// of at least 2048 bits are taken (4096 too: only smaller ones are weak).
    static func classify(_ key: Certificate.PublicKey) throws(CAError) -> CAKeyAlgorithm {
        if P256.Signing.PublicKey(key) != nil { return .ecdsaP256 }
        if let rsa = _RSA.Signing.PublicKey(key) {
            guard rsa.keySizeInBits >= 2048 else {
                throw .unsupportedKey("RSA key of \(rsa.keySizeInBits) bits; at least 2048 are needed")
            }
            return .rsa2048
        }
        if P384.Signing.PublicKey(key) != nil { throw .unsupportedKey("ECDSA P-384; use P-256 or RSA 2048") }
        if P521.Signing.PublicKey(key) != nil { throw .unsupportedKey("ECDSA P-521; use P-256 or RSA 2048") }
        throw .unsupportedKey("\(key) is neither ECDSA P-256 nor RSA 2048")
    }
}

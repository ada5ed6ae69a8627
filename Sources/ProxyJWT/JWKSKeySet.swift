import Crypto
import CryptoExtras
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import JWTKit
import ProxyCore

/// A provider's JWKS (`local_jwks`): parsed once with jwt-kit's JWK model into
/// swift-crypto public keys, then used synchronously on the request path
/// (jwt-kit's own verification is an async actor API, which the event loop
/// cannot wait on). Keys are chosen as jwt_verify_lib does: a key whose `kid`
/// differs from a token's `kid` (both set) or whose `alg` differs is skipped;
/// if some key was a candidate but none verified, the token fails
/// verification, otherwise no key matched its kid or alg.
public struct JWKSKeySet: JWTKeySet {
    enum PublicKey: Sendable {
        case p256(P256.Signing.PublicKey)
        case p384(P384.Signing.PublicKey)
        case rsa(_RSA.Signing.PublicKey)
    }

    struct Key: Sendable {
        let id: String?
        let algorithm: String?
        let key: PublicKey
    }

    let keys: [Key]
    /// Keys of kinds this proxy does not verify with (oct, OKP, other curves), by kid.
    public let skipped: [String]

    /// Reads a JWKS document (`{"keys": [...]}`); throws when it is not one.
    public init(json: String) throws {
        let jwks = try JSONDecoder().decode(JWKS.self, from: Data(json.utf8))
        var keys: [Key] = []
        var skipped: [String] = []
        for jwk in jwks.keys {
            if let key = Self.publicKey(jwk) {
                keys.append(Key(id: jwk.keyIdentifier?.string, algorithm: jwk.algorithm?.rawValue, key: key))
            } else {
                skipped.append(jwk.keyIdentifier?.string ?? jwk.keyType.rawValue)
            }
        }
        self.keys = keys
        self.skipped = skipped
    }

    public var isEmpty: Bool { keys.isEmpty }

    static func publicKey(_ jwk: JWK) -> PublicKey? {
        switch jwk.keyType {
        case .ecdsa:
            guard let x = jwk.x.flatMap(Self.bytes), let y = jwk.y.flatMap(Self.bytes) else { return nil }
            switch jwk.curve?.rawValue {
            case "P-256": return (try? P256.Signing.PublicKey(rawRepresentation: x + y)).map(PublicKey.p256)
            case "P-384": return (try? P384.Signing.PublicKey(rawRepresentation: x + y)).map(PublicKey.p384)
            default: return nil
            }
        case .rsa:
            guard let n = jwk.modulus.flatMap(Self.bytes), let e = jwk.exponent.flatMap(Self.bytes) else { return nil }
            return (try? _RSA.Signing.PublicKey(n: n, e: e)).map(PublicKey.rsa)
        default:
            return nil
        }
    }

    static func bytes(_ text: String) -> [UInt8]? { Base64URL.decode(Array(text.utf8)) }

    public func verify(_ token: JWTToken) -> JWTStatus {
        guard !keys.isEmpty else { return .noValidKeys }
        var candidate = false
        for key in keys {
            if let tokenID = token.keyID, !tokenID.isEmpty, let keyID = key.id, !keyID.isEmpty, keyID != tokenID { continue }
            if let algorithm = key.algorithm, !algorithm.isEmpty, algorithm != token.algorithm { continue }
            candidate = true
            if Self.verifies(key.key, token) { return .ok }
        }
        return candidate ? .verificationFailed : .kidAlgMismatch
    }

    static func verifies(_ key: PublicKey, _ token: JWTToken) -> Bool {
        let input = token.signingInput
        switch (key, token.algorithm) {
        case (.p256(let key), "ES256"):
            guard let signature = try? P256.Signing.ECDSASignature(rawRepresentation: token.signature) else { return false }
            return key.isValidSignature(signature, for: SHA256.hash(data: input))
        case (.p384(let key), "ES384"):
            guard let signature = try? P384.Signing.ECDSASignature(rawRepresentation: token.signature) else { return false }
            return key.isValidSignature(signature, for: SHA384.hash(data: input))
        case (.rsa(let key), let algorithm) where algorithm.hasPrefix("RS") || algorithm.hasPrefix("PS"):
            let signature = _RSA.Signing.RSASignature(rawRepresentation: token.signature)
            let padding: _RSA.Signing.Padding = algorithm.hasPrefix("PS") ? .PSS : .insecurePKCS1v1_5
            switch algorithm.dropFirst(2) {
            case "256": return key.isValidSignature(signature, for: SHA256.hash(data: input), padding: padding)
            case "384": return key.isValidSignature(signature, for: SHA384.hash(data: input), padding: padding)
            case "512": return key.isValidSignature(signature, for: SHA512.hash(data: input), padding: padding)
            default: return false
            }
        default:
            return false
        }
    }
}

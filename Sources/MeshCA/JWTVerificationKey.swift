import Crypto
import _CryptoExtras
import Foundation

/// A public key that may have signed a JWT: from a JWKS (`keys` with kty EC P-256
/// or RSA) or a PEM public key (Kubernetes' `--service-account-key-file`).
public struct JWTVerificationKey: Sendable {
    enum Material: Sendable {
        case es256(P256.Signing.PublicKey)
        case rs256(_RSA.Signing.PublicKey)
    }

    public let keyID: String?
    let material: Material

    public init(p256: P256.Signing.PublicKey, keyID: String?) {
        self.keyID = keyID
        material = .es256(p256)
    }

    func verifies(algorithm: String, signature: Data, input: Data) -> Bool {
        switch (material, algorithm) {
        case (.es256(let key), "ES256"):
            guard let parsed = try? P256.Signing.ECDSASignature(rawRepresentation: signature) else { return false }
            return key.isValidSignature(parsed, for: input)
        case (.rs256(let key), "RS256"):
            return key.isValidSignature(_RSA.Signing.RSASignature(rawRepresentation: signature), for: input, padding: .insecurePKCS1v1_5)
        default:
            return false
        }
    }

    /// Every key of a JWKS document; a key of another type is skipped, a JWKS
    /// without any usable key is an error.
    public static func jwks(_ data: Data, source: String) throws(CAError) -> [JWTVerificationKey] {
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any], let keys = object["keys"] as? [[String: Any]] else {
            throw .invalidCAFiles("\(source): not a JWKS (a JSON object with \"keys\")")
        }
        var result: [JWTVerificationKey] = []
        for key in keys {
            let keyID = key["kid"] as? String
            switch key["kty"] as? String {
            case "EC" where key["crv"] as? String == "P-256":
                guard let x = (key["x"] as? String).flatMap({ Base64URL.decode($0[...]) }),
                      let y = (key["y"] as? String).flatMap({ Base64URL.decode($0[...]) }),
                      let parsed = try? P256.Signing.PublicKey(rawRepresentation: x + y) else {
                    throw .invalidCAFiles("\(source): EC key \(keyID ?? "") has bad x/y")
                }
                result.append(JWTVerificationKey(keyID: keyID, material: .es256(parsed)))
            case "RSA":
                guard let n = (key["n"] as? String).flatMap({ Base64URL.decode($0[...]) }),
                      let e = (key["e"] as? String).flatMap({ Base64URL.decode($0[...]) }),
                      let parsed = try? _RSA.Signing.PublicKey(n: n, e: e) else {
                    throw .invalidCAFiles("\(source): RSA key \(keyID ?? "") has bad n/e (or fewer than 2048 bits)")
                }
                result.append(JWTVerificationKey(keyID: keyID, material: .rs256(parsed)))
            default:
                continue
            }
        }
        guard !result.isEmpty else { throw .invalidCAFiles("\(source): no EC P-256 or RSA key in the JWKS") }
        return result
    }

    /// A PEM public key (EC P-256 or RSA), or every key of a JWKS when the text is JSON.
    public static func parse(_ text: String, source: String) throws(CAError) -> [JWTVerificationKey] {
        if text.trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix("{") {
            return try jwks(Data(text.utf8), source: source)
        }
        if let key = try? P256.Signing.PublicKey(pemRepresentation: text) { return [JWTVerificationKey(keyID: nil, material: .es256(key))] }
        if let key = try? _RSA.Signing.PublicKey(pemRepresentation: text) { return [JWTVerificationKey(keyID: nil, material: .rs256(key))] }
        throw .invalidCAFiles("\(source): neither a JWKS nor a PEM EC P-256 / RSA public key")
    }

    private init(keyID: String?, material: Material) {
        self.keyID = keyID
        self.material = material
    }
}

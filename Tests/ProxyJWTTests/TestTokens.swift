import Crypto
import CryptoExtras
import Foundation
@testable import ProxyCore
@testable import ProxyJWT

/// Signs test tokens with fresh keys and publishes them as JWKS text.
struct TestTokens: Sendable {
    let ecKey = P256.Signing.PrivateKey()
    let rsaKey = try! _RSA.Signing.PrivateKey(keySize: .bits2048)

    static func base64URL(_ data: some DataProtocol) -> String {
        Data(data).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    var jwks: String {
        let raw = ecKey.publicKey.rawRepresentation
        let x = Self.base64URL(raw.prefix(32)), y = Self.base64URL(raw.suffix(32))
        let rsa = rsaKey.publicKey.pkcs1DERRepresentation
        _ = rsa
        return """
        {"keys": [
          {"kty": "EC", "crv": "P-256", "kid": "ec-1", "alg": "ES256", "x": "\(x)", "y": "\(y)"},
          {"kty": "RSA", "kid": "rsa-1", "alg": "RS256", "n": "\(Self.base64URL(Self.modulus(rsaKey)))", "e": "AQAB"}
        ]}
        """
    }

    /// The RSA modulus from the public key's PKCS#1 DER (SEQUENCE { INTEGER n, INTEGER e }).
    static func modulus(_ key: _RSA.Signing.PrivateKey) -> [UInt8] {
        let der = Array(key.publicKey.pkcs1DERRepresentation)
        var index = 1
        index += der[index] & 0x80 != 0 ? Int(der[index] & 0x7F) + 1 : 1
        precondition(der[index] == 0x02)
        index += 1
        var length = Int(der[index])
        if length & 0x80 != 0 {
            let count = length & 0x7F
            length = 0
            for offset in 1...count { length = length << 8 | Int(der[index + offset]) }
            index += count
        }
        index += 1
        var modulus = Array(der[index..<(index + length)])
        while modulus.first == 0 { modulus.removeFirst() }
        return modulus
    }

    enum Algorithm { case es256, rs256 }

    func token(_ claims: [String: Any], algorithm: Algorithm = .es256, kid: String? = nil, signer: P256.Signing.PrivateKey? = nil) -> String {
        var header: [String: Any] = ["alg": algorithm == .es256 ? "ES256" : "RS256", "typ": "JWT"]
        if let kid { header["kid"] = kid }
        let head = Self.base64URL(try! JSONSerialization.data(withJSONObject: header, options: .sortedKeys))
        let body = Self.base64URL(try! JSONSerialization.data(withJSONObject: claims, options: .sortedKeys))
        let input = Data("\(head).\(body)".utf8)
        let signature: Data
        switch algorithm {
        case .es256: signature = try! (signer ?? ecKey).signature(for: SHA256.hash(data: input)).rawRepresentation
        case .rs256: signature = try! rsaKey.signature(for: SHA256.hash(data: input), padding: .insecurePKCS1v1_5).rawRepresentation
        }
        return "\(head).\(body).\(Self.base64URL(signature))"
    }
}

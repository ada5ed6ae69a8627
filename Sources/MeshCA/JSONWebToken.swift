import Crypto
import _CryptoExtras
import Foundation

/// A compact JWS (header.payload.signature) as the CA's callers send it: our
/// bootstrap tokens (ES256) and Kubernetes service-account tokens (RS256 / ES256).
public struct JSONWebToken: Sendable {
    public struct Claims: Sendable, Equatable {
        public var issuer: String?
        public var subject: String?
        public var audiences: [String] = []
        public var expiresAt: Date?
        public var notBefore: Date?
        public var issuedAt: Date?
        /// Kubernetes' own claims (`kubernetes.io.namespace`, `...serviceaccount.name`).
        public var kubernetesNamespace: String?
        public var kubernetesServiceAccount: String?

        public init() {}
    }

    public let algorithm: String
    public let keyID: String?
    public let claims: Claims
    let signingInput: Data
    let signature: Data

    /// Parses without verifying; `verify(with:)` checks the signature.
    public init(compact text: String) throws(CAError) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw .unauthenticated("the bearer token is not a JWT (expected 3 dot-separated parts, got \(parts.count))") }
        guard let headerData = Base64URL.decode(parts[0]), let payloadData = Base64URL.decode(parts[1]), let signature = Base64URL.decode(parts[2]),
              let header = (try? JSONSerialization.jsonObject(with: headerData)) as? [String: Any],
              let payload = (try? JSONSerialization.jsonObject(with: payloadData)) as? [String: Any] else {
            throw .unauthenticated("the bearer token's header, payload or signature is not base64url JSON")
        }
        guard let algorithm = header["alg"] as? String else { throw .unauthenticated("the bearer token's header has no alg") }
        self.algorithm = algorithm
        keyID = header["kid"] as? String
        claims = Self.claims(payload)
        signingInput = Data("\(parts[0]).\(parts[1])".utf8)
        self.signature = signature
    }

    static func claims(_ payload: [String: Any]) -> Claims {
        var claims = Claims()
        claims.issuer = payload["iss"] as? String
        claims.subject = payload["sub"] as? String
        if let audience = payload["aud"] as? String { claims.audiences = [audience] }
        if let audiences = payload["aud"] as? [String] { claims.audiences = audiences }
        claims.expiresAt = (payload["exp"] as? NSNumber).map { Date(timeIntervalSince1970: $0.doubleValue) }
        claims.notBefore = (payload["nbf"] as? NSNumber).map { Date(timeIntervalSince1970: $0.doubleValue) }
        claims.issuedAt = (payload["iat"] as? NSNumber).map { Date(timeIntervalSince1970: $0.doubleValue) }
        if let kubernetes = payload["kubernetes.io"] as? [String: Any] {
            claims.kubernetesNamespace = kubernetes["namespace"] as? String
            claims.kubernetesServiceAccount = (kubernetes["serviceaccount"] as? [String: Any])?["name"] as? String
        }
        // Legacy (secret-based) service-account tokens.
        claims.kubernetesNamespace = claims.kubernetesNamespace ?? payload["kubernetes.io/serviceaccount/namespace"] as? String
        claims.kubernetesServiceAccount = claims.kubernetesServiceAccount ?? payload["kubernetes.io/serviceaccount/service-account.name"] as? String
        return claims
    }

    /// True when one of `keys` (matching kid when both name one) signed this token.
    public func isSigned(byOneOf keys: [JWTVerificationKey]) -> Bool {
        keys.contains { key in
            if let keyID, let other = key.keyID, keyID != other { return false }
            return key.verifies(algorithm: algorithm, signature: signature, input: signingInput)
        }
    }

    /// Signs `payload` with ES256 (our bootstrap tokens).
    public static func signES256(payload: [String: Any], key: P256.Signing.PrivateKey, keyID: String) throws -> String {
        let header = try JSONSerialization.data(withJSONObject: ["alg": "ES256", "typ": "JWT", "kid": keyID], options: [.sortedKeys])
        let body = try JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys])
        let input = Base64URL.encode(header) + "." + Base64URL.encode(body)
        let signature = try key.signature(for: Data(input.utf8))
        return input + "." + Base64URL.encode(signature.rawRepresentation)
    }
}

enum Base64URL {
    static func decode(_ text: Substring) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64)
    }

    static func encode(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

/// A JWT split and decoded as jwt_verify_lib's `Jwt::parseFromString` does
/// (signature not checked yet).
public struct JWTToken: Sendable {
    public let algorithm: String
    public let keyID: String?
    public let payload: MetadataValue
    /// The payload segment as received (base64url), for `forward_payload_header`.
    public let payloadSegment: [UInt8]
    public let issuer: String
    public let audiences: [String]
    public let expiresAt: Int64
    public let notBefore: Int64
    /// `header.payload`, what the signature covers.
    public let signingInput: [UInt8]
    public let signature: [UInt8]

    /// The algorithms jwt_verify_lib accepts.
    public static let algorithms: Set<String> = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "HS256", "HS384", "HS512", "EdDSA"]

    public static func parse(_ token: [UInt8]) -> Result<JWTToken, JWTStatus> {
        let parts = token.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 3 else { return .failure(.badFormat) }
        guard let headerBytes = Base64URL.decode(parts[0]) else { return .failure(.headerBadBase64) }
        guard case .structValue(let header)? = JSONValueParser.parse(headerBytes) else { return .failure(.headerBadJSON) }
        guard case .string(let algorithm)? = header["alg"] else { return .failure(.headerBadAlg) }
        guard algorithms.contains(algorithm) else { return .failure(.headerAlgNotImplemented) }
        var keyID: String?
        if let kid = header["kid"] {
            guard case .string(let text) = kid else { return .failure(.headerBadKid) }
            keyID = text
        }
        guard let payloadBytes = Base64URL.decode(parts[1]) else { return .failure(.payloadBadBase64) }
        guard case .structValue(let claims)? = JSONValueParser.parse(payloadBytes) else { return .failure(.payloadBadJSON) }
        var issuer = ""
        if let iss = claims["iss"] {
            guard case .string(let text) = iss else { return .failure(.payloadIssNotString) }
            issuer = text
        }
        if let sub = claims["sub"], case .string = sub {} else if claims["sub"] != nil { return .failure(.payloadSubNotString) }
        guard let _ = seconds(claims["iat"]) else { return .failure(.payloadIatNotInteger) }
        guard let notBefore = seconds(claims["nbf"]) else { return .failure(.payloadNbfNotInteger) }
        guard let expiresAt = seconds(claims["exp"]) else { return .failure(.payloadExpNotInteger) }
        var audiences: [String] = []
        switch claims["aud"] {
        case nil: break
        case .string(let one)?: audiences = [one]
        case .list(let items)?:
            for item in items {
                guard case .string(let text) = item else { return .failure(.payloadAudNotStringOrList) }
                audiences.append(text)
            }
        default: return .failure(.payloadAudNotStringOrList)
        }
        guard let signature = Base64URL.decode(parts[2]) else { return .failure(.signatureBadBase64) }
        return .success(JWTToken(algorithm: algorithm, keyID: keyID, payload: .structValue(claims), payloadSegment: Array(parts[1]),
                                 issuer: issuer, audiences: audiences, expiresAt: expiresAt, notBefore: notBefore,
                                 signingInput: Array(token[..<parts[1].endIndex]), signature: signature))
    }

    /// A time claim: absent is 0, otherwise a non-negative whole number.
    private static func seconds(_ value: MetadataValue?) -> Int64? {
        guard let value else { return 0 }
        guard case .number(let number) = value, number >= 0, number < 9.2e18, number.rounded(.towardZero) == number else { return nil }
        return Int64(number)
    }

    /// jwt_verify_lib's time check: `nbf` with the clock skew, then `exp`.
    public func timeStatus(now: Int64, clockSkew: Int64) -> JWTStatus {
        if now + clockSkew < notBefore { return .notYetValid }
        if expiresAt != 0 && now > expiresAt + clockSkew { return .expired }
        return .ok
    }
}

/// A provider's keys: checks a token's signature (`kid` / `alg` selection included).
public protocol JWTKeySet: Sendable {
    /// `.ok`, `.kidAlgMismatch`, `.verificationFailed` or `.noValidKeys`.
    func verify(_ token: JWTToken) -> JWTStatus
}

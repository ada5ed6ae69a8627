import Foundation

/// Who is calling the CA: the bearer token in `authorization` is checked against
/// each configured issuer (our bootstrap tokens; Kubernetes service-account tokens
/// when their keys are configured) and turned into the identity it names.
public struct CallerAuthenticator: Sendable {
    public struct TokenIssuer: Sendable {
        /// The `iss` claim required (nil: any).
        public var issuer: String?
        public var keys: [JWTVerificationKey]
        /// One of these must be in `aud` (empty: not checked). Tokens without any
        /// `aud` (legacy Kubernetes secret tokens) are accepted when `allowMissingAudience`.
        public var audiences: [String]
        public var allowMissingAudience = false
        /// Tokens without `exp` never stop working: refused unless this is off
        /// (legacy Kubernetes secret tokens have none).
        public var requireExpiry = true

        public init(issuer: String?, keys: [JWTVerificationKey], audiences: [String], allowMissingAudience: Bool = false, requireExpiry: Bool = true) {
            self.issuer = issuer
            self.keys = keys
            self.audiences = audiences
            self.allowMissingAudience = allowMissingAudience
            self.requireExpiry = requireExpiry
        }
    }

    public var issuers: [TokenIssuer]
    public var trustDomain: String
    /// Tolerated clock difference for exp / nbf.
    public var leeway: TimeInterval = 30

    public init(issuers: [TokenIssuer], trustDomain: String) {
        self.issuers = issuers
        self.trustDomain = trustDomain
    }

    /// `authorization` metadata value(s) -> the caller's identity.
    public func authenticate(authorization: [String], now: Date = Date()) throws(CAError) -> SPIFFEIdentity {
        guard let header = authorization.first else {
            throw .unauthenticated("no authorization metadata; send \"authorization: Bearer <service-account or bootstrap token>\"")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw .unauthenticated("the authorization metadata is not \"Bearer <token>\"")
        }
        return try authenticate(token: String(parts[1]).trimmingCharacters(in: .whitespaces), now: now)
    }

    public func authenticate(token text: String, now: Date = Date()) throws(CAError) -> SPIFFEIdentity {
        let token = try JSONWebToken(compact: text)
        let claims = token.claims
        let candidates = issuers.filter { $0.issuer == nil || $0.issuer == claims.issuer }
        guard !candidates.isEmpty else {
            throw .unauthenticated("tokens from issuer \"\(claims.issuer ?? "(none)")\" are not accepted (accepted: \(issuers.compactMap(\.issuer).joined(separator: ", ")))")
        }
        guard let accepting = candidates.first(where: { token.isSigned(byOneOf: $0.keys) }) else {
            throw .unauthenticated("the token's \(token.algorithm) signature does not verify with the keys of issuer \"\(claims.issuer ?? "(none)")\"")
        }
        if claims.expiresAt == nil, accepting.requireExpiry {
            throw .unauthenticated("the token has no expiry (exp); tokens that never expire are not accepted")
        }
        if let expiry = claims.expiresAt, expiry.addingTimeInterval(leeway) < now {
            throw .unauthenticated("the token expired at \(expiry)")
        }
        if let notBefore = claims.notBefore, notBefore.addingTimeInterval(-leeway) > now {
            throw .unauthenticated("the token is not valid before \(notBefore)")
        }
        if !accepting.audiences.isEmpty {
            if claims.audiences.isEmpty {
                guard accepting.allowMissingAudience else {
                    throw .unauthenticated("the token has no audience; one of \(accepting.audiences.joined(separator: ", ")) is required")
                }
            } else if !claims.audiences.contains(where: accepting.audiences.contains) {
                throw .unauthenticated("the token's audience \(claims.audiences.joined(separator: ", ")) is not one of \(accepting.audiences.joined(separator: ", "))")
            }
        }
        if let namespace = claims.kubernetesNamespace, let account = claims.kubernetesServiceAccount {
            return SPIFFEIdentity(trustDomain: trustDomain, namespace: namespace, serviceAccount: account)
        }
        guard let subject = claims.subject, let identity = SPIFFEIdentity.fromKubernetesSubject(subject, trustDomain: trustDomain) else {
            throw .unauthenticated("the token names no service account (sub \"\(claims.subject ?? "")\" is not system:serviceaccount:<ns>:<sa>)")
        }
        return identity
    }
}

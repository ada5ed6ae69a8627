/// One `JwtProvider` of the jwt_authn filter.
public struct JWTProviderConfig: Sendable {
    /// Where a token is looked for.
    public enum Location: Sendable, Equatable {
        /// A header (lower-case name) whose value starts with `prefix` (may be empty).
        case header(name: [UInt8], prefix: [UInt8])
        case queryParameter(String)
        case cookie(String)
    }

    public let name: String
    /// Empty: any issuer.
    public var issuer: String
    /// Empty: any audience.
    public var audiences: [String]
    public var keys: any JWTKeySet
    public var locations: [Location]
    /// Keep the token in the request (Envoy removes its header otherwise).
    public var forward: Bool
    public var forwardPayloadHeader: [UInt8]
    public var padForwardPayloadHeader: Bool
    /// Dynamic metadata key for the verified payload (under `envoy.filters.http.jwt_authn`).
    public var payloadInMetadata: String
    /// Claims whose space-separated string becomes a list in the metadata.
    public var spaceDelimitedClaims: [String]
    /// (header name lower-case, claim name).
    public var claimToHeaders: [(header: [UInt8], claim: String)]
    public var clockSkewSeconds: Int64

    public init(name: String, issuer: String = "", audiences: [String] = [], keys: any JWTKeySet, locations: [Location] = []) {
        self.name = name
        self.issuer = issuer
        self.audiences = audiences
        self.keys = keys
        // Envoy's default locations: `Authorization: Bearer <token>` and `?access_token=`.
        self.locations = locations.isEmpty ? Self.defaultLocations : locations
        self.forward = false
        self.forwardPayloadHeader = []
        self.padForwardPayloadHeader = false
        self.payloadInMetadata = ""
        self.spaceDelimitedClaims = []
        self.claimToHeaders = []
        self.clockSkewSeconds = 60
    }

    public static let defaultLocations: [Location] = [
        .header(name: Array("authorization".utf8), prefix: Array("Bearer ".utf8)), .queryParameter("access_token"),
    ]

    /// jwt_verify_lib's CheckAudience: `http(s)://` and a trailing `/` do not count.
    func allows(audiences tokenAudiences: [String], configured: [String]? = nil) -> Bool {
        let allowed = (configured ?? audiences).map(Self.sanitize)
        guard !allowed.isEmpty else { return true }
        return tokenAudiences.contains { allowed.contains(Self.sanitize($0)) }
    }

    static func sanitize(_ audience: String) -> String {
        var text = Substring(audience)
        if text.hasPrefix("http://") { text = text.dropFirst(7) } else if text.hasPrefix("https://") { text = text.dropFirst(8) }
        if text.hasSuffix("/") { text = text.dropLast() }
        return String(text)
    }
}

/// Envoy's JwtRequirement.
public indirect enum JWTRequirement: Sendable {
    case provider(String, audiences: [String]?)
    case any([JWTRequirement])
    case all([JWTRequirement])
    /// Succeeds without a token; a present token must verify (against `providers`).
    case allowMissing(providers: [String])
    /// Always succeeds; valid tokens still yield their payload.
    case allowMissingOrFailed(providers: [String])
}

/// The jwt_authn filter: providers, and the requirement of the first rule whose
/// route match fits the request (none: nothing is required).
public struct JWTAuthnConfig: Sendable {
    public static let filterName = "envoy.filters.http.jwt_authn"

    public var providers: [String: JWTProviderConfig]
    public var rules: [(match: RouteMatchRule, requirement: JWTRequirement?)]
    /// CORS preflights pass without a token.
    public var bypassCORSPreflight: Bool

    public init(providers: [String: JWTProviderConfig], rules: [(match: RouteMatchRule, requirement: JWTRequirement?)], bypassCORSPreflight: Bool = false) {
        self.providers = providers
        self.rules = rules
        self.bypassCORSPreflight = bypassCORSPreflight
    }
}

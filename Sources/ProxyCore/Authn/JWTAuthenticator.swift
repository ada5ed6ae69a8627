/// Runs the jwt_authn filter on one request, as Envoy's verifier tree does it
/// (synchronously: keys are local). Headers the filter would change are
/// returned as edits for the upstream request; the verified payloads become
/// dynamic metadata for RBAC.
public struct JWTAuthenticator {
    public struct Result: Sendable {
        public var status: JWTStatus = .ok
        /// `payload_in_metadata` key -> payload, kept only when the request passes.
        public var metadata: [String: MetadataValue] = [:]
        /// Whole header lines to add upstream (forwarded payload, claim headers).
        public var addedLines: [UInt8] = []
        /// Lower-case header names to drop upstream (consumed tokens, spoofable outputs).
        public var removedHeaders: [[UInt8]] = []
    }

    let config: JWTAuthnConfig
    let request: RouteRequest
    let now: Int64
    var result = Result()

    public init(config: JWTAuthnConfig, request: RouteRequest, nowSeconds: Int64) {
        self.config = config
        self.request = request
        self.now = nowSeconds
    }

    public static func run(_ config: JWTAuthnConfig, request: RouteRequest, nowSeconds: Int64) -> Result {
        var authenticator = JWTAuthenticator(config: config, request: request, nowSeconds: nowSeconds)
        // Outputs the filter writes are never taken from the client.
        for provider in config.providers.values {
            if !provider.forwardPayloadHeader.isEmpty { authenticator.result.removedHeaders.append(provider.forwardPayloadHeader) }
            for mapping in provider.claimToHeaders { authenticator.result.removedHeaders.append(mapping.header) }
        }
        if config.bypassCORSPreflight && authenticator.isCORSPreflight { return authenticator.result }
        guard let rule = config.rules.first(where: { $0.match.matches(request) }), let requirement = rule.requirement else {
            return authenticator.result
        }
        var payloads: [String: MetadataValue] = [:]
        authenticator.result.status = authenticator.evaluate(requirement, payloads: &payloads)
        if authenticator.result.status == .ok { authenticator.result.metadata = payloads }
        return authenticator.result
    }

    private var isCORSPreflight: Bool {
        request.method.bytes(in: request.bytes).elementsEqual("OPTIONS".utf8)
            && request.withHeaderValue(named: Array("origin".utf8), { $0 != nil })
            && request.withHeaderValue(named: Array("access-control-request-method".utf8), { $0 != nil })
    }

    mutating func evaluate(_ requirement: JWTRequirement, payloads: inout [String: MetadataValue]) -> JWTStatus {
        switch requirement {
        case .provider(let name, let audiences):
            guard let provider = config.providers[name] else { return .unknownIssuer }
            let tokens = extract(provider.locations)
            guard !tokens.isEmpty else { return .missing }
            // Every token must verify (a good and a bad one must not pass).
            for token in tokens.reversed() {
                let status = verify(token, provider: provider, allowedIssuers: [provider.issuer], audiences: audiences, payloads: &payloads)
                if status != .ok { return status }
            }
            return .ok
        case .any(let children):
            // Envoy runs plain requirements first and one allow-type requirement last,
            // the first success wins, otherwise the last child's status stands.
            var status = JWTStatus.missing
            for child in Self.ordered(children) {
                status = evaluate(child, payloads: &payloads)
                if status == .ok { return .ok }
            }
            return status
        case .all(let children):
            for child in children {
                let status = evaluate(child, payloads: &payloads)
                if status != .ok { return status }
            }
            return .ok
        case .allowMissing(let names):
            let status = verifyAny(names, payloads: &payloads)
            return status == .missing ? .ok : status
        case .allowMissingOrFailed(let names):
            _ = verifyAny(names, payloads: &payloads)
            return .ok
        }
    }

    /// Envoy's AnyVerifier order; an allow-type child verifies against the
    /// providers its siblings name.
    static func ordered(_ children: [JWTRequirement]) -> [JWTRequirement] {
        var regular: [JWTRequirement] = []
        var named: [String] = []
        var bypass: JWTRequirement?
        for child in children {
            switch child {
            case .provider(let name, _):
                named.append(name)
                regular.append(child)
            case .allowMissingOrFailed:
                bypass = .allowMissingOrFailed(providers: [])
            case .allowMissing:
                if bypass == nil { bypass = .allowMissing(providers: []) }
            default:
                regular.append(child)
            }
        }
        switch bypass {
        case .allowMissing?: regular.append(.allowMissing(providers: named))
        case .allowMissingOrFailed?: regular.append(.allowMissingOrFailed(providers: named))
        default: break
        }
        return regular
    }

    /// Tokens from the named providers' locations (all providers when none is
    /// named), each tried against the provider its issuer selects; the last
    /// token's status is the result, as Envoy's authenticator leaves it.
    private mutating func verifyAny(_ names: [String], payloads: inout [String: MetadataValue]) -> JWTStatus {
        let providers = (names.isEmpty ? config.providers.keys.sorted() : names).compactMap { config.providers[$0] }
        var tokens: [(token: [UInt8], issuers: [String], location: JWTProviderConfig.Location)] = []
        for provider in providers {
            for found in extract(provider.locations) {
                if let index = tokens.firstIndex(where: { $0.token == found.token && $0.location == found.location }) {
                    tokens[index].issuers.append(provider.issuer)
                } else {
                    tokens.append((found.token, [provider.issuer], found.location))
                }
            }
        }
        guard !tokens.isEmpty else { return .missing }
        var status = JWTStatus.missing
        for entry in tokens.reversed() {
            // The provider for the token's issuer, else the first without an issuer.
            let issuer: String
            switch JWTToken.parse(entry.token) {
            case .failure(let failure): status = failure; continue
            case .success(let parsed): issuer = parsed.issuer
            }
            guard let provider = providers.first(where: { $0.issuer == issuer }) ?? providers.first(where: { $0.issuer.isEmpty }) else {
                status = .unknownIssuer
                continue
            }
            status = verify((entry.token, entry.location), provider: provider, allowedIssuers: entry.issuers, audiences: nil, payloads: &payloads)
        }
        return status
    }

    private mutating func verify(_ found: (token: [UInt8], location: JWTProviderConfig.Location), provider: JWTProviderConfig,
                                 allowedIssuers: [String], audiences: [String]?, payloads: inout [String: MetadataValue]) -> JWTStatus {
        let token: JWTToken
        switch JWTToken.parse(found.token) {
        case .failure(let status): return status
        case .success(let parsed): token = parsed
        }
        guard allowedIssuers.contains(where: { $0.isEmpty || $0 == token.issuer }) else { return .unknownIssuer }
        let time = token.timeStatus(now: now, clockSkew: provider.clockSkewSeconds)
        guard time == .ok else { return time }
        guard provider.allows(audiences: token.audiences, configured: audiences) else { return .audienceNotAllowed }
        let signature = provider.keys.verify(token)
        guard signature == .ok else { return signature }
        accept(token, found.location, provider: provider, payloads: &payloads)
        return .ok
    }
}

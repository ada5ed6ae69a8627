import ProxyCore
import ProxyJWT
import XDSAPI

/// `envoy.filters.http.jwt_authn` -> JWTAuthnConfig. Providers with inline
/// JWKS are served; fetching JWKS, subjects / lifetime checks, header and
/// failure metadata, route-cache clearing and stripped failure responses are
/// refused by field.
enum JWTAuthnConverter {
    typealias Authentication = Envoy_Extensions_Filters_Http_JwtAuthn_V3_JwtAuthentication
    typealias Requirement = Envoy_Extensions_Filters_Http_JwtAuthn_V3_JwtRequirement
    static let filterName = "envoy.filters.http.jwt_authn"

    static func convert(_ config: Authentication, _ scope: ConversionScope) throws(XDSConversionError) -> JWTAuthnConfig {
        try UnknownFields.refuse(config, scope)
        if config.stripFailureResponse { throw scope.child("strip_failure_response").unsupported("strip_failure_response") }
        var providers: [String: JWTProviderConfig] = [:]
        for name in config.providers.keys.sorted() {
            providers[name] = try provider(name, config.providers[name]!, scope.child("providers[\(name)]"))
        }
        var rules: [(match: RouteMatchRule, requirement: JWTRequirement?)] = []
        for (index, rule) in config.rules.enumerated() {
            let ruleScope = scope.index("rules", index)
            let match = try RouteMatchConverter.convert(rule.match, ruleScope.child("match"))
            let requirement: JWTRequirement?
            switch rule.requirementType {
            case .requires(let required): requirement = try Self.requirement(required, providers, ruleScope.child("requires"))
            case .requirementName(let name):
                guard let named = config.requirementMap[name] else { throw ruleScope.child("requirement_name").error("no requirement named \(name)") }
                requirement = try Self.requirement(named, providers, scope.child("requirement_map[\(name)]"))
            case nil: requirement = nil
            }
            rules.append((match, requirement))
        }
        return JWTAuthnConfig(providers: providers, rules: rules, bypassCORSPreflight: config.bypassCorsPreflight)
    }

    static func provider(_ name: String, _ provider: Envoy_Extensions_Filters_Http_JwtAuthn_V3_JwtProvider, _ scope: ConversionScope) throws(XDSConversionError) -> JWTProviderConfig {
        try UnknownFields.refuse(provider, scope)
        if provider.hasSubjects { throw scope.child("subjects").unsupported("subject matching") }
        if provider.requireExpiration { throw scope.child("require_expiration").unsupported("require_expiration") }
        if provider.hasMaxLifetime { throw scope.child("max_lifetime").unsupported("max_lifetime") }
        if !provider.headerInMetadata.isEmpty { throw scope.child("header_in_metadata").unsupported("header_in_metadata") }
        if !provider.failedStatusInMetadata.isEmpty { throw scope.child("failed_status_in_metadata").unsupported("failed_status_in_metadata") }
        if provider.clearRouteCache_p { throw scope.child("clear_route_cache").unsupported("clear_route_cache") }
        let keys: JWKSKeySet
        switch provider.jwksSourceSpecifier {
        case .localJwks(let source):
            let text: String
            switch source.specifier {
            case .inlineString(let inline): text = inline
            case .inlineBytes(let bytes): text = String(decoding: bytes, as: UTF8.self)
            default: throw scope.child("local_jwks").unsupported("local_jwks other than inline_string / inline_bytes")
            }
            do {
                keys = try JWKSKeySet(json: text)
            } catch {
                throw scope.child("local_jwks").error("not a JWKS document: \(error)")
            }
        case .remoteJwks: throw scope.child("remote_jwks").unsupported("fetching remote JWKS")
        case nil: throw scope.error("a provider needs local_jwks or remote_jwks")
        }
        var locations: [JWTProviderConfig.Location] = []
        for header in provider.fromHeaders {
            locations.append(.header(name: Array(header.name.lowercased().utf8), prefix: Array(header.valuePrefix.utf8)))
        }
        locations += provider.fromParams.map { .queryParameter($0) }
        locations += provider.fromCookies.map { .cookie($0) }
        var converted = JWTProviderConfig(name: name, issuer: provider.issuer, audiences: provider.audiences, keys: keys, locations: locations)
        converted.forward = provider.forward
        converted.forwardPayloadHeader = Array(provider.forwardPayloadHeader.lowercased().utf8)
        converted.padForwardPayloadHeader = provider.padForwardPayloadHeader
        converted.payloadInMetadata = provider.payloadInMetadata
        converted.spaceDelimitedClaims = provider.normalizePayloadInMetadata.spaceDelimitedClaims
        converted.claimToHeaders = provider.claimToHeaders.map { (Array($0.headerName.lowercased().utf8), $0.claimName) }
        if provider.clockSkewSeconds > 0 { converted.clockSkewSeconds = Int64(provider.clockSkewSeconds) }
        return converted
    }

    static func requirement(_ requirement: Requirement, _ providers: [String: JWTProviderConfig], _ scope: ConversionScope) throws(XDSConversionError) -> JWTRequirement? {
        switch requirement.requiresType {
        case .providerName(let name):
            guard providers[name] != nil else { throw scope.child("provider_name").error("Required provider ['\(name)'] is not configured.") }
            return .provider(name, audiences: nil)
        case .providerAndAudiences(let pair):
            guard providers[pair.providerName] != nil else {
                throw scope.child("provider_and_audiences.provider_name").error("Required provider ['\(pair.providerName)'] is not configured.")
            }
            return .provider(pair.providerName, audiences: pair.audiences)
        case .requiresAny(let list):
            var children: [JWTRequirement] = []
            for (index, child) in list.requirements.enumerated() {
                if let converted = try Self.requirement(child, providers, scope.index("requires_any.requirements", index)) { children.append(converted) }
            }
            return .any(children)
        case .requiresAll(let list):
            var children: [JWTRequirement] = []
            for (index, child) in list.requirements.enumerated() {
                if let converted = try Self.requirement(child, providers, scope.index("requires_all.requirements", index)) { children.append(converted) }
            }
            return .all(children)
        case .allowMissingOrFailed: return .allowMissingOrFailed(providers: [])
        case .allowMissing: return .allowMissing(providers: [])
        case nil: return nil
        }
    }
}

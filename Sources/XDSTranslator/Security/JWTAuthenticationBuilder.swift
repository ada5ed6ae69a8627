import MeshConfig
import MeshSnapshot
import SwiftProtobuf
import XDSAPI

/// RequestAuthentication -> Envoy's jwt_authn filter as istiod writes it: one
/// provider per JWT rule (`origins-N`) with the keys inline (a `jwksUri` is fetched
/// by the control plane), and one requirement on every path: any of the providers
/// or no token at all. So a request without a token passes (AuthorizationPolicy
/// decides, e.g. `requestPrincipals: ["*"]`) and an invalid token gets 401. The
/// verified payload goes to dynamic metadata under `payload`, which the RBAC
/// filters match (stock Envoy has no istio_authn filter).
enum JWTAuthenticationBuilder {
    static let filterName = RBACAttribute.jwtFilter

    /// nil when no rule applies. `problems` lists keys that could not be had.
    static func filter(rules: [JWTRule], jwks: [String: JWKSFetch], problems: inout [String])
        -> Envoy_Extensions_Filters_Network_HttpConnectionManager_V3_HttpFilter? {
        guard !rules.isEmpty else { return nil }
        var config = Envoy_Extensions_Filters_Http_JwtAuthn_V3_JwtAuthentication()
        var requirements: [Envoy_Extensions_Filters_Http_JwtAuthn_V3_JwtRequirement] = []
        for (index, rule) in rules.enumerated() {
            let name = "origins-\(index)"
            config.providers[name] = provider(rule, jwks: jwks, problems: &problems)
            var requirement = Envoy_Extensions_Filters_Http_JwtAuthn_V3_JwtRequirement()
            requirement.providerName = name
            requirements.append(requirement)
        }
        var missing = Envoy_Extensions_Filters_Http_JwtAuthn_V3_JwtRequirement()
        missing.allowMissing = Google_Protobuf_Empty()
        requirements.append(missing)
        var any = Envoy_Extensions_Filters_Http_JwtAuthn_V3_JwtRequirementOrList()
        any.requirements = requirements
        var requires = Envoy_Extensions_Filters_Http_JwtAuthn_V3_JwtRequirement()
        requires.requiresAny = any
        var match = Envoy_Config_Route_V3_RouteMatch()
        match.prefix = "/"
        var rule = Envoy_Extensions_Filters_Http_JwtAuthn_V3_RequirementRule()
        rule.match = match
        rule.requires = requires
        config.rules = [rule]
        config.bypassCorsPreflight = true
        return ConnectionManagerBuilder.httpFilter(filterName, config)
    }

    static func provider(_ rule: JWTRule, jwks: [String: JWKSFetch], problems: inout [String]) -> Envoy_Extensions_Filters_Http_JwtAuthn_V3_JwtProvider {
        var provider = Envoy_Extensions_Filters_Http_JwtAuthn_V3_JwtProvider()
        provider.issuer = rule.issuer ?? ""
        provider.audiences = rule.audiences ?? []
        provider.forward = rule.forwardOriginalToken ?? false
        provider.forwardPayloadHeader = rule.outputPayloadToHeader ?? ""
        provider.payloadInMetadata = RBACAttribute.jwtPayloadKey
        provider.fromHeaders = (rule.fromHeaders ?? []).map { header in
            var location = Envoy_Extensions_Filters_Http_JwtAuthn_V3_JwtHeader()
            location.name = header.name ?? ""
            location.valuePrefix = header.prefix ?? ""
            return location
        }
        provider.fromParams = rule.fromParams ?? []
        provider.fromCookies = rule.fromCookies ?? []
        provider.claimToHeaders = (rule.outputClaimToHeaders ?? []).map { claim in
            var mapping = Envoy_Extensions_Filters_Http_JwtAuthn_V3_JwtClaimToHeader()
            mapping.headerName = claim.header ?? ""
            mapping.claimName = claim.claim ?? ""
            return mapping
        }
        // Istio's default space-delimited claims, plus the rule's.
        var normalize = Envoy_Extensions_Filters_Http_JwtAuthn_V3_JwtProvider.NormalizePayload()
        normalize.spaceDelimitedClaims = ["scope", "permission"] + (rule.spaceDelimitedClaims ?? []).filter { !["scope", "permission"].contains($0) }
        provider.normalizePayloadInMetadata = normalize
        var keys = Envoy_Config_Core_V3_DataSource()
        keys.inlineString = self.keys(rule, jwks: jwks, problems: &problems)
        provider.localJwks = keys
        return provider
    }

    /// The rule's `jwks`, else what was fetched from its `jwksUri`; when neither is
    /// there, a key nobody holds (istiod's fake JWKS), so every token fails
    /// verification instead of being accepted unchecked.
    static func keys(_ rule: JWTRule, jwks: [String: JWKSFetch], problems: inout [String]) -> String {
        if let inline = rule.jwks, !inline.isEmpty { return inline }
        let uri = rule.jwksUri ?? rule.jwks_uri ?? ""
        switch jwks[uri] {
        case .keys(let document)?:
            return document
        case .failed(let reason)?:
            problems.append("issuer \(rule.issuer ?? ""): jwksUri \(uri): \(reason); tokens are refused until it can be fetched")
        case nil:
            problems.append("issuer \(rule.issuer ?? ""): jwksUri \(uri) not fetched yet; tokens are refused until it is")
        }
        return unusableJWKS
    }

    /// A well-formed RSA public key whose private key was thrown away.
    static let unusableJWKS = #"{"keys":[{"kty":"RSA","e":"AQAB","n":"\#(unusableModulus)","kid":"swiftmesh-unfetched","alg":"RS256"}]}"#
    static let unusableModulus = """
        2Uo4EqRS1XMCjUxXQF77XdPgBoGAsFWUURNzC-N0qjKgHalEhKamgH0t_rmdrKg5VXAe7_C5E5PVPAHzSsPWA4OZHD66o0BlorKngjAyQyUyl2IjH4UixQBg\
        PgqVJY6Tt508OFbzQEfiqfOiDZhTODUe1MVlv5-my96L0jonT-ToON2X5meXb_clyl37XQdmoA0JCpns53R4_dxVQvMCJs6gK8tznVmblS21Q8Dy29SYwTuR\
        T83Oy95W2_m0yBv4f8X6UUDhfcX-FP9p4RhkrJBhk-f9SVCMmzM-99F7a9OQ-BI25fXOnCIJTZ8hVsbpXb6viL4WBaw3A3OwbvYp2w
        """
}

import XDSAPI

/// One attribute of an AuthorizationPolicy rule (a source / operation field or a
/// `when` key) and how Istio turns its values into Envoy RBAC permissions (what is
/// asked for) or principals (who asks). Request identities come from jwt_authn's
/// verified payload in dynamic metadata (stock Envoy has no istio_authn filter).
enum RBACAttribute: Equatable {
    case host, method, path, destinationPort, destinationIP, serverName
    case envoyMetadata(filter: String, key: String)
    case sourceIP, remoteIP, sourceNamespace, sourcePrincipal, trustDomain
    case serviceAccount(policyNamespace: String)
    case requestPrincipal, requestAudiences, requestPresenter
    case requestHeader(String)
    case requestClaim([String])

    static let jwtFilter = "envoy.filters.http.jwt_authn"
    /// jwt_authn `payload_in_metadata`: where the verified payload is put.
    static let jwtPayloadKey = "payload"

    var isPermission: Bool {
        switch self {
        case .host, .method, .path, .destinationPort, .destinationIP, .serverName, .envoyMetadata: true
        default: false
        }
    }

    /// Meaningless on a TCP chain: no request there.
    var isHTTPOnly: Bool {
        switch self {
        case .host, .method, .path, .requestPrincipal, .requestAudiences, .requestPresenter, .requestHeader, .requestClaim: true
        default: false
        }
    }

    typealias Permission = Envoy_Config_Rbac_V3_Permission
    typealias Principal = Envoy_Config_Rbac_V3_Principal

    /// Values combined with OR; nil when no value applies.
    func permission(_ values: [String]) throws(RBACGenerationError) -> Permission? {
        guard !values.isEmpty else { return nil }
        switch self {
        case .envoyMetadata(let filter, let key):
            let matchers = values.map { value in
                if value.hasPrefix("[") && value.hasSuffix("]") {
                    var list = Envoy_Type_Matcher_V3_ListMatcher()
                    list.oneOf = RBACMatchers.value(RBACMatchers.string(String(value.dropFirst().dropLast())))
                    var matcher = Envoy_Type_Matcher_V3_ValueMatcher()
                    matcher.listMatch = list
                    return matcher
                }
                return RBACMatchers.value(RBACMatchers.string(value))
            }
            var permission = Permission()
            permission.metadata = RBACMatchers.metadata(filter: filter, path: [key], value: RBACMatchers.or(matchers))
            return permission
        default:
            var rules: [Permission] = []
            for value in values { rules.append(try singlePermission(value)) }
            return RBACPolicyShapes.or(rules)
        }
    }

    func singlePermission(_ value: String) throws(RBACGenerationError) -> Permission {
        var permission = Permission()
        switch self {
        case .host: permission.header = RBACMatchers.host(value)
        case .method: permission.header = RBACMatchers.header(":method", value)
        case .path:
            if RBACMatchers.containsPathTemplate(value) {
                permission.uriTemplate = RBACMatchers.pathTemplate(value)
            } else {
                permission.urlPath = RBACMatchers.path(value)
            }
        case .destinationPort:
            guard let port = UInt32(value), port <= 65535 else { throw RBACGenerationError("bad port \"\(value)\"") }
            permission.destinationPort = port
        case .destinationIP: permission.destinationIp = try RBACMatchers.cidr(value)
        case .serverName: permission.requestedServerName = RBACMatchers.string(value)
        default: throw RBACGenerationError("\(self) is not a permission")
        }
        return permission
    }

    func principal(_ values: [String]) throws(RBACGenerationError) -> Principal? {
        guard !values.isEmpty else { return nil }
        let payload = [Self.jwtPayloadKey]
        switch self {
        case .requestPrincipal:
            // Istio: one value is its iss/sub pair itself, several are ORed.
            let ids = values.map(Self.requestPrincipal)
            return ids.count == 1 ? ids[0] : RBACPolicyShapes.or(ids)
        case .requestAudiences:
            return Self.claim(payload + ["aud"], values)
        case .requestPresenter:
            return Self.claim(payload + ["azp"], values)
        case .requestClaim(let path):
            return Self.claim(payload + path, values)
        default:
            var ids: [Principal] = []
            for value in values { ids.append(try singlePrincipal(value)) }
            return RBACPolicyShapes.or(ids)
        }
    }

    func singlePrincipal(_ value: String) throws(RBACGenerationError) -> Principal {
        var principal = Principal()
        switch self {
        case .sourceIP: principal.directRemoteIp = try RBACMatchers.cidr(value)
        case .remoteIP: principal.remoteIp = try RBACMatchers.cidr(value)
        case .sourceNamespace:
            principal = Self.authenticated(RBACMatchers.regex(".*/ns/\(value.replacingOccurrences(of: "*", with: ".*"))/.*"))
        case .sourcePrincipal:
            principal = Self.authenticated(RBACMatchers.string(value, prefix: "spiffe://"))
        case .trustDomain:
            principal = Self.authenticated(value == "*" ? RBACMatchers.regex(".+") : RBACMatchers.string(value + "/*", prefix: "spiffe://"))
        case .serviceAccount(let policyNamespace):
            let parts = value.split(separator: "/", maxSplits: 1).map(String.init)
            let (namespace, account) = parts.count == 2 ? (parts[0], parts[1]) : (policyNamespace, value)
            principal = Self.authenticated(RBACMatchers.regex("spiffe://.+/ns/\(namespace)/(.+/|)sa/\(account)(/.+)?"))
        case .requestHeader(let name):
            principal.header = RBACMatchers.header(name, value)
        default: throw RBACGenerationError("\(self) is not a principal")
        }
        return principal
    }

    static func authenticated(_ name: Envoy_Type_Matcher_V3_StringMatcher) -> Principal {
        var authenticated = Principal.Authenticated()
        authenticated.principalName = name
        var principal = Principal()
        principal.authenticated = authenticated
        return principal
    }

    /// `iss/sub` (the issuer may hold slashes: split at the last one) with Istio's
    /// wildcards on either side, as the verified token's `iss` and `sub` claims.
    static func requestPrincipal(_ value: String) -> Principal {
        let any = RBACMatchers.regex(".+")
        let slash = value.lastIndex(of: "/")
        let issuer = slash.map { String(value[..<$0]) } ?? value
        let subject = slash.map { String(value[value.index(after: $0)...]) } ?? ""
        let matchIssuer: Envoy_Type_Matcher_V3_StringMatcher
        let matchSubject: Envoy_Type_Matcher_V3_StringMatcher
        if value == "*" {
            (matchIssuer, matchSubject) = (any, any)
        } else if value.hasPrefix("*") {
            if slash != nil {
                matchIssuer = issuer == "*" ? any : RBACMatchers.suffixMatcher(String(issuer.dropFirst()))
                matchSubject = RBACMatchers.exact(subject)
            } else {
                (matchIssuer, matchSubject) = (any, RBACMatchers.suffixMatcher(String(value.dropFirst())))
            }
        } else if value.hasSuffix("*") {
            if slash != nil {
                matchIssuer = RBACMatchers.exact(issuer)
                matchSubject = subject == "*" ? any : RBACMatchers.prefixMatcher(String(subject.dropLast()))
            } else {
                (matchIssuer, matchSubject) = (RBACMatchers.prefixMatcher(String(value.dropLast())), any)
            }
        } else {
            (matchIssuer, matchSubject) = (RBACMatchers.exact(issuer), RBACMatchers.exact(subject))
        }
        func claim(_ name: String, _ matcher: Envoy_Type_Matcher_V3_StringMatcher) -> Principal {
            var principal = Principal()
            principal.metadata = RBACMatchers.metadata(filter: jwtFilter, path: [jwtPayloadKey, name], value: RBACMatchers.value(matcher))
            return principal
        }
        return RBACPolicyShapes.and([claim("iss", matchIssuer), claim("sub", matchSubject)])
    }

    static func claim(_ path: [String], _ values: [String]) -> Principal? {
        guard !values.isEmpty else { return nil }
        let matcher = RBACMatchers.or(values.map { RBACMatchers.value(RBACMatchers.string($0)) })
        var principal = Principal()
        principal.metadata = RBACMatchers.metadata(filter: jwtFilter, path: path, value: RBACMatchers.stringOrList(matcher))
        return principal
    }
}

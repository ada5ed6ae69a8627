/// Header keys that route on JWT claims: `@request.auth.claims.sub` or
/// `@request.auth.claims[groups]`. Only gateways can evaluate them.
enum JWTClaimKey {
    static let prefix = "@request.auth.claims"

    static func isClaimKey(_ name: String) -> Bool {
        guard name.lowercased().hasPrefix(prefix) else { return false }
        let rest = name.dropFirst(prefix.count)
        if rest.hasPrefix(".") { return rest.count > 1 }
        if rest.hasPrefix("[") { return rest.hasSuffix("]") && rest.count > 2 }
        return false
    }
}

/// The outcome of fetching a RequestAuthentication's `jwksUri` (done by the control
/// plane, like istiod, so proxies get the keys inline): the JWKS document, or why
/// it could not be had.
public enum JWKSFetch: Sendable, Hashable {
    case keys(String)
    case failed(String)
}

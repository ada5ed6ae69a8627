import ProxyCore
import XDSAPI

/// Envoy's RedirectAction -> ProxyCore's.
enum RedirectConverter {
    static func convert(_ redirect: Envoy_Config_Route_V3_RedirectAction, _ scope: ConversionScope) throws(XDSConversionError) -> RedirectAction {
        var action = RedirectAction()
        switch redirect.schemeRewriteSpecifier {
        case .httpsRedirect(true): action.scheme = "https"
        case .schemeRedirect(let scheme) where !scheme.isEmpty: action.scheme = scheme.lowercased()
        default: break
        }
        if !redirect.hostRedirect.isEmpty { action.host = redirect.hostRedirect }
        if redirect.portRedirect != 0 { action.port = Int(redirect.portRedirect) }
        switch redirect.pathRewriteSpecifier {
        case .pathRedirect(let path): action.path = .path(path)
        case .prefixRewrite(let prefix): action.path = .prefix(prefix)
        case .regexRewrite: throw scope.child("regex_rewrite").unsupported("regex redirects")
        case nil: break
        }
        switch redirect.responseCode {
        case .movedPermanently: action.status = 301
        case .found: action.status = 302
        case .seeOther: action.status = 303
        case .temporaryRedirect: action.status = 307
        case .permanentRedirect: action.status = 308
        case .UNRECOGNIZED(let value): throw scope.child("response_code").error("unknown value \(value)")
        }
        action.stripQuery = redirect.stripQuery
        return action
    }
}

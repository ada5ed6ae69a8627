import MeshConfig
import MeshCore
import XDSAPI

/// One VirtualService `http` rule -> Envoy routes (one per match, as Istio does).
struct HTTPRouteTranslator {
    let context: RouteContext
    let vsNamespace: String
    let vsName: String

    /// The rule's routes, and whether one of them matches every request (Istio's
    /// catch-all: no match, or a bare `/` prefix): rules after it are unreachable.
    /// Matches that select the caller (sourceLabels, sourceNamespace, gateways,
    /// port) keep the rules after them.
    func translate(_ rule: HTTPRoute, index: Int) -> (routes: [Envoy_Config_Route_V3_Route], catchAll: Bool) {
        let matches = (rule.match ?? []).filter { match in
            (match.port == nil || match.port == context.listenerPort)
                && context.selects(sourceLabels: match.sourceLabels, sourceNamespace: match.sourceNamespace, gateways: match.gateways, vsNamespace: vsNamespace)
        }
        if let declared = rule.match, !declared.isEmpty, matches.isEmpty { return ([], false) }
        var routes: [Envoy_Config_Route_V3_Route] = []
        for match in matches.isEmpty ? [nil] : matches.map(Optional.some) {
            routes.append(route(rule, match.map(RouteMatchTranslator.match) ?? catchAll(), index: index))
            let selectsCaller = match.map { $0.sourceLabels != nil || $0.sourceNamespace != nil || !($0.gateways ?? []).isEmpty || $0.port != nil } ?? false
            if !selectsCaller && VirtualServiceRoutes.isCatchAll(routes[routes.count - 1]) { return (routes, true) }
        }
        return (routes, false)
    }

    func route(_ rule: HTTPRoute, _ match: Envoy_Config_Route_V3_RouteMatch, index: Int) -> Envoy_Config_Route_V3_Route {
        var route = Envoy_Config_Route_V3_Route()
        route.name = rule.name ?? "\(vsNamespace)/\(vsName).\(index)"
        route.match = match
        applyAction(rule, to: &route)
        HeaderOperations.apply(rule.headers, to: &route)
        if let only = rule.route?.first, rule.route?.count == 1, case .route? = route.action {
            HeaderOperations.apply(only.headers, to: &route)
        }
        RouteFilters.apply(rule, to: &route)
        var decorator = Envoy_Config_Route_V3_Decorator()
        decorator.operation = "\(vsName).\(vsNamespace):\(context.listenerPort)/*"
        route.decorator = decorator
        return route
    }

    func catchAll() -> Envoy_Config_Route_V3_RouteMatch {
        var match = Envoy_Config_Route_V3_RouteMatch()
        match.prefix = "/"
        return match
    }

    func applyAction(_ rule: HTTPRoute, to route: inout Envoy_Config_Route_V3_Route) {
        if let redirect = rule.redirect {
            route.redirect = RedirectTranslator.redirect(redirect)
            return
        }
        if let response = rule.directResponse {
            var direct = Envoy_Config_Route_V3_DirectResponseAction()
            direct.status = UInt32(response.status ?? 200)
            if let body = response.body?.string {
                var source = Envoy_Config_Core_V3_DataSource()
                source.inlineString = body
                direct.body = source
            } else if let bytes = response.body?.bytes {
                var source = Envoy_Config_Core_V3_DataSource()
                source.inlineString = Base64.decodeToString(bytes) ?? ""
                direct.body = source
            }
            route.directResponse = direct
            return
        }
        route.route = RouteActionTranslator(context: context, vsNamespace: vsNamespace).action(rule)
    }
}

import MeshConfig
import MeshRegistry
import MeshSnapshot
import XDSAPI

/// RDS: route configurations named by port (`9080`) for sidecars, and by server
/// (`http.8080`) for gateways, with one virtual host per service (sidecars) or per
/// VirtualService host (gateways).
struct RouteGenerator {
    let snapshot: MeshSnapshot
    let proxy: ProxyNode

    // MARK: sidecars

    func sidecarRoute(name: String, port: Int, services: [MeshService], registryOnly: Bool) -> Envoy_Config_Route_V3_RouteConfiguration {
        var config = Envoy_Config_Route_V3_RouteConfiguration()
        config.name = name
        config.validateClusters = Proto.bool(false)
        let context = RouteContext(snapshot: snapshot, proxy: proxy, gatewayNames: ["mesh"], listenerPort: port)
        let virtualServices = snapshot.virtualServices(boundTo: "mesh", visibleFrom: proxy.namespace)
        var hosts: [Envoy_Config_Route_V3_VirtualHost] = []
        var claimed = Set<String>()
        for service in services where service.port(number: port) != nil && service.port(number: port)!.proto.isHTTP {
            var host = Envoy_Config_Route_V3_VirtualHost()
            host.name = "\(service.hostname):\(port)"
            host.domains = HostAliases.domains(for: service, port: port, proxyNamespace: proxy.namespace).filter { claimed.insert($0).inserted }
            guard !host.domains.isEmpty else { continue }
            if let vs = virtualServices.first(where: { vs in (vs.spec.hosts ?? []).contains { matches($0, service.hostname, vs.namespace) } }) {
                host.routes = VirtualServiceRoutes(context: context, snapshot: snapshot).routes(for: vs)
            } else {
                host.routes = [defaultRoute(cluster: ClusterName.outbound(port: port, host: service.hostname), service: service, port: port)]
            }
            hosts.append(host)
        }
        hosts.append(fallbackHost(registryOnly: registryOnly))
        config.virtualHosts = hosts
        return config
    }

    func matches(_ vsHost: String, _ hostname: String, _ namespace: String) -> Bool {
        let full = snapshot.fqdn(vsHost, in: namespace)
        if full == hostname { return true }
        if full.hasPrefix("*") { return full == "*" || hostname.hasSuffix(String(full.dropFirst())) }
        return false
    }

    func defaultRoute(cluster: String, service: MeshService, port: Int) -> Envoy_Config_Route_V3_Route {
        var route = Envoy_Config_Route_V3_Route()
        route.name = "default"
        var match = Envoy_Config_Route_V3_RouteMatch()
        match.prefix = "/"
        route.match = match
        var action = Envoy_Config_Route_V3_RouteAction()
        action.cluster = cluster
        action.timeout = Proto.duration(nanoseconds: 0)
        let context = RouteContext(snapshot: snapshot, proxy: proxy, gatewayNames: ["mesh"], listenerPort: port)
        let translator = RouteActionTranslator(context: context, vsNamespace: service.namespace)
        var destination = Destination()
        destination.host = service.hostname
        let hash = translator.hashPolicies(for: destination)
        if let hash { action.hashPolicy = hash }
        if let retry = translator.retryPolicy(nil, consistentHash: hash != nil) { action.retryPolicy = retry }
        route.route = action
        var decorator = Envoy_Config_Route_V3_Decorator()
        decorator.operation = "\(service.hostname):\(port)/*"
        route.decorator = decorator
        return route
    }

    /// Unknown hosts: Istio's `allow_any` (PassthroughCluster) or `block_all` (502).
    func fallbackHost(registryOnly: Bool) -> Envoy_Config_Route_V3_VirtualHost {
        var host = Envoy_Config_Route_V3_VirtualHost()
        host.name = registryOnly ? "block_all" : "allow_any"
        host.domains = ["*"]
        var route = Envoy_Config_Route_V3_Route()
        route.name = registryOnly ? "block_all" : "allow_any"
        var match = Envoy_Config_Route_V3_RouteMatch()
        match.prefix = "/"
        route.match = match
        if registryOnly {
            var direct = Envoy_Config_Route_V3_DirectResponseAction()
            direct.status = 502
            route.directResponse = direct
        } else {
            var action = Envoy_Config_Route_V3_RouteAction()
            action.cluster = ClusterName.passthrough
            action.timeout = Proto.duration(nanoseconds: 0)
            route.route = action
        }
        host.routes = [route]
        return host
    }

    // MARK: gateways

    /// Routes for one gateway server port: each VirtualService bound to one of the
    /// gateways, for the hosts the server accepts.
    func gatewayRoute(name: String, port: Int, servers: [(gateway: Scoped<Gateway>, server: Server)]) -> Envoy_Config_Route_V3_RouteConfiguration {
        var config = Envoy_Config_Route_V3_RouteConfiguration()
        config.name = name
        config.validateClusters = Proto.bool(false)
        let gatewayNames = Set(servers.map { $0.gateway.key })
        let context = RouteContext(snapshot: snapshot, proxy: proxy, gatewayNames: gatewayNames, listenerPort: port)
        var byDomain: [String: Envoy_Config_Route_V3_VirtualHost] = [:]
        var order: [String] = []
        for (gateway, server) in servers {
            let serverHosts = (server.hosts ?? []).map { host -> String in
                host.contains("/") ? String(host.split(separator: "/", maxSplits: 1)[1]) : host
            }
            if server.tls?.httpsRedirect == true {
                for host in serverHosts { add(redirectHost(host, port: port), domain: host, into: &byDomain, order: &order) }
                continue
            }
            for vs in snapshot.virtualServices(boundTo: gateway.key, visibleFrom: gateway.namespace) {
                for vsHost in vs.spec.hosts ?? [] {
                    guard let domain = GatewayHosts.intersect(vsHost, serverHosts) else { continue }
                    var host = byDomain[domain] ?? {
                        var fresh = Envoy_Config_Route_V3_VirtualHost()
                        fresh.name = "\(domain):\(port)"
                        fresh.domains = domain == "*" ? ["*"] : [domain, "\(domain):*"]
                        return fresh
                    }()
                    host.routes += VirtualServiceRoutes(context: context, snapshot: snapshot).routes(for: vs)
                    add(host, domain: domain, into: &byDomain, order: &order)
                }
            }
        }
        config.virtualHosts = order.map { byDomain[$0]! }
        if config.virtualHosts.isEmpty {
            var blackhole = fallbackHost(registryOnly: true)
            blackhole.name = "blackhole:\(port)"
            blackhole.routes[0].directResponse.status = 404
            config.virtualHosts = [blackhole]
        }
        return config
    }

    func add(_ host: Envoy_Config_Route_V3_VirtualHost, domain: String, into hosts: inout [String: Envoy_Config_Route_V3_VirtualHost], order: inout [String]) {
        if hosts[domain] == nil { order.append(domain) }
        hosts[domain] = host
    }

    func redirectHost(_ domain: String, port: Int) -> Envoy_Config_Route_V3_VirtualHost {
        var host = Envoy_Config_Route_V3_VirtualHost()
        host.name = "\(domain):\(port)"
        host.domains = domain == "*" ? ["*"] : [domain, "\(domain):*"]
        host.requireTls = .all
        var route = Envoy_Config_Route_V3_Route()
        var match = Envoy_Config_Route_V3_RouteMatch()
        match.prefix = "/"
        route.match = match
        var redirect = Envoy_Config_Route_V3_RedirectAction()
        redirect.httpsRedirect = true
        route.redirect = redirect
        host.routes = [route]
        return host
    }
}

/// A VirtualService's http rules, with delegates resolved. As Istio, translation
/// stops at the first catch-all route: nothing after it could match.
struct VirtualServiceRoutes {
    let context: RouteContext
    let snapshot: MeshSnapshot

    /// Istio's IsCatchAllRoute: prefix `/` (or regex `*`) and no other condition.
    static func isCatchAll(_ route: Envoy_Config_Route_V3_Route) -> Bool {
        let match = route.match
        let everyPath: Bool
        switch match.pathSpecifier {
        case .prefix(let prefix)?: everyPath = prefix == "/"
        case .safeRegex(let regex)?: everyPath = regex.regex == "*"
        default: everyPath = false
        }
        return everyPath && match.headers.isEmpty && match.queryParameters.isEmpty
    }

    func routes(for vs: Scoped<VirtualService>) -> [Envoy_Config_Route_V3_Route] {
        var result: [Envoy_Config_Route_V3_Route] = []
        for (index, rule) in (vs.spec.http ?? []).enumerated() {
            if let delegate = rule.delegate, let name = delegate.name,
               let child = snapshot.delegate(named: name, namespace: delegate.namespace ?? vs.namespace) {
                for (childIndex, childRule) in (child.spec.http ?? []).enumerated() {
                    var merged = childRule
                    merged.match = DelegateMerge.matches(parent: rule.match, child: childRule.match)
                    let translated = HTTPRouteTranslator(context: context, vsNamespace: child.namespace, vsName: child.name).translate(merged, index: childIndex)
                    result += translated.routes
                    if translated.catchAll { return result }
                }
                continue
            }
            let translated = HTTPRouteTranslator(context: context, vsNamespace: vs.namespace, vsName: vs.name).translate(rule, index: index)
            result += translated.routes
            if translated.catchAll { return result }
        }
        return result
    }
}

/// A delegate's routes apply only within the root route's matches: child conditions
/// refine the parent's (the child's URI wins when both set one).
enum DelegateMerge {
    static func matches(parent: [HTTPMatchRequest]?, child: [HTTPMatchRequest]?) -> [HTTPMatchRequest]? {
        guard let parent, !parent.isEmpty else { return child }
        guard let child, !child.isEmpty else { return parent }
        var result: [HTTPMatchRequest] = []
        for p in parent {
            for c in child {
                var merged = c
                if merged.uri == nil { merged.uri = p.uri }
                if merged.method == nil { merged.method = p.method }
                if merged.authority == nil { merged.authority = p.authority }
                if merged.scheme == nil { merged.scheme = p.scheme }
                merged.headers = (p.headers ?? [:]).merging(c.headers ?? [:]) { $1 }
                merged.queryParams = (p.queryParams ?? [:]).merging(c.queryParams ?? [:]) { $1 }
                if merged.headers?.isEmpty == true { merged.headers = nil }
                if merged.queryParams?.isEmpty == true { merged.queryParams = nil }
                result.append(merged)
            }
        }
        return result
    }
}

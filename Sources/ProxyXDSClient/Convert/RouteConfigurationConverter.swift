import ProxyCore
import XDSAPI

/// RDS RouteConfiguration (or an inline route_config) -> RouteTable.
public enum RouteConfigurationConverter {
    static let faultFilter = "envoy.filters.http.fault"
    static let corsFilter = "envoy.filters.http.cors"

    public static func convert(_ config: Envoy_Config_Route_V3_RouteConfiguration, warnings: inout ConversionWarnings) throws(XDSConversionError) -> RouteTable {
        try convert(config, ConversionScope(resource: "RouteConfiguration \(config.name)", path: ""), warnings: &warnings)
    }

    static func convert(_ config: Envoy_Config_Route_V3_RouteConfiguration, _ scope: ConversionScope, warnings: inout ConversionWarnings) throws(XDSConversionError) -> RouteTable {
        var hosts: [VirtualHostConfig] = []
        for (index, host) in config.virtualHosts.enumerated() {
            hosts.append(try virtualHost(host, scope.index("virtual_hosts", index), warnings: &warnings))
        }
        if !config.requestMirrorPolicies.isEmpty { throw scope.child("request_mirror_policies").unsupported("configuration-wide mirrors") }
        if config.ignorePortInHostMatching { throw scope.child("ignore_port_in_host_matching").unsupported("ignoring ports in host matching") }
        if !config.typedPerFilterConfig.isEmpty { throw scope.child("typed_per_filter_config").unsupported("configuration-wide filter config") }
        if !config.internalOnlyHeaders.isEmpty { throw scope.child("internal_only_headers").unsupported("internal-only headers") }
        let request = try HeaderMutationConverter.convert(add: config.requestHeadersToAdd, remove: config.requestHeadersToRemove, scope,
                                                          addField: "request_headers_to_add", removeField: "request_headers_to_remove")
        let response = try HeaderMutationConverter.convert(add: config.responseHeadersToAdd, remove: config.responseHeadersToRemove, scope,
                                                           addField: "response_headers_to_add", removeField: "response_headers_to_remove")
        if !request.isEmpty || !response.isEmpty {
            throw scope.child("request_headers_to_add").unsupported("configuration-wide header changes")
        }
        do {
            return try RouteTable(name: config.name, virtualHosts: hosts)
        } catch let duplicate as DomainIndex.DuplicateDomain {
            throw scope.child("virtual_hosts").error("domain \"\(duplicate.domain)\" appears more than once")
        } catch let invalid as DomainIndex.InvalidDomain {
            throw scope.child("virtual_hosts").error("invalid wildcard domain \"\(invalid.domain)\"")
        } catch {
            throw scope.error("\(error)")
        }
    }

    static func virtualHost(_ host: Envoy_Config_Route_V3_VirtualHost, _ scope: ConversionScope, warnings: inout ConversionWarnings) throws(XDSConversionError) -> VirtualHostConfig {
        var routes: [RouteEntry] = []
        for (index, route) in host.routes.enumerated() {
            routes.append(try Self.route(route, scope.index("routes", index), warnings: &warnings))
        }
        if host.hasCors { throw scope.child("cors").unsupported("CORS") }
        if host.hasHedgePolicy { throw scope.child("hedge_policy").unsupported("request hedging") }
        if !host.requestMirrorPolicies.isEmpty { throw scope.child("request_mirror_policies").unsupported("host-wide mirrors") }
        if !host.typedPerFilterConfig.isEmpty { throw scope.child("typed_per_filter_config").unsupported("host-wide filter config") }
        let retry = host.hasRetryPolicy ? try RetryPolicyConverter.convert(host.retryPolicy, scope.child("retry_policy")) : nil
        let request = try HeaderMutationConverter.convert(add: host.requestHeadersToAdd, remove: host.requestHeadersToRemove, scope,
                                                          addField: "request_headers_to_add", removeField: "request_headers_to_remove")
        let response = try HeaderMutationConverter.convert(add: host.responseHeadersToAdd, remove: host.responseHeadersToRemove, scope,
                                                           addField: "response_headers_to_add", removeField: "response_headers_to_remove")
        return VirtualHostConfig(name: host.name, domains: host.domains, routes: routes, requestHeaders: request, responseHeaders: response,
                                 retryPolicy: retry, requireTLS: host.requireTls != .none)
    }

    static func route(_ route: Envoy_Config_Route_V3_Route, _ scope: ConversionScope, warnings: inout ConversionWarnings) throws(XDSConversionError) -> RouteEntry {
        let match = try RouteMatchConverter.convert(route.match, scope.child("match"))
        let action: RouteAction
        switch route.action {
        case .route(let forward): action = .forward(try RouteActionConverter.convert(forward, scope.child("route")))
        case .redirect(let redirect): action = .redirect(try RedirectConverter.convert(redirect, scope.child("redirect")))
        case .directResponse(let direct):
            action = .directResponse(DirectResponse(status: Int(direct.status), body: try ProtoValues.dataSource(direct.body, scope.child("direct_response.body"))))
        case .nonForwardingAction: throw scope.child("non_forwarding_action").unsupported("non-forwarding routes")
        case nil: throw scope.error("a route needs route, redirect or direct_response")
        }
        var fault: FaultInjection?
        var cors: CorsPolicyConfig?
        for key in route.typedPerFilterConfig.keys.sorted() {
            switch key {
            case faultFilter: fault = try FaultConverter.convert(route.typedPerFilterConfig[key]!, scope.child("typed_per_filter_config[\(key)]"))
            case corsFilter: cors = try CorsConverter.convert(route.typedPerFilterConfig[key]!, scope.child("typed_per_filter_config[\(key)]"))
            default: throw scope.child("typed_per_filter_config[\(key)]").unsupported("filter config for \(key)")
            }
        }
        let request = try HeaderMutationConverter.convert(add: route.requestHeadersToAdd, remove: route.requestHeadersToRemove, scope,
                                                          addField: "request_headers_to_add", removeField: "request_headers_to_remove")
        let response = try HeaderMutationConverter.convert(add: route.responseHeadersToAdd, remove: route.responseHeadersToRemove, scope,
                                                           addField: "response_headers_to_add", removeField: "response_headers_to_remove")
        return RouteEntry(name: route.name, match: match, action: action, requestHeaders: request, responseHeaders: response, fault: fault, cors: cors,
                          operation: route.hasDecorator && !route.decorator.operation.isEmpty ? route.decorator.operation : nil)
    }
}

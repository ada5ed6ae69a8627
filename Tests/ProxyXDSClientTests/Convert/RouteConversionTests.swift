import ProxyCore
import SwiftProtobuf
import Testing
import XDSAPI
@testable import ProxyXDSClient

@Suite struct RouteConversionTests {
    typealias F = XDSFixtures

    func convert(_ routes: [Envoy_Config_Route_V3_Route], domains: [String] = ["*"]) throws(XDSConversionError) -> RouteTable {
        var warnings = ConversionWarnings()
        return try RouteConfigurationConverter.convert(F.routeConfiguration([F.virtualHost("vh", domains, routes)]), warnings: &warnings)
    }

    @Test func istioMatchFieldsConvert() throws {
        var route = F.route(cluster: "c")
        var match = Envoy_Config_Route_V3_RouteMatch()
        var regex = Envoy_Type_Matcher_V3_RegexMatcher()
        regex.regex = "/api/v[0-9]+/.*"
        match.safeRegex = regex
        match.caseSensitive = Google_Protobuf_BoolValue(false)
        var header = Envoy_Config_Route_V3_HeaderMatcher()
        header.name = "end-user"
        var exact = Envoy_Type_Matcher_V3_StringMatcher()
        exact.exact = "jason"
        header.stringMatch = exact
        var method = Envoy_Config_Route_V3_HeaderMatcher()
        method.name = ":method"
        var get = Envoy_Type_Matcher_V3_StringMatcher()
        get.exact = "GET"
        method.stringMatch = get
        var absent = Envoy_Config_Route_V3_HeaderMatcher()
        absent.name = "x-canary"
        absent.presentMatch = true
        absent.invertMatch = true
        match.headers = [method, header, absent]
        var query = Envoy_Config_Route_V3_QueryParameterMatcher()
        query.name = "debug"
        query.presentMatch = true
        match.queryParameters = [query]
        var fraction = Envoy_Config_Core_V3_RuntimeFractionalPercent()
        fraction.defaultValue.numerator = 50
        match.runtimeFraction = fraction
        route.match = match
        let table = try convert([route])
        let entry = table.virtualHosts[0].routes[0]
        #expect(entry.match.headers.count == 3)
        #expect(entry.match.queryParameters.count == 1)
        #expect(entry.match.runtimeFraction == FractionalPercent(numerator: 50, denominator: 100))
        if case .regex(let pattern) = entry.match.path.kind { #expect(pattern.pattern == "/api/v[0-9]+/.*") } else { Issue.record("regex path") }
    }

    @Test func actionsConvert() throws {
        var weighted = F.route(cluster: "unused")
        var split = Envoy_Config_Route_V3_WeightedCluster()
        var a = Envoy_Config_Route_V3_WeightedCluster.ClusterWeight()
        a.name = "v1"
        a.weight = Google_Protobuf_UInt32Value(75)
        var b = a
        b.name = "v2"
        b.weight = Google_Protobuf_UInt32Value(25)
        b.requestHeadersToAdd = [headerOption("x-version", "v2")]
        split.clusters = [a, b]
        weighted.route.weightedClusters = split
        weighted.route.prefixRewrite = "/new"
        weighted.route.hostRewriteLiteral = "backend.internal"
        var retry = Envoy_Config_Route_V3_RetryPolicy()
        retry.retryOn = "connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes"
        retry.numRetries = Google_Protobuf_UInt32Value(2)
        retry.retriableStatusCodes = [503]
        var predicate = Envoy_Config_Route_V3_RetryPolicy.RetryHostPredicate()
        predicate.name = "envoy.retry_host_predicates.previous_hosts"
        retry.retryHostPredicate = [predicate]
        retry.hostSelectionRetryMaxAttempts = 5
        weighted.route.retryPolicy = retry
        weighted.route.timeout = Google_Protobuf_Duration(seconds: 3)

        var redirect = F.route(prefix: "/old", cluster: "x")
        var redirectAction = Envoy_Config_Route_V3_RedirectAction()
        redirectAction.httpsRedirect = true
        redirectAction.pathRedirect = "/moved"
        redirectAction.responseCode = .permanentRedirect
        redirect.redirect = redirectAction

        var direct = F.route(prefix: "/health", cluster: "x")
        var directAction = Envoy_Config_Route_V3_DirectResponseAction()
        directAction.status = 503
        directAction.body.inlineString = "down"
        direct.directResponse = directAction

        let routes = try convert([redirect, direct, weighted]).virtualHosts[0].routes
        guard case .redirect(let r) = routes[0].action, case .directResponse(let d) = routes[1].action, case .forward(let f) = routes[2].action else {
            Issue.record("unexpected actions")
            return
        }
        #expect(r == RedirectAction(scheme: "https", path: .path("/moved"), status: 308))
        #expect(d == DirectResponse(status: 503, body: Array("down".utf8)))
        #expect(f.timeoutNanos == 3_000_000_000)
        #expect(f.prefixRewrite == Array("/new".utf8))
        #expect(f.hostRewrite == Array("backend.internal".utf8))
        #expect(f.retryPolicy?.numRetries == 2)
        #expect(f.retryPolicy?.retriableStatusCodes == [503])
        #expect(f.retryPolicy?.avoidPreviousHosts == true)
        #expect(f.retryPolicy?.retryOn.contains(.connectFailure) == true)
        guard case .weighted(let entries, let total) = f.target else { Issue.record("weighted"); return }
        #expect(total == 100)
        #expect(entries.map(\.name) == ["v1", "v2"])
        #expect(entries[1].requestHeaders.additions.first?.value == Array("v2".utf8))
    }

    func headerOption(_ name: String, _ value: String) -> Envoy_Config_Core_V3_HeaderValueOption {
        var header = Envoy_Config_Core_V3_HeaderValue()
        header.key = name
        header.value = value
        var option = Envoy_Config_Core_V3_HeaderValueOption()
        option.header = header
        option.appendAction = .overwriteIfExistsOrAdd
        return option
    }

    @Test func unsupportedValuesAreNamedPrecisely() throws {
        var rbac = F.route(cluster: "c")
        rbac.typedPerFilterConfig["envoy.filters.http.rbac"] = F.any(Envoy_Extensions_Filters_Http_Fault_V3_HTTPFault())
        #expect(throws: XDSConversionError(resource: "RouteConfiguration 9080", field: "virtual_hosts[0].routes[1].typed_per_filter_config[envoy.filters.http.rbac]",
                                           reason: "filter config for envoy.filters.http.rbac is not supported by this proxy")) {
            try convert([F.route(cluster: "ok"), rbac])
        }
        var header = F.route(cluster: "c")
        header.requestHeadersToAdd = [headerOption("x-peer", "%DOWNSTREAM_REMOTE_ADDRESS%")]
        #expect(throws: XDSConversionError.self) { try convert([header]) }
        var literal = F.route(cluster: "c")
        literal.requestHeadersToAdd = [headerOption("x-pct", "100%%")]
        #expect(try convert([literal]).virtualHosts[0].routes[0].requestHeaders.additions[0].value == Array("100%".utf8))
        var badRegex = F.route(cluster: "c")
        var regex = Envoy_Type_Matcher_V3_RegexMatcher()
        regex.regex = "(unclosed"
        badRegex.match.safeRegex = regex
        #expect(throws: XDSConversionError.self) { try convert([badRegex]) }
        var retry = F.route(cluster: "c")
        retry.route.retryPolicy.retryOn = "5xx,sometimes"
        #expect(throws: XDSConversionError(resource: "RouteConfiguration 9080", field: "virtual_hosts[0].routes[0].route.retry_policy.retry_on",
                                           reason: "unknown retry condition \"sometimes\"")) {
            try convert([retry])
        }
        var idle = F.route(cluster: "c")
        idle.route.retryPolicy.retryOn = "5xx"
        idle.route.retryPolicy.perTryIdleTimeout = Google_Protobuf_Duration(seconds: 1)
        #expect(throws: XDSConversionError.self) { try convert([idle]) }
        #expect(throws: XDSConversionError.self) { try convert([F.route(cluster: "c")], domains: ["a", "A"]) }
    }

    @Test func exactMatchRewriteIsAccepted() throws {
        var route = F.route(cluster: "c")
        route.match.path = "/exact"
        var rewrite = Envoy_Type_Matcher_V3_RegexMatchAndSubstitute()
        rewrite.pattern.regex = "^/exact$"
        rewrite.substitution = "/other"
        route.route.regexRewrite = rewrite
        guard case .forward(let action) = try convert([route]).virtualHosts[0].routes[0].action else { return }
        #expect(action.regexRewrite?.substitution == "/other")
        rewrite.substitution = "/\\1"
        route.route.regexRewrite = rewrite
        #expect(throws: XDSConversionError.self) { try convert([route]) }
    }
}

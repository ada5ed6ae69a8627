import MeshSnapshot
import Testing
import XDSAPI
@testable import XDSTranslator

/// VirtualService HTTPMatchRequest -> Envoy RouteMatch, field by field, as Istio's
/// `TranslateRouteMatch` and `sourceMatchHTTP` (pilot/pkg/networking/core/route/route.go).
@Suite struct VirtualServiceMatchTests {
    typealias F = TranslatorFixture
    let v1 = "outbound|9080|v1|reviews.default.svc.cluster.local"
    let v2 = "outbound|9080|v2|reviews.default.svc.cluster.local"

    func routes(_ http: String, proxy: ProxyNode = F.productpage) throws -> [Envoy_Config_Route_V3_Route] {
        try F.translate(F.reviewsVS(http), proxy: proxy).httpRoutes()
    }

    @Test func uriExactPrefixAndRegexBecomePathSpecifiers() throws {
        let r = try routes("""
          - match: [{uri: {exact: /login}}]
            route: [{destination: {host: reviews, subset: v2}}]
          - match: [{uri: {prefix: /api/}}]
            route: [{destination: {host: reviews, subset: v2}}]
          - match: [{uri: {regex: "/item/[0-9]+"}}]
            route: [{destination: {host: reviews, subset: v2}}]
        """)
        #expect(r.count == 3)
        #expect(r[0].match.pathSpecifier == .path("/login"))
        #expect(r[1].match.pathSpecifier == .prefix("/api/"))
        #expect(r[2].match.safeRegex.regex == "/item/[0-9]+")
        // Istio writes case_sensitive = !ignoreUriCase; unset means true in Envoy.
        for route in r { #expect(!route.match.hasCaseSensitive || route.match.caseSensitive.value == true) }
        #expect(r.allSatisfy { $0.route.cluster == v2 })
    }

    @Test func ignoreUriCaseMakesThePathCaseInsensitive() throws {
        let r = try routes("""
          - match: [{uri: {exact: /Login}, ignoreUriCase: true}]
            route: [{destination: {host: reviews, subset: v2}}]
        """)
        #expect(r[0].match.path == "/Login")
        #expect(r[0].match.hasCaseSensitive && r[0].match.caseSensitive.value == false)
    }

    @Test func methodAuthorityAndSchemeArePseudoHeaderMatchers() throws {
        let r = try routes("""
          - match:
            - method: {exact: POST}
              authority: {prefix: reviews.}
              scheme: {regex: "https?"}
            route: [{destination: {host: reviews, subset: v2}}]
        """)
        let match = r[0].match
        #expect(Set(match.headers.map(\.name)) == [":method", ":authority", ":scheme"])
        #expect(match.header(":method")?.stringMatch.exact == "POST")
        #expect(match.header(":authority")?.stringMatch.prefix == "reviews.")
        #expect(match.header(":scheme")?.stringMatch.safeRegex.regex == "https?")
        #expect(match.headers.allSatisfy { !$0.invertMatch })
        #expect(match.prefix == "/")
    }

    @Test func headersMatchExactPrefixRegexAndPresence() throws {
        let r = try routes("""
          - match:
            - headers:
                end-user: {exact: jason}
                x-tenant: {prefix: acme-}
                x-build: {regex: "v[0-9]+"}
                x-debug: {}
            route: [{destination: {host: reviews, subset: v2}}]
        """)
        let match = r[0].match
        #expect(match.headers.count == 4)
        #expect(match.header("end-user")?.stringMatch.exact == "jason")
        #expect(match.header("x-tenant")?.stringMatch.prefix == "acme-")
        #expect(match.header("x-build")?.stringMatch.safeRegex.regex == "v[0-9]+")
        #expect(match.header("x-debug")?.presentMatch == true)
    }

    @Test func withoutHeadersInvertTheMatch() throws {
        let r = try routes("""
          - match:
            - withoutHeaders:
                x-canary: {}
            route: [{destination: {host: reviews, subset: v1}}]
        """)
        let header = try #require(r[0].match.header("x-canary"))
        #expect(header.invertMatch)
        #expect(header.presentMatch)
    }

    @Test func withoutHeadersValueMatchTreatsAMissingHeaderAsEmpty() throws {
        // Istio: invert_match plus treat_missing_header_as_empty, so a request WITHOUT the
        // header matches (without it Envoy never matches an absent header).
        let r = try routes("""
          - match:
            - withoutHeaders:
                x-canary: {exact: "true"}
            route: [{destination: {host: reviews, subset: v1}}]
        """)
        let header = try #require(r[0].match.header("x-canary"))
        #expect(header.invertMatch)
        #expect(header.stringMatch.exact == "true")
        #expect(header.treatMissingHeaderAsEmpty)
    }

    @Test func queryParamsMatchExactAndRegex() throws {
        let r = try routes("""
          - match:
            - queryParams:
                debug: {exact: "1"}
                id: {regex: "[0-9]+"}
            route: [{destination: {host: reviews, subset: v2}}]
        """)
        let params = r[0].match.queryParameters
        #expect(params.map(\.name).sorted() == ["debug", "id"])
        #expect(params.first { $0.name == "debug" }?.stringMatch.exact == "1")
        #expect(params.first { $0.name == "id" }?.stringMatch.safeRegex.regex == "[0-9]+")
    }

    @Test func emptyQueryParamMatchIsAPresenceMatch() throws {
        let r = try routes("""
          - match:
            - queryParams:
                trace: {}
            route: [{destination: {host: reviews, subset: v2}}]
        """)
        let param = try #require(r.first?.match.queryParameters.first)
        #expect(param.presentMatch)
    }

    @Test func severalMatchesBecomeOneRouteEachWithTheSameAction() throws {
        let r = try routes("""
          - match:
            - uri: {prefix: /a}
            - headers: {end-user: {exact: jason}}
            route: [{destination: {host: reviews, subset: v2}}]
          - route: [{destination: {host: reviews, subset: v1}}]
        """)
        #expect(r.count == 3)
        #expect(r[0].match.prefix == "/a" && r[0].route.cluster == v2)
        #expect(r[1].match.header("end-user")?.stringMatch.exact == "jason" && r[1].route.cluster == v2)
        #expect(r[2].match.prefix == "/" && r[2].match.headers.isEmpty && r[2].route.cluster == v1)
    }

    @Test func portMatchKeepsOnlyMatchesForTheListenerPort() throws {
        let r = try routes("""
          - match: [{port: 9090, uri: {prefix: /other}}]
            route: [{destination: {host: reviews, subset: v2}}]
          - match: [{port: 9080, uri: {prefix: /mine}}]
            route: [{destination: {host: reviews, subset: v2}}]
          - route: [{destination: {host: reviews, subset: v1}}]
        """)
        #expect(r.map(\.match.prefix) == ["/mine", "/"])
    }

    @Test func sourceLabelsSelectByTheCallersLabels() throws {
        let http = """
          - match: [{sourceLabels: {app: productpage}}]
            route: [{destination: {host: reviews, subset: v2}}]
          - route: [{destination: {host: reviews, subset: v1}}]
        """
        let fromProductpage = try routes(http)
        #expect(fromProductpage.map(\.route.cluster) == [v2, v1])
        #expect(fromProductpage[0].match.headers.isEmpty, "sourceLabels select the proxy; they are not request matchers")
        let fromOther = try routes(http, proxy: F.sidecar(labels: ["app": "other"]))
        #expect(fromOther.map(\.route.cluster) == [v1])
    }

    @Test func sourceNamespaceSelectsByTheCallersNamespace() throws {
        let http = """
          - match: [{sourceNamespace: default}]
            route: [{destination: {host: reviews, subset: v2}}]
          - route: [{destination: {host: reviews, subset: v1}}]
        """
        #expect(try routes(http).map(\.route.cluster) == [v2, v1])
        let other = F.sidecar(namespace: "other")
        // From another namespace the VirtualService is still visible (no exportTo).
        let fromOther = try F.translate(F.reviewsVS(http), proxy: other)
        #expect(fromOther.httpRoutes("reviews.default").map(\.route.cluster) == [v1])
    }

    @Test func matchGatewaysMeshAppliesToSidecarsOnly() throws {
        let r = try routes("""
          - match: [{gateways: [mesh], uri: {prefix: /mesh}}]
            route: [{destination: {host: reviews, subset: v2}}]
          - match: [{gateways: [istio-system/ingress], uri: {prefix: /edge}}]
            route: [{destination: {host: reviews, subset: v2}}]
          - route: [{destination: {host: reviews, subset: v1}}]
        """)
        #expect(r.map(\.match.prefix) == ["/mesh", "/"])
    }

    @Test func ruleAfterACatchAllIsDropped() throws {
        // Istio stops translating a VirtualService at the first catch-all route.
        let r = try routes("""
          - route: [{destination: {host: reviews, subset: v1}}]
          - match: [{uri: {prefix: /never}}]
            route: [{destination: {host: reviews, subset: v2}}]
        """)
        #expect(r.first?.route.cluster == v1)
        #expect(r.count == 1)
    }
}

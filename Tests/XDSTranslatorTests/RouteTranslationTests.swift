import SwiftProtobuf
import Testing
import XDSAPI
@testable import XDSTranslator

@Suite struct RouteTranslationTests {
    func vs(_ http: String) -> String {
        "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: reviews, namespace: default}\nspec:\n  hosts: [reviews]\n  http:\n" + http
    }

    @Test func weightedSplitBecomesWeightedClusters() throws {
        let resources = TranslatorFixture.resources(vs("""
          - route:
            - destination: {host: reviews, subset: v1}
              weight: 80
            - destination: {host: reviews, subset: v2}
              weight: 20
        """))
        let route = try #require(TranslatorFixture.routes(resources, host: "reviews").first)
        let clusters = route.route.weightedClusters.clusters
        #expect(clusters.map(\.name) == ["outbound|9080|v1|reviews.default.svc.cluster.local", "outbound|9080|v2|reviews.default.svc.cluster.local"])
        #expect(clusters.map(\.weight.value) == [80, 20])
        #expect(route.route.timeout.seconds == 0)
    }

    @Test func matchesTranslateFieldByField() throws {
        let resources = TranslatorFixture.resources(vs("""
          - match:
            - headers:
                end-user: {exact: jason}
              uri: {prefix: /api}
              queryParams:
                debug: {exact: "1"}
              method: {exact: GET}
              ignoreUriCase: true
            - uri: {regex: "/v[0-9]+/.*"}
            - uri: {exact: /health}
              withoutHeaders:
                x-canary: {}
            route:
            - destination: {host: reviews, subset: v2}
          - route:
            - destination: {host: reviews, subset: v1}
        """))
        let routes = TranslatorFixture.routes(resources, host: "reviews")
        #expect(routes.count == 4)
        #expect(routes[0].match.prefix == "/api")
        #expect(routes[0].match.caseSensitive.value == false)
        #expect(routes[0].match.headers.map(\.name) == [":method", "end-user"])
        #expect(routes[0].match.headers[1].stringMatch.exact == "jason")
        #expect(routes[0].match.queryParameters.first?.stringMatch.exact == "1")
        #expect(routes[1].match.safeRegex.regex == "/v[0-9]+/.*")
        #expect(routes[2].match.path == "/health")
        #expect(routes[2].match.headers.first?.invertMatch == true)
        #expect(routes[2].match.headers.first?.presentMatch == true)
        #expect(routes[3].match.prefix == "/")
        #expect(routes[3].route.cluster == "outbound|9080|v1|reviews.default.svc.cluster.local")
    }

    @Test func hostAliasesCoverIstiosShortNames() throws {
        let resources = TranslatorFixture.resources("")
        let host = try #require(resources.routes.first { $0.name == "9080" }?.virtualHosts.first { $0.name == "reviews.default.svc.cluster.local:9080" })
        for alias in ["reviews", "reviews:9080", "reviews.default", "reviews.default.svc", "reviews.default.svc.cluster.local", "reviews.default.svc.cluster.local:9080"] {
            #expect(host.domains.contains(alias), "\(alias)")
        }
        #expect(resources.routes.first { $0.name == "9080" }?.virtualHosts.last?.name == "allow_any")
    }

    @Test func faultsRetriesTimeoutsAndHeaders() throws {
        let resources = TranslatorFixture.resources(vs("""
          - fault:
              abort: {httpStatus: 503, percentage: {value: 50}}
              delay: {fixedDelay: 1s, percentage: {value: 10}}
            timeout: 500ms
            retries: {attempts: 3, perTryTimeout: 200ms, retryOn: "5xx,gateway-error,503"}
            headers:
              request:
                set: {x-version: v2}
                remove: [x-debug]
              response:
                add: {x-served: mesh}
            route:
            - destination: {host: reviews, subset: v2}
        """))
        let route = try #require(TranslatorFixture.routes(resources, host: "reviews").first)
        #expect(route.route.timeout == Proto.duration(nanoseconds: 500_000_000))
        #expect(route.route.retryPolicy.numRetries.value == 3)
        #expect(route.route.retryPolicy.retryOn == "5xx,gateway-error,retriable-status-codes")
        #expect(route.route.retryPolicy.retriableStatusCodes == [503])
        #expect(route.route.retryPolicy.perTryTimeout == Proto.duration(nanoseconds: 200_000_000))
        let fault = try Envoy_Extensions_Filters_Http_Fault_V3_HTTPFault(unpackingAny: try #require(route.typedPerFilterConfig["envoy.filters.http.fault"]))
        #expect(fault.abort.httpStatus == 503)
        #expect(fault.abort.percentage.numerator == 500_000)
        #expect(fault.delay.fixedDelay.seconds == 1)
        #expect(route.requestHeadersToAdd.first?.header.key == "x-version")
        #expect(route.requestHeadersToAdd.first?.appendAction == .overwriteIfExistsOrAdd)
        #expect(route.requestHeadersToRemove == ["x-debug"])
        #expect(route.responseHeadersToAdd.first?.appendAction == .appendIfExistsOrAdd)
    }

    @Test func redirectRewriteDirectResponseMirrorCors() throws {
        let resources = TranslatorFixture.resources(vs("""
          - match: [{uri: {exact: /old}}]
            redirect: {uri: /new, authority: new.example.com, redirectCode: 302}
          - match: [{uri: {prefix: /v1/}}]
            rewrite: {uri: /v2/, authority: reviews-v2}
            route:
            - destination: {host: reviews}
          - match: [{uri: {prefix: /re}}]
            rewrite:
              uriRegexRewrite: {match: "^/re/(.*)$", rewrite: "/\\\\1"}
            route:
            - destination: {host: reviews}
          - match: [{uri: {exact: /ping}}]
            directResponse: {status: 200, body: {string: pong}}
          - mirror: {host: ratings}
            mirrorPercentage: {value: 25}
            corsPolicy:
              allowOrigins: [{exact: "https://example.com"}]
              allowMethods: [GET, POST]
              maxAge: 24h
            route:
            - destination: {host: reviews, subset: v1}
        """))
        let routes = TranslatorFixture.routes(resources, host: "reviews")
        #expect(routes[0].redirect.pathRedirect == "/new")
        #expect(routes[0].redirect.hostRedirect == "new.example.com")
        #expect(routes[0].redirect.responseCode == .found)
        #expect(routes[1].route.prefixRewrite == "/v2/")
        #expect(routes[1].route.hostRewriteLiteral == "reviews-v2")
        #expect(routes[2].route.regexRewrite.pattern.regex == "^/re/(.*)$")
        #expect(routes[3].directResponse.status == 200)
        #expect(routes[3].directResponse.body.inlineString == "pong")
        #expect(routes[4].route.requestMirrorPolicies.first?.cluster == "outbound|9080||ratings.default.svc.cluster.local")
        #expect(routes[4].route.requestMirrorPolicies.first?.runtimeFraction.defaultValue.numerator == 250_000)
        let cors = try Envoy_Extensions_Filters_Http_Cors_V3_CorsPolicy(unpackingAny: try #require(routes[4].typedPerFilterConfig["envoy.filters.http.cors"]))
        #expect(cors.allowMethods == "GET,POST")
        #expect(cors.maxAge == "86400")
    }

    @Test func sourceLabelsAndGatewaysSelectRoutes() {
        let resources = TranslatorFixture.resources(vs("""
          - match: [{sourceLabels: {app: other}}]
            route: [{destination: {host: reviews, subset: v2}}]
          - match: [{gateways: [ingress]}]
            route: [{destination: {host: reviews, subset: v2}}]
          - route: [{destination: {host: reviews, subset: v1}}]
        """))
        let routes = TranslatorFixture.routes(resources, host: "reviews")
        #expect(routes.count == 1)
        #expect(routes.first?.route.cluster == "outbound|9080|v1|reviews.default.svc.cluster.local")
    }

    @Test func delegatesAreInlined() {
        let resources = TranslatorFixture.resources("""
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: reviews, namespace: default}
        spec:
          hosts: [reviews]
          http:
          - match: [{uri: {prefix: /reviews}}]
            delegate: {name: reviews-child, namespace: default}
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: reviews-child, namespace: default}
        spec:
          http:
          - match: [{headers: {end-user: {exact: jason}}}]
            route: [{destination: {host: reviews, subset: v2}}]
          - route: [{destination: {host: reviews, subset: v1}}]
        """)
        let routes = TranslatorFixture.routes(resources, host: "reviews")
        #expect(routes.count == 2)
        #expect(routes[0].match.prefix == "/reviews")
        #expect(routes[0].match.headers.first?.name == "end-user")
        #expect(routes[1].match.prefix == "/reviews")
    }
}

import Testing
import XDSAPI
@testable import XDSTranslator

/// VirtualService route actions: destinations and weights, redirect, rewrite,
/// directResponse, timeout and retries, as Istio's `applyHTTPRouteDestination`,
/// `ApplyRedirect`, `ApplyDirectResponse` and `retry.ConvertPolicy`.
@Suite struct VirtualServiceActionTests {
    typealias F = TranslatorFixture
    let v1 = "outbound|9080|v1|reviews.default.svc.cluster.local"
    let v2 = "outbound|9080|v2|reviews.default.svc.cluster.local"

    func route(_ http: String, extraYAML: String = "") throws -> Envoy_Config_Route_V3_Route {
        try F.translate(F.reviewsVS(http) + extraYAML).firstRoute()
    }

    @Test func weightedDestinationsWithSubsetsAndPorts() throws {
        let r = try route("""
          - route:
            - destination: {host: reviews, subset: v1, port: {number: 9080}}
              weight: 70
            - destination: {host: ratings.default.svc.cluster.local}
              weight: 20
            - destination: {host: reviews, subset: v2}
              weight: 10
            - destination: {host: reviews}
              weight: 0
        """)
        let clusters = r.route.weightedClusters.clusters
        #expect(clusters.map(\.name) == [v1, "outbound|9080||ratings.default.svc.cluster.local", v2])
        #expect(clusters.map(\.weight.value) == [70, 20, 10])
    }

    @Test func singleDestinationIsAPlainCluster() throws {
        let r = try route("  - route: [{destination: {host: reviews, subset: v2}}]\n")
        #expect(r.route.clusterSpecifier == .cluster(v2))
    }

    @Test func destinationPortPicksTheClusterOfAMultiPortService() throws {
        let r = try F.translate("""
        apiVersion: v1
        kind: Service
        metadata: {name: details, namespace: default}
        spec:
          ports: [{name: http, port: 9080}, {name: http-admin, port: 9090}]
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: details, namespace: default}
        spec:
          hosts: [details]
          http:
          - route: [{destination: {host: details, port: {number: 9090}}}]
        """).firstRoute("details")
        #expect(r.route.cluster == "outbound|9090||details.default.svc.cluster.local")
    }

    @Test func redirectUriAuthorityPortSchemeAndCode() throws {
        let resources = try F.translate(F.reviewsVS("""
          - match: [{uri: {exact: /a}}]
            redirect: {uri: /b, authority: example.com, port: 8443, scheme: https, redirectCode: 308}
          - match: [{uri: {exact: /c}}]
            redirect: {uri: /d}
          - match: [{uri: {exact: /e}}]
            redirect: {uri: /f, redirectCode: 303}
          - match: [{uri: {exact: /g}}]
            redirect: {uri: /h, redirectCode: 307}
        """))
        let r = resources.httpRoutes()
        #expect(r[0].redirect.pathRedirect == "/b")
        #expect(r[0].redirect.hostRedirect == "example.com")
        #expect(r[0].redirect.portRedirect == 8443)
        #expect(r[0].redirect.schemeRedirect == "https")
        #expect(r[0].redirect.responseCode == .permanentRedirect)
        #expect(r[1].redirect.responseCode == .movedPermanently)
        #expect(r[1].redirect.hostRedirect == "")
        #expect(r[2].redirect.responseCode == .seeOther)
        #expect(r[3].redirect.responseCode == .temporaryRedirect)
    }

    @Test func redirectToTheSchemesDefaultPortOmitsThePort() throws {
        // Istio: "Do not put explicit :80 or :443 when its http/https".
        let r = try route("""
          - redirect: {authority: example.com, port: 443, scheme: https}
        """)
        #expect(r.redirect.portRedirect == 0)
    }

    @Test func rewriteUriAndAuthority() throws {
        let r = try route("""
          - match: [{uri: {prefix: /v1/}}]
            rewrite: {uri: /v2/, authority: reviews-v2.internal}
            route: [{destination: {host: reviews, subset: v2}}]
        """)
        #expect(r.route.prefixRewrite == "/v2/")
        #expect(r.route.hostRewriteLiteral == "reviews-v2.internal")
        #expect(r.route.cluster == v2)
    }

    @Test func rewriteUriOnAnExactMatchIsAPrefixRewrite() throws {
        // Istio always emits prefix_rewrite for rewrite.uri; Envoy replaces the whole
        // matched path, and honours case_sensitive: false from ignoreUriCase.
        let r = try route("""
          - match: [{uri: {exact: /Old}, ignoreUriCase: true}]
            rewrite: {uri: /new}
            route: [{destination: {host: reviews, subset: v2}}]
        """)
        #expect(r.route.prefixRewrite == "/new")
    }

    @Test func uriRegexRewriteBecomesRegexMatchAndSubstitute() throws {
        let r = try route("""
          - match: [{uri: {prefix: /service/}}]
            rewrite:
              uriRegexRewrite: {match: "^/service/([^/]+)(/.*)$", rewrite: "\\\\2/instance/\\\\1"}
            route: [{destination: {host: reviews}}]
        """)
        #expect(r.route.regexRewrite.pattern.regex == "^/service/([^/]+)(/.*)$")
        #expect(r.route.regexRewrite.substitution == "\\2/instance/\\1")
        #expect(r.route.prefixRewrite == "")
    }

    @Test func directResponseStatusAndBody() throws {
        let resources = try F.translate(F.reviewsVS("""
          - match: [{uri: {exact: /string}}]
            directResponse: {status: 503, body: {string: "unavailable"}}
          - match: [{uri: {exact: /bytes}}]
            directResponse: {status: 200, body: {bytes: "aGVsbG8="}}
          - match: [{uri: {exact: /empty}}]
            directResponse: {status: 204}
        """))
        let r = resources.httpRoutes()
        #expect(r[0].directResponse.status == 503)
        #expect(r[0].directResponse.body.inlineString == "unavailable")
        #expect(r[1].directResponse.status == 200)
        let body = r[1].directResponse.body
        #expect(body.inlineString == "hello" || String(decoding: body.inlineBytes, as: UTF8.self) == "hello")
        #expect(r[2].directResponse.status == 204)
        #expect(!r[2].directResponse.hasBody)
    }

    @Test func timeoutIsSetAndDefaultsToNone() throws {
        let resources = try F.translate(F.reviewsVS("""
          - match: [{uri: {prefix: /slow}}]
            timeout: 2.5s
            route: [{destination: {host: reviews, subset: v1}}]
          - route: [{destination: {host: reviews, subset: v1}}]
        """))
        let r = resources.httpRoutes()
        #expect(seconds(r[0].route.timeout) == 2.5)
        #expect(r[1].route.hasTimeout && seconds(r[1].route.timeout) == 0, "Istio disables Envoy's 15 s default")
    }

    @Test func retriesAttemptsPerTryTimeoutAndRetryOn() throws {
        let r = try route("""
          - retries: {attempts: 4, perTryTimeout: 300ms, retryOn: "gateway-error,connect-failure,429"}
            route: [{destination: {host: reviews, subset: v1}}]
        """)
        let policy = r.route.retryPolicy
        #expect(policy.numRetries.value == 4)
        #expect(seconds(policy.perTryTimeout) == 0.3)
        #expect(policy.retryOn == "gateway-error,connect-failure,retriable-status-codes")
        #expect(policy.retriableStatusCodes == [429])
        #expect(policy.retryHostPredicate.map(\.name) == ["envoy.retry_host_predicates.previous_hosts"])
        #expect(policy.hostSelectionRetryMaxAttempts == 5)
        #expect(!policy.hasRetryPriority)
    }

    @Test func defaultRetryPolicyWithoutRetries() throws {
        let policy = try route("  - route: [{destination: {host: reviews, subset: v1}}]\n").route.retryPolicy
        #expect(policy.numRetries.value == 2)
        #expect(policy.retryOn == "connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes")
        #expect(policy.retriableStatusCodes == [503])
    }

    @Test func zeroAttemptsDisablesRetries() throws {
        let r = try route("""
          - retries: {attempts: 0}
            route: [{destination: {host: reviews, subset: v1}}]
        """)
        #expect(!r.route.hasRetryPolicy)
    }

    @Test func retriesWithoutAttemptsAreRejectedOrDisabled() throws {
        // retry.ConvertPolicy: "If in.Attempts == 0, returns nil" (attempts unset is 0); our
        // validator rejects such a policy outright, which is stricter but never sends retries.
        let yaml = F.reviewsVS("""
          - retries: {perTryTimeout: 1s, retryOn: 5xx}
            route: [{destination: {host: reviews, subset: v1}}]
        """)
        guard let resources = try? F.translate(yaml) else { return }
        #expect(try !resources.firstRoute().route.hasRetryPolicy)
    }

    @Test func retryRemoteLocalitiesUsesPreviousPriorities() throws {
        let r = try route("""
          - retries: {attempts: 3, retryRemoteLocalities: true}
            route: [{destination: {host: reviews, subset: v1}}]
        """)
        let priority = r.route.retryPolicy.retryPriority
        #expect(priority.name == "envoy.retry_priorities.previous_priorities")
        let config = try Envoy_Extensions_Retry_Priority_PreviousPriorities_V3_PreviousPrioritiesConfig(unpackingAny: priority.typedConfig)
        #expect(config.updateFrequency == 2)
    }

    @Test func consistentHashRoutesDoNotRetryOnOtherHosts() throws {
        // Istio's DefaultConsistentHashPolicy (single-destination VirtualService routes):
        // no previous_hosts predicate, so retries stay sticky.
        let r = try F.translate(F.ratingsDR("""
          trafficPolicy:
            loadBalancer:
              consistentHash: {httpHeaderName: x-user}
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: ratings, namespace: default}
        spec:
          hosts: [ratings]
          http:
          - route: [{destination: {host: ratings}}]
        """)).firstRoute("ratings")
        #expect(r.route.hashPolicy.first?.header.headerName == "x-user")
        #expect(r.route.retryPolicy.numRetries.value == 2)
        #expect(r.route.retryPolicy.retryHostPredicate.isEmpty)
    }
}

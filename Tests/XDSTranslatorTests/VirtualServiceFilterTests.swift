import Testing
import XDSAPI
@testable import XDSTranslator

/// VirtualService fault injection, mirroring, CORS, header operations and delegation,
/// as Istio's `TranslateFault`, `MirrorPercent`, `TranslateCORSPolicy` and
/// `TranslateHeadersOperations`.
@Suite struct VirtualServiceFilterTests {
    typealias F = TranslatorFixture
    let v1 = "outbound|9080|v1|reviews.default.svc.cluster.local"
    let v2 = "outbound|9080|v2|reviews.default.svc.cluster.local"

    func route(_ http: String) throws -> Envoy_Config_Route_V3_Route {
        try F.translate(F.reviewsVS(http)).firstRoute()
    }

    @Test func faultDelayAndAbortWithPercentages() throws {
        let fault = try Unpack.fault(route("""
          - fault:
              delay: {fixedDelay: 1.5s, percentage: {value: 12.5}}
              abort: {httpStatus: 418, percentage: {value: 0.1}}
            route: [{destination: {host: reviews, subset: v1}}]
        """))
        #expect(seconds(fault.delay.fixedDelay) == 1.5)
        #expect(percentValue(fault.delay.percentage) == 12.5)
        #expect(fault.abort.httpStatus == 418)
        #expect(percentValue(fault.abort.percentage) == 0.1)
    }

    @Test func faultAbortWithGRPCStatus() throws {
        let fault = try Unpack.fault(route("""
          - fault:
              abort: {grpcStatus: UNAVAILABLE, percentage: {value: 100}}
            route: [{destination: {host: reviews, subset: v1}}]
        """))
        #expect(fault.abort.grpcStatus == 14)
        #expect(percentValue(fault.abort.percentage) == 100)
        #expect(!fault.hasDelay)
    }

    @Test func faultWithoutPercentageFollowsIstio() throws {
        // Istio: delay without percentage -> 0/HUNDRED (from the deprecated `percent`);
        // abort without percentage -> percentage left unset (Envoy reads 0).
        let fault = try Unpack.fault(route("""
          - fault:
              delay: {fixedDelay: 2s}
              abort: {httpStatus: 503}
            route: [{destination: {host: reviews, subset: v1}}]
        """))
        #expect(fault.abort.httpStatus == 503)
        #expect(percentValue(fault.delay.percentage) == 0)
        #expect(!fault.abort.hasPercentage || percentValue(fault.abort.percentage) == 0)
    }

    @Test func mirrorWithPercentage() throws {
        let r = try route("""
          - mirror: {host: ratings}
            mirrorPercentage: {value: 33.3}
            route: [{destination: {host: reviews, subset: v1}}]
        """)
        let mirror = try #require(r.route.requestMirrorPolicies.first)
        #expect(r.route.requestMirrorPolicies.count == 1)
        #expect(mirror.cluster == "outbound|9080||ratings.default.svc.cluster.local")
        #expect(abs(percentValue(mirror.runtimeFraction.defaultValue) - 33.3) < 0.0001)
        #expect(r.route.cluster == v1)
    }

    @Test func mirrorsListWithSubsetsAndDefaultPercentage() throws {
        let r = try route("""
          - mirrors:
            - destination: {host: reviews, subset: v2}
              percentage: {value: 50}
            - destination: {host: ratings}
            route: [{destination: {host: reviews, subset: v1}}]
        """)
        let mirrors = r.route.requestMirrorPolicies
        #expect(mirrors.map(\.cluster) == [v2, "outbound|9080||ratings.default.svc.cluster.local"])
        #expect(percentValue(mirrors[0].runtimeFraction.defaultValue) == 50)
        #expect(percentValue(mirrors[1].runtimeFraction.defaultValue) == 100)
    }

    @Test func mirrorTrafficIsNotTraceSampled() throws {
        let r = try route("""
          - mirror: {host: ratings}
            route: [{destination: {host: reviews, subset: v1}}]
        """)
        let mirror = try #require(r.route.requestMirrorPolicies.first)
        #expect(mirror.hasTraceSampled && mirror.traceSampled.value == false)
    }

    @Test func zeroMirrorPercentageMeansNoMirror() throws {
        let r = try route("""
          - mirror: {host: ratings}
            mirrorPercentage: {value: 0}
            route: [{destination: {host: reviews, subset: v1}}]
        """)
        #expect(r.route.requestMirrorPolicies.isEmpty)
    }

    @Test func corsPolicyFields() throws {
        let cors = try Unpack.cors(route("""
          - corsPolicy:
              allowOrigins: [{exact: "https://a.example.com"}, {prefix: "https://b."}, {regex: "https://.*\\\\.c\\\\.com"}]
              allowMethods: [GET, PUT]
              allowHeaders: [x-a, x-b]
              exposeHeaders: [x-c]
              maxAge: 10m
              allowCredentials: true
            route: [{destination: {host: reviews, subset: v1}}]
        """))
        #expect(cors.allowOriginStringMatch.count == 3)
        #expect(cors.allowOriginStringMatch[0].exact == "https://a.example.com")
        #expect(cors.allowOriginStringMatch[1].prefix == "https://b.")
        #expect(cors.allowOriginStringMatch[2].safeRegex.regex == "https://.*\\.c\\.com")
        #expect(cors.allowMethods == "GET,PUT")
        #expect(cors.allowHeaders == "x-a,x-b")
        #expect(cors.exposeHeaders == "x-c")
        #expect(cors.maxAge == "600")
        #expect(cors.allowCredentials.value == true)
    }

    @Test func routeLevelHeaderOperations() throws {
        let r = try route("""
          - headers:
              request:
                set: {x-b: "2", x-a: "1"}
                add: {x-c: "3"}
                remove: [x-drop]
              response:
                set: {x-r: "r"}
                add: {x-s: "s"}
                remove: [server]
            route: [{destination: {host: reviews, subset: v1}}]
        """)
        #expect(r.requestHeadersToAdd.map(\.header.key) == ["x-a", "x-b", "x-c"])
        #expect(r.requestHeadersToAdd.map(\.header.value) == ["1", "2", "3"])
        #expect(r.requestHeadersToAdd.map(\.appendAction) == [.overwriteIfExistsOrAdd, .overwriteIfExistsOrAdd, .appendIfExistsOrAdd])
        #expect(r.requestHeadersToRemove == ["x-drop"])
        #expect(r.responseHeadersToAdd.map(\.header.key) == ["x-r", "x-s"])
        #expect(r.responseHeadersToAdd.map(\.appendAction) == [.overwriteIfExistsOrAdd, .appendIfExistsOrAdd])
        #expect(r.responseHeadersToRemove == ["server"])
    }

    @Test func destinationLevelHeadersOnWeightedClusters() throws {
        let r = try route("""
          - route:
            - destination: {host: reviews, subset: v1}
              weight: 50
              headers:
                request: {set: {x-version: v1}}
                response: {add: {x-from: v1}, remove: [x-internal]}
            - destination: {host: reviews, subset: v2}
              weight: 50
        """)
        let clusters = r.route.weightedClusters.clusters
        #expect(clusters[0].requestHeadersToAdd.map(\.header.key) == ["x-version"])
        #expect(clusters[0].requestHeadersToAdd.first?.appendAction == .overwriteIfExistsOrAdd)
        #expect(clusters[0].responseHeadersToAdd.first?.header.value == "v1")
        #expect(clusters[0].responseHeadersToAdd.first?.appendAction == .appendIfExistsOrAdd)
        #expect(clusters[0].responseHeadersToRemove == ["x-internal"])
        #expect(clusters[1].requestHeadersToAdd.isEmpty)
    }

    @Test func singleDestinationHeadersGoOnTheRoute() throws {
        // Istio's processDestination: one destination -> `cluster`, its headers appended to the route's.
        let r = try route("""
          - route:
            - destination: {host: reviews, subset: v2}
              headers:
                request: {set: {x-version: v2}}
        """)
        #expect(r.route.cluster == v2)
        #expect(r.requestHeadersToAdd.map(\.header.key) == ["x-version"])
    }

    @Test func settingTheHostHeaderRewritesTheAuthority() throws {
        // Istio: `host` / `:authority` in headers.request.set|add become host_rewrite_literal,
        // never a header mutation (Envoy rejects mutating them).
        let r = try route("""
          - headers:
              request:
                set: {host: backend.internal, x-a: "1"}
            route: [{destination: {host: reviews, subset: v1}}]
        """)
        #expect(r.route.hostRewriteLiteral == "backend.internal")
        #expect(r.requestHeadersToAdd.map(\.header.key) == ["x-a"])
    }

    @Test func delegateRoutesMergeWithTheRootMatch() throws {
        let resources = try F.translate("""
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: root, namespace: default}
        spec:
          hosts: [reviews]
          http:
          - match: [{uri: {prefix: /api}, headers: {x-team: {exact: a}}}]
            delegate: {name: child, namespace: other}
          - route: [{destination: {host: reviews, subset: v1}}]
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: child, namespace: other}
        spec:
          http:
          - match: [{uri: {prefix: /api/v2}}]
            route: [{destination: {host: reviews.default.svc.cluster.local, subset: v2}}]
          - route: [{destination: {host: reviews.default.svc.cluster.local, subset: v1}}]
        """)
        let r = resources.httpRoutes()
        #expect(r.count == 3)
        #expect(r[0].match.prefix == "/api/v2")
        #expect(r[0].match.header("x-team")?.stringMatch.exact == "a")
        #expect(r[0].route.cluster == v2)
        #expect(r[1].match.prefix == "/api")
        #expect(r[1].match.header("x-team")?.stringMatch.exact == "a")
        #expect(r[1].route.cluster == v1)
        #expect(r[2].match.prefix == "/" && r[2].match.headers.isEmpty)
    }
}

import Testing
import XDSAPI
@testable import XDSTranslator

/// DestinationRule load balancing: simple policies and consistent hashing, at the top
/// level, per subset and per port, as Istio's `applyLoadBalancer`,
/// `ApplyRingHashLoadBalancer` and `consistentHashToHashPolicy`.
@Suite struct DestinationRuleLoadBalancerTests {
    typealias F = TranslatorFixture
    let ratings = "outbound|9080||ratings.default.svc.cluster.local"

    func cluster(_ spec: String, name: String? = nil) throws -> Envoy_Config_Cluster_V3_Cluster {
        try F.translate(F.ratingsDR(spec)).cluster(name ?? ratings)
    }

    @Test(arguments: [("ROUND_ROBIN", Envoy_Config_Cluster_V3_Cluster.LbPolicy.roundRobin),
                      ("LEAST_REQUEST", .leastRequest), ("LEAST_CONN", .leastRequest), ("RANDOM", .random)])
    func simplePolicies(simple: String, expected: Envoy_Config_Cluster_V3_Cluster.LbPolicy) throws {
        let c = try cluster("  trafficPolicy: {loadBalancer: {simple: \(simple)}}\n")
        #expect(c.lbPolicy == expected)
        #expect(c.type == .eds)
    }

    @Test func passthroughUsesTheOriginalDestination() throws {
        let c = try cluster("  trafficPolicy: {loadBalancer: {simple: PASSTHROUGH}}\n")
        #expect(c.type == .originalDst)
        #expect(c.lbPolicy == .clusterProvided)
        #expect(!c.hasEdsClusterConfig)
    }

    @Test func defaultPolicyIsLeastRequest() throws {
        // Istio's defaultLBAlgorithm() is LEAST_REQUEST (since 1.14), with or without a rule.
        let resources = try F.translate("")
        let plain = try resources.cluster(ratings)
        let withRule = try F.translate(F.ratingsDR("  trafficPolicy: {connectionPool: {tcp: {maxConnections: 5}}}\n")).cluster(ratings)
        #expect(plain.lbPolicy == .leastRequest)
        #expect(withRule.lbPolicy == .leastRequest)
    }

    @Test func consistentHashByHeader() throws {
        let resources = try F.translate(F.ratingsDR("""
          trafficPolicy:
            loadBalancer:
              consistentHash: {httpHeaderName: x-user}
        """))
        let c = try resources.cluster(ratings)
        #expect(c.lbPolicy == .ringHash)
        // Istio writes Envoy's default minimum ring size (1024) explicitly; unset means the same.
        #expect(!c.ringHashLbConfig.hasMinimumRingSize || c.ringHashLbConfig.minimumRingSize.value == 1024)
        let route = try resources.firstRoute("ratings")
        #expect(route.route.hashPolicy.count == 1)
        #expect(route.route.hashPolicy[0].header.headerName == "x-user")
    }

    @Test func consistentHashByCookieWithTTLAndPath() throws {
        let route = try F.translate(F.ratingsDR("""
          trafficPolicy:
            loadBalancer:
              consistentHash: {httpCookie: {name: session, path: /app, ttl: 30s}}
        """)).firstRoute("ratings")
        let cookie = route.route.hashPolicy[0].cookie
        #expect(cookie.name == "session")
        #expect(cookie.path == "/app")
        #expect(seconds(cookie.ttl) == 30)
    }

    @Test func consistentHashBySourceIP() throws {
        let route = try F.translate(F.ratingsDR("""
          trafficPolicy:
            loadBalancer:
              consistentHash: {useSourceIp: true}
        """)).firstRoute("ratings")
        #expect(route.route.hashPolicy[0].connectionProperties.sourceIp == true)
    }

    @Test func consistentHashByQueryParameter() throws {
        let route = try F.translate(F.ratingsDR("""
          trafficPolicy:
            loadBalancer:
              consistentHash: {httpQueryParameterName: user}
        """)).firstRoute("ratings")
        #expect(route.route.hashPolicy[0].queryParameter.name == "user")
    }

    @Test func ringHashMinimumRingSize() throws {
        let c = try cluster("""
          trafficPolicy:
            loadBalancer:
              consistentHash: {httpHeaderName: x-user, ringHash: {minimumRingSize: 4096}}
        """)
        #expect(c.lbPolicy == .ringHash)
        #expect(c.ringHashLbConfig.minimumRingSize.value == 4096)
    }

    @Test func maglevTableSize() throws {
        let c = try cluster("""
          trafficPolicy:
            loadBalancer:
              consistentHash: {httpHeaderName: x-user, maglev: {tableSize: 65537}}
        """)
        #expect(c.lbPolicy == .maglev)
        #expect(c.maglevLbConfig.tableSize.value == 65537)
    }

    @Test func subsetPolicyOverridesTheTopLevelBalancer() throws {
        let resources = try F.translate(F.ratingsDR("""
          trafficPolicy: {loadBalancer: {simple: RANDOM}}
          subsets:
          - name: v1
            labels: {version: v1}
            trafficPolicy: {loadBalancer: {simple: ROUND_ROBIN}}
          - name: sticky
            labels: {version: v1}
            trafficPolicy:
              loadBalancer:
                consistentHash: {httpHeaderName: x-sticky}
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: ratings, namespace: default}
        spec:
          hosts: [ratings]
          http:
          - match: [{headers: {x-sticky: {}}}]
            route: [{destination: {host: ratings, subset: sticky}}]
          - route: [{destination: {host: ratings, subset: v1}}]
        """))
        #expect(try resources.cluster(ratings).lbPolicy == .random)
        #expect(try resources.cluster("outbound|9080|v1|ratings.default.svc.cluster.local").lbPolicy == .roundRobin)
        #expect(try resources.cluster("outbound|9080|sticky|ratings.default.svc.cluster.local").lbPolicy == .ringHash)
        let routes = resources.httpRoutes("ratings")
        #expect(routes[0].route.hashPolicy.first?.header.headerName == "x-sticky")
        #expect(routes[1].route.hashPolicy.isEmpty)
    }

    @Test func portLevelSettingsOverrideTheBalancerForOnePort() throws {
        let resources = try F.translate("""
        apiVersion: v1
        kind: Service
        metadata: {name: multi, namespace: default}
        spec:
          ports: [{name: http, port: 8080}, {name: http-alt, port: 8081}]
        ---
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: multi, namespace: default}
        spec:
          host: multi.default.svc.cluster.local
          trafficPolicy:
            loadBalancer: {simple: RANDOM}
            portLevelSettings:
            - port: {number: 8081}
              loadBalancer: {simple: ROUND_ROBIN}
        """)
        #expect(try resources.cluster("outbound|8080||multi.default.svc.cluster.local").lbPolicy == .random)
        #expect(try resources.cluster("outbound|8081||multi.default.svc.cluster.local").lbPolicy == .roundRobin)
    }

    @Test func portLevelConsistentHashAppliesToTheRoute() throws {
        // Istio's hashForService / hashForHTTPDestination read portLevelSettings' consistentHash.
        let resources = try F.translate(F.ratingsDR("""
          trafficPolicy:
            portLevelSettings:
            - port: {number: 9080}
              loadBalancer:
                consistentHash: {httpHeaderName: x-port-user}
        """))
        #expect(try resources.cluster(ratings).lbPolicy == .ringHash)
        let route = try resources.firstRoute("ratings")
        #expect(route.route.hashPolicy.first?.header.headerName == "x-port-user")
    }
}
